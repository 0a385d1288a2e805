import { formatUsd } from '../../report/format.js'
import { safeJsonLine, safeLine } from '../../report/safe-text.js'
import { jsonFlag, type CommandSpec, defineCommand } from '../command.js'
import type { RunInfo } from '../../runner/state-dir.js'

const LIST: CommandSpec = { name: 'list', summary: 'Lists the runs in the state directory, newest first.', flags: { json: jsonFlag('print the runs as a JSON array') }, positionals: { min: 0, max: 0 } }

/** One row of `list`; runs whose process died unfinished show as interrupted, runs whose run.json makes no sense as damaged. */
export function runRow(info: RunInfo): ReturnType<typeof row> {
  try {
    return row(info)
  } catch {
    return { runId: info.runId, name: '?', status: 'damaged', agents: null, costUsd: 0, startedAt: null, pid: undefined }
  }
}

function row(info: RunInfo) {
  const s = info.snapshot
  return {
    runId: info.runId,
    name: s?.name ?? info.invocation?.name ?? '?',
    status: info.shown as RunInfo['shown'] | 'damaged',
    agents: s ? { total: s.totals.agents.total, live: s.totals.agents.live, replayed: s.totals.agents.replayed, failed: s.totals.agents.failed } : null,
    costUsd: s?.totals.costUsd ?? 0,
    startedAt: s ? new Date(s.startedAt).toISOString() : null,
    pid: info.alive ? info.marker?.pid : undefined,
  }
}

export const list = defineCommand(LIST, async (command, io) => {
  const { flags, state } = command
  const rows = state.runIds().map((id) => runRow(state.info(id)))
  if (flags.json) {
    io.stdout.write(safeJsonLine(rows) + '\n')
    return 0
  }
  if (rows.length === 0) {
    io.stdout.write(`no runs in ${safeLine(state.root)}\n`)
    return 0
  }
  const table = [
    ['RUN ID', 'WORKFLOW', 'STATUS', 'AGENTS live/replayed/failed', 'COST', 'STARTED'],
    // Run ids are folder names and the rest comes from run.json: a checkout can hold anything there.
    ...rows.map((r) => [
      r.runId,
      r.name,
      r.status + (r.pid ? ` (pid ${r.pid})` : ''),
      r.agents ? `${r.agents.total}  ${r.agents.live}/${r.agents.replayed}/${r.agents.failed}` : '-',
      formatUsd(r.costUsd),
      r.startedAt ? r.startedAt.replace('T', ' ').slice(0, 19) : '-',
    ].map(safeLine)),
  ]
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  io.stdout.write(table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n')
  return 0
})
