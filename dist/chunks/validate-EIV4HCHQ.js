import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  help
} from "./chunk-RJU5JQLE.js";
import {
  loadScriptOrExplain,
  parseFlags,
  usage
} from "./chunk-5RDU7AKV.js";
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";

// src/cli/commands/validate.ts
import fs from "node:fs";
import path from "node:path";
var FLAGS = {
  json: { type: "boolean", help: "print the meta as JSON" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
async function validate(argv, io) {
  const { flags, positionals } = parseFlags("validate", argv, FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, usage("dwf validate <script>", "Checks a workflow script (syntax, meta, sandbox rules) without running it.", FLAGS));
  const display = positionals[0];
  let source;
  try {
    source = fs.readFileSync(path.resolve(io.cwd, display), "utf8");
  } catch {
    throw new UsageError(`script not found: ${display}`);
  }
  const { meta } = loadScriptOrExplain(source, display);
  if (flags.json) io.stdout.write(JSON.stringify({ ok: true, script: display, meta }) + "\n");
  else {
    const phases = meta.phases?.length ? `; phases: ${meta.phases.map((p) => p.title).join(" \u2192 ")}` : "";
    io.stdout.write(`\u2713 ${display}: workflow '${meta.name}'${meta.description ? ` \u2014 ${meta.description}` : ""}${phases}
`);
  }
  return 0;
}
export {
  validate
};
