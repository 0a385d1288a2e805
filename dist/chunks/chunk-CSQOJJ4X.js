import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-BDBW6SVH.js";

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

// src/util/duration.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function durationMs(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? "s"] : NaN;
  return ms > 0 ? Math.round(ms) : void 0;
}

// src/cli/state-dir.ts
import { randomBytes } from "node:crypto";
import fs2 from "node:fs";
import path from "node:path";
var DEFAULT_STATE_DIR = ".dynamic-workflow";
function resolveStateDir(flag, env, cwd) {
  return path.resolve(cwd, flag ?? env.DWF_STATE_DIR ?? DEFAULT_STATE_DIR);
}
var StateDir = class {
  constructor(root) {
    this.root = root;
  }
  root;
  journalFile(name) {
    return path.join(this.root, "journal", `${name}.jsonl`);
  }
  runDir(runId) {
    return path.join(this.root, "runs", runId);
  }
  runFile(runId, file) {
    return path.join(this.runDir(runId), file);
  }
  /**
   * Makes sure a run can keep its state here: the runs and journal folders can be created and
   * the workflow's journal is a file (or absent). A clear usage error otherwise, before any
   * run starts, naming the path (a file where the state folder should be, a folder where the
   * journal should be, no permission).
   */
  prepare(name) {
    for (const dir of [path.join(this.root, "runs"), path.join(this.root, "journal")]) {
      try {
        fs2.mkdirSync(dir, { recursive: true });
        fs2.accessSync(dir, fs2.constants.W_OK);
      } catch (error) {
        throw new UsageError(`cannot keep run state in ${dir}: ${reason(error)} (set --state-dir or DWF_STATE_DIR to a writable folder)`);
      }
    }
    const journal = this.journalFile(name);
    if (fs2.existsSync(journal) && !fs2.statSync(journal).isFile()) throw new UsageError(`the journal ${journal} is not a file; move it away and run again`);
  }
  /** A new, time-sortable run id: 20261123-120455-a3f9. */
  newRunId(now = /* @__PURE__ */ new Date()) {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    return `${stamp}-${randomBytes(2).toString("hex")}`;
  }
  /** Run ids, newest first. */
  runIds() {
    try {
      return fs2.readdirSync(path.join(this.root, "runs"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().reverse();
    } catch {
      return [];
    }
  }
  readJson(runId, file) {
    try {
      return JSON.parse(fs2.readFileSync(this.runFile(runId, file), "utf8"));
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
    if (!/^[\w.-]+$/.test(runId) || !fs2.existsSync(this.runDir(runId))) throw new UsageError(`no run '${runId}' in ${this.root}; \`dwf list\` shows the runs`);
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
  if (code === "ENOTDIR" || code === "EEXIST") return "a file is in the way";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "no permission to write there";
  return error.message;
}

export {
  writePidMarker,
  removePidMarker,
  isAlive,
  durationMs,
  resolveStateDir,
  StateDir
};
