import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  startCommand
} from "./chunk-MWDJRDIX.js";
import {
  executeRun,
  prepareRun
} from "./chunk-PXTOMHYK.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-OUYRXRJN.js";
import "./chunk-DHKLBK3E.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-4PXDEOI2.js";
import "./chunk-CGEEEPWU.js";
import "./chunk-34LTRUHO.js";
import "./chunk-3T7BK253.js";
import "./chunk-PHHAPF3Q.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/worker.ts
var WORKER = { name: "__worker", synopsis: "dwf __worker <runId>", summary: "internal", flags: {}, positionals: { min: 1, max: 1 } };
async function worker(argv, io) {
  const command = startCommand(WORKER, argv, io);
  if (!command) return 0;
  const { state } = command;
  const runId = command.positionals[0];
  const invocation = state.require(runId).invocation;
  if (!invocation) throw new Error(`run ${runId} has no invocation.json`);
  const prepared = prepareRun(state, invocation, io.env, runId);
  const { outcome } = await executeRun(prepared, io, { quiet: true });
  return outcome.status === "succeeded" ? 0 : outcome.status === "stopped" ? 130 : 1;
}
export {
  worker
};
