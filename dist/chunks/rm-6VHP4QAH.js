import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  startCommand
} from "./chunk-E23N7TQO.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-DSSTURWX.js";
import "./chunk-ZC7A2QGY.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/rm.ts
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
  command.state.removeRun(info.runId);
  io.stderr.write(`removed run ${info.runId}
`);
  return 0;
}
export {
  rm
};
