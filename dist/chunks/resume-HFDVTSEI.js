import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  RUN_FLAGS,
  argsFlag,
  reportRunEnd,
  runFlags,
  startInBackground
} from "./chunk-5YPZTQCT.js";
import {
  defineRunCommand
} from "./chunk-5VXOP6UG.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-JQT7X7FP.js";
import {
  executeRun
} from "./chunk-PNUYT6IQ.js";
import {
  prepareRun
} from "./chunk-UPNGW7ZP.js";
import "./chunk-NM2YASEK.js";
import "./chunk-FAQWL2FP.js";
import "./chunk-23ZJXTE6.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-JA3FFBR6.js";
import "./chunk-6BEEJJSZ.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/resume.ts
var RESUME = { name: "resume", summary: "Runs a run's script again with its args and flags (options given here override them). Calls completed before replay from the journal; only the rest run live. The script may have been edited since.", flags: RUN_FLAGS };
var resume = defineRunCommand(RESUME, async (info, { flags, state }, io) => {
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
}, { ownStateOnly: true });
export {
  resume
};
