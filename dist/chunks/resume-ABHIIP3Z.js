import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  help,
  runFlags,
  startInBackground
} from "./chunk-RJU5JQLE.js";
import {
  StateDir,
  executeRun,
  parseArgsFlag,
  parseFlags,
  prepareRun,
  reportRunEnd,
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

// src/cli/commands/resume.ts
var USAGE = usage(
  "dwf resume <runId> [options]",
  "Runs a run's script again with its args and flags (options given here override them). Calls completed before replay from the journal; only the rest run live. The script may have been edited since.",
  RUN_FLAGS
);
async function resume(argv, io) {
  const { flags, positionals } = parseFlags("resume", argv, RUN_FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, USAGE);
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const info = state.require(positionals[0]);
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`);
  const previous = info.invocation;
  if (!previous) throw new UsageError(`run ${info.runId} has no invocation record, so it cannot be resumed; run its script with dwf run`);
  const prepared = prepareRun(
    state,
    {
      ...previous,
      args: flags.args === void 0 ? previous.args : parseArgsFlag(flags.args, io.cwd),
      flags: runFlags(flags, previous.flags),
      resumedFrom: info.runId
    },
    io.env
  );
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json));
  const executed = await executeRun(prepared, io);
  return reportRunEnd(prepared, executed, io, Boolean(flags.json));
}
export {
  resume
};
