import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  BadInputError,
  NO_FOLLOW,
  UnsafePathError,
  checkFolders,
  checkTree,
  isPlainFile,
  lstatIfExists,
  openChecked,
  refusal,
  requirePlainFile
} from "./chunk-BBNUW6J6.js";

// src/util/proc-stat.ts
import fs from "node:fs";
function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return void 0;
  }
}

// src/runner/pid-marker.ts
function processStartId(pid) {
  return procStat(pid)?.[19];
}
function formatPidMarker(pid) {
  const marker = { pid, startId: processStartId(pid), startedAt: (/* @__PURE__ */ new Date()).toISOString() };
  return JSON.stringify(marker) + "\n";
}
function parsePidMarker(text) {
  if (text === void 0) return void 0;
  try {
    const marker = JSON.parse(text);
    return Number.isSafeInteger(marker.pid) && marker.pid > 1 && (marker.startId === void 0 || typeof marker.startId === "string") ? marker : void 0;
  } catch {
    return void 0;
  }
}
function processExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function isAlive(marker) {
  if (!processExists(marker.pid)) return false;
  const now = processStartId(marker.pid);
  return now === void 0 || now === marker.startId;
}

// src/core/settings.ts
var SETTINGS = {
  // ---- the script (the Action's input; the CLI's argument) ----
  script: {
    kind: "text",
    group: "action",
    help: "Path of the workflow script (relative to working-directory), e.g. .github/workflows/review.workflow.js.",
    docs: "path of the workflow script, relative to `working-directory`",
    input: "script",
    required: true
  },
  // ---- a run, in both shells ----
  args: {
    kind: "args",
    group: "run",
    help: "The script's `args`, as JSON (also @file.json with the CLI, and YAML in the Action).",
    default: {},
    flag: "args",
    value: "JSON|@file",
    input: "args"
  },
  agent: {
    kind: "text",
    group: "run",
    help: "Who answers agent calls: auto, mock, command, claude-code, codex, anthropic or openai. auto picks from the credentials in the environment; in the Action it fails when there are none (CI never silently runs mock answers).",
    docs: "`auto`, `mock`, `command`, `claude-code`, `codex`, `anthropic` or `openai`; in the Action `auto` fails without credentials ([auto](providers.md#auto))",
    default: "auto",
    flag: "agent",
    value: "NAME",
    input: "agent"
  },
  model: {
    kind: "text",
    group: "run",
    help: "Default model for calls that choose none (a call's model, agent type, tier and phase come first).",
    flag: "model",
    value: "M",
    input: "model"
  },
  command: {
    kind: "text",
    group: "run",
    help: "The program of the command agent (prompt on stdin, answer on stdout).",
    flag: "command",
    value: "CMD",
    input: "command"
  },
  config: {
    kind: "text",
    group: "run",
    help: "Path of a JSON file with tiers, agent types and provider settings (default dynamic-workflow.json in the working directory, when present).",
    docs: "tiers, agent types and provider settings; default `dynamic-workflow.json` when present ([config file](providers.md#the-config-file))",
    flag: "config",
    value: "FILE",
    input: "config"
  },
  concurrency: { kind: "count", group: "run", help: "Live agent calls at once.", default: 4, min: 1, flag: "concurrency", value: "N", input: "concurrency" },
  maxAgents: {
    kind: "count",
    group: "run",
    help: "Fail the run past this many agent calls.",
    docs: "the run fails past this many agent calls (`this run reached its limit of 1000 agent calls (max-agents); ...`)",
    default: 1e3,
    min: 1,
    flag: "max-agents",
    value: "N",
    input: "max-agents"
  },
  agentTimeoutMs: { kind: "duration", group: "run", help: "Wall-clock limit per agent attempt, e.g. 10m.", flag: "agent-timeout", value: "DUR", input: "agent-timeout" },
  idleTimeoutMs: { kind: "duration", group: "run", help: "Stop an agent that produces no output for this long, e.g. 5m.", flag: "idle-timeout", value: "DUR", input: "idle-timeout" },
  agentRetries: {
    kind: "count",
    group: "run",
    help: "Retries after a transient provider error (rate limit, 5xx, timeout).",
    docs: "retries after a transient provider error ([retries and timeouts](providers.md#retries-and-timeouts))",
    default: 2,
    min: 0,
    flag: "agent-retries",
    value: "N",
    input: "agent-retries"
  },
  tokenBudget: {
    kind: "count",
    group: "run",
    help: "No new live call once this many tokens are spent; the run then fails saying spent vs limit.",
    docs: "no new live call once this many tokens are spent (`token budget exhausted: spent 45 of 5 tokens; no new agent calls were started`); calls in flight finish",
    min: 1,
    flag: "token-budget",
    value: "N",
    input: "token-budget"
  },
  costBudgetUsd: {
    kind: "usd",
    group: "run",
    help: "No new live call once this many US dollars are spent.",
    docs: "no new live call once this many US dollars are spent; calls in flight finish",
    flag: "cost-budget",
    value: "USD",
    input: "cost-budget"
  },
  scriptCpuMs: {
    kind: "duration",
    group: "run",
    help: "Synchronous script time allowed in all, waiting for agents excluded; past it the run fails with CPU_LIMIT.",
    docs: "synchronous script time allowed, waiting for agents excluded ([limits](script-api.md#cpu-and-memory-limits))",
    default: 3e4,
    flag: "script-cpu-limit",
    value: "DUR"
  },
  scriptMemoryMb: {
    kind: "count",
    group: "run",
    help: "Memory of the script sandbox, in MB; past it the run fails with MEMORY_LIMIT.",
    docs: "memory of the script sandbox in MB ([limits](script-api.md#cpu-and-memory-limits))",
    default: 256,
    min: 16,
    flag: "script-memory-limit",
    value: "MB"
  },
  replay: {
    kind: "switch",
    group: "run",
    help: "Run every call live (answers are still journaled).",
    default: true,
    negatedFlag: "no-replay"
  },
  // ---- every CLI command ----
  stateDir: {
    kind: "text",
    group: "state",
    help: "Where journals and runs live.",
    docs: "where journals and runs live",
    default: ".dynamic-workflow",
    flag: "state-dir",
    value: "DIR",
    env: "DWF_STATE_DIR"
  },
  // ---- the Action only ----
  cache: { kind: "switch", group: "action", help: "Keep the journal in the Actions cache (true or false).", default: true, input: "cache" },
  cacheKey: {
    kind: "text",
    group: "action",
    help: "Extra part of the cache keys, to keep matrix jobs running the same script apart (for example the matrix name).",
    docs: "extra part of the cache slot, to keep [matrix jobs](action.md#matrix-jobs) apart",
    input: "cache-key"
  },
  checkpointIntervalMs: {
    kind: "seconds",
    group: "action",
    help: "Seconds between journal checkpoints to the cache while the run goes on (also at each phase end).",
    default: 3e4,
    min: 1,
    input: "checkpoint-interval"
  },
  artifact: {
    kind: "switch",
    group: "action",
    help: "Upload the run state (journal, snapshot, result, script, log) as an artifact; it survives cache eviction.",
    default: true,
    input: "artifact"
  },
  comment: {
    kind: "choice",
    group: "action",
    help: "The PR status comment: auto (on pull_request, pull_request_target and issue_comment events, or with pr-number), always (also on other events: the open PR of the pushed commit, with a notice when there is none), or never.",
    docs: "the PR status comment: `auto`, `always` or `never` ([PR comment](action.md#the-pr-status-comment))",
    default: "auto",
    choices: ["auto", "always", "never"],
    input: "comment"
  },
  review: {
    kind: "choice",
    group: "action",
    help: "Posts the review the script declared (review.comment, review.summary) on the pull request, once across re-runs and pushes: auto (when there is a pull request) or never. Needs pull-requests: write; a token without it gets a notice.",
    docs: "the review the script declared: `auto` or `never` ([effects](action.md#effects-reviews-and-labels))",
    default: "auto",
    choices: ["auto", "never"],
    input: "review"
  },
  changes: {
    kind: "choice",
    group: "action",
    help: "Delivers the run's file changes, once across re-runs: none, commit (on the pull request's head branch, same repository; check out the head), pull-request (a branch dynamic-workflow/<name> and one pull request, opened or updated), or artifact (the patch only). commit and pull-request need contents: write (and pull-requests: write).",
    docs: "the run's file changes: `none`, `commit`, `pull-request` or `artifact` ([effects](action.md#effects-reviews-and-labels))",
    default: "none",
    choices: ["none", "commit", "pull-request", "artifact"],
    input: "changes"
  },
  commentIntervalMs: {
    kind: "seconds",
    group: "action",
    help: "Least seconds between live edits of the PR comment while the run goes on (the final state is always written).",
    default: 1e4,
    min: 1,
    input: "comment-interval"
  },
  prNumber: { kind: "count", group: "action", help: "The pull request to comment on, for events that carry none (workflow_dispatch).", min: 1, input: "pr-number" },
  githubToken: {
    kind: "text",
    group: "action",
    help: "Token for the PR status comment (and for finding the pull request of a pushed commit with comment: always).",
    actionDefault: "${{ github.token }}",
    input: "github-token"
  },
  workingDirectory: {
    kind: "text",
    group: "action",
    help: "Where the script runs and readFile() reads.",
    default: ".",
    input: "working-directory"
  }
};
function settingsOf(group) {
  return Object.keys(SETTINGS).filter((key) => SETTINGS[key].group === group);
}

// src/runner/state-dir.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import fs4 from "node:fs";
import path3 from "node:path";

// src/util/no-follow-read.ts
import fs2 from "node:fs";
var { O_RDONLY } = fs2.constants;
function readBytesIfExists(root, file, offset = 0) {
  if (!isPlainFile(root, file)) return void 0;
  let fd;
  try {
    fd = openChecked(file, O_RDONLY);
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
  try {
    const size = fs2.fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    let read = 0;
    while (read < buffer.length) {
      const n = fs2.readSync(fd, buffer, read, buffer.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    fs2.closeSync(fd);
  }
}
function readTextIfExists(root, file) {
  return readBytesIfExists(root, file)?.toString("utf8");
}
function listFolder(root, dir) {
  if (!checkFolders(root, dir)) return [];
  return fs2.readdirSync(dir, { withFileTypes: true });
}

// src/util/no-follow-write.ts
import { randomBytes } from "node:crypto";
import fs3, { promises as fsp } from "node:fs";
import path from "node:path";
var { O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND } = fs3.constants;
function appendFlags(read) {
  return (read ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
}
function openForAppend(root, file) {
  checkFolders(root, path.dirname(file), { create: true });
  const stats = lstatIfExists(file);
  if (stats) requirePlainFile(file, stats);
  return openChecked(file, appendFlags(false));
}
async function openHandleForAppend(root, file) {
  checkFolders(root, path.dirname(file), { create: true });
  const stats = lstatIfExists(file);
  if (stats) requirePlainFile(file, stats);
  let handle;
  try {
    handle = await fsp.open(file, appendFlags(true) | NO_FOLLOW, 420);
  } catch (error) {
    throw refusal(error, file);
  }
  try {
    requirePlainFile(file, await handle.stat());
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
function appendText(root, file, text) {
  const fd = openForAppend(root, file);
  try {
    writeAll(fd, Buffer.from(text, "utf8"));
  } finally {
    fs3.closeSync(fd);
  }
}
function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) offset += fs3.writeSync(fd, bytes, offset);
}
function writeFileAtomically(root, file, content, options = {}) {
  const dir = path.dirname(file);
  checkFolders(root, dir, { create: true });
  const checkTarget = () => {
    const stats = lstatIfExists(file);
    if (stats) requirePlainFile(file, stats);
  };
  checkTarget();
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString("hex")}.tmp`);
  const fd = openChecked(temporary, O_WRONLY | O_CREAT | O_EXCL);
  try {
    try {
      writeAll(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
      if (options.durable) fs3.fsyncSync(fd);
    } finally {
      fs3.closeSync(fd);
    }
    checkFolders(root, dir);
    checkTarget();
    fs3.renameSync(temporary, file);
  } catch (error) {
    fs3.rmSync(temporary, { force: true });
    throw error;
  }
}
function removeFile(root, file) {
  if (!checkFolders(root, path.dirname(file))) return;
  try {
    fs3.unlinkSync(file);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
}
function removeTree(root, dir) {
  checkTree(root, dir);
  fs3.rmSync(dir, { recursive: true, force: true });
}

// src/runner/committed-state.ts
import { spawnSync } from "node:child_process";
import path2 from "node:path";
function committedFiles(root) {
  if (!lstatIfExists(root)?.isDirectory()) return [];
  const listed = spawnSync("git", ["ls-files", "-z", "--", "."], { cwd: root, encoding: "utf8", timeout: 2e4, stdio: ["ignore", "pipe", "ignore"] });
  if (listed.error || listed.status !== 0) return [];
  return listed.stdout.split("\0").filter(Boolean).map((file) => path2.join(root, file));
}

// src/runner/state-dir.ts
function resolveStateDir(flag, env, cwd) {
  return path3.resolve(cwd, flag ?? env[SETTINGS.stateDir.env] ?? SETTINGS.stateDir.default);
}
var StateDir = class {
  constructor(root) {
    this.root = root;
  }
  root;
  journalFile(name) {
    return path3.join(this.root, "journal", `${name}.jsonl`);
  }
  runDir(runId) {
    return path3.join(this.root, "runs", runId);
  }
  runFile(runId, file) {
    return path3.join(this.runDir(runId), file);
  }
  /**
   * Makes sure a run can keep its state here: the root, runs and journal folders are real
   * folders (created when missing) and the workflow's journal is a regular file (or absent).
   * A clear usage error otherwise, before any run starts, naming the path.
   */
  prepare(name) {
    this.refuseCommitted();
    for (const dir of [path3.join(this.root, "runs"), path3.join(this.root, "journal")]) {
      try {
        checkFolders(this.root, dir, { create: true });
        fs4.accessSync(dir, fs4.constants.W_OK);
      } catch (error) {
        if (error instanceof UnsafePathError && error.kind !== "file") throw new BadInputError(error.message);
        throw new BadInputError(`cannot keep run state in ${dir}: ${reason(error)} (set --state-dir or DWF_STATE_DIR to a writable folder)`);
      }
    }
    const journal = this.journalFile(name);
    if (lstatIfExists(journal)?.isDirectory()) throw new BadInputError(`the journal ${journal} is not a file; move it away and run again`);
    try {
      isPlainFile(this.root, journal);
    } catch (error) {
      if (error instanceof UnsafePathError) throw new BadInputError(error.message);
      throw error;
    }
  }
  /**
   * The runner trusts only state it wrote itself: a state folder holding files committed to
   * the repository (a journal of someone else's answers, a run whose invocation names a
   * program, a pid marker naming any process) is refused before it is used.
   */
  refuseCommitted() {
    const committed = committedFiles(this.root);
    if (committed.length === 0) return;
    throw new BadInputError(
      `${committed[0]}${committed.length > 1 ? ` and ${committed.length - 1} more file${committed.length > 2 ? "s" : ""}` : ""} of the state folder ${committed.length > 1 ? "are" : "is"} committed to the repository; the runner uses only state it wrote itself (a committed journal would replay answers someone else chose): remove them from the repository (git rm -r --cached ${this.root}) and ignore the folder, or set --state-dir`
    );
  }
  /** A new, time-sortable run id: 20261123-120455-a3f9. */
  newRunId(now = /* @__PURE__ */ new Date()) {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    return `${stamp}-${randomBytes2(2).toString("hex")}`;
  }
  /**
   * Run ids, newest first. A link (or pipe...) among the run folders is refused rather than
   * skipped: it is not something the runner made, and the error names it.
   */
  runIds() {
    const ids = [];
    for (const entry of listFolder(this.root, path3.join(this.root, "runs"))) {
      const at = path3.join(this.root, "runs", entry.name);
      if (entry.isDirectory()) ids.push(entry.name);
      else if (!entry.isFile()) checkFolders(this.root, at);
    }
    return ids.sort().reverse();
  }
  /** Creates the folder of a run (and the folders above it, checked). */
  createRunDir(runId) {
    checkFolders(this.root, this.runDir(runId), { create: true });
  }
  /** Whether the run's folder exists (a real folder; a link there is refused). */
  hasRun(runId) {
    return checkFolders(this.root, this.runDir(runId));
  }
  hasRunFile(runId, file) {
    return isPlainFile(this.root, this.runFile(runId, file));
  }
  readRunText(runId, file) {
    return readTextIfExists(this.root, this.runFile(runId, file));
  }
  /** The bytes of a run file from `offset` on (for `logs -f`); undefined when it is missing. */
  readRunBytes(runId, file, offset) {
    return readBytesIfExists(this.root, this.runFile(runId, file), offset);
  }
  readJson(runId, file) {
    const text = this.readRunText(runId, file);
    if (text === void 0) return void 0;
    try {
      return JSON.parse(text);
    } catch {
      return void 0;
    }
  }
  /** Replaces a run file at once (readers never see half of it). */
  writeRunFile(runId, file, text) {
    writeFileAtomically(this.root, this.runFile(runId, file), text);
  }
  appendRunFile(runId, file, text) {
    appendText(this.root, this.runFile(runId, file), text);
  }
  /** A descriptor open for appending to a run file (a background worker's output). */
  openRunFileForAppend(runId, file) {
    return openForAppend(this.root, this.runFile(runId, file));
  }
  writePidMarker(runId, pid) {
    this.writeRunFile(runId, "pid", formatPidMarker(pid));
  }
  removePidMarker(runId) {
    removeFile(this.root, this.runFile(runId, "pid"));
  }
  /** Removes a run's folder; refused, before anything is removed, when it holds a link or anything odd. */
  removeRun(runId) {
    removeTree(this.root, this.runDir(runId));
  }
  info(runId) {
    const snapshot = this.readJson(runId, "run.json");
    const marker = parsePidMarker(this.readRunText(runId, "pid"));
    const alive = marker !== void 0 && isAlive(marker);
    const status = snapshot?.status ?? "running";
    return { runId, snapshot, invocation: this.readJson(runId, "invocation.json"), marker, alive, shown: status === "running" && !alive ? "interrupted" : status };
  }
  /** The run, or a usage error that says how to find run ids. */
  require(runId) {
    if (!runId) throw new BadInputError("give a run id; `dwf list` shows them");
    if (!/^[\w.-]+$/.test(runId) || runId === "." || runId === ".." || !this.hasRun(runId)) throw new BadInputError(`no run '${runId}' in ${this.root}; \`dwf list\` shows the runs`);
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
function reason(error) {
  const code = error.code;
  if (error instanceof UnsafePathError || code === "ENOTDIR" || code === "EEXIST") return "a file is in the way";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "no permission to write there";
  return error.message;
}

export {
  SETTINGS,
  settingsOf,
  openHandleForAppend,
  appendText,
  writeFileAtomically,
  removeFile,
  readTextIfExists,
  procStat,
  processExists,
  isAlive,
  resolveStateDir,
  StateDir
};
