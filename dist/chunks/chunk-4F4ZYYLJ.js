import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  jsonFlag,
  parseArgsFlag,
  parseDuration,
  parseInteger,
  parsePositive,
  startCommand
} from "./chunk-WGFXJWAN.js";
import {
  EXIT,
  UsageError
} from "./chunk-BDBW6SVH.js";
import {
  renderJson
} from "./chunk-BND4T4TG.js";
import {
  executeRun
} from "./chunk-6EF3OJ4G.js";
import {
  createRunDir,
  prepareRun
} from "./chunk-XY3OBEKQ.js";
import {
  useColor
} from "./chunk-RIN322UK.js";
import {
  formatError,
  formatTotals
} from "./chunk-5UYTAWXJ.js";
import {
  formatDuration,
  plural
} from "./chunk-DHKLBK3E.js";
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
var RUN_FLAGS = {
  args: { type: "string", value: "JSON|@file", help: "the script's `args` (inline JSON, or @file.json)" },
  agent: { type: "string", value: "NAME", help: "auto (default), mock, command, claude-code, codex, anthropic, openai" },
  command: { type: "string", value: "CMD", help: "the program of the command agent (prompt on stdin, answer on stdout)" },
  config: { type: "string", value: "FILE", help: "tiers, agent types and provider settings (default dynamic-workflow.json)" },
  model: { type: "string", value: "M", help: "default model for calls that do not choose one" },
  concurrency: { type: "string", value: "N", help: "live agent calls at once (default 4)" },
  "max-agents": { type: "string", value: "N", help: "stop the run past this many agent calls (default 1000)" },
  "agent-timeout": { type: "string", value: "DUR", help: "wall-clock limit per agent attempt, e.g. 10m (default none)" },
  "idle-timeout": { type: "string", value: "DUR", help: "stop an agent that produces no output for this long (default none)" },
  "agent-retries": { type: "string", value: "N", help: "retries after a transient provider error (default 2)" },
  "token-budget": { type: "string", value: "N", help: "no new live call once this many tokens are spent" },
  "cost-budget": { type: "string", value: "USD", help: "no new live call once this many dollars are spent" },
  "script-cpu-limit": { type: "string", value: "DUR", help: "synchronous script time allowed, waits excluded (default 30s)" },
  "script-memory-limit": { type: "string", value: "MB", help: "script memory limit (default 256)" },
  "no-replay": { type: "boolean", help: "run every call live (results are still journaled)" },
  background: { type: "boolean", help: "start a detached worker and return at once" },
  json: jsonFlag("print one JSON object with the outcome on stdout")
};
var RUN = {
  name: "run",
  synopsis: "dwf run <script> [options]",
  summary: "Runs a workflow script. Completed agent calls are journaled; running it again replays them.",
  flags: RUN_FLAGS,
  positionals: { min: 1, max: 1 }
};
async function run(argv, io) {
  const command = startCommand(RUN, argv, io);
  if (!command) return 0;
  const { flags, state } = command;
  const scriptArg = command.positionals[0];
  const prepared = prepareRun(
    state,
    { script: path2.resolve(io.cwd, scriptArg), scriptDisplay: scriptArg, cwd: io.cwd, args: parseArgsFlag(flags.args, io.cwd), flags: runFlags(flags) },
    io.env
  );
  if (flags.background) return startInBackground(prepared, io, Boolean(flags.json));
  const executed = await executeRun(prepared, io);
  return reportRunEnd(prepared, executed, io, Boolean(flags.json));
}
function runFlags(flags, base = { replay: true }) {
  const str = (name) => flags[name];
  for (const name of ["agent", "command", "config", "model"])
    if (str(name) !== void 0 && str(name).trim() === "") throw new UsageError(`option --${name} needs a non-empty value; see dwf run --help`);
  const given = {
    agent: str("agent"),
    command: str("command"),
    config: str("config"),
    model: str("model"),
    concurrency: parseInteger("concurrency", str("concurrency"), 1),
    maxAgents: parseInteger("max-agents", str("max-agents"), 1),
    agentTimeoutMs: parseDuration("agent-timeout", str("agent-timeout")),
    idleTimeoutMs: parseDuration("idle-timeout", str("idle-timeout")),
    agentRetries: parseInteger("agent-retries", str("agent-retries"), 0),
    tokenBudget: parseInteger("token-budget", str("token-budget"), 1),
    costBudgetUsd: parsePositive("cost-budget", str("cost-budget")),
    scriptCpuMs: parseDuration("script-cpu-limit", str("script-cpu-limit")),
    scriptMemoryMb: parseInteger("script-memory-limit", str("script-memory-limit"), 16),
    replay: flags["no-replay"] ? false : void 0
  };
  return { ...base, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== void 0)) };
}
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
  reportRunEnd,
  RUN_FLAGS,
  run,
  runFlags,
  startInBackground
};
