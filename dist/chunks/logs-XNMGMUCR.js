import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineRunCommand
} from "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
import {
  sleep
} from "./chunk-FBNX22PT.js";
import {
  isAlive
} from "./chunk-JA3FFBR6.js";
import {
  safeText
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/logs.ts
var LOGS = { name: "logs", summary: "Prints a run's log (one line per event); -f follows it until the run ends.", flags: { follow: { type: "boolean", short: "f", help: "keep printing new lines until the run ends" } } };
var logs = defineRunCommand(LOGS, async (info, { flags, state }, io) => {
  const reader = new LogReader(state, info.runId);
  const print = (text) => {
    if (text) io.stdout.write(safeText(text));
  };
  print(reader.completeLines());
  if (flags.follow) {
    while (info.marker && isAlive(info.marker)) {
      await sleep(200);
      print(reader.completeLines());
    }
    print(reader.completeLines());
  }
  print(reader.rest());
  return 0;
});
var LogReader = class {
  constructor(state, runId) {
    this.state = state;
    this.runId = runId;
  }
  state;
  runId;
  #offset = 0;
  #partial = Buffer.alloc(0);
  /** The lines completed since the last call. */
  completeLines() {
    const bytes = Buffer.concat([this.#partial, this.#readNew()]);
    const end = bytes.lastIndexOf(10) + 1;
    this.#partial = bytes.subarray(end);
    return bytes.subarray(0, end).toString("utf8");
  }
  /** What is left after the last newline (a line the run did not finish). */
  rest() {
    const text = Buffer.concat([this.#partial, this.#readNew()]).toString("utf8");
    this.#partial = Buffer.alloc(0);
    return text;
  }
  #readNew() {
    const bytes = this.state.readRunBytes(this.runId, "log.txt", this.#offset) ?? Buffer.alloc(0);
    this.#offset += bytes.length;
    return bytes;
  }
};
export {
  logs
};
