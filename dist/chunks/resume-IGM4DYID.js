import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  argsFlag,
  reportRunEnd,
  runFlags,
  startInBackground
} from "./chunk-VIPGBVT2.js";
import {
  startCommand
} from "./chunk-E23N7TQO.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-K6KAHNQR.js";
import {
  executeRun
} from "./chunk-CMIEAFCA.js";
import {
  prepareRun
} from "./chunk-KGOYAOPM.js";
import "./chunk-NM2YASEK.js";
import "./chunk-RIN322UK.js";
import "./chunk-5UYTAWXJ.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-FBNX22PT.js";
import "./chunk-DSSTURWX.js";
import "./chunk-635L2CNB.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-ZC7A2QGY.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/resume.ts
var RESUME = {
  name: "resume",
  synopsis: "dwf resume <runId> [options]",
  summary: "Runs a run's script again with its args and flags (options given here override them). Calls completed before replay from the journal; only the rest run live. The script may have been edited since.",
  flags: RUN_FLAGS,
  positionals: { min: 1, max: 1 }
};
async function resume(argv, io) {
  const command = startCommand(RESUME, argv, io);
  if (!command) return 0;
  const { flags, state } = command;
  state.refuseCommitted();
  const info = state.require(command.positionals[0]);
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`);
  const previous = info.invocation;
  if (!previous) throw new UsageError(`run ${info.runId} has no invocation record, so it cannot be resumed; run its script with dwf run`);
  const prepared = prepareRun(
    state,
    {
      ...previous,
      args: argsFlag(flags, io.cwd) ?? previous.args,
      flags: runFlags(flags, io.cwd, previous.flags),
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
