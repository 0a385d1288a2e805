import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  startCommand
} from "./chunk-SIBGNM73.js";
import "./chunk-CSQOJJ4X.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-WD5QYXZV.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/rm.ts
import fs from "node:fs";
var RM = {
  name: "rm",
  synopsis: "dwf rm <runId> [options]",
  summary: "Removes a finished run's files (its journaled calls stay in the workflow's journal).",
  flags: {},
  positionals: { min: 1, max: 1 }
};
async function rm(argv, io) {
  const command = startCommand(RM, argv, io);
  if (!command) return 0;
  const info = command.state.require(command.positionals[0]);
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`);
  fs.rmSync(command.state.runDir(info.runId), { recursive: true, force: true });
  io.stderr.write(`removed run ${info.runId}
`);
  return 0;
}
export {
  rm
};
