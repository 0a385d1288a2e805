import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineCommand,
  flagHelp,
  jsonFlag
} from "./chunk-5VXOP6UG.js";
import {
  EXIT
} from "./chunk-BDBW6SVH.js";
import {
  parseSetting,
  renderJson
} from "./chunk-JQT7X7FP.js";
import {
  executeRun
} from "./chunk-PNUYT6IQ.js";
import {
  createRunDir,
  prepareRun
} from "./chunk-UPNGW7ZP.js";
import {
  useColor
} from "./chunk-FAQWL2FP.js";
import {
  formatChanges,
  formatEffects,
  formatError,
  formatTotals
} from "./chunk-23ZJXTE6.js";
import {
  formatDuration,
  plural
} from "./chunk-YP3UWPI3.js";
import {
  SETTINGS,
  settingsOf
} from "./chunk-JA3FFBR6.js";
import {
  neutraliseCommands,
  safeJsonLine,
  safeLine,
  safeText
} from "./chunk-CGEEEPWU.js";

// src/cli/commands/run.ts
import { spawn } from "node:child_process";
import fs from "node:fs";
import path2 from "node:path";

// src/cli/run-flags.ts
function settingFlags() {
  const out = {};
  for (const key of settingsOf("run")) {
    const spec = SETTINGS[key];
    if (spec.flag) out[spec.flag] = { type: "string", value: spec.value, help: flagHelp(spec) };
    if (spec.negatedFlag) out[spec.negatedFlag] = { type: "boolean", help: spec.help };
  }
  return out;
}
var RUN_FLAGS = {
  ...settingFlags(),
  background: { type: "boolean", help: "Start a detached worker and return at once; dwf status, dwf logs -f and dwf stop follow it." },
  json: jsonFlag("Print one JSON object with the outcome on stdout, on one line (the exact result; `##[` and control characters inside strings as \\u escapes).")
};
function runFlags(flags, cwd, base = { replay: true }) {
  const given = {};
  for (const key of settingsOf("run")) {
    const spec = SETTINGS[key];
    if (key === "args") continue;
    const raw = spec.flag === void 0 ? void 0 : flags[spec.flag];
    if (typeof raw === "string") given[key] = parseSetting(key, raw, { from: "flag", cwd });
    if (spec.negatedFlag && flags[spec.negatedFlag]) given[key] = false;
  }
  return { ...base, ...given };
}
function argsFlag(flags, cwd) {
  const raw = flags[SETTINGS.args.flag];
  return typeof raw === "string" ? parseSetting("args", raw, { from: "flag", cwd }) : void 0;
}

// src/cli/run-end.ts
import path from "node:path";
function reportRunEnd(prepared, run2, io, json) {
  const { snapshot, outcome } = run2;
  const style = { color: useColor(io.stderr, io.env) };
  const took = formatDuration((snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt);
  const lines = [];
  const journalFile = path.relative(io.cwd, prepared.state.journalFile(snapshot.name)) || prepared.state.journalFile(snapshot.name);
  const name = safeLine(snapshot.name);
  if (outcome.status === "succeeded") lines.push(`\u2713 ${name} succeeded in ${took}`);
  else if (outcome.status === "stopped") lines.push(`\u25A0 ${name} stopped after ${took}`);
  else lines.push(`\u2717 ${name} failed after ${took}`, `  error: ${safeText(formatError(snapshot, outcome.error))}`);
  lines.push(`  ${formatTotals(snapshot, style)}`);
  const changes = formatChanges(snapshot);
  if (changes) lines.push(`  ${changes} \xB7 dwf diff ${snapshot.runId}`);
  const effects = formatEffects(snapshot);
  if (effects) lines.push(`  ${effects} (dwf only shows it: see dwf status ${snapshot.runId})`);
  if (outcome.status !== "succeeded") {
    const done = snapshot.totals.agents.live + snapshot.totals.agents.replayed;
    lines.push(
      `  ${plural(done, "completed call")} ${done === 1 ? "is" : "are"} in the journal (${journalFile}). ${outcome.status === "stopped" ? "Continue" : "Fix the cause and continue"} with \`dwf resume ${snapshot.runId}\` or by running the same command again: they replay for free.`
    );
  }
  lines.push(`  run ${snapshot.runId} \xB7 dwf status ${snapshot.runId}`);
  io.stderr.write(neutraliseCommands(lines.join("\n")) + "\n");
  if (json) io.stdout.write(safeJsonLine(renderJson(snapshot, outcome)) + "\n");
  else if (outcome.status === "succeeded" && outcome.result !== null && outcome.result !== void 0)
    io.stdout.write(safeText(typeof outcome.result === "string" ? outcome.result : JSON.stringify(outcome.result, null, 2)) + "\n");
  return outcome.status === "succeeded" ? EXIT.ok : outcome.status === "stopped" ? EXIT.stopped : EXIT.failed;
}

// src/cli/commands/run.ts
var RUN = { name: "run", argument: "<script>", summary: "Runs a workflow script. Completed agent calls are journaled; running it again replays them.", flags: RUN_FLAGS, positionals: { min: 1, max: 1 } };
var run = defineCommand(RUN, async (command, io) => {
  const { flags, state } = command;
  const scriptArg = command.positionals[0];
  const prepared = prepareRun(
    state,
    { script: path2.resolve(io.cwd, scriptArg), scriptDisplay: scriptArg, cwd: io.cwd, args: argsFlag(flags, io.cwd) ?? {}, flags: runFlags(flags, io.cwd) },
    io.env
  );
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json));
  const executed = await executeRun(prepared, io);
  return reportRunEnd(prepared, executed, io, Boolean(flags.json));
});
function startInBackground(prepared, io, json) {
  const { state, runId } = prepared;
  createRunDir(prepared);
  const log = state.openRunFileForAppend(runId, "worker.log");
  const child = spawn(process.execPath, [process.argv[1], "__worker", runId, "--state-dir", state.root], {
    cwd: prepared.invocation.cwd,
    env: io.env,
    detached: true,
    stdio: ["ignore", log, log]
  });
  fs.closeSync(log);
  state.writePidMarker(runId, child.pid);
  child.unref();
  if (json) io.stdout.write(safeJsonLine({ runId, name: prepared.script.meta.name, status: "running", pid: child.pid }) + "\n");
  else
    io.stderr.write(
      [
        `started ${prepared.script.meta.name} run ${runId} in the background (pid ${child.pid})`,
        `  dwf status ${runId}     progress`,
        `  dwf logs -f ${runId}    follow the log`,
        `  dwf stop ${runId}       stop it (completed calls stay journaled)`
      ].join("\n") + "\n"
    );
  if (prepared.selection.notice && !json) io.stderr.write(prepared.selection.notice + "\n");
  return 0;
}

export {
  RUN_FLAGS,
  runFlags,
  argsFlag,
  reportRunEnd,
  run,
  startInBackground
};
