import type { AgentView, RunSnapshot } from '../engine/snapshot.js'
import { clip, formatDuration, formatTokens, formatUsd } from './format.js'
import { describeMiss, formatError } from './terminal.js'

export type ShownStatus = RunSnapshot['status'] | 'interrupted'

const ICON: Record<ShownStatus, string> = { running: '🔄', succeeded: '✅', failed: '❌', stopped: '⏹️', interrupted: '⚠️' }
const STATE: Record<AgentView['state'], string> = { queued: 'queued', running: 'running', retrying: 'retrying', succeeded: 'live', replayed: 'replayed', failed: 'failed', stopped: 'stopped' }

export interface MarkdownOptions {
  /** Most agent rows before the table folds into per-phase counts. */
  maxRows?: number
  /** What to do to continue, for a failed or interrupted run. */
  resumeHint?: string
}

/** A run as Markdown (job summary; the PR comment builds on it). Pure: a string from a snapshot. */
export function renderMarkdown(snapshot: RunSnapshot, shown: ShownStatus, options: MarkdownOptions = {}): string {
  const t = snapshot.totals
  const elapsed = formatDuration((snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt)
  const lines = [`### ${ICON[shown]} ${snapshot.name}: ${shown}`, '']
  if (snapshot.description) lines.push(snapshot.description, '')
  lines.push(
    `**${t.agents.total} agents**: ${t.agents.live} live, ${t.agents.replayed} replayed${t.agents.failed ? `, ${t.agents.failed} failed` : ''} · ` +
      `${formatTokens(t.tokens.input + t.tokens.output)} tokens · ${formatUsd(t.costUsd)}${t.unpricedCalls ? ` (+${t.unpricedCalls} of unknown price)` : ''} · ${elapsed}`,
  )
  if (t.agents.replayed) lines.push(`Replay saved **${formatTokens(t.saved.tokens)} tokens** and **${formatUsd(t.saved.costUsd)}**.`)
  if (snapshot.phases.length) lines.push('', snapshot.phases.map((p) => `${p.state === 'done' ? '✅' : p.state === 'running' ? '🔄' : p.state === 'pending' ? '⬜' : '❌'} ${p.title}`).join(' → '))
  if (snapshot.error) lines.push('', `> **Error:** ${escape(formatError(snapshot, snapshot.error))}`)
  if (options.resumeHint && shown !== 'succeeded' && shown !== 'running') lines.push('', options.resumeHint)
  lines.push('', ...agentTable(snapshot, options.maxRows ?? 50))
  return lines.join('\n') + '\n'
}

function agentTable(snapshot: RunSnapshot, maxRows: number): string[] {
  const rows = snapshot.agents.filter(Boolean)
  if (rows.length === 0) return []
  const header = ['| agent | phase | model | call | tokens | cost | time |', '|---|---|---|---|---:|---:|---:|']
  const row = (a: AgentView) =>
    `| ${escape(clip(a.label, 60))}${a.error && a.state === 'failed' ? ` ⚠️ ${escape(clip(a.error.message, 80))}` : ''} | ${escape(a.phase ?? '')} | ${escape(a.provider)}/${escape(a.model)} | ${STATE[a.state]}${a.miss && a.miss.kind === 'changed' ? ` (${describeMiss(a.miss)})` : ''} | ${formatTokens(a.usage.inputTokens + a.usage.outputTokens)} | ${formatUsd(a.usage.costUsd)} | ${formatDuration(a.durationMs)} |`
  if (rows.length <= maxRows) return ['<details open><summary>Agents</summary>', '', ...header, ...rows.map(row), '', '</details>']
  // Too many to list: failures first, then counts per phase.
  const failed = rows.filter((a) => a.state === 'failed').slice(0, Math.floor(maxRows / 2))
  const perPhase = new Map<string, AgentView[]>()
  for (const a of rows) perPhase.set(a.phase ?? '', [...(perPhase.get(a.phase ?? '') ?? []), a])
  const summary = [...perPhase].map(([phase, agents]) => {
    const count = (state: AgentView['state']) => agents.filter((a) => a.state === state).length
    return `| ${escape(phase || '(no phase)')} | ${agents.length} | ${count('succeeded')} | ${count('replayed')} | ${count('failed')} |`
  })
  return [
    `<details><summary>Agents (${rows.length}, summarised per phase)</summary>`,
    '',
    '| phase | agents | live | replayed | failed |',
    '|---|---:|---:|---:|---:|',
    ...summary,
    ...(failed.length ? ['', '**Failed calls**', '', ...header, ...failed.map(row)] : []),
    '',
    `… and ${rows.length - failed.length} more calls not listed.`,
    '',
    '</details>',
  ]
}

/** Table cells: no pipes or newlines from labels and messages. */
function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;')
}
