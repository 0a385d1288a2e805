import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  BadInputError,
  UnsafePathError,
  appendText,
  checkFolders,
  isPlainFile,
  listFolder,
  lstatIfExists,
  openForAppend,
  readBytesIfExists,
  readTextIfExists,
  removeFile,
  removeTree,
  writeFileAtomically
} from "./chunk-ZC7A2QGY.js";

// src/runner/pid-marker.ts
import fs from "node:fs";
function processStartId(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return void 0;
  }
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
function isAlive(marker) {
  try {
    process.kill(marker.pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  const now = processStartId(marker.pid);
  return now === void 0 || now === marker.startId;
}

// src/util/json-depth.ts
var MAX_JSON_DEPTH = 256;
var NESTS_TOO_DEEP = `nests more than ${MAX_JSON_DEPTH} levels deep, the most the runner reads; flatten it`;
function tooDeep(value, max = MAX_JSON_DEPTH) {
  const stack = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

// src/util/bounded-read.ts
import fs2 from "node:fs";

// src/util/bytes.ts
function formatBytes(bytes) {
  const units = ["KB", "MB", "GB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

// src/util/bounded-read.ts
var FileTooLargeError = class extends Error {
  constructor(file, bytes, limit) {
    super(`${file} is ${formatBytes(bytes)}, more than the ${formatBytes(limit)} allowed`);
    this.file = file;
    this.bytes = bytes;
    this.limit = limit;
    this.name = "FileTooLargeError";
  }
  file;
  bytes;
  limit;
};
var NotAFileError = class extends Error {
  constructor(file) {
    super(`${file} is not a regular file`);
    this.file = file;
    this.name = "NotAFileError";
  }
  file;
};
function readTextFileAtMost(file, maxBytes) {
  const fd = fs2.openSync(file, fs2.constants.O_RDONLY | fs2.constants.O_NONBLOCK);
  try {
    checkSize(file, fs2.fstatSync(fd), maxBytes);
    return fs2.readFileSync(fd, "utf8");
  } finally {
    fs2.closeSync(fd);
  }
}
function checkSize(file, stats, maxBytes) {
  if (!stats.isFile()) throw new NotAFileError(file);
  if (stats.size > maxBytes) throw new FileTooLargeError(file, stats.size, maxBytes);
}

// src/runner/input-files.ts
var MAX_SCRIPT_BYTES = 4 * 1024 * 1024;
var MAX_ARGS_FILE_BYTES = 4 * 1024 * 1024;
var MAX_CONFIG_BYTES = 1024 * 1024;
function readInputFile(file, shown, maxBytes, unreadable) {
  try {
    return readTextFileAtMost(file, maxBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new BadInputError(`${shown} is ${formatBytes(error.bytes)}, more than the ${formatBytes(maxBytes)} allowed`);
    throw new BadInputError(unreadable);
  }
}
function checkDepth(value, shown) {
  if (tooDeep(value)) throw new BadInputError(`${shown} ${NESTS_TOO_DEEP}`);
}

// src/util/duration.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function durationMs(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? "s"] : NaN;
  return ms > 0 ? Math.round(ms) : void 0;
}

// src/runner/state-dir.ts
import { randomBytes } from "node:crypto";
import fs3 from "node:fs";
import path2 from "node:path";

// src/runner/committed-state.ts
import { spawnSync } from "node:child_process";
import path from "node:path";
function committedFiles(root) {
  if (!lstatIfExists(root)?.isDirectory()) return [];
  const listed = spawnSync("git", ["ls-files", "-z", "--", "."], { cwd: root, encoding: "utf8", timeout: 2e4, stdio: ["ignore", "pipe", "ignore"] });
  if (listed.error || listed.status !== 0) return [];
  return listed.stdout.split("\0").filter(Boolean).map((file) => path.join(root, file));
}

// src/runner/state-dir.ts
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
  /**
   * Makes sure a run can keep its state here: the root, runs and journal folders are real
   * folders (created when missing) and the workflow's journal is a regular file (or absent).
   * A clear usage error otherwise, before any run starts, naming the path.
   */
  prepare(name) {
    this.refuseCommitted();
    for (const dir of [path2.join(this.root, "runs"), path2.join(this.root, "journal")]) {
      try {
        checkFolders(this.root, dir, { create: true });
        fs3.accessSync(dir, fs3.constants.W_OK);
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
    return `${stamp}-${randomBytes(2).toString("hex")}`;
  }
  /**
   * Run ids, newest first. A link (or pipe...) among the run folders is refused rather than
   * skipped: it is not something the runner made, and the error names it.
   */
  runIds() {
    const ids = [];
    for (const entry of listFolder(this.root, path2.join(this.root, "runs"))) {
      const at = path2.join(this.root, "runs", entry.name);
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
  MAX_JSON_DEPTH,
  NESTS_TOO_DEEP,
  tooDeep,
  formatBytes,
  MAX_SCRIPT_BYTES,
  MAX_ARGS_FILE_BYTES,
  MAX_CONFIG_BYTES,
  readInputFile,
  checkDepth,
  durationMs,
  isAlive,
  resolveStateDir,
  StateDir
};
