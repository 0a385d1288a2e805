import type { AgentView, RunSnapshot } from './snapshot.js'

/**
 * Number formats and counts shared by every renderer, so the terminal and Markdown agree.
 * A snapshot can be read back from a run.json a checkout holds: whatever is not a number
 * there shows as NaN, never as text of its own.
 */

/** A count as digits. */
export function formatCount(n: number): string {
  return String(Number(n))
}

/** 950, 12.3k, 4.5M */
export function formatTokens(value: number): string {
  const n = Number(value)
  if (n < 1000 || Number.isNaN(n)) return String(n)
  if (n < 1_000_000) return `${trim((n / 1000).toFixed(1))}k`
  return `${trim((n / 1_000_000).toFixed(2))}M`
}

/** $0.0012, $0.12, $12.34; "unknown" for a null price. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown'
  const n = Number(value)
  if (n === 0) return '$0'
  if (n < 0.01) return `$${n.toFixed(4)}`
  if (n < 100) return `$${n.toFixed(2)}`
  return `$${Math.round(n).toLocaleString('en-US')}`
}

/** 340ms, 1.2s, 2m03s, 1h05m */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return ''
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${trim((ms / 1000).toFixed(1))}s`
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}

/** "3 calls" / "1 call" */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${Number(n) === 1 ? '' : 's'}`
}

/** "3 files changed (1 added, 2 modified)": what a run changed, counted. */
export function changesHeadline(changes: { files: readonly string[]; added: number; modified: number; deleted: number }): string {
  const kinds = [['added', changes.added], ['modified', changes.modified], ['deleted', changes.deleted]] as const
  const counted = kinds.filter(([, n]) => n > 0).map(([kind, n]) => `${formatCount(n)} ${kind}`)
  return `${plural(changes.files.length, 'file')} changed (${counted.join(', ')})`
}

/** Cuts a string to `width` characters with an ellipsis. */
export function clip(text: string, width: number): string {
  if (width <= 0) return ''
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text
}

function trim(fixed: string): string {
  return fixed.replace(/\.0+$/, '')
}

const FINISHED = new Set<AgentView['state']>(['succeeded', 'replayed', 'failed', 'stopped'])

/**
 * Per phase, its calls that finished and all it started. Calls carry their own phase (a
 * pipeline stage can name one), so this shows progress even in phases the script has not
 * entered with phase().
 */
export function phaseProgress(snapshot: Pick<RunSnapshot, 'agents'>): Map<string, { done: number; all: number }> {
  const counts = new Map<string, { done: number; all: number }>()
  for (const agent of snapshot.agents) {
    if (!agent?.phase) continue
    const count = counts.get(agent.phase) ?? { done: 0, all: 0 }
    count.all++
    if (FINISHED.has(agent.state)) count.done++
    counts.set(agent.phase, count)
  }
  return counts
}
