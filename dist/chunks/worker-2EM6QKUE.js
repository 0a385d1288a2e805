import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineCommand
} from "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
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

// src/cli/commands/worker.ts
var WORKER = { name: "__worker", argument: "<runId>", summary: "internal", flags: {}, positionals: { min: 1, max: 1 } };
var worker = defineCommand(WORKER, async (command, io) => {
  const { state } = command;
  const runId = command.positionals[0];
  const invocation = state.require(runId).invocation;
  if (!invocation) throw new Error(`run ${runId} has no invocation.json`);
  const prepared = prepareRun(state, invocation, io.env, runId);
  const { outcome } = await executeRun(prepared, io, { quiet: true });
  return outcome.status === "succeeded" ? 0 : outcome.status === "stopped" ? 130 : 1;
});
export {
  worker
};
