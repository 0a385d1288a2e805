import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  startCommand
} from "./chunk-SIBGNM73.js";
import {
  sleep
} from "./chunk-V7ZH4SAJ.js";
import {
  isAlive
} from "./chunk-CSQOJJ4X.js";
import "./chunk-BDBW6SVH.js";
import "./chunk-WD5QYXZV.js";
import "./chunk-7O7BFD5M.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/logs.ts
import fs from "node:fs";
var LOGS = {
  name: "logs",
  synopsis: "dwf logs <runId> [-f]",
  summary: "Prints a run's log (one line per event); -f follows it until the run ends.",
  flags: { follow: { type: "boolean", short: "f", help: "keep printing new lines until the run ends" } },
  positionals: { min: 1, max: 1 }
};
async function logs(argv, io) {
  const command = startCommand(LOGS, argv, io);
  if (!command) return 0;
  const { flags, state } = command;
  const info = state.require(command.positionals[0]);
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
