import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  formatEventLine,
  renderLive
} from "./chunk-23ZJXTE6.js";

// src/runner/progress.ts
function useColor(stream, env) {
  if (env.NO_COLOR !== void 0 && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== void 0 && env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}
var SCROLLBACK = /* @__PURE__ */ new Set(["run_started", "phase_started", "log", "warning", "agent_retrying", "agent_failed"]);
function createProgress(stream, recorder, options) {
  const style = { color: options.color };
  if (!options.tty) {
    return {
      event(event) {
        const line = formatEventLine(event, recorder.snapshot(), style);
        if (line !== void 0 && !options.quiet) stream.write(line + "\n");
      },
      line(text) {
        stream.write(text + "\n");
      },
      finish() {
      }
    };
  }
  let drawn = 0;
  let queued = [];
  const clear = () => {
    if (drawn > 0) stream.write(`\x1B[${drawn}F\x1B[0J`);
    drawn = 0;
  };
  const draw = (header = true) => {
    clear();
    if (queued.length) stream.write(queued.join("\n") + "\n");
    queued = [];
    const table = renderLive(recorder.snapshot(), { ...style, header, width: stream.columns || 100, height: Math.min(stream.rows || 30, 40), now: Date.now() });
    stream.write(table + "\n");
    drawn = table.split("\n").length;
  };
  const timer = setInterval(() => draw(), 100);
  timer.unref();
  return {
    event(event) {
      if (!SCROLLBACK.has(event.type)) return;
      const line = formatEventLine(event, recorder.snapshot(), style);
      if (line !== void 0) queued.push(line);
    },
    line(text) {
      queued.push(text);
    },
    finish() {
      clearInterval(timer);
      draw(false);
      drawn = 0;
    }
  };
}

export {
  useColor,
  createProgress
};
