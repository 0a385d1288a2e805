import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineRunCommand
} from "./chunk-5VXOP6UG.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-JA3FFBR6.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/rm.ts
var RM = { name: "rm", summary: "Removes a finished run's files (its journaled calls stay in the workflow's journal).", flags: {} };
var rm = defineRunCommand(RM, async (info, command, io) => {
  if (info.alive) throw new UsageError(`run ${info.runId} is still running (pid ${info.marker?.pid}); stop it first: dwf stop ${info.runId}`);
  command.state.removeRun(info.runId);
  io.stderr.write(`removed run ${info.runId}
`);
  return 0;
});
export {
  rm
};
