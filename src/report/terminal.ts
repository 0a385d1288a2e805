import type { ErrorInfo } from '../core/errors.js'
import type { MissReason, RunEvent } from '../core/events.js'
import type { AgentState, AgentView, RunSnapshot } from './snapshot.js'
import { changesHeadline, clip, formatCount, formatDuration, formatTokens, formatUsd, phaseProgress, plural } from './format.js'
import { neutraliseCommands, safeLine, safeText } from './safe-text.js'

/**
 * Pure renderers for a terminal. Callers decide where the text goes. Every string of a run
 * (names, titles, labels, models, messages) is untrusted: it goes through safeLine or
 * safeText as a piece, and each rendered text through neutraliseCommands as a whole, so
 * our own colour codes stay and nothing from a run can write a control sequence or start a
 * workflow command in an Actions log.
 */
export interface TerminalStyle {
  color: boolean
}

const ICONS: Record<AgentState, string> = { queued: '○', running: '●', retrying: '↻', succeeded: '✓', replayed: '↺', failed: '✗', stopped: '■' }
const STATUS_ICONS: Record<RunSnapshot['status'] | 'interrupted', string> = { running: '●', succeeded: '✓', failed: '✗', stopped: '■', interrupted: '■' }

function paint(style: TerminalStyle, code: number, text: string): string {
  return style.color ? `\x1b[${code}m${text}\x1b[0m` : text
}
const green = (s: TerminalStyle, t: string) => paint(s, 32, t)
const red = (s: TerminalStyle, t: string) => paint(s, 31, t)
const yellow = (s: TerminalStyle, t: string) => paint(s, 33, t)
const cyan = (s: TerminalStyle, t: string) => paint(s, 36, t)
const dim = (s: TerminalStyle, t: string) => paint(s, 2, t)
const bold = (s: TerminalStyle, t: string) => paint(s, 1, t)

function stateColor(style: TerminalStyle, state: AgentState | RunSnapshot['status'] | 'interrupted', text: string): string {
  if (state === 'succeeded') return green(style, text)
  if (state === 'failed') return red(style, text)
  if (state === 'replayed') return cyan(style, text)
  if (state === 'retrying' || state === 'stopped' || state === 'interrupted') return yellow(style, text)
  if (state === 'queued') return dim(style, text)
  return text
}

/** "review.workflow.js:12" for an error that knows its line. */
export function errorWhere(snapshot: Pick<RunSnapshot, 'script'>, error: Pick<ErrorInfo, 'line' | 'column'>): string {
  if (error.line === undefined) return ''
  return `${snapshot.script ?? 'line'}${snapshot.script ? ':' : ' '}${error.line}${error.column !== undefined && snapshot.script ? ':' + error.column : ''}`
}

/** One error as one line: where, then what. Raw text: terminal renderers pass it through safeText, Markdown through its escaper. */
export function formatError(snapshot: Pick<RunSnapshot, 'script'>, error: ErrorInfo): string {
  const where = errorWhere(snapshot, error)
  return `${where ? where + ': ' : ''}${error.message}`
}

/** Why a call ran live, in words ("prompt changed"). */
export function describeMiss(miss: MissReason | undefined): string {
  if (!miss) return ''
  if (miss.kind === 'new') return 'new call'
  if (miss.kind === 'replay-disabled') return 'replay off'
  return `${miss.components.join(', ')} changed`
}

/** The line printed for one event in plain (non-TTY) output and in the run's log; undefined to skip. */
export function formatEventLine(event: RunEvent, snapshot: RunSnapshot, style: TerminalStyle): string | undefined {
  const line = eventLine(event, snapshot, style)
  return line === undefined ? undefined : neutraliseCommands(line)
}

function eventLine(event: RunEvent, snapshot: RunSnapshot, style: TerminalStyle): string | undefined {
  const agent = 'id' in event ? snapshot.agents[event.id - 1] : undefined
  const name = agent ? `${agent.phase ? dim(style, `[${safeLine(agent.phase)}] `) : ''}${safeLine(agent.label)}` : ''
  switch (event.type) {
    case 'run_started':
      return (
        bold(style, safeLine(event.name)) +
        (event.description ? ` — ${safeLine(event.description)}` : '') +
        '\n' +
        dim(style, `run ${safeLine(event.runId)} · agent ${safeLine(event.provider)} · concurrency ${event.concurrency}`)
      )
    case 'phase_started':
      return bold(style, `# ${safeLine(event.title)}`)
    case 'log':
      return `${dim(style, 'log')} ${safeText(event.message)}`
    case 'warning':
      return yellow(style, `warning: ${safeText(event.message)}`)
    case 'agent_queued':
      return undefined
    case 'agent_replayed':
      return `${cyan(style, ICONS.replayed)} ${name} ${dim(style, `replayed (saved ${formatTokens(event.usage.inputTokens + event.usage.outputTokens)} tokens, ${formatUsd(event.usage.costUsd)})`)}`
    case 'agent_started':
      return `${ICONS.running} ${name} ${dim(style, `started (${safeLine(agent?.provider ?? '')}/${safeLine(agent?.model ?? '')}, ${describeMiss(event.miss)})`)}`
    case 'agent_retrying':
      return yellow(style, `${ICONS.retrying} ${safeLine(agent?.label ?? '')} retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${event.error.code}: ${safeText(event.error.message)}`)
    case 'agent_succeeded':
      return `${green(style, ICONS.succeeded)} ${name} ${dim(style, `${formatTokens(event.usage.inputTokens + event.usage.outputTokens)} tokens, ${formatUsd(event.usage.costUsd)}, ${formatDuration(event.durationMs)}`)}`
    case 'agent_failed':
      return event.error.code === 'STOPPED'
        ? `${yellow(style, ICONS.stopped)} ${name} ${dim(style, 'stopped')}`
        : `${red(style, ICONS.failed)} ${name} ${red(style, `failed: ${safeText(formatError(snapshot, event.error))}`)}`
    case 'run_finished':
      return undefined
  }
}

/** "3 files changed (…): a.txt, b.txt, c.txt": the first `max` paths, then how many more. */
export function formatChanges(snapshot: RunSnapshot, max = 10): string | undefined {
  const changes = snapshot.changes
  if (!changes) return undefined
  const shown = changes.files.slice(0, max).map(safeLine).join(', ')
  const more = changes.files.length > max ? ` and ${formatCount(changes.files.length - max)} more` : ''
  return `${changesHeadline(changes)}: ${shown}${more}`
}

/** "would post a review with 3 comments, …": what the script declared; the CLI never performs it. */
export function formatEffects(snapshot: RunSnapshot): string | undefined {
  const e = snapshot.effects
  if (!e) return undefined
  const parts: string[] = []
  if (e.report !== undefined) parts.push('post the report')
  if (e.review.comments.length > 0 || e.review.summary !== undefined) parts.push(`post a review with ${plural(e.review.comments.length, 'comment')}`)
  if (e.labels.add.length > 0) parts.push(`add ${plural(e.labels.add.length, 'label')} (${e.labels.add.map(safeLine).join(', ')})`)
  if (e.labels.remove.length > 0) parts.push(`remove ${plural(e.labels.remove.length, 'label')} (${e.labels.remove.map(safeLine).join(', ')})`)
  return `in GitHub Actions this run would ${parts.join(', ')}`
}

/** The declared report's first line and each review comment, one line each, for `dwf status`. */
function effectDetails(snapshot: RunSnapshot, width: number): string[] {
  const e = snapshot.effects!
  const first = (text: string) => clip(safeLine(text.split('\n').find((line) => line.trim() !== '') ?? ''), width - 4)
  const lines = e.report !== undefined ? [`  report: ${first(e.report)}`] : []
  if (e.review.summary !== undefined) lines.push(`  review: ${first(e.review.summary)}`)
  for (const c of e.review.comments) lines.push(clip(`  ${safeLine(c.path)}:${c.startLine ? `${c.startLine}-` : ''}${c.line} ${first(c.body)}${c.suggestion !== undefined ? ' (suggestion)' : ''}`, width))
  return lines
}

/** Totals in one line: agents, tokens, cost, and what replay saved. */
export function formatTotals(snapshot: RunSnapshot, style: TerminalStyle): string {
  const { agents, tokens, costUsd, saved, unpricedCalls } = snapshot.totals
  const parts = [
    `${plural(agents.total, 'agent')}: ${formatCount(agents.live)} live, ${cyan(style, `${formatCount(agents.replayed)} replayed`)}${agents.failed ? ', ' + red(style, `${formatCount(agents.failed)} failed`) : ''}`,
    `${formatTokens(tokens.input + tokens.output)} tokens`,
    `${formatUsd(costUsd)}${unpricedCalls ? ` (+${plural(unpricedCalls, 'call')} of unknown price)` : ''}`,
  ]
  if (agents.replayed) parts.push(cyan(style, `saved ${formatTokens(saved.tokens)} tokens, ${formatUsd(saved.costUsd)}`))
  if (snapshot.totals.cacheSavedUsd) parts.push(cyan(style, `cache saved ${formatUsd(snapshot.totals.cacheSavedUsd)}`))
  return parts.join(' · ')
}

export interface LiveOptions extends TerminalStyle {
  width: number
  height: number
  now: number
  /** False for the last, static view: the run summary that follows repeats the header. */
  header?: boolean
}

/** The redrawn view on a TTY: header, phases, and as many agent rows as fit. */
export function renderLive(snapshot: RunSnapshot, options: LiveOptions): string {
  const style = options
  const elapsed = formatDuration((snapshot.finishedAt ?? options.now) - snapshot.startedAt)
  const lines: string[] = []
  if (options.header !== false) {
    lines.push(`${STATUS_ICONS[snapshot.status]} ${bold(style, safeLine(snapshot.name))}  ${safeLine(snapshot.status)}  ${elapsed}`)
    if (snapshot.phases.length) lines.push(phaseLine(snapshot, style))
    lines.push(formatTotals(snapshot, style))
  }
  const rows = Math.max(0, options.height - lines.length - 2)
  const agents = visibleAgents(snapshot.agents, rows)
  for (const agent of agents) lines.push(agentRow(agent, options.width, options.now, style))
  const hidden = snapshot.agents.length - agents.length
  if (hidden > 0) lines.push(dim(style, `… and ${hidden} more`))
  return neutraliseCommands(lines.join('\n'))
}

/** "✓ Plan 3/3  ● Migrate 1/3  ○ Check": each phase with its finished and started calls. */
function phaseLine(snapshot: RunSnapshot, style: TerminalStyle): string {
  const marks = { pending: '○', running: '●', done: '✓', failed: '✗', stopped: '■' } as const
  const progress = phaseProgress(snapshot)
  return snapshot.phases
    .map((p) => {
      const count = progress.get(p.title)
      const text = `${marks[p.state]} ${safeLine(p.title)}${count ? ` ${count.done}/${count.all}` : ''}`
      return p.state === 'running' ? bold(style, text) : dim(style, text)
    })
    .join('  ')
}

/** Running and retrying first, then the most recent others, up to `rows`. */
function visibleAgents(agents: AgentView[], rows: number): AgentView[] {
  if (agents.length <= rows) return agents
  const active = agents.filter((a) => a.state === 'running' || a.state === 'retrying')
  const rest = agents.filter((a) => a.state !== 'running' && a.state !== 'retrying' && a.state !== 'queued')
  const chosen = [...active.slice(0, rows), ...rest.slice(-Math.max(0, rows - active.length))]
  return chosen.sort((a, b) => a.id - b.id)
}

function agentRow(agent: AgentView, width: number, now: number, style: TerminalStyle): string {
  const time = agent.durationMs ?? (agent.startedAt !== undefined ? now - agent.startedAt : undefined)
  const tokens = agent.usage.inputTokens + agent.usage.outputTokens
  const finished = agent.state !== 'queued' && agent.state !== 'running' && agent.state !== 'retrying'
  const right = `${safeLine(agent.model).padEnd(18).slice(0, 18)} ${(finished ? formatTokens(tokens) : '').padStart(6)} ${(finished ? formatUsd(agent.usage.costUsd) : '').padStart(8)} ${formatDuration(time).padStart(7)}`
  const labelWidth = Math.max(10, width - right.length - 4)
  const label = clip(`${agent.phase ? safeLine(agent.phase) + ' › ' : ''}${safeLine(agent.label)}`, labelWidth).padEnd(labelWidth)
  return `${stateColor(style, agent.state, ICONS[agent.state])} ${label} ${dim(style, right)}`
}

/** What `dwf status` prints: the whole run, every agent, errors and how to resume. */
export function renderStatus(snapshot: RunSnapshot, shownStatus: RunSnapshot['status'] | 'interrupted', style: TerminalStyle, width = 100): string {
  const lines = [`${stateColor(style, shownStatus, STATUS_ICONS[shownStatus])} ${bold(style, safeLine(snapshot.name))} ${safeLine(shownStatus)}  run ${safeLine(snapshot.runId)}`]
  if (snapshot.description) lines.push(dim(style, safeLine(snapshot.description)))
  lines.push(
    `started ${new Date(snapshot.startedAt).toISOString()}` + (snapshot.finishedAt ? `, took ${formatDuration(snapshot.finishedAt - snapshot.startedAt)}` : ''),
  )
  if (snapshot.phases.length) lines.push(phaseLine(snapshot, style))
  lines.push(formatTotals(snapshot, style))
  const changes = formatChanges(snapshot, 50)
  if (changes) lines.push(changes)
  const effects = formatEffects(snapshot)
  if (effects) lines.push(effects, ...effectDetails(snapshot, width))
  lines.push('')
  for (const agent of snapshot.agents) {
    lines.push(agentRow(agent, width, snapshot.updatedAt, style))
    // Why a call ran live although a similar one was journaled: the question after an edit.
    if (agent.miss?.kind === 'changed' && agent.state !== 'replayed') lines.push(dim(style, `    ran live: ${safeLine(describeMiss(agent.miss))} since the journaled call`))
    if (agent.error && agent.state === 'failed') lines.push(red(style, `    ${safeText(formatError(snapshot, agent.error))}`))
  }
  if (snapshot.error) lines.push('', red(style, `error: ${safeText(formatError(snapshot, snapshot.error))}`))
  return neutraliseCommands(lines.join('\n'))
}
