import type { AgentView, PhaseView, RunSnapshot } from './snapshot.js'
import { changesHeadline, clip, formatCount, formatDuration, formatTokens, formatUsd, phaseProgress, plural } from './format.js'
import { defangHtmlComments, markdownText } from './markdown-text.js'
import { escapeControls } from './safe-text.js'
import { scriptMarkdown } from './script-markdown.js'
import { describeMiss, formatError } from './terminal.js'

export type ShownStatus = RunSnapshot['status'] | 'interrupted'

const ICON: Record<ShownStatus, string> = { running: '🔄', succeeded: '✅', failed: '❌', stopped: '⏹️', interrupted: '⚠️' }
const STATE: Record<AgentView['state'], string> = { queued: 'queued', running: 'running', retrying: 'retrying', succeeded: 'live', replayed: 'replayed', failed: 'failed', stopped: 'stopped' }

export interface MarkdownOptions {
  /** Most agent rows before the table folds into per-phase counts. */
  maxRows?: number
  /** Most characters of the workflow's result shown (folded); 0 leaves it out. */
  maxResultChars?: number
  /** What to do to continue, for a failed or interrupted run. */
  resumeHint?: string
  /** Problems outside the run's events (cache, artifact, comment), listed with its warnings. */
  notes?: readonly string[]
}

const MAX_WARNINGS = 20

/** A run as Markdown (job summary; the PR comment builds on it). Pure: a string from a snapshot. */
export function renderMarkdown(snapshot: RunSnapshot, shown: ShownStatus, options: MarkdownOptions = {}): string {
  const t = snapshot.totals
  const elapsed = formatDuration((snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt)
  const lines = [`### ${ICON[shown]} ${markdownText(snapshot.name)}: ${shown === 'interrupted' ? 'interrupted — re-run the job to resume' : shown}`, '']
  if (snapshot.description) lines.push(markdownText(snapshot.description), '')
  lines.push(
    `**${plural(t.agents.total, 'agent')}**: ${formatCount(t.agents.live)} live, ${formatCount(t.agents.replayed)} replayed${t.agents.failed ? `, ${formatCount(t.agents.failed)} failed` : ''} · ` +
      `${formatTokens(t.tokens.input + t.tokens.output)} tokens · ${formatUsd(t.costUsd)}${t.unpricedCalls ? ` (+${formatCount(t.unpricedCalls)} of unknown price)` : ''} · ${elapsed}`,
  )
  if (t.agents.replayed) lines.push(`Replay saved **${formatTokens(t.saved.tokens)} tokens** and **${formatUsd(t.saved.costUsd)}**.`)
  if (t.cacheSavedUsd) lines.push(`The providers' prompt caches saved **${formatUsd(t.cacheSavedUsd)}** (shared context read once written).`)
  const budget = budgetLine(snapshot)
  if (budget) lines.push(budget)
  if (snapshot.phases.length) lines.push('', phaseLine(snapshot))
  if (snapshot.error) lines.push('', ...errorQuote(formatError(snapshot, snapshot.error)))
  if (options.resumeHint && shown !== 'succeeded' && shown !== 'running') lines.push('', options.resumeHint)
  lines.push(...warningList([...snapshot.warnings, ...(options.notes ?? [])]))
  lines.push(...changesBlock(snapshot, options.maxRows ?? 50))
  // The script's report is the run's answer: shown as Markdown, not folded; else a string result is.
  const report = snapshot.effects?.report
  if (report !== undefined) lines.push('', scriptMarkdown(report))
  else if (shown === 'succeeded') lines.push(...resultBlock(snapshot.result, options.maxResultChars ?? 3000))
  lines.push('', ...agentTable(snapshot, options.maxRows ?? 50))
  return lines.join('\n') + '\n'
}

/** "**3 files changed** (…)" and the paths, folded like the agent table. */
function changesBlock(snapshot: RunSnapshot, maxFiles: number): string[] {
  const changes = snapshot.changes
  if (!changes) return []
  const head = ['', `**${changesHeadline(changes)}**`]
  if (maxFiles === 0) return head
  const listed = changes.files.slice(0, maxFiles).map((file) => `- ${markdownText(file)}`)
  if (changes.files.length > maxFiles) listed.push(`- … and ${formatCount(changes.files.length - maxFiles)} more (the run's changes.patch has them all)`)
  return [...head, '', '<details><summary>Changed files</summary>', '', ...listed, '', '</details>']
}

/** The job summary of a run that could not start (bad input or script): what is wrong, and that nothing was lost. */
export function renderInvalid(message: string): string {
  return ['### ❌ dynamic-workflow did not start', '', ...errorQuote(message), '', 'No agent call ran and no journaled work was touched: fix the input and run the job again.'].join('\n') + '\n'
}

const PHASE_ICON: Record<PhaseView['state'], string> = { done: '✅', running: '🔄', pending: '⬜', failed: '❌', stopped: '⏹️' }

/** "✅ Scan (40/40) → 🔄 Fix (3/10) → ⬜ Verify": each phase with its finished and started calls. */
function phaseLine(snapshot: RunSnapshot): string {
  const progress = phaseProgress(snapshot)
  return snapshot.phases
    .map((p) => {
      const count = progress.get(p.title)
      return `${PHASE_ICON[p.state]} ${markdownText(p.title)}${count ? ` (${count.done}/${count.all})` : ''}`
    })
    .join(' → ')
}

/** The run's error as a quote, one line per line (parallel() lists each failed item), clipped. */
function errorQuote(text: string): string[] {
  const all = text.split(/\r?\n/)
  const shown = all.slice(0, MAX_ERROR_LINES).map((line) => markdownText(clip(line, 400)))
  if (all.length > MAX_ERROR_LINES) shown.push(`… and ${all.length - MAX_ERROR_LINES} more lines (see the run's log)`)
  return shown.map((line, i) => `> ${i === 0 ? '**Error:** ' : ''}${line}`)
}

const MAX_ERROR_LINES = 12

/** "Budget: 41.2k of 50k tokens · $0.31 of $1.00", when the run has one. */
function budgetLine(snapshot: RunSnapshot): string | undefined {
  const { budget, totals } = snapshot
  const parts: string[] = []
  if (budget.tokens !== undefined) parts.push(`${formatTokens(totals.tokens.input + totals.tokens.output)} of ${formatTokens(budget.tokens)} tokens`)
  if (budget.costUsd !== undefined) parts.push(`${formatUsd(totals.costUsd)} of ${formatUsd(budget.costUsd)}`)
  return parts.length ? `Budget: ${parts.join(' · ')}.` : undefined
}

/** Warnings once each (a cache that fails every checkpoint says so once, with a count). */
function warningList(all: readonly string[]): string[] {
  if (all.length === 0) return []
  const counts = new Map<string, number>()
  for (const w of all) counts.set(w, (counts.get(w) ?? 0) + 1)
  const warnings = [...counts]
  const shown = warnings.slice(0, MAX_WARNINGS).map(([w, n]) => `- ${markdownText(clip(w, 300))}${n > 1 ? ` (×${n})` : ''}`)
  if (warnings.length > MAX_WARNINGS) shown.push(`- … and ${warnings.length - MAX_WARNINGS} more (see the run's log)`)
  return ['', `<details><summary>⚠️ ${plural(all.length, 'warning')}</summary>`, '', ...shown, '', '</details>']
}

/** The workflow's result, folded, in a fence no backtick run inside it can close. */
function resultBlock(result: unknown, maxChars: number): string[] {
  if (result === undefined || result === null || maxChars <= 0) return []
  const full = typeof result === 'string' ? result : JSON.stringify(result, null, 2)
  const text = full.length > maxChars ? `${full.slice(0, maxChars)}\n… (${full.length - maxChars} more characters in the run's result.json)` : full
  if (typeof result === 'string') return ['', scriptMarkdown(text)]
  // Shown as text, not run: controls escaped, and no `<!--` another tool could take for its marker.
  const shownText = defangHtmlComments(escapeControls(text))
  const fence = '`'.repeat(Math.max(3, ...Array.from(shownText.matchAll(/`+/g), (m) => m[0].length + 1)))
  return ['', '<details><summary>Result</summary>', '', `${fence}${typeof result === 'string' ? '' : 'json'}`, shownText, fence, '', '</details>']
}

function agentTable(snapshot: RunSnapshot, maxRows: number): string[] {
  const rows = snapshot.agents.filter(Boolean)
  if (rows.length === 0) return []
  const header = ['| agent | phase | model | call | tokens | cost | time |', '|---|---|---|---|---:|---:|---:|']
  const row = (a: AgentView) =>
    `| ${markdownText(clip(a.label, 60))}${a.error && a.state === 'failed' ? ` ⚠️ ${markdownText(clip(a.error.message, 80))}` : ''} | ${markdownText(a.phase ?? '')} | ${markdownText(a.provider)}/${markdownText(a.model)} | ${STATE[a.state]}${a.miss && a.miss.kind === 'changed' ? ` (${markdownText(describeMiss(a.miss))})` : ''} | ${formatTokens(a.usage.inputTokens + a.usage.outputTokens)} | ${formatUsd(a.usage.costUsd)} | ${formatDuration(a.durationMs)} |`
  if (rows.length <= maxRows) return ['<details open><summary>Agents</summary>', '', ...header, ...rows.map(row), '', '</details>']
  // Too many to list: failures first, then counts per phase.
  const failed = rows.filter((a) => a.state === 'failed').slice(0, Math.floor(maxRows / 2))
  const perPhase = new Map<string, AgentView[]>()
  for (const a of rows) perPhase.set(a.phase ?? '', [...(perPhase.get(a.phase ?? '') ?? []), a])
  const summary = [...perPhase].map(([phase, agents]) => {
    const count = (state: AgentView['state']) => agents.filter((a) => a.state === state).length
    return `| ${markdownText(phase || '(no phase)')} | ${agents.length} | ${count('succeeded')} | ${count('replayed')} | ${count('failed')} |`
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
