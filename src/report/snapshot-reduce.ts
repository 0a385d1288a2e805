import { roundUsd } from '../core/money.js'
import type { RunEvent } from '../core/events.js'
import { declare, noEffects } from '../core/effects.js'
import type { Usage } from '../core/usage.js'
import type { AgentView, PhaseState, PhaseView, RunSnapshot, Totals } from './snapshot.js'

/** How each event changes the snapshot (in place: applyEvents copies it once per batch). */
type Steps = { [T in RunEvent['type']]: (s: RunSnapshot, e: Extract<RunEvent, { type: T }>) => void }

const STEPS: Steps = {
  run_started(s, e) {
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
  },
  phase_started(s, e) {
    finishRunningPhase(s, 'done')
    const at = s.phases.findIndex((p) => p.title === e.title)
    const started: PhaseView = { ...(at >= 0 ? s.phases[at] : { title: e.title }), state: 'running', startedAt: e.at }
    if (at >= 0) s.phases[at] = started
    else s.phases.push(started)
    s.currentPhase = e.title
  },
  log(s, e) {
    s.logs.push({ at: e.at, message: e.message, line: e.line })
  },
  warning(s, e) {
    s.warnings.push(e.message)
  },
  effect(s, e) {
    // Copied, not changed in place: earlier snapshots share the previous object.
    const effects = s.effects ?? noEffects()
    const next = { ...effects, review: { ...effects.review, comments: [...effects.review.comments] }, labels: { add: [...effects.labels.add], remove: [...effects.labels.remove] } }
    declare(next, e.effect)
    s.effects = next
  },
  files_changed(s, e) {
    s.changes = { files: e.files, added: e.added, modified: e.modified, deleted: e.deleted }
  },
  agent_queued(s, e) {
    const { type: _type, at, ...call } = e
    s.agents[e.id - 1] = { ...call, state: 'queued', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, attempts: 0, queuedAt: at }
    s.totals.agents.total++
    s.totals.agents.queued++
  },
  agent_replayed(s, e) {
    const t = s.totals
    updateAgent(s, e.id, { state: 'replayed', usage: e.usage, finishedAt: e.at, durationMs: e.durationMs })
    t.agents.queued--
    t.agents.replayed++
    t.saved.tokens += e.usage.inputTokens + e.usage.outputTokens
    t.saved.costUsd = roundUsd(t.saved.costUsd + (e.usage.costUsd ?? 0))
  },
  agent_started(s, e) {
    if (s.agents[e.id - 1]?.state === 'queued') {
      s.totals.agents.queued--
      s.totals.agents.running++
    }
    updateAgent(s, e.id, { state: 'running', startedAt: e.at, attempts: 1, miss: e.miss })
  },
  agent_retrying(s, e) {
    updateAgent(s, e.id, { state: 'retrying', attempts: e.attempt + 1, error: e.error })
  },
  agent_succeeded(s, e) {
    leaveRunning(s, e.id)
    updateAgent(s, e.id, { state: 'succeeded', usage: e.usage, model: e.model, finishedAt: e.at, durationMs: e.durationMs, error: undefined })
    s.totals.agents.live++
    charge(s.totals, e.usage)
  },
  agent_failed(s, e) {
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
    if (stopped) s.totals.agents.total--
    else {
      s.totals.agents.live++
      s.totals.agents.failed++
    }
    if (e.usage) charge(s.totals, e.usage)
  },
  run_finished(s, e) {
    s.status = e.status
    s.finishedAt = e.at
    s.result = e.result
    s.error = e.error
    finishRunningPhase(s, e.status === 'succeeded' ? 'done' : e.status === 'stopped' ? 'stopped' : 'failed')
  },
}

/** Applies one event to a snapshot being built. */
function applyEvent(s: RunSnapshot, e: RunEvent): void {
  s.updatedAt = e.at
  ;(STEPS[e.type] as (s: RunSnapshot, e: RunEvent) => void)(s, e)
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
  for (const event of events) applyEvent(next, event)
  if (next.logs.length > MAX_LOGS) next.logs = next.logs.slice(-MAX_LOGS)
  return next
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
  if (usage.cacheSavedUsd) t.cacheSavedUsd = roundUsd((t.cacheSavedUsd ?? 0) + usage.cacheSavedUsd)
}

function finishRunningPhase(s: RunSnapshot, state: PhaseState): void {
  s.phases = s.phases.map((p) => (p.state === 'running' ? { ...p, state } : p))
}
