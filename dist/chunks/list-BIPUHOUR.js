import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  defineCommand,
  jsonFlag
} from "./chunk-5VXOP6UG.js";
import "./chunk-BDBW6SVH.js";
import {
  formatUsd
} from "./chunk-YP3UWPI3.js";
import "./chunk-JA3FFBR6.js";
import {
  safeJsonLine,
  safeLine
} from "./chunk-CGEEEPWU.js";
import "./chunk-BBNUW6J6.js";
import "./chunk-6SWNIPKX.js";
import "./chunk-HJYIK7T2.js";

// src/cli/commands/list.ts
var LIST = { name: "list", summary: "Lists the runs in the state directory, newest first.", flags: { json: jsonFlag("print the runs as a JSON array") }, positionals: { min: 0, max: 0 } };
function runRow(info) {
  try {
    return row(info);
  } catch {
    return { runId: info.runId, name: "?", status: "damaged", agents: null, costUsd: 0, startedAt: null, pid: void 0 };
  }
}
function row(info) {
  const s = info.snapshot;
  return {
    runId: info.runId,
    name: s?.name ?? info.invocation?.name ?? "?",
    status: info.shown,
    agents: s ? { total: s.totals.agents.total, live: s.totals.agents.live, replayed: s.totals.agents.replayed, failed: s.totals.agents.failed } : null,
    costUsd: s?.totals.costUsd ?? 0,
    startedAt: s ? new Date(s.startedAt).toISOString() : null,
    pid: info.alive ? info.marker?.pid : void 0
  };
}
var list = defineCommand(LIST, async (command, io) => {
  const { flags, state } = command;
  const rows = state.runIds().map((id) => runRow(state.info(id)));
  if (flags.json) {
    io.stdout.write(safeJsonLine(rows) + "\n");
    return 0;
  }
  if (rows.length === 0) {
    io.stdout.write(`no runs in ${safeLine(state.root)}
`);
    return 0;
  }
  const table = [
    ["RUN ID", "WORKFLOW", "STATUS", "AGENTS live/replayed/failed", "COST", "STARTED"],
    // Run ids are folder names and the rest comes from run.json: a checkout can hold anything there.
    ...rows.map((r) => [
      r.runId,
      r.name,
      r.status + (r.pid ? ` (pid ${r.pid})` : ""),
      r.agents ? `${r.agents.total}  ${r.agents.live}/${r.agents.replayed}/${r.agents.failed}` : "-",
      formatUsd(r.costUsd),
      r.startedAt ? r.startedAt.replace("T", " ").slice(0, 19) : "-"
    ].map(safeLine))
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row2) => row2[i].length)));
  io.stdout.write(table.map((row2) => row2.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n") + "\n");
  return 0;
});
export {
  list,
  runRow
};
