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

// src/cli/commands/stop.ts
var FLAGS = {
  "state-dir": { type: "string", value: "DIR", help: "state directory (default .dynamic-workflow, or DWF_STATE_DIR)" },
  timeout: { type: "string", value: "SECONDS", help: "how long to wait for a clean stop before killing (default 20)" },
  help: { type: "boolean", short: "h", help: "show this help" }
};
async function stop(argv, io) {
  const { flags, positionals } = parseFlags("stop", argv, FLAGS, { min: 1, max: 1 });
  if (flags.help) return help(io, usage("dwf stop <runId> [options]", "Stops a running run cleanly; its completed calls stay journaled.", FLAGS));
  const state = new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd));
  const info = state.require(positionals[0]);
  if (!info.alive || !info.marker) {
    io.stderr.write(`run ${info.runId} is not running (${info.shown})
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
  io.stderr.write(`stopped run ${info.runId} (${after.shown}); ${done} completed call${done === 1 ? "" : "s"} journaled \xB7 dwf resume ${info.runId} continues it
`);
  return 0;
}
export {
  stop
};
