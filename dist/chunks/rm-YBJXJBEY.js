import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  help
} from "./chunk-RJU5JQLE.js";
import {
  StateDir,
  parseFlags,
  resolveStateDir,
  usage
} from "./chunk-5RDU7AKV.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";

// src/cli/commands/rm.ts
import fs from "node:fs";
var FLAGS = {
  "state-dir": { type: "string", value: "DIR", help: "state directory (default .dynamic-workflow, or DWF_STATE_DIR)" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
async function rm(argv, io) {
  const { flags, positionals } = parseFlags("rm", argv, FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, usage("dwf rm <runId> [options]", "Removes a finished run's files (its journaled calls stay in the workflow's journal).", FLAGS));
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const info = state.require(positionals[0]);
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`);
  fs.rmSync(state.runDir(info.runId), { recursive: true, force: true });
  io.stderr.write(`removed run ${info.runId}
`);
  return 0;
}
export {
  rm
};
