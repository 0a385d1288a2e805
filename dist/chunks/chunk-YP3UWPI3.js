import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/report/format.ts
function formatCount(n) {
  return String(Number(n));
}
function formatTokens(value) {
  const n = Number(value);
  if (n < 1e3 || Number.isNaN(n)) return String(n);
  if (n < 1e6) return `${trim((n / 1e3).toFixed(1))}k`;
  return `${trim((n / 1e6).toFixed(2))}M`;
}
function formatUsd(value) {
  if (value === null || value === void 0) return "unknown";
  const n = Number(value);
  if (n === 0) return "$0";
  if (n < 0.01) return `$${n.toFixed(4)}`;
  if (n < 100) return `$${n.toFixed(2)}`;
  return `$${Math.round(n).toLocaleString("en-US")}`;
}
function formatDuration(ms) {
  if (ms === void 0 || !Number.isFinite(ms)) return "";
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${trim((ms / 1e3).toFixed(1))}s`;
  const minutes = Math.floor(ms / 6e4);
  if (minutes < 60) return `${minutes}m${String(Math.floor(ms % 6e4 / 1e3)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
function plural(n, word) {
  return `${formatCount(n)} ${word}${Number(n) === 1 ? "" : "s"}`;
}
function changesHeadline(changes) {
  const kinds = [["added", changes.added], ["modified", changes.modified], ["deleted", changes.deleted]];
  const counted = kinds.filter(([, n]) => n > 0).map(([kind, n]) => `${formatCount(n)} ${kind}`);
  return `${plural(changes.files.length, "file")} changed (${counted.join(", ")})`;
}
function clip(text, width) {
  if (width <= 0) return "";
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + "\u2026" : text;
}
function trim(fixed) {
  return fixed.replace(/\.0+$/, "");
}
var FINISHED = /* @__PURE__ */ new Set(["succeeded", "replayed", "failed", "stopped"]);
function phaseProgress(snapshot) {
  const counts = /* @__PURE__ */ new Map();
  for (const agent of snapshot.agents) {
    if (!agent?.phase) continue;
    const count = counts.get(agent.phase) ?? { done: 0, all: 0 };
    count.all++;
    if (FINISHED.has(agent.state)) count.done++;
    counts.set(agent.phase, count);
  }
  return counts;
}

export {
  formatCount,
  formatTokens,
  formatUsd,
  formatDuration,
  plural,
  changesHeadline,
  clip,
  phaseProgress
};
