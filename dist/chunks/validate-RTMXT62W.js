import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineCommand,
  jsonFlag
} from "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
import {
  loadScriptOrExplain,
  readScriptFile
} from "./chunk-UPNGW7ZP.js";
import "./chunk-NM2YASEK.js";
import "./chunk-23ZJXTE6.js";
import "./chunk-YP3UWPI3.js";
import "./chunk-FBNX22PT.js";
import "./chunk-JA3FFBR6.js";
import "./chunk-6BEEJJSZ.js";
import {
  safeJsonLine,
  safeLine
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/validate.ts
import path from "node:path";
var VALIDATE = { name: "validate", argument: "<script>", summary: "Checks a workflow script (syntax, meta, sandbox rules) without running it.", flags: { json: jsonFlag("print the meta as JSON") }, positionals: { min: 1, max: 1 }, usesState: false };
var validate = defineCommand(VALIDATE, async (command, io) => {
  const { flags } = command;
  const display = command.positionals[0];
  const { meta } = loadScriptOrExplain(readScriptFile(path.resolve(io.cwd, display), display), display);
  if (flags.json) io.stdout.write(safeJsonLine({ ok: true, script: display, meta }) + "\n");
  else {
    const phases = meta.phases?.length ? `; phases: ${meta.phases.map((p) => safeLine(p.title)).join(" \u2192 ")}` : "";
    io.stdout.write(`\u2713 ${safeLine(display)}: workflow '${meta.name}'${meta.description ? ` \u2014 ${safeLine(meta.description)}` : ""}${phases}
`);
  }
  return 0;
});
export {
  validate
};
