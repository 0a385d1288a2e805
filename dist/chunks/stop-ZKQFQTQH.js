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
  safeLine
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/stop.ts
var STOP = { name: "stop", summary: "Stops a running run cleanly; its completed calls stay journaled.", flags: { timeout: { type: "string", value: "SECONDS", help: "how long to wait for a clean stop before killing (default 20)" } } };
var stop = defineRunCommand(STOP, async (info, { flags, state }, io) => {
  if (!info.alive || !info.marker) {
    io.stderr.write(`run ${info.runId} is not running (${safeLine(info.shown)})
`);
    return 0;
  }
  const marker = info.marker;
  process.kill(marker.pid, "SIGTERM");
  const waitMs = Number(flags.timeout ?? 20) * 1e3;
  const deadline = Date.now() + (Number.isFinite(waitMs) ? waitMs : 2e4);
  while (Date.now() < deadline && isAlive(marker)) await sleep(100);
  if (isAlive(marker)) {
    process.kill(marker.pid, "SIGKILL");
    io.stderr.write(`run ${info.runId} did not stop within ${Math.round(waitMs / 1e3)}s and was killed; its completed calls are journaled
`);
    return 0;
  }
  const after = state.info(info.runId);
  const done = after.snapshot ? after.snapshot.totals.agents.live + after.snapshot.totals.agents.replayed : 0;
  io.stderr.write(`stopped run ${info.runId} (${safeLine(after.shown)}); ${done} completed call${done === 1 ? "" : "s"} journaled \xB7 dwf resume ${info.runId} continues it
`);
  return 0;
}, { ownStateOnly: true });
export {
  stop
};
