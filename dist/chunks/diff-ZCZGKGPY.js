import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineRunCommand
} from "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-JA3FFBR6.js";
import {
  safeText
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/diff.ts
var DIFF = {
  name: "diff",
  summary: "Prints what a run changed in the working directory, as a patch (its runs/<id>/changes.patch, which `git apply` takes).",
  flags: {}
};
var diff = defineRunCommand(DIFF, async (info, { state }, io) => {
  const patch = state.readRunText(info.runId, "changes.patch");
  if (patch === void 0 || patch === "") {
    io.stderr.write(`run ${info.runId} changed no files
`);
    return 0;
  }
  io.stdout.write(safeText(patch));
  return 0;
});
export {
  diff
};
