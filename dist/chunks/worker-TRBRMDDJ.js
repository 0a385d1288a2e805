import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  StateDir,
  executeRun,
  parseFlags,
  prepareRun,
  resolveStateDir
} from "./chunk-5RDU7AKV.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";

// src/cli/commands/worker.ts
async function worker(argv, io) {
  const { flags, positionals } = parseFlags("__worker", argv, { "state-dir": { type: "string", help: "" } }, { min: 1, max: 1 });
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const runId = positionals[0];
  const invocation = state.require(runId).invocation;
  if (!invocation) throw new Error(`run ${runId} has no invocation.json`);
  const prepared = prepareRun(state, invocation, io.env, runId);
  const { outcome } = await executeRun(prepared, io, { quiet: true });
  return outcome.status === "succeeded" ? 0 : outcome.status === "stopped" ? 130 : 1;
}
export {
  worker
};
