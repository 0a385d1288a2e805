import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  startCommand
} from "./chunk-XBN5O5F6.js";
import {
  executeRun,
  prepareRun
} from "./chunk-X3CUIE6U.js";
import "./chunk-EMZFFGXV.js";
import "./chunk-7TV7MEIW.js";
import "./chunk-TC5DQPGY.js";
import "./chunk-BU6QUBRU.js";
import "./chunk-V7ZH4SAJ.js";
import "./chunk-CSQOJJ4X.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-EULYFCJG.js";
import "./chunk-3DTBB3TP.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-PQ3PKJSI.js";
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
