import { roundUsd } from '../core/money.js'
import type { ErrorInfo } from '../core/errors.js'
import type { AgentCall, MissReason, RunEvent, RunStatus } from '../core/events.js'
import { type Usage } from '../core/usage.js'

export type AgentState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'replayed' | 'failed' | 'stopped'
export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'stopped'

export interface AgentView extends AgentCall {
  state: AgentState
  /** Live: what the call cost. Replayed: what the original call cost, i.e. what replay saved. */
  usage: Usage
  attempts: number
  queuedAt: number
  startedAt?: number
  finishedAt?: number
  durationMs?: number
  miss?: MissReason
  error?: ErrorInfo
}

export interface PhaseView {
  title: string
  detail?: string
  model?: string
  state: PhaseState
  startedAt?: number
}

export interface Totals {
  /**
   * Calls by how they ended. `live` counts every call that ran live, failed or not; `failed`
   * is the part of `live` that failed; once the run is over, total = live + replayed (calls
   * a stop cut off leave the totals). While it runs, `running` and `queued` are in `total` too.
   */
  agents: { total: number; live: number; replayed: number; failed: number; running: number; queued: number }
  tokens: { input: number; output: number }
  /** Dollars spent by live calls whose price is known. */
  costUsd: number
  /** Live calls whose price is unknown (their cost is not in costUsd). */
  unpricedCalls: number
  saved: { tokens: number; costUsd: number }
}

export interface LogLine {
  at: number
  message: string
  line?: number
}

/** Everything a view needs to show a run. Produced only by `applyEvents`. */
export interface RunSnapshot {
  v: 1
  runId: string
  name: string
  description?: string
  script?: string
  status: RunStatus
  startedAt: number
  updatedAt: number
  finishedAt?: number
  provider: string
  concurrency: number
  maxAgents: number
  budget: { tokens?: number; costUsd?: number }
  phases: PhaseView[]
  currentPhase?: string
  agents: AgentView[]
  totals: Totals
  /** The most recent script log lines (all of them are in the run's log file). */
  logs: LogLine[]
  warnings: string[]
  result?: unknown
  error?: ErrorInfo
}

const MAX_LOGS = 200

/** The snapshot before any event. */
export function emptySnapshot(): RunSnapshot {
  return {
    v: 1,
    runId: '',
    name: '',
    status: 'running',
    startedAt: 0,
    updatedAt: 0,
    provider: '',
    concurrency: 0,
    maxAgents: 0,
    budget: {},
    phases: [],
    agents: [],
    totals: {
      agents: { total: 0, live: 0, replayed: 0, failed: 0, running: 0, queued: 0 },
      tokens: { input: 0, output: 0 },
      costUsd: 0,
      unpricedCalls: 0,
      saved: { tokens: 0, costUsd: 0 },
    },
    logs: [],
    warnings: [],
  }
}

/** reduce(snapshot, event): the pure step of the data flow. */
export function reduce(snapshot: RunSnapshot, event: RunEvent): RunSnapshot {
  return applyEvents(snapshot, [event])
}

/**
 * Applies a batch of events. Pure: `previous` is never changed. The result is copied once
 * per batch and agents are replaced, not mutated, so a 10,000-agent run stays cheap.
 */
export function applyEvents(previous: RunSnapshot, events: readonly RunEvent[]): RunSnapshot {
  const next: RunSnapshot = {
    ...previous,
    phases: [...previous.phases],
    agents: [...previous.agents],
    logs: [...previous.logs],
    warnings: [...previous.warnings],
    totals: {
      ...previous.totals,
      agents: { ...previous.totals.agents },
      tokens: { ...previous.totals.tokens },
      saved: { ...previous.totals.saved },
    },
  }
  for (const event of events) apply(next, event)
  if (next.logs.length > MAX_LOGS) next.logs = next.logs.slice(-MAX_LOGS)
  return next
}

function apply(s: RunSnapshot, e: RunEvent): void {
  s.updatedAt = e.at
  const t = s.totals
  switch (e.type) {
    case 'run_started':
      Object.assign(s, {
        runId: e.runId,
        name: e.name,
        description: e.description,
        script: e.script,
        status: 'running',
        startedAt: e.at,
        provider: e.provider,
        concurrency: e.concurrency,
        maxAgents: e.maxAgents,
        budget: e.budget,
      })
      s.phases = e.phases.map((p) => ({ ...p, state: 'pending' }))
      return
    case 'phase_started': {
      finishRunningPhase(s, 'done')
      const at = s.phases.findIndex((p) => p.title === e.title)
      const started: PhaseView = { ...(at >= 0 ? s.phases[at] : { title: e.title }), state: 'running', startedAt: e.at }
      if (at >= 0) s.phases[at] = started
      else s.phases.push(started)
      s.currentPhase = e.title
      return
    }
    case 'log':
      s.logs.push({ at: e.at, message: e.message, line: e.line })
      return
    case 'warning':
      s.warnings.push(e.message)
      return
    case 'agent_queued':
      s.agents[e.id - 1] = {
        id: e.id,
        key: e.key,
        label: e.label,
        phase: e.phase,
        provider: e.provider,
        model: e.model,
        line: e.line,
        state: 'queued',
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        attempts: 0,
        queuedAt: e.at,
      }
      t.agents.total++
      t.agents.queued++
      return
    case 'agent_replayed':
      updateAgent(s, e.id, { state: 'replayed', usage: e.usage, finishedAt: e.at, durationMs: e.durationMs })
      t.agents.queued--
      t.agents.replayed++
      t.saved.tokens += e.usage.inputTokens + e.usage.outputTokens
      t.saved.costUsd = roundUsd(t.saved.costUsd + (e.usage.costUsd ?? 0))
      return
    case 'agent_started': {
      const agent = s.agents[e.id - 1]
      if (agent?.state === 'queued') {
        t.agents.queued--
        t.agents.running++
      }
      updateAgent(s, e.id, { state: 'running', startedAt: e.at, attempts: 1, miss: e.miss })
      return
    }
    case 'agent_retrying':
      updateAgent(s, e.id, { state: 'retrying', attempts: e.attempt + 1, error: e.error })
      return
    case 'agent_succeeded':
      leaveRunning(s, e.id)
      updateAgent(s, e.id, { state: 'succeeded', usage: e.usage, model: e.model, finishedAt: e.at, durationMs: e.durationMs, error: undefined })
      t.agents.live++
      charge(t, e.usage)
      return
    case 'agent_failed': {
      leaveRunning(s, e.id)
      const stopped = e.error.code === 'STOPPED'
      const agent = s.agents[e.id - 1]
      updateAgent(s, e.id, {
        state: stopped ? 'stopped' : 'failed',
        error: e.error,
        finishedAt: e.at,
        durationMs: agent?.startedAt === undefined ? undefined : e.at - agent.startedAt,
        ...(e.usage ? { usage: e.usage } : {}),
      })
      // The totals follow DESIGN.md: total = live + replayed, and failed is the part of live
      // that failed. A call the stop cut off did not finish: it runs again on resume, so it
      // leaves the totals (its row stays, as stopped).
      if (stopped) t.agents.total--
      else {
        t.agents.live++
        t.agents.failed++
      }
      if (e.usage) charge(t, e.usage)
      return
    }
    case 'run_finished':
      s.status = e.status
      s.finishedAt = e.at
      s.result = e.result
      s.error = e.error
      finishRunningPhase(s, e.status === 'succeeded' ? 'done' : e.status === 'stopped' ? 'stopped' : 'failed')
      return
  }
}

function updateAgent(s: RunSnapshot, id: number, changes: Partial<AgentView>): void {
  const agent = s.agents[id - 1]
  if (agent) s.agents[id - 1] = { ...agent, ...changes }
}

/** Moves the counters of an agent that ends, from wherever it was. */
function leaveRunning(s: RunSnapshot, id: number): void {
  const state = s.agents[id - 1]?.state
  if (state === 'queued') s.totals.agents.queued--
  else if (state === 'running' || state === 'retrying') s.totals.agents.running--
}

function charge(t: Totals, usage: Usage): void {
  t.tokens.input += usage.inputTokens
  t.tokens.output += usage.outputTokens
  if (usage.costUsd === null) t.unpricedCalls++
  else t.costUsd = roundUsd(t.costUsd + usage.costUsd)
}

function finishRunningPhase(s: RunSnapshot, state: PhaseState): void {
  s.phases = s.phases.map((p) => (p.state === 'running' ? { ...p, state } : p))
}
