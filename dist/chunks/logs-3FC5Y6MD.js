import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  help
} from "./chunk-RJU5JQLE.js";
import {
  StateDir,
  isAlive,
  parseFlags,
  resolveStateDir,
  sleep,
  usage
} from "./chunk-5RDU7AKV.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-V2WJFOLT.js";
import "./chunk-UYKUM5MT.js";
import "./chunk-DEGYRHQV.js";
import "./chunk-BT42UOR6.js";
import "./chunk-2MHCCM7Z.js";
import "./chunk-WF7O6UEA.js";

// src/cli/commands/logs.ts
import fs from "node:fs";
var FLAGS = {
  follow: { type: "boolean", short: "f", help: "keep printing new lines until the run ends" },
  "state-dir": { type: "string", value: "DIR", help: "state directory (default .dynamic-workflow, or DWF_STATE_DIR)" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
async function logs(argv, io) {
  const { flags, positionals } = parseFlags("logs", argv, FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, usage("dwf logs <runId> [-f]", "Prints a run's log (one line per event); -f follows it until the run ends.", FLAGS));
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const info = state.require(positionals[0]);
  const file = state.runFile(info.runId, "log.txt");
  let offset = 0;
  const printNew = () => {
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    }
    if (size <= offset) return;
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      io.stdout.write(buffer);
      offset = size;
    } finally {
      fs.closeSync(fd);
    }
  };
  printNew();
  if (!flags.follow) return 0;
  while (info.marker && isAlive(info.marker)) {
    await sleep(200);
    printNew();
  }
  printNew();
  return 0;
}
export {
  logs
};
