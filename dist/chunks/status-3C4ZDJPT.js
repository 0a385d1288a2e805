import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  help
} from "./chunk-RJU5JQLE.js";
import {
  StateDir,
  parseFlags,
  renderStatus,
  resolveStateDir,
  usage,
  useColor
} from "./chunk-5RDU7AKV.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";

// src/cli/commands/status.ts
var FLAGS = {
  "state-dir": { type: "string", value: "DIR", help: "state directory (default .dynamic-workflow, or DWF_STATE_DIR)" },
  json: { type: "boolean", help: "print the run snapshot as JSON" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
async function status(argv, io) {
  const { flags, positionals } = parseFlags("status", argv, FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, usage("dwf status <runId> [options]", "Shows where a run stands: phases, every agent, totals, errors.", FLAGS));
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const info = state.require(positionals[0]);
  if (!info.snapshot) {
    io.stdout.write(flags.json ? JSON.stringify({ runId: info.runId, status: info.shown }) + "\n" : `run ${info.runId}: ${info.shown} (it has not reported progress yet)
`);
    return 0;
  }
  if (flags.json) {
    io.stdout.write(JSON.stringify({ ...info.snapshot, status: info.shown }) + "\n");
    return 0;
  }
  io.stdout.write(renderStatus(info.snapshot, info.shown, { color: useColor(io.stdout, io.env) }, io.stdout.columns || 100) + "\n");
  if (info.shown === "interrupted") io.stdout.write(`
the run's process ended without finishing (killed?); its completed calls are journaled: dwf resume ${info.runId}
`);
  return 0;
}
export {
  status
};
