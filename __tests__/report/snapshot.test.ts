import { describe, expect, it } from '@jest/globals'
import type { RunEvent } from '../../src/core/events.js'
import { type RunSnapshot } from '../../src/report/snapshot.js'
import { type Usage } from '../../src/core/usage.js'
import { applyEvents, emptySnapshot, reduce } from '../../src/report/snapshot-reduce.js'

/** Freezes a value and everything it reaches, so any mutation throws (ES modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const member of Object.values(value)) deepFreeze(member)
  }
  return value
}

const started = (phases: string[] = ['Review', 'Verify']): RunEvent => ({
  type: 'run_started',
  at: 1000,
  runId: 'run-1',
  name: 'pr-review',
  description: 'a test run',
  script: 'review.workflow.js',
  phases: phases.map((title) => ({ title })),
  provider: 'mock',
  concurrency: 4,
  maxAgents: 100,
  budget: { tokens: 5000 },
})

const queued = (id: number, extra: Partial<Extract<RunEvent, { type: 'agent_queued' }>> = {}): RunEvent => ({
  type: 'agent_queued',
  at: 1000 + id,
  id,
  key: `${'a'.repeat(64)}#${id - 1}`,
  label: `agent ${id}`,
  provider: 'mock',
  model: 'mock',
  ...extra,
})

const usage = (inputTokens: number, outputTokens: number, costUsd: number | null): Usage => ({ inputTokens, outputTokens, costUsd })

const agentStarted = (id: number, at = 2000): RunEvent => ({ type: 'agent_started', at, id, miss: { kind: 'new' } })
const succeeded = (id: number, u: Usage, at = 3000): RunEvent => ({ type: 'agent_succeeded', at, id, usage: u, durationMs: 1000, model: 'mock-1' })
const replayed = (id: number, u: Usage): RunEvent => ({ type: 'agent_replayed', at: 1500, id, usage: u, durationMs: 700 })
const failed = (id: number, code: 'PROVIDER' | 'STOPPED' | 'BUDGET_EXHAUSTED', u?: Usage, at = 3000): RunEvent => ({
  type: 'agent_failed',
  at,
  id,
  error: { code, message: `${code} happened` },
  ...(u ? { usage: u } : {}),
})

function run(events: RunEvent[]): RunSnapshot {
  return applyEvents(emptySnapshot(), events)
}

describe('applyEvents and reduce', () => {
  it('never change the previous snapshot', () => {
    const events: RunEvent[] = [
      started(),
      { type: 'phase_started', at: 1001, title: 'Review' },
      queued(1),
      queued(2),
      queued(3),
      agentStarted(1),
      { type: 'log', at: 1002, message: 'hello', line: 3 },
      { type: 'warning', at: 1003, message: 'careful' },
    ]
    const previous = deepFreeze(run(events))
    const before = JSON.parse(JSON.stringify(previous)) as unknown
    const later: RunEvent[] = [
      { type: 'agent_retrying', at: 2100, id: 1, attempt: 1, error: { code: 'RATE_LIMITED', message: 'slow down' }, delayMs: 10 },
      succeeded(1, usage(10, 20, 0.01)),
      replayed(2, usage(5, 5, 0.002)),
      agentStarted(3),
      failed(3, 'PROVIDER', usage(1, 1, null)),
      { type: 'phase_started', at: 4000, title: 'Verify' },
      { type: 'phase_started', at: 4001, title: 'Unplanned' },
      { type: 'log', at: 4002, message: 'more' },
      { type: 'warning', at: 4003, message: 'again' },
      { type: 'run_finished', at: 5000, status: 'failed', error: { code: 'PROVIDER', message: 'x' } },
    ]
    let next: RunSnapshot | undefined
    expect(() => {
      next = applyEvents(previous, later)
    }).not.toThrow()
    expect(previous).toEqual(before)
    expect(next!.status).toBe('failed')
    expect(next!.agents.map((a) => a.state)).toEqual(['succeeded', 'replayed', 'failed'])

    // reduce, one event at a time, is pure too and agrees with the batch.
    let stepwise = previous
    for (const event of later) stepwise = reduce(deepFreeze(stepwise), event)
    expect(previous).toEqual(before)
    expect(stepwise).toEqual(next)
  })

  it('starts from an empty snapshot with zero counters', () => {
    const s = emptySnapshot()
    expect(s.status).toBe('running')
    expect(s.totals.agents).toEqual({ total: 0, live: 0, replayed: 0, failed: 0, running: 0, queued: 0 })
    expect(s.agents).toEqual([])
    // Two empty snapshots never share state.
    s.agents.push(undefined as never)
    expect(emptySnapshot().agents).toEqual([])
  })

  it('copies the run fields from run_started and lists the declared phases as pending', () => {
    const s = run([started()])
    expect(s).toMatchObject({
      runId: 'run-1',
      name: 'pr-review',
      description: 'a test run',
      script: 'review.workflow.js',
      status: 'running',
      startedAt: 1000,
      provider: 'mock',
      concurrency: 4,
      maxAgents: 100,
      budget: { tokens: 5000 },
    })
    expect(s.phases).toEqual([
      { title: 'Review', state: 'pending' },
      { title: 'Verify', state: 'pending' },
    ])
  })

  it('stamps updatedAt with the time of the latest event', () => {
    expect(run([started(), queued(1), agentStarted(1, 2345)]).updatedAt).toBe(2345)
  })
})

describe('agent counters', () => {
  it('count queued, running, live, replayed and failed calls as they move', () => {
    let s = run([started(), queued(1), queued(2), queued(3), queued(4)])
    expect(s.totals.agents).toEqual({ total: 4, live: 0, replayed: 0, failed: 0, running: 0, queued: 4 })

    s = applyEvents(s, [agentStarted(1), agentStarted(2)])
    expect(s.totals.agents).toEqual({ total: 4, live: 0, replayed: 0, failed: 0, running: 2, queued: 2 })

    s = applyEvents(s, [replayed(3, usage(10, 10, 0.001))])
    expect(s.totals.agents).toEqual({ total: 4, live: 0, replayed: 1, failed: 0, running: 2, queued: 1 })

    s = applyEvents(s, [succeeded(1, usage(100, 50, 0.002)), failed(2, 'PROVIDER')])
    expect(s.totals.agents).toEqual({ total: 4, live: 2, replayed: 1, failed: 1, running: 0, queued: 1 })

    // A call refused before it started (e.g. budget) leaves the queue and counts as failed, a part of live.
    s = applyEvents(s, [failed(4, 'BUDGET_EXHAUSTED')])
    expect(s.totals.agents).toEqual({ total: 4, live: 3, replayed: 1, failed: 2, running: 0, queued: 0 })
    expect(s.agents[3]!.state).toBe('failed')
    expect(s.agents[3]!.durationMs).toBeUndefined()
  })

  it('keeps a retrying call counted as running, with its attempts and last error', () => {
    let s = run([started(), queued(1), agentStarted(1)])
    s = reduce(s, { type: 'agent_retrying', at: 2100, id: 1, attempt: 1, error: { code: 'RATE_LIMITED', message: 'slow down' }, delayMs: 50 })
    expect(s.agents[0]).toMatchObject({ state: 'retrying', attempts: 2, error: { code: 'RATE_LIMITED' } })
    expect(s.totals.agents.running).toBe(1)
    s = reduce(s, { type: 'agent_retrying', at: 2200, id: 1, attempt: 2, error: { code: 'TIMEOUT', message: 'late' }, delayMs: 100 })
    expect(s.agents[0]!.attempts).toBe(3)
    s = reduce(s, succeeded(1, usage(1, 1, 0)))
    expect(s.totals.agents).toMatchObject({ running: 0, live: 1 })
    expect(s.agents[0]!.state).toBe('succeeded')
    expect(s.agents[0]!.error).toBeUndefined()
  })

  it('records the agent view of a queued, started and finished call', () => {
    const s = run([started(), queued(1, { phase: 'Review', line: 7, label: 'security' }), agentStarted(1, 2000), succeeded(1, usage(3, 4, 0.5), 2600)])
    expect(s.agents[0]).toEqual({
      id: 1,
      key: `${'a'.repeat(64)}#0`,
      label: 'security',
      phase: 'Review',
      provider: 'mock',
      model: 'mock-1',
      line: 7,
      state: 'succeeded',
      usage: usage(3, 4, 0.5),
      attempts: 1,
      queuedAt: 1001,
      startedAt: 2000,
      finishedAt: 2600,
      durationMs: 1000,
      miss: { kind: 'new' },
    })
  })

  it('gives a STOPPED failure the state stopped and does not count it as failed', () => {
    const s = run([started(), queued(1), queued(2), agentStarted(1), failed(1, 'STOPPED', undefined, 2500), failed(2, 'STOPPED')])
    expect(s.agents.map((a) => a.state)).toEqual(['stopped', 'stopped'])
    // Cut off by the stop, they run again on resume: not in the totals (total = live + replayed).
    expect(s.totals.agents).toEqual({ total: 0, live: 0, replayed: 0, failed: 0, running: 0, queued: 0 })
    expect(s.agents[0]!.error).toEqual({ code: 'STOPPED', message: 'STOPPED happened' })
    expect(s.agents[0]!.durationMs).toBe(500)
  })

  it('charges the usage a failed call reports', () => {
    const s = run([started(), queued(1), agentStarted(1), failed(1, 'PROVIDER', usage(40, 2, 0.003))])
    expect(s.totals.tokens).toEqual({ input: 40, output: 2 })
    expect(s.totals.costUsd).toBe(0.003)
    expect(s.agents[0]!.usage).toEqual(usage(40, 2, 0.003))
  })
})

describe('tokens, cost and savings', () => {
  it('sums tokens and cost of live calls only', () => {
    const s = run([
      started(),
      queued(1),
      queued(2),
      queued(3),
      agentStarted(1),
      agentStarted(2),
      succeeded(1, usage(100, 10, 0.1)),
      succeeded(2, usage(200, 20, 0.2)),
      replayed(3, usage(1000, 1000, 5)),
    ])
    expect(s.totals.tokens).toEqual({ input: 300, output: 30 })
    expect(s.totals.costUsd).toBeCloseTo(0.3, 10)
    expect(s.totals.unpricedCalls).toBe(0)
  })

  it('counts the tokens and cost that replayed calls saved', () => {
    const s = run([started(), queued(1), queued(2), replayed(1, usage(100, 50, 0.25)), replayed(2, usage(10, 5, 0.125))])
    expect(s.totals.saved).toEqual({ tokens: 165, costUsd: 0.375 })
    expect(s.totals.tokens).toEqual({ input: 0, output: 0 })
    expect(s.totals.costUsd).toBe(0)
    expect(s.agents[0]).toMatchObject({ state: 'replayed', usage: usage(100, 50, 0.25), durationMs: 700, finishedAt: 1500 })
  })

  it('saves tokens but no dollars for a replayed call of unknown price', () => {
    const s = run([started(), queued(1), replayed(1, usage(30, 12, null))])
    expect(s.totals.saved).toEqual({ tokens: 42, costUsd: 0 })
  })

  it('counts unpriced live calls apart and keeps their cost out of costUsd', () => {
    const s = run([
      started(),
      queued(1),
      queued(2),
      queued(3),
      agentStarted(1),
      agentStarted(2),
      agentStarted(3),
      succeeded(1, usage(10, 10, null)),
      succeeded(2, usage(10, 10, 0.01)),
      failed(3, 'PROVIDER', usage(5, 0, null)),
    ])
    expect(s.totals.unpricedCalls).toBe(2)
    expect(s.totals.costUsd).toBe(0.01)
    expect(s.totals.tokens).toEqual({ input: 25, output: 20 })
  })

  it('rounds summed dollars to a millionth so repeated sums stay stable', () => {
    let s = run([started()])
    for (let id = 1; id <= 10; id++) s = applyEvents(s, [queued(id), agentStarted(id), succeeded(id, usage(1, 1, 0.1))])
    expect(s.totals.costUsd).toBe(1)
  })
})

describe('phases', () => {
  it('move from pending to running to done as later phases start', () => {
    let s = run([started(['A', 'B', 'C'])])
    expect(s.phases.map((p) => p.state)).toEqual(['pending', 'pending', 'pending'])
    s = reduce(s, { type: 'phase_started', at: 1100, title: 'A' })
    expect(s.phases.map((p) => p.state)).toEqual(['running', 'pending', 'pending'])
    expect(s.currentPhase).toBe('A')
    expect(s.phases[0]!.startedAt).toBe(1100)
    s = reduce(s, { type: 'phase_started', at: 1200, title: 'B' })
    expect(s.phases.map((p) => p.state)).toEqual(['done', 'running', 'pending'])
    expect(s.currentPhase).toBe('B')
    s = reduce(s, { type: 'run_finished', at: 1300, status: 'succeeded', result: 42 })
    expect(s.phases.map((p) => p.state)).toEqual(['done', 'done', 'pending'])
    expect(s).toMatchObject({ status: 'succeeded', finishedAt: 1300, result: 42 })
  })

  it('appends a phase the meta did not declare, after the declared ones', () => {
    const s = run([started(['A']), { type: 'phase_started', at: 1100, title: 'A' }, { type: 'phase_started', at: 1200, title: 'Surprise' }])
    expect(s.phases).toEqual([
      { title: 'A', state: 'done', startedAt: 1100 },
      { title: 'Surprise', state: 'running', startedAt: 1200 },
    ])
  })

  it('keeps the detail and model of a declared phase when it starts', () => {
    const s = run([
      { ...(started() as Extract<RunEvent, { type: 'run_started' }>), phases: [{ title: 'A', detail: 'first', model: 'm-a' }] },
      { type: 'phase_started', at: 1100, title: 'A' },
    ])
    expect(s.phases[0]).toEqual({ title: 'A', detail: 'first', model: 'm-a', state: 'running', startedAt: 1100 })
  })

  it('marks the running phase failed when the run fails', () => {
    const s = run([
      started(['A', 'B']),
      { type: 'phase_started', at: 1100, title: 'A' },
      { type: 'run_finished', at: 1200, status: 'failed', error: { code: 'SCRIPT_ERROR', message: 'oops', line: 4 } },
    ])
    expect(s.phases.map((p) => p.state)).toEqual(['failed', 'pending'])
    expect(s.status).toBe('failed')
    expect(s.error).toEqual({ code: 'SCRIPT_ERROR', message: 'oops', line: 4 })
  })

  it('marks the running phase stopped when the run is stopped', () => {
    const s = run([
      started(['A', 'B']),
      { type: 'phase_started', at: 1100, title: 'A' },
      { type: 'phase_started', at: 1150, title: 'B' },
      { type: 'run_finished', at: 1200, status: 'stopped', error: { code: 'STOPPED', message: 'the run was stopped' } },
    ])
    expect(s.phases.map((p) => p.state)).toEqual(['done', 'stopped'])
    expect(s.status).toBe('stopped')
  })
})

describe('logs and warnings', () => {
  it('keeps log lines with their time and script line', () => {
    const s = run([started(), { type: 'log', at: 1100, message: 'one', line: 3 }, { type: 'log', at: 1200, message: 'two' }])
    expect(s.logs).toEqual([
      { at: 1100, message: 'one', line: 3 },
      { at: 1200, message: 'two', line: undefined },
    ])
  })

  it('keeps only the latest 200 log lines, in one batch', () => {
    const logs: RunEvent[] = Array.from({ length: 250 }, (_, i) => ({ type: 'log', at: i, message: `line ${i}` }))
    const s = run([started(), ...logs])
    expect(s.logs).toHaveLength(200)
    expect(s.logs[0]!.message).toBe('line 50')
    expect(s.logs[199]!.message).toBe('line 249')
  })

  it('keeps only the latest 200 log lines across many reductions', () => {
    let s = run([started()])
    for (let i = 0; i < 230; i++) s = reduce(s, { type: 'log', at: i, message: `line ${i}` })
    expect(s.logs).toHaveLength(200)
    expect(s.logs[0]!.message).toBe('line 30')
    expect(s.logs.at(-1)!.message).toBe('line 229')
  })

  it('collects warnings in order', () => {
    const s = run([started(), { type: 'warning', at: 1, message: 'first' }, { type: 'warning', at: 2, message: 'second' }])
    expect(s.warnings).toEqual(['first', 'second'])
  })
})
