import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import {
  closest
} from "./chunk-V2WJFOLT.js";

// src/cli/pid-marker.ts
import fs from "node:fs";
function processStartId(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return void 0;
  }
}
function writePidMarker(file, pid) {
  const marker = { pid, startId: processStartId(pid), startedAt: (/* @__PURE__ */ new Date()).toISOString() };
  fs.writeFileSync(file, JSON.stringify(marker) + "\n");
}
function readPidMarker(file) {
  try {
    const marker = JSON.parse(fs.readFileSync(file, "utf8"));
    return Number.isInteger(marker.pid) ? marker : void 0;
  } catch {
    return void 0;
  }
}
function removePidMarker(file) {
  fs.rmSync(file, { force: true });
}
function isAlive(marker) {
  try {
    process.kill(marker.pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  const now = processStartId(marker.pid);
  return marker.startId === void 0 || now === void 0 || now === marker.startId;
}

// src/cli/flags.ts
import fs2 from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

// src/util/duration.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function durationMs(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? "s"] : NaN;
  return ms > 0 ? Math.round(ms) : void 0;
}

// src/cli/flags.ts
function parseFlags(command, argv, specs, positionals) {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...spec.short ? { short: spec.short } : {} }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(rewordParseError(command, error, Object.keys(specs)));
  }
  const given = parsed.positionals;
  if (parsed.values.help) return { flags: parsed.values, positionals: given };
  if (given.length < positionals.min) throw new UsageError(`\`dwf ${command}\` needs ${positionals.min === 1 ? "an argument" : `${positionals.min} arguments`}; see dwf ${command} --help`);
  if (given.length > positionals.max) throw new UsageError(`unexpected argument '${given[positionals.max]}' for \`dwf ${command}\`; see dwf ${command} --help`);
  return { flags: parsed.values, positionals: given };
}
function rewordParseError(command, error, names) {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const near = closest(option.replace(/^-+/, ""), names);
    return `unknown option ${option} for \`dwf ${command}\`${near ? ` (did you mean --${near}?)` : ""}; see dwf ${command} --help`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) return `option ${option} needs a value; see dwf ${command} --help`;
  return `${error.message} (see dwf ${command} --help)`;
}
function usage(synopsis, summary, specs) {
  const rows = Object.entries(specs).map(([name, spec]) => [`${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? " " + spec.value : ""}`, spec.help]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`usage: ${synopsis}`, "", summary, "", "options:", ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`)].join("\n");
}
function parseInteger(flag, value, min) {
  if (value === void 0) return void 0;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number from ${min} up, got '${value}'`);
  return n;
}
function parsePositive(flag, value) {
  if (value === void 0) return void 0;
  const n = Number(value.replace(/^\$/, ""));
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number, got '${value}'`);
  return n;
}
function parseDuration(flag, value) {
  if (value === void 0) return void 0;
  const ms = durationMs(value);
  if (ms === void 0) throw new UsageError(`--${flag} must be a duration like 90s, 5m or 1500ms, got '${value}'`);
  return ms;
}
function parseArgsFlag(value, cwd) {
  if (value === void 0) return {};
  let text = value;
  let where = "--args";
  if (value.startsWith("@")) {
    const file = path.resolve(cwd, value.slice(1));
    where = `--args file ${value.slice(1)}`;
    try {
      text = fs2.readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`${where} was not found`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${error.message}`);
  }
}

// src/cli/state-dir.ts
import { randomBytes } from "node:crypto";
import fs3 from "node:fs";
import path2 from "node:path";
var DEFAULT_STATE_DIR = ".dynamic-workflow";
function resolveStateDir(flag, env, cwd) {
  return path2.resolve(cwd, flag ?? env.DWF_STATE_DIR ?? DEFAULT_STATE_DIR);
}
var StateDir = class {
  constructor(root) {
    this.root = root;
  }
  root;
  journalFile(name) {
    return path2.join(this.root, "journal", `${name}.jsonl`);
  }
  runDir(runId) {
    return path2.join(this.root, "runs", runId);
  }
  runFile(runId, file) {
    return path2.join(this.runDir(runId), file);
  }
  /** A new, time-sortable run id: 20261123-120455-a3f9. */
  newRunId(now = /* @__PURE__ */ new Date()) {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    return `${stamp}-${randomBytes(2).toString("hex")}`;
  }
  /** Run ids, newest first. */
  runIds() {
    try {
      return fs3.readdirSync(path2.join(this.root, "runs"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().reverse();
    } catch {
      return [];
    }
  }
  readJson(runId, file) {
    try {
      return JSON.parse(fs3.readFileSync(this.runFile(runId, file), "utf8"));
    } catch {
      return void 0;
    }
  }
  info(runId) {
    const snapshot = this.readJson(runId, "run.json");
    const marker = readPidMarker(this.runFile(runId, "pid"));
    const alive = marker !== void 0 && isAlive(marker);
    const status = snapshot?.status ?? "running";
    return { runId, snapshot, invocation: this.readJson(runId, "invocation.json"), marker, alive, shown: status === "running" && !alive ? "interrupted" : status };
  }
  /** The run, or a usage error that says how to find run ids. */
  require(runId) {
    if (!runId) throw new UsageError("give a run id; `dwf list` shows them");
    if (!/^[\w.-]+$/.test(runId) || !fs3.existsSync(this.runDir(runId))) throw new UsageError(`no run '${runId}' in ${this.root}; \`dwf list\` shows the runs`);
    return this.info(runId);
  }
  /** Live runs of a workflow other than `runId` (they share its journal). */
  otherLiveRuns(name, runId) {
    return this.runIds().filter((id) => {
      if (id === runId) return false;
      const info = this.info(id);
      return info.alive && (info.snapshot?.name ?? info.invocation?.name) === name;
    });
  }
};

// src/cli/command.ts
var STATE_DIR_FLAG = { type: "string", value: "DIR", help: "state directory (default .dynamic-workflow, or DWF_STATE_DIR)" };
var HELP_FLAG = { type: "boolean", short: "h", help: "show this help" };
var jsonFlag = (help) => ({ type: "boolean", help });
function commandFlags(spec) {
  return { ...spec.flags, "state-dir": STATE_DIR_FLAG, help: HELP_FLAG };
}
function commandUsage(spec) {
  return usage(spec.synopsis, spec.summary, commandFlags(spec));
}
function startCommand(spec, argv, io) {
  const { flags, positionals } = parseFlags(spec.name, argv, commandFlags(spec), spec.positionals);
  if (flags.help) {
    io.stdout.write(commandUsage(spec) + "\n");
    return void 0;
  }
  return { flags, positionals, state: new StateDir(resolveStateDir(flags["state-dir"], io.env, io.cwd)) };
}

export {
  writePidMarker,
  removePidMarker,
  isAlive,
  parseInteger,
  parsePositive,
  parseDuration,
  parseArgsFlag,
  jsonFlag,
  startCommand
};
