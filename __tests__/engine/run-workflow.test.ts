import { describe, expect, it } from '@jest/globals'
import { createMockProvider } from '../../src/agents/mock.js'
import type { AgentProvider, AgentRequest, AgentResponse } from '../../src/core/provider.js'
import { resolveConfig } from '../../src/engine/config.js'
import { WorkflowError } from '../../src/core/errors.js'
import type { RunEvent } from '../../src/core/events.js'
import { entryProblem } from '../../src/journal/entry.js'
import { MemoryJournal, providerSet, runSource, workflow } from '../support/in-process.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

/** Lets other macrotasks (timers, I/O, the sandbox's pumps) run: no wall-clock assumptions. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** `turns(n)`: a bounded wait, so a test whose expectation is broken fails instead of hanging. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await turn()
}

interface Deferred<T = void> {
  promise: Promise<T>
  resolve: (value: T) => void
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((res) => (resolve = res))
  return { promise, resolve }
}

type Behaviour = (request: AgentRequest, signal: AbortSignal) => Promise<AgentResponse | void> | AgentResponse | void

/**
 * A provider that counts calls and calls in flight, keeps each request and signal, and answers
 * `answer to: <prompt>` after `behaviour` (which may wait, throw or return its own response).
 */
class RecordingProvider implements AgentProvider {
  readonly defaultModel = 'rec-model'
  readonly requests: AgentRequest[] = []
  readonly signals: AbortSignal[] = []
  inFlight = 0
  maxInFlight = 0
  onStart?: (request: AgentRequest) => void
  constructor(
    readonly name = 'rec',
    private readonly behaviour: Behaviour = async () => {
      for (let i = 0; i < 3; i++) await turn()
    },
  ) {}

  get calls(): number {
    return this.requests.length
  }

  async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
    this.requests.push(request)
    this.signals.push(signal)
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.onStart?.(request)
    try {
      const own = await this.behaviour(request, signal)
      if (own) return own
      const text = `answer to: ${request.prompt}`
      return { text, usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 }, model: request.model }
    } finally {
      this.inFlight--
    }
  }
}

/** Rejects with the signal's reason once it aborts; never answers otherwise. */
const hangUntilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })

/** The mock provider, counting its calls. */
function countingMock(options: Parameters<typeof createMockProvider>[0] = {}) {
  const mock = createMockProvider(options)
  const prompts: string[] = []
  const provider: AgentProvider = {
    name: mock.name,
    defaultModel: mock.defaultModel,
    run(request, signal) {
      prompts.push(request.prompt)
      return mock.run(request, signal)
    },
  }
  return { provider, prompts, providers: providerSet(provider) }
}

const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T) => events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type)

describe('runWorkflow scheduling', () => {
  it('never has more calls in flight than the concurrency, and fills every slot', async () => {
    const provider = new RecordingProvider()
    const { outcome } = await runSource(workflow(`return await parallel(Array.from({ length: 10 }, (_, i) => () => agent('task ' + i)))`), {
      providers: providerSet(provider),
      config: { concurrency: 3 },
    })
    expect(outcome.status).toBe('succeeded')
    expect(outcome.result).toEqual(Array.from({ length: 10 }, (_, i) => `answer to: task ${i}`))
    expect(provider.calls).toBe(10)
    expect(provider.maxInFlight).toBe(3)
  })

  it('runs pipeline stages per item with (previous, item, index) and returns results in order', async () => {
    const provider = new RecordingProvider()
    const { outcome } = await runSource(
      workflow(`return await pipeline(['a', 'b', 'c'],
  (item) => agent('draft ' + item),
  (draft, item, index) => agent('polish ' + index + ' ' + item + ': ' + draft))`),
      { providers: providerSet(provider) },
    )
    expect(outcome.status).toBe('succeeded')
    expect(outcome.result).toEqual([
      'answer to: polish 0 a: answer to: draft a',
      'answer to: polish 1 b: answer to: draft b',
      'answer to: polish 2 c: answer to: draft c',
    ])
  })

  it('lets the items of a pipeline overlap: one item does not wait for the others', async () => {
    const slowDraft = deferred()
    const provider = new RecordingProvider('rec', async (request) => {
      if (request.prompt === 'draft slow') await Promise.race([slowDraft.promise, turns(200)])
    })
    provider.onStart = (request) => {
      // The fast item reached its second stage while the slow one is still drafting.
      if (request.prompt.startsWith('polish fast')) slowDraft.resolve()
    }
    const { outcome } = await runSource(workflow(`return await pipeline(['slow', 'fast'], (item) => agent('draft ' + item), (d, item) => agent('polish ' + item))`), {
      providers: providerSet(provider),
    })
    expect(outcome.status).toBe('succeeded')
    expect(provider.requests.map((r) => r.prompt).indexOf('polish fast')).toBeLessThan(provider.requests.map((r) => r.prompt).indexOf('polish slow'))
  })

  it('retries a transient provider error and reports the retry as an event', async () => {
    let attempts = 0
    const provider = new RecordingProvider('rec', () => {
      if (++attempts === 1) throw new WorkflowError('RATE_LIMITED', 'slow down', { retryAfterMs: 2 })
    })
    const { outcome, events, snapshot } = await runSource(workflow(`return await agent('flaky')`), { providers: providerSet(provider), config: { retryBaseMs: 1 } })
    expect(outcome.status).toBe('succeeded')
    expect(ofType(events, 'agent_retrying')).toEqual([expect.objectContaining({ id: 1, attempt: 1, delayMs: 2, error: { code: 'RATE_LIMITED', message: 'slow down' } })])
    expect(snapshot.agents[0]).toMatchObject({ state: 'succeeded', attempts: 2 })
  })

  it('honours the per-call retries option over the run setting', async () => {
    const provider = new RecordingProvider('rec', () => {
      throw new WorkflowError('RATE_LIMITED', 'slow down')
    })
    const { outcome } = await runSource(workflow(`return await agent('flaky', { retries: 1 })`), { providers: providerSet(provider), config: { retries: 5, retryBaseMs: 1 } })
    expect(outcome.error?.code).toBe('RATE_LIMITED')
    expect(provider.calls).toBe(2)
  })
})

describe('runWorkflow replay', () => {
  it('answers journaled calls from the journal, without a concurrency slot, and reports the saved usage', async () => {
    const provider = new RecordingProvider()
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('old question')`), { providers: providerSet(provider), journal })
    expect(journal.appended).toHaveLength(1)
    const saved = journal.appended[0]!

    // With one slot held by a live call, the replayed call still answers at once.
    const releaseLive = deferred()
    const live = new RecordingProvider('rec', () => Promise.race([releaseLive.promise, turns(200)]))
    const { outcome, events } = await runSource(
      workflow(`const live = agent('new question')
const old = await agent('old question')
log('replayed while live')
return [await live, old]`),
      {
        providers: providerSet(live),
        journal,
        config: { concurrency: 1 },
        onEvent: (e) => {
          if (e.type === 'log') releaseLive.resolve()
        },
      },
    )
    expect(outcome.status).toBe('succeeded')
    expect(outcome.result).toEqual(['answer to: new question', saved.result])
    expect(live.calls).toBe(1)
    const logAt = events.findIndex((e) => e.type === 'log')
    const liveDoneAt = events.findIndex((e) => e.type === 'agent_succeeded' && e.id === 1)
    expect(logAt).toBeGreaterThanOrEqual(0)
    expect(logAt).toBeLessThan(liveDoneAt)
    expect(ofType(events, 'agent_replayed')).toEqual([{ type: 'agent_replayed', at: expect.any(Number), id: 2, usage: saved.usage, durationMs: saved.durationMs }])
    expect(ofType(events, 'agent_started').map((e) => e.id)).toEqual([1])
    expect(outcome.usedKeys).toEqual(new Set([saved.key, journal.appended[1]!.key]))
  })

  it('replays identical calls by ordinal and runs only the extra one live', async () => {
    const { provider, prompts, providers } = countingMock()
    const journal = new MemoryJournal()
    await runSource(workflow(`return [await agent('same'), await agent('same')]`), { providers, journal })
    expect(prompts).toHaveLength(2)
    const second = await runSource(workflow(`return [await agent('same'), await agent('same'), await agent('same')]`), { providers: providerSet(provider), journal })
    expect(second.outcome.status).toBe('succeeded')
    expect(prompts).toHaveLength(3)
    expect(second.snapshot.totals.agents).toMatchObject({ total: 3, replayed: 2, live: 1 })
    expect(second.journal.appended.at(-1)!.key).toMatch(/#2$/)
  })

  it('runs every call live with replay disabled, and says why', async () => {
    const { prompts, providers } = countingMock()
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('again')`), { providers, journal })
    const { events } = await runSource(workflow(`return await agent('again')`), { providers, journal, config: { replay: false } })
    expect(prompts).toEqual(['again', 'again'])
    expect(ofType(events, 'agent_started')[0]!.miss).toEqual({ kind: 'replay-disabled' })
  })

  it('explains a miss of an edited call by the identity components that changed', async () => {
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('Review file A', { label: 'review' })`), { journal })
    const { events } = await runSource(
      workflow(`const a = await agent('Review file B', { label: 'review' })
return [a, await agent('Something else entirely', { label: 'other' })]`),
      { journal },
    )
    const misses = ofType(events, 'agent_started').map((e) => e.miss)
    expect(misses).toEqual([{ kind: 'changed', components: ['prompt'], label: 'review' }, { kind: 'new' }])
  })

  it('finds the edited call by its script line when its default label changed too', async () => {
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('Review file A')`), { journal })
    const { events } = await runSource(workflow(`return await agent('Review file B')`), { journal })
    expect(ofType(events, 'agent_started')[0]!.miss).toEqual({ kind: 'changed', components: ['prompt'], label: 'Review file A' })
  })

  it('names the model as the change when only the model differs', async () => {
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('Summarise', { label: 's', model: 'm1' })`), { journal })
    const { events } = await runSource(workflow(`return await agent('Summarise', { label: 's', model: 'm2' })`), { journal })
    expect(ofType(events, 'agent_started')[0]!.miss).toEqual({ kind: 'changed', components: ['model'], label: 's' })
  })
})

describe('runWorkflow journal entries', () => {
  it('journals every live call with its key, identity components, usage and where it came from', async () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5)
    const { outcome, journal, events } = await runSource(
      workflow(
        `phase('Verify')
const a = await agent('same prompt', { label: 'first' })
const b = await agent('same prompt', { label: 'second', phase: 'Elsewhere' })
return [a, b]`,
        "{ name: 'test', phases: [{ title: 'Review' }, { title: 'Verify' }] }",
      ),
      { now: () => at },
    )
    expect(outcome.status).toBe('succeeded')
    const [first, second] = journal.appended as [JournalEntry, JournalEntry]
    expect(journal.appended).toHaveLength(2)
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
    // Labels and phases are display only: both calls have one identity, numbered by ordinal.
    expect(second.hash).toBe(first.hash)
    expect([first.key, second.key]).toEqual([`${first.hash}#0`, `${first.hash}#1`])
    const succeeded = ofType(events, 'agent_succeeded')
    expect(first).toEqual({
      v: 1,
      key: `${first.hash}#0`,
      hash: first.hash,
      components: { prompt: expect.stringMatching(/^[0-9a-f]{16}$/), provider: expect.stringMatching(/^[0-9a-f]{16}$/), model: expect.stringMatching(/^[0-9a-f]{16}$/) },
      result: (outcome.result as unknown[])[0],
      usage: succeeded[0]!.usage,
      provider: 'mock',
      model: 'mock',
      label: 'first',
      phase: 'Verify',
      line: 3,
      durationMs: 0,
      finishedAt: '2025-01-02T03:04:05.000Z',
      runId: 'test-run',
    })
    expect(second).toMatchObject({ label: 'second', phase: 'Elsewhere', line: 4 })
    expect(first.usage.inputTokens).toBe(Math.ceil('same prompt'.length / 4))
    expect(first.usage.costUsd).toBeGreaterThan(0)
    expect(entryProblem(first as unknown as Record<string, unknown>)).toBeUndefined()
  })

  it('puts calls made before any phase() into the first phase of meta', async () => {
    const { journal, events, snapshot } = await runSource(
      workflow(
        `await agent('early call')
phase('Verify')
await agent('later call')`,
        "{ name: 'test', phases: [{ title: 'Review' }, { title: 'Verify' }] }",
      ),
    )
    expect(journal.appended.map((e) => [e.label, e.phase])).toEqual([
      ['early call', 'Review'],
      ['later call', 'Verify'],
    ])
    expect(ofType(events, 'phase_started').map((e) => e.title)).toEqual(['Review', 'Verify'])
    expect(snapshot.phases.map((p) => [p.title, p.state])).toEqual([
      ['Review', 'done'],
      ['Verify', 'done'],
    ])
  })

  it('leaves the phase empty when meta declares no phases and none was started', async () => {
    const { journal } = await runSource(workflow(`return await agent('no phase')`))
    expect(journal.appended[0]!.phase).toBeUndefined()
  })

  it('warns and still succeeds when the journal cannot be written', async () => {
    class BrokenJournal extends MemoryJournal {
      override async append(): Promise<void> {
        throw new Error('disk full')
      }
    }
    const { outcome, events } = await runSource(workflow(`return await agent('hello', { label: 'greeting' })`), { journal: new BrokenJournal() })
    expect(outcome.status).toBe('succeeded')
    expect(ofType(events, 'warning').map((e) => e.message)).toEqual(["could not write the journal entry of agent 'greeting': disk full"])
  })

  it('journals a call before the script sees its result', async () => {
    /** Makes each entry durable only a few turns after it is handed over. */
    class SlowJournal extends MemoryJournal {
      override async append(entry: JournalEntry): Promise<void> {
        await turns(3)
        await super.append(entry)
      }
    }
    const journal = new SlowJournal()
    const seenByScript: number[] = []
    await runSource(
      workflow(`const a = await agent('one')
log('got one')
return a`),
      { journal, onEvent: (e) => e.type === 'log' && seenByScript.push(journal.appended.length) },
    )
    expect(seenByScript).toEqual([1])
  })
})

describe('runWorkflow limits', () => {
  it('clips a huge log() line and drops log lines past 10 MB with one warning, so a script cannot flood the host', async () => {
    const { outcome, events } = await runSource(workflow("const big = 'x'.repeat(100000)\nfor (let i = 0; i < 1000; i++) log(big + i)\nreturn 'done'"))
    expect(outcome.status).toBe('succeeded')
    const logs = events.filter((e) => e.type === 'log') as Array<{ message: string }>
    expect(logs[0]!.message).toMatch(/^x{16384}… \(83617 more characters\)$/)
    const kept = logs.reduce((n, e) => n + e.message.length, 0)
    expect(kept).toBeLessThanOrEqual(10 * 1024 * 1024)
    expect(logs.length).toBeLessThan(1000)
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual(['the script logged over 10 MB; further log() lines are dropped'])
  })

  it('fails the run with MAX_AGENTS at the call past the limit, naming the limit and the line', async () => {
    const { prompts, providers } = countingMock()
    const { outcome, journal } = await runSource(
      workflow(`const results = []
for (const topic of ['a', 'b', 'c', 'd', 'e']) {
  try { results.push(await agent('topic ' + topic)) } catch (e) { results.push(e.code) }
}
return results`),
      { providers, config: { maxAgents: 3 } },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'MAX_AGENTS', line: 4 })
    expect(outcome.error!.message).toContain('limit of 3 agent calls')
    expect(prompts).toEqual(['topic a', 'topic b', 'topic c'])
    expect(journal.appended.map((e) => e.label)).toEqual(['topic a', 'topic b', 'topic c'])
  })

  it('journals the calls already in flight when parallel calls pass max-agents', async () => {
    const provider = new RecordingProvider()
    const { outcome, journal } = await runSource(
      workflow(`return await parallel(['a', 'b', 'c', 'd', 'e'].map((x) => () =>
  agent('item ' + x)))`),
      { providers: providerSet(provider), config: { maxAgents: 3 } },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'MAX_AGENTS', line: 3 })
    expect(provider.calls).toBe(3)
    expect(journal.appended.map((e) => e.label).sort()).toEqual(['item a', 'item b', 'item c'])
  })

  it('starts no live call once the token budget is spent, and fails the run even if the script catches', async () => {
    const { prompts, providers } = countingMock()
    const { outcome, journal, events } = await runSource(
      workflow(`const first = await agent('topic a')
let caught = 'none'
try { await agent('topic b') } catch (e) { caught = e.code }
log(caught)
return 'the script carried on'`),
      { providers, config: { tokenBudget: 10 } },
    )
    const spent = ofType(events, 'agent_succeeded')[0]!.usage
    const tokens = spent.inputTokens + spent.outputTokens
    expect(tokens).toBeGreaterThanOrEqual(10)
    expect(prompts).toEqual(['topic a'])
    expect(ofType(events, 'log').map((e) => e.message)).toEqual(['BUDGET_EXHAUSTED'])
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'BUDGET_EXHAUSTED', line: 4 })
    expect(outcome.error!.message).toContain(`token budget exhausted: spent ${tokens} of 10 tokens`)
    expect(journal.appended).toHaveLength(1)
  })

  it('refuses calls that were waiting for a slot when the budget ran out meanwhile', async () => {
    const provider = new RecordingProvider()
    const { outcome, journal, snapshot } = await runSource(workflow(`return await parallel(['a', 'b', 'c'].map((x) => () => agent('item ' + x)))`), {
      providers: providerSet(provider),
      config: { concurrency: 1, tokenBudget: 15 },
    })
    expect(provider.calls).toBe(1)
    expect(journal.appended).toHaveLength(1)
    expect(outcome.error?.code).toBe('BUDGET_EXHAUSTED')
    expect(outcome.error!.message).toContain('spent 15 of 15 tokens')
    expect(snapshot.totals.agents).toMatchObject({ total: 3, live: 3, failed: 2, queued: 0, running: 0 })
  })

  it('starts no live call once the cost budget is spent, and says spent vs limit in dollars', async () => {
    const { prompts, providers } = countingMock()
    const { outcome, events } = await runSource(
      workflow(`await agent('topic a')
return await agent('topic b')`),
      { providers, config: { costBudgetUsd: 0.0001 } },
    )
    const cost = ofType(events, 'agent_succeeded')[0]!.usage.costUsd!
    expect(cost).toBeGreaterThan(0.0001)
    expect(prompts).toEqual(['topic a'])
    expect(outcome.status).toBe('failed')
    expect(outcome.error!.code).toBe('BUDGET_EXHAUSTED')
    expect(outcome.error!.message).toContain(`cost budget exhausted: spent $${cost.toFixed(4)} of $0.0001`)
  })

  it('replays a whole run under a tiny budget: replayed calls cost nothing, and the script reads what the first run read', async () => {
    const journal = new MemoryJournal()
    const source = workflow(`const r = await parallel(['a', 'b', 'c'].map((x) => () => agent('item ' + x)))
return { r, spent: budget.spent(), remaining: budget.remaining() }`)
    const first = await runSource(source, { journal })
    expect(first.outcome.status).toBe('succeeded')
    const { prompts, providers } = countingMock()
    const second = await runSource(source, { journal, providers, config: { tokenBudget: 1, costBudgetUsd: 0.000001 } })
    expect(second.outcome.status).toBe('succeeded')
    expect(prompts).toEqual([])
    const spent = (first.outcome.result as { spent: number }).spent
    expect(spent).toBe(first.snapshot.totals.tokens.input + first.snapshot.totals.tokens.output)
    // budget.spent() counts replayed calls at their journaled usage; the limits count live spending only.
    expect(second.outcome.result).toEqual({ r: (first.outcome.result as { r: unknown }).r, spent, remaining: 0 })
    expect(second.snapshot.totals.agents).toMatchObject({ replayed: 3, live: 0 })
    expect(second.snapshot.totals.tokens).toEqual({ input: 0, output: 0 })
    expect(second.snapshot.totals.saved.tokens).toBeGreaterThan(0)
  })

  it('shows the script its budget: total, spent and remaining', async () => {
    const { outcome, events } = await runSource(
      workflow(`const before = [budget.total, budget.spent(), budget.remaining()]
await agent('topic a')
return { before, after: [budget.spent(), budget.remaining()] }`),
      { config: { tokenBudget: 1000 } },
    )
    const u = ofType(events, 'agent_succeeded')[0]!.usage
    const tokens = u.inputTokens + u.outputTokens
    expect(outcome.result).toEqual({ before: [1000, 0, 1000], after: [tokens, 1000 - tokens] })
  })

  it('limits the tokens of one phase with phase(title, { budget })', async () => {
    const { prompts, providers } = countingMock()
    const { outcome, journal } = await runSource(
      workflow(`phase('X', { budget: 5 })
await agent('in X')
phase('Y')
await agent('in Y')
phase('X')
return await agent('in X again')`),
      { providers },
    )
    expect(prompts).toEqual(['in X', 'in Y'])
    expect(journal.appended.map((e) => e.phase)).toEqual(['X', 'Y'])
    const spentInX = journal.appended[0]!.usage.inputTokens + journal.appended[0]!.usage.outputTokens
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'BUDGET_EXHAUSTED', line: 7 })
    expect(outcome.error!.message).toContain(`token budget of phase 'X' exhausted: spent ${spentInX} of 5 tokens`)
  })

  it.each([
    ['a zero budget', `phase('X', { budget: 0 })`],
    ['a misspelt option', `phase('X', { budjet: 5 })`],
    ['an empty title', `phase('')`],
  ])('rejects phase() with %s as INVALID_CALL at its line', async (_, call) => {
    const { outcome } = await runSource(workflow(`await agent('first')\n${call}`))
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'INVALID_CALL', line: 3 })
  })
})

describe('runWorkflow failures', () => {
  it('keeps completed siblings of a failed parallel item journaled, and lists every failed item', async () => {
    const { outcome, journal } = await runSource(
      workflow(`return await parallel(['ok 0', 'boom 1', 'ok 2', 'boom 3'].map((p) => () => agent(p)))`),
      { mock: { failPattern: /boom/ } },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.error!.code).toBe('PARALLEL_FAILED')
    expect(outcome.error!.line).toBe(2)
    const message = outcome.error!.message
    expect(message).toContain('2 of 4 items failed')
    expect(message).toMatch(/\[1\] agent 'boom 1' failed: mock provider error/)
    expect(message).toMatch(/\[3\] agent 'boom 3' failed: mock provider error/)
    expect(message).not.toContain('[0]')
    expect(message).not.toContain('[2]')
    expect(journal.appended.map((e) => e.label).sort()).toEqual(['ok 0', 'ok 2'])
  })

  it('gives the script every failed item of a parallel, with its index', async () => {
    const { outcome } = await runSource(
      workflow(`try {
  await parallel(['ok', 'boom a', 'boom b'].map((p) => () => agent(p)))
} catch (e) {
  return { code: e.code, failed: e.errors.map((x) => [x.index, x.code]) }
}`),
      { mock: { failPattern: /boom/ } },
    )
    expect(outcome.result).toEqual({ code: 'PARALLEL_FAILED', failed: [[1, 'PROVIDER'], [2, 'PROVIDER']] })
  })

  it('fails the run with the provider error of a mock failPattern call, at its line, without retrying', async () => {
    const { outcome, events } = await runSource(
      workflow(`const fine = await agent('fine')
return await agent('please fail now')`),
      { mock: { failPattern: /fail/ }, config: { retries: 3, retryBaseMs: 1 } },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'PROVIDER', line: 3 })
    expect(outcome.error!.message).toContain("agent 'please fail now' failed: mock provider error")
    expect(ofType(events, 'agent_retrying')).toEqual([])
    expect(ofType(events, 'agent_failed')).toHaveLength(1)
  })

  it('lets the script catch a provider error and succeed', async () => {
    const { outcome, journal } = await runSource(
      workflow(`try { await agent('please fail now') } catch (e) { return 'recovered from ' + e.code }`),
      { mock: { failPattern: /fail/ } },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'recovered from PROVIDER' })
    expect(journal.appended).toEqual([])
  })

  it('rejects a bad agent() call with INVALID_CALL at its line', async () => {
    const { outcome } = await runSource(workflow(`await agent('fine')\nawait agent('x', { lable: 'y' })`))
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'INVALID_CALL', line: 3 })
    expect(outcome.error!.message).toContain("did you mean 'label'?")
  })

  it('warns once about an unknown tier and runs the calls with the next model', async () => {
    const { outcome, events, journal } = await runSource(workflow(`return [await agent('a', { tier: 'turbo' }), await agent('b', { tier: 'turbo' })]`))
    expect(outcome.status).toBe('succeeded')
    expect(ofType(events, 'warning').filter((w) => w.message.includes("tier 'turbo'"))).toHaveLength(1)
    expect(journal.appended.map((e) => e.model)).toEqual(['mock', 'mock'])
  })
})

describe('runWorkflow call failures seen in the snapshot', () => {
  it.each([
    [
      'its files cannot be hashed',
      `agent('x', { files: ['nope/*'] })`,
      {
        workspace: {
          readFile: () => '',
          glob: () => [],
          hashFiles: (): Record<string, string> => {
            throw new Error('no such file: nope/*')
          },
        },
      },
    ],
    ['its agent type routes to a provider that is not configured', `agent('x', { agentType: 'remote' })`, { config: { agentTypes: { remote: { provider: 'elsewhere', model: 'm' } } } }],
  ])('numbers the agents without gaps when a call fails because %s', async (_, call, options) => {
    const { outcome, snapshot } = await runSource(
      workflow(`let code
try { await ${call} } catch (e) { code = e.code }
await agent('after the failed one')
return code`),
      options,
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'INVALID_CALL' })
    // Every view walks snapshot.agents: a hole there is an `undefined` agent (or `null` in run.json).
    const agents = Array.from(snapshot.agents)
    expect(agents.every((a) => a !== undefined && a !== null)).toBe(true)
    expect(agents.map((a) => a?.id)).toEqual(agents.map((_a, i) => i + 1))
    expect(agents).toHaveLength(snapshot.totals.agents.total)
    expect(agents.at(-1)).toMatchObject({ label: 'after the failed one', state: 'succeeded' })
  })

  it('charges the tokens of a call that failed after answering, so the budget sees them', async () => {
    const provider = new RecordingProvider('rec', () => ({ text: 'no json here', usage: { inputTokens: 10, outputTokens: 10, costUsd: 0.001 }, model: 'rec-model' }))
    const { outcome, events } = await runSource(
      workflow(`try { await agent('give json', { schema: { type: 'object' } }) } catch (e) { log(e.code) }
return await agent('next one')`),
      { providers: providerSet(provider), config: { tokenBudget: 50 } },
    )
    // The schema call was asked three times (two repairs): 60 tokens, past the budget of 50.
    expect(ofType(events, 'log').map((e) => e.message)).toEqual(['SCHEMA_NONCOMPLIANCE'])
    expect(ofType(events, 'agent_failed')[0]!.usage).toEqual({ inputTokens: 30, outputTokens: 30, costUsd: 0.003 })
    expect(provider.calls).toBe(3)
    expect(outcome.error).toMatchObject({ code: 'BUDGET_EXHAUSTED' })
    expect(outcome.error!.message).toContain('spent 60 of 50 tokens')
  })

  it('times out a call with its timeoutMs option and reports the line', async () => {
    const provider = new RecordingProvider('rec', (_request, signal) => hangUntilAborted(signal))
    const { outcome, snapshot } = await runSource(workflow(`return await agent('slow', { timeoutMs: 20, retries: 0 })`), { providers: providerSet(provider) })
    expect(outcome.error).toMatchObject({ code: 'TIMEOUT', line: 2 })
    expect(provider.signals[0]!.aborted).toBe(true)
    expect(snapshot.agents[0]!.state).toBe('failed')
  })

  it('stops a silent call with the run idle timeout', async () => {
    const provider = new RecordingProvider('rec', (_request, signal) => hangUntilAborted(signal))
    const { outcome } = await runSource(workflow(`return await agent('silent')`), { providers: providerSet(provider), config: { idleTimeoutMs: 20, retries: 0 } })
    expect(outcome.error!.code).toBe('TIMEOUT')
    expect(outcome.error!.message).toContain('produced no output')
  })

  it('refuses a live call the live policy defers, without calling the provider, and still replays', async () => {
    const journal = new MemoryJournal()
    await runSource(workflow(`return await agent('journaled already')`), { journal })
    const { prompts, providers } = countingMock()
    const { outcome } = await runSource(
      workflow(`const old = await agent('journaled already')
let code
try { await agent('not my shard') } catch (e) { code = e.code }
return [typeof old, code]`),
      { journal, providers, livePolicy: () => 'another shard runs this call' },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: ['string', 'DEFERRED'] })
    expect(prompts).toEqual([])
  })
})

describe('resolveConfig', () => {
  it('fills in the defaults', () => {
    expect(resolveConfig()).toMatchObject({ concurrency: 4, maxAgents: 1000, retries: 2, retryBaseMs: 1000, replay: true })
  })

  it.each([
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 2.5 }, 'concurrency'],
    [{ maxAgents: 0 }, 'maxAgents'],
    [{ retries: -1 }, 'retries'],
    [{ retryBaseMs: -1 }, 'retryBaseMs'],
    [{ agentTimeoutMs: 0 }, 'agentTimeoutMs'],
    [{ tokenBudget: -5 }, 'tokenBudget'],
    [{ costBudgetUsd: 0 }, 'costBudgetUsd'],
  ])('rejects %p naming the setting', (partial, name) => {
    expect(() => resolveConfig(partial)).toThrow(WorkflowError)
    expect(() => resolveConfig(partial)).toThrow(new RegExp(`^${name} must be`))
  })

  it('ignores settings given as undefined', () => {
    expect(resolveConfig({ concurrency: undefined }).concurrency).toBe(4)
  })
})

describe('runWorkflow un-awaited calls', () => {
  it('drains and journals calls the script never awaited before the run ends', async () => {
    const provider = new RecordingProvider()
    const { outcome, journal, events } = await runSource(
      workflow(`agent('fire and forget 1')
agent('fire and forget 2')
return 'done'`),
      { providers: providerSet(provider) },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'done' })
    expect(journal.appended.map((e) => e.label).sort()).toEqual(['fire and forget 1', 'fire and forget 2'])
    const finished = events.findIndex((e) => e.type === 'run_finished')
    expect(finished).toBe(events.length - 1)
    expect(ofType(events, 'agent_succeeded')).toHaveLength(2)
  })

  it('drains un-awaited calls also when the script fails', async () => {
    const provider = new RecordingProvider()
    const { outcome, journal } = await runSource(
      workflow(`agent('still paid for')
throw new Error('script broke')`),
      { providers: providerSet(provider) },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.error).toMatchObject({ code: 'SCRIPT_ERROR', message: 'script broke', line: 3 })
    expect(journal.appended.map((e) => e.label)).toEqual(['still paid for'])
  })
})

describe('runWorkflow cancellation', () => {
  it('aborts in-flight calls, journals the completed ones and ends stopped', async () => {
    const controller = new AbortController()
    const bothSlowInFlight = deferred()
    let slowStarted = 0
    const provider = new RecordingProvider('rec', async (request, signal) => {
      if (request.prompt.startsWith('slow')) {
        if (++slowStarted === 2) bothSlowInFlight.resolve()
        await hangUntilAborted(signal)
      }
    })
    const running = runSource(
      workflow(`const quick = await agent('quick one')
await parallel([() => agent('slow one'), () => agent('slow two')])
return 'unreachable'`),
      { providers: providerSet(provider), signal: controller.signal },
    )
    await bothSlowInFlight.promise
    controller.abort()
    const { outcome, journal, snapshot } = await running

    expect(outcome.status).toBe('stopped')
    expect(outcome.error?.code).toBe('STOPPED')
    expect(provider.signals.map((s) => s.aborted)).toEqual([false, true, true])
    expect(journal.appended.map((e) => e.label)).toEqual(['quick one'])
    expect(snapshot.status).toBe('stopped')
    expect(snapshot.agents.map((a) => a.state)).toEqual(['succeeded', 'stopped', 'stopped'])
    expect(snapshot.totals.agents).toMatchObject({ failed: 0, running: 0, queued: 0 })
  })

  it('never starts calls that were still waiting for a slot when the run stops', async () => {
    const controller = new AbortController()
    const firstInFlight = deferred()
    const provider = new RecordingProvider('rec', async (_request, signal) => {
      firstInFlight.resolve()
      await hangUntilAborted(signal)
    })
    const running = runSource(workflow(`return await parallel(['a', 'b', 'c'].map((x) => () => agent('item ' + x)))`), {
      providers: providerSet(provider),
      signal: controller.signal,
      config: { concurrency: 1 },
    })
    await firstInFlight.promise
    controller.abort()
    const { outcome, journal, snapshot } = await running
    expect(outcome.status).toBe('stopped')
    expect(provider.calls).toBe(1)
    expect(journal.appended).toEqual([])
    expect(snapshot.agents.map((a) => a.state)).toEqual(['stopped', 'stopped', 'stopped'])
  })

  it('stops a run whose signal is already aborted without calling any provider', async () => {
    const provider = new RecordingProvider()
    const controller = new AbortController()
    controller.abort()
    const { outcome, journal } = await runSource(workflow(`return await agent('never')`), { providers: providerSet(provider), signal: controller.signal })
    expect(outcome.status).toBe('stopped')
    expect(provider.calls).toBe(0)
    expect(journal.appended).toEqual([])
  })

  it('ends stopped when the signal aborts while un-awaited calls are drained', async () => {
    const controller = new AbortController()
    const inFlight = deferred()
    const provider = new RecordingProvider('rec', async (_request, signal) => {
      inFlight.resolve()
      await hangUntilAborted(signal)
    })
    const running = runSource(workflow(`agent('background work')\nreturn 'done'`), { providers: providerSet(provider), signal: controller.signal })
    await inFlight.promise
    controller.abort()
    const { outcome, journal } = await running
    expect(outcome.status).toBe('stopped')
    expect(provider.signals[0]!.aborted).toBe(true)
    expect(journal.appended).toEqual([])
  })

  it('ends with one run_finished event, the last one, when stopped', async () => {
    const controller = new AbortController()
    const inFlight = deferred()
    const provider = new RecordingProvider('rec', async (_request, signal) => {
      inFlight.resolve()
      await hangUntilAborted(signal)
    })
    const running = runSource(workflow(`return await agent('hang')`), { providers: providerSet(provider), signal: controller.signal })
    await inFlight.promise
    controller.abort()
    const { events } = await running
    expect(ofType(events, 'run_finished')).toEqual([expect.objectContaining({ status: 'stopped' })])
    expect(events.at(-1)!.type).toBe('run_finished')
  })
})
