import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  changesHeadline,
  clip,
  formatCount,
  formatDuration,
  formatTokens,
  formatUsd,
  phaseProgress,
  plural
} from "./chunk-YP3UWPI3.js";
import {
  neutraliseCommands,
  safeLine,
  safeText
} from "./chunk-CGEEEPWU.js";

// src/report/terminal.ts
var ICONS = { queued: "\u25CB", running: "\u25CF", retrying: "\u21BB", succeeded: "\u2713", replayed: "\u21BA", failed: "\u2717", stopped: "\u25A0" };
var STATUS_ICONS = { running: "\u25CF", succeeded: "\u2713", failed: "\u2717", stopped: "\u25A0", interrupted: "\u25A0" };
function paint(style, code, text) {
  return style.color ? `\x1B[${code}m${text}\x1B[0m` : text;
}
var green = (s, t) => paint(s, 32, t);
var red = (s, t) => paint(s, 31, t);
var yellow = (s, t) => paint(s, 33, t);
var cyan = (s, t) => paint(s, 36, t);
var dim = (s, t) => paint(s, 2, t);
var bold = (s, t) => paint(s, 1, t);
function stateColor(style, state, text) {
  if (state === "succeeded") return green(style, text);
  if (state === "failed") return red(style, text);
  if (state === "replayed") return cyan(style, text);
  if (state === "retrying" || state === "stopped" || state === "interrupted") return yellow(style, text);
  if (state === "queued") return dim(style, text);
  return text;
}
function errorWhere(snapshot, error) {
  if (error.line === void 0) return "";
  return `${snapshot.script ?? "line"}${snapshot.script ? ":" : " "}${error.line}${error.column !== void 0 && snapshot.script ? ":" + error.column : ""}`;
}
function formatError(snapshot, error) {
  const where = errorWhere(snapshot, error);
  return `${where ? where + ": " : ""}${error.message}`;
}
function describeMiss(miss) {
  if (!miss) return "";
  if (miss.kind === "new") return "new call";
  if (miss.kind === "replay-disabled") return "replay off";
  return `${miss.components.join(", ")} changed`;
}
function formatEventLine(event, snapshot, style) {
  const line = eventLine(event, snapshot, style);
  return line === void 0 ? void 0 : neutraliseCommands(line);
}
function eventLine(event, snapshot, style) {
  const agent = "id" in event ? snapshot.agents[event.id - 1] : void 0;
  const name = agent ? `${agent.phase ? dim(style, `[${safeLine(agent.phase)}] `) : ""}${safeLine(agent.label)}` : "";
  switch (event.type) {
    case "run_started":
      return bold(style, safeLine(event.name)) + (event.description ? ` \u2014 ${safeLine(event.description)}` : "") + "\n" + dim(style, `run ${safeLine(event.runId)} \xB7 agent ${safeLine(event.provider)} \xB7 concurrency ${event.concurrency}`);
    case "phase_started":
      return bold(style, `# ${safeLine(event.title)}`);
    case "log":
      return `${dim(style, "log")} ${safeText(event.message)}`;
    case "warning":
      return yellow(style, `warning: ${safeText(event.message)}`);
    case "agent_queued":
      return void 0;
    case "agent_replayed":
      return `${cyan(style, ICONS.replayed)} ${name} ${dim(style, `replayed (saved ${formatTokens(event.usage.inputTokens + event.usage.outputTokens)} tokens, ${formatUsd(event.usage.costUsd)})`)}`;
    case "agent_started":
      return `${ICONS.running} ${name} ${dim(style, `started (${safeLine(agent?.provider ?? "")}/${safeLine(agent?.model ?? "")}, ${describeMiss(event.miss)})`)}`;
    case "agent_retrying":
      return yellow(style, `${ICONS.retrying} ${safeLine(agent?.label ?? "")} retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${event.error.code}: ${safeText(event.error.message)}`);
    case "agent_succeeded":
      return `${green(style, ICONS.succeeded)} ${name} ${dim(style, `${formatTokens(event.usage.inputTokens + event.usage.outputTokens)} tokens, ${formatUsd(event.usage.costUsd)}, ${formatDuration(event.durationMs)}`)}`;
    case "agent_failed":
      return event.error.code === "STOPPED" ? `${yellow(style, ICONS.stopped)} ${name} ${dim(style, "stopped")}` : `${red(style, ICONS.failed)} ${name} ${red(style, `failed: ${safeText(formatError(snapshot, event.error))}`)}`;
    case "run_finished":
      return void 0;
  }
}
function formatChanges(snapshot, max = 10) {
  const changes = snapshot.changes;
  if (!changes) return void 0;
  const shown = changes.files.slice(0, max).map(safeLine).join(", ");
  const more = changes.files.length > max ? ` and ${formatCount(changes.files.length - max)} more` : "";
  return `${changesHeadline(changes)}: ${shown}${more}`;
}
function formatEffects(snapshot) {
  const e = snapshot.effects;
  if (!e) return void 0;
  const parts = [];
  if (e.report !== void 0) parts.push("post the report");
  if (e.review.comments.length > 0 || e.review.summary !== void 0) parts.push(`post a review with ${plural(e.review.comments.length, "comment")}`);
  if (e.labels.add.length > 0) parts.push(`add ${plural(e.labels.add.length, "label")} (${e.labels.add.map(safeLine).join(", ")})`);
  if (e.labels.remove.length > 0) parts.push(`remove ${plural(e.labels.remove.length, "label")} (${e.labels.remove.map(safeLine).join(", ")})`);
  return `in GitHub Actions this run would ${parts.join(", ")}`;
}
function effectDetails(snapshot, width) {
  const e = snapshot.effects;
  const first = (text) => clip(safeLine(text.split("\n").find((line) => line.trim() !== "") ?? ""), width - 4);
  const lines = e.report !== void 0 ? [`  report: ${first(e.report)}`] : [];
  if (e.review.summary !== void 0) lines.push(`  review: ${first(e.review.summary)}`);
  for (const c of e.review.comments) lines.push(clip(`  ${safeLine(c.path)}:${c.startLine ? `${c.startLine}-` : ""}${c.line} ${first(c.body)}${c.suggestion !== void 0 ? " (suggestion)" : ""}`, width));
  return lines;
}
function formatTotals(snapshot, style) {
  const { agents, tokens, costUsd, saved, unpricedCalls } = snapshot.totals;
  const parts = [
    `${plural(agents.total, "agent")}: ${formatCount(agents.live)} live, ${cyan(style, `${formatCount(agents.replayed)} replayed`)}${agents.failed ? ", " + red(style, `${formatCount(agents.failed)} failed`) : ""}`,
    `${formatTokens(tokens.input + tokens.output)} tokens`,
    `${formatUsd(costUsd)}${unpricedCalls ? ` (+${plural(unpricedCalls, "call")} of unknown price)` : ""}`
  ];
  if (agents.replayed) parts.push(cyan(style, `saved ${formatTokens(saved.tokens)} tokens, ${formatUsd(saved.costUsd)}`));
  if (snapshot.totals.cacheSavedUsd) parts.push(cyan(style, `cache saved ${formatUsd(snapshot.totals.cacheSavedUsd)}`));
  return parts.join(" \xB7 ");
}
function renderLive(snapshot, options) {
  const style = options;
  const elapsed = formatDuration((snapshot.finishedAt ?? options.now) - snapshot.startedAt);
  const lines = [];
  if (options.header !== false) {
    lines.push(`${STATUS_ICONS[snapshot.status]} ${bold(style, safeLine(snapshot.name))}  ${safeLine(snapshot.status)}  ${elapsed}`);
    if (snapshot.phases.length) lines.push(phaseLine(snapshot, style));
    lines.push(formatTotals(snapshot, style));
  }
  const rows = Math.max(0, options.height - lines.length - 2);
  const agents = visibleAgents(snapshot.agents, rows);
  for (const agent of agents) lines.push(agentRow(agent, options.width, options.now, style));
  const hidden = snapshot.agents.length - agents.length;
  if (hidden > 0) lines.push(dim(style, `\u2026 and ${hidden} more`));
  return neutraliseCommands(lines.join("\n"));
}
function phaseLine(snapshot, style) {
  const marks = { pending: "\u25CB", running: "\u25CF", done: "\u2713", failed: "\u2717", stopped: "\u25A0" };
  const progress = phaseProgress(snapshot);
  return snapshot.phases.map((p) => {
    const count = progress.get(p.title);
    const text = `${marks[p.state]} ${safeLine(p.title)}${count ? ` ${count.done}/${count.all}` : ""}`;
    return p.state === "running" ? bold(style, text) : dim(style, text);
  }).join("  ");
}
function visibleAgents(agents, rows) {
  if (agents.length <= rows) return agents;
  const active = agents.filter((a) => a.state === "running" || a.state === "retrying");
  const rest = agents.filter((a) => a.state !== "running" && a.state !== "retrying" && a.state !== "queued");
  const chosen = [...active.slice(0, rows), ...rest.slice(-Math.max(0, rows - active.length))];
  return chosen.sort((a, b) => a.id - b.id);
}
function agentRow(agent, width, now, style) {
  const time = agent.durationMs ?? (agent.startedAt !== void 0 ? now - agent.startedAt : void 0);
  const tokens = agent.usage.inputTokens + agent.usage.outputTokens;
  const finished = agent.state !== "queued" && agent.state !== "running" && agent.state !== "retrying";
  const right = `${safeLine(agent.model).padEnd(18).slice(0, 18)} ${(finished ? formatTokens(tokens) : "").padStart(6)} ${(finished ? formatUsd(agent.usage.costUsd) : "").padStart(8)} ${formatDuration(time).padStart(7)}`;
  const labelWidth = Math.max(10, width - right.length - 4);
  const label = clip(`${agent.phase ? safeLine(agent.phase) + " \u203A " : ""}${safeLine(agent.label)}`, labelWidth).padEnd(labelWidth);
  return `${stateColor(style, agent.state, ICONS[agent.state])} ${label} ${dim(style, right)}`;
}
function renderStatus(snapshot, shownStatus, style, width = 100) {
  const lines = [`${stateColor(style, shownStatus, STATUS_ICONS[shownStatus])} ${bold(style, safeLine(snapshot.name))} ${safeLine(shownStatus)}  run ${safeLine(snapshot.runId)}`];
  if (snapshot.description) lines.push(dim(style, safeLine(snapshot.description)));
  lines.push(
    `started ${new Date(snapshot.startedAt).toISOString()}` + (snapshot.finishedAt ? `, took ${formatDuration(snapshot.finishedAt - snapshot.startedAt)}` : "")
  );
  if (snapshot.phases.length) lines.push(phaseLine(snapshot, style));
  lines.push(formatTotals(snapshot, style));
  const changes = formatChanges(snapshot, 50);
  if (changes) lines.push(changes);
  const effects = formatEffects(snapshot);
  if (effects) lines.push(effects, ...effectDetails(snapshot, width));
  lines.push("");
  for (const agent of snapshot.agents) {
    lines.push(agentRow(agent, width, snapshot.updatedAt, style));
    if (agent.miss?.kind === "changed" && agent.state !== "replayed") lines.push(dim(style, `    ran live: ${safeLine(describeMiss(agent.miss))} since the journaled call`));
    if (agent.error && agent.state === "failed") lines.push(red(style, `    ${safeText(formatError(snapshot, agent.error))}`));
  }
  if (snapshot.error) lines.push("", red(style, `error: ${safeText(formatError(snapshot, snapshot.error))}`));
  return neutraliseCommands(lines.join("\n"));
}

export {
  formatError,
  describeMiss,
  formatEventLine,
  formatChanges,
  formatEffects,
  formatTotals,
  renderLive,
  renderStatus
};
