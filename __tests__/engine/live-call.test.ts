import { afterEach, describe, expect, it, jest } from '@jest/globals'
import type { AgentProvider, AgentRequest, AgentResponse, ProviderUsage } from '../../src/core/provider.js'
import { WorkflowError } from '../../src/core/errors.js'
import { MAX_SCHEMA_REPAIRS, runLiveCall, type LiveCallSettings } from '../../src/engine/live-call.js'
import { UsageSum } from '../../src/core/usage.js'

type Step = (request: AgentRequest, signal: AbortSignal) => Promise<AgentResponse> | AgentResponse

/** A provider that answers its n-th call with `steps[n]` (the last step repeats), recording each request and signal. */
class FakeProvider implements AgentProvider {
  readonly name = 'fake'
  readonly defaultModel = 'fake-model'
  readonly requests: AgentRequest[] = []
  readonly signals: AbortSignal[] = []
  constructor(private readonly steps: Step[]) {}
  async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
    const step = this.steps[Math.min(this.requests.length, this.steps.length - 1)]!
    this.requests.push(request)
    this.signals.push(signal)
    return step(request, signal)
  }
  get calls(): number {
    return this.requests.length
  }
}

const usage = (inputTokens = 10, outputTokens = 5, extra: Partial<ProviderUsage> = {}): ProviderUsage => ({ inputTokens, outputTokens, ...extra })
const text = (value: string, u: ProviderUsage = usage(), model = 'fake-model'): Step => () => ({ text: value, usage: u, model })
const fail = (error: unknown): Step => () => {
  throw error
}
/** Never answers; rejects with the signal's reason once it aborts. */
const hang: Step = (_request, signal) =>
  new Promise<AgentResponse>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })

/** Like a real SDK: rejects with its own AbortError-like error once the signal aborts. */
const hangThenAbortError: Step = (_request, signal) =>
  new Promise<AgentResponse>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })), { once: true })
  })

const request = (extra: Partial<AgentRequest> = {}): AgentRequest => ({ prompt: 'Say hi', model: 'fake-model', identityHash: 'f'.repeat(64), ...extra })
const settings = (extra: Partial<LiveCallSettings> = {}): LiveCallSettings => ({ retries: 2, retryBaseMs: 1, ...extra })

interface Retry {
  attempt: number
  code: string
  delayMs: number
}

async function call(provider: AgentProvider, options: { request?: AgentRequest; settings?: Partial<LiveCallSettings>; signal?: AbortSignal; spent?: UsageSum; onRetry?: (r: Retry) => void } = {}) {
  const retries: Retry[] = []
  const spent = options.spent ?? new UsageSum()
  const promise = runLiveCall(
    provider,
    options.request ?? request(),
    settings(options.settings),
    options.signal ?? new AbortController().signal,
    spent,
    (attempt, error, delayMs) => {
      const retry = { attempt, code: error.code, delayMs }
      retries.push(retry)
      options.onRetry?.(retry)
    },
  )
  return { promise, retries, spent }
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<WorkflowError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError)
    return error as WorkflowError
  }
  throw new Error('expected the call to fail')
}

afterEach(() => {
  jest.useRealTimers()
})

describe('runLiveCall retries', () => {
  it('returns the text of a successful answer with its usage and model', async () => {
    const provider = new FakeProvider([text('hello', usage(3, 4), 'gpt-4o-2024-08-06')])
    const { promise, retries } = await call(provider)
    await expect(promise).resolves.toEqual({ value: 'hello', usage: { inputTokens: 3, outputTokens: 4, costUsd: 0.000048 }, model: 'gpt-4o-2024-08-06' })
    expect(retries).toEqual([])
    expect(provider.calls).toBe(1)
  })

  it('retries a transient error and succeeds on a later attempt', async () => {
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', '429')), fail(new WorkflowError('RATE_LIMITED', '429')), text('finally')])
    const { promise, retries } = await call(provider, { settings: { retries: 2 } })
    await expect(promise).resolves.toMatchObject({ value: 'finally' })
    expect(provider.calls).toBe(3)
    expect(retries.map((r) => [r.attempt, r.code])).toEqual([
      [1, 'RATE_LIMITED'],
      [2, 'RATE_LIMITED'],
    ])
  })

  it('gives up after `retries` extra attempts and throws the last transient error', async () => {
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', 'slow down please'))])
    const { promise, retries } = await call(provider, { settings: { retries: 3 } })
    const error = await rejection(promise)
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.message).toBe('slow down please')
    expect(provider.calls).toBe(4)
    expect(retries).toHaveLength(3)
  })

  it('makes exactly one attempt with retries 0', async () => {
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', '429'))])
    const { promise, retries } = await call(provider, { settings: { retries: 0 } })
    expect((await rejection(promise)).code).toBe('RATE_LIMITED')
    expect(provider.calls).toBe(1)
    expect(retries).toEqual([])
  })

  it('doubles the backoff from retryBaseMs when the provider gives no retry-after', async () => {
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', '429'))])
    const { promise, retries } = await call(provider, { settings: { retries: 3, retryBaseMs: 2 } })
    await rejection(promise)
    expect(retries.map((r) => r.delayMs)).toEqual([2, 4, 8])
  })

  it("waits the provider's retryAfterMs instead of the backoff", async () => {
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', '429', { retryAfterMs: 7 })), fail(new WorkflowError('RATE_LIMITED', '429', { retryAfterMs: 3 })), text('ok')])
    const { promise, retries } = await call(provider, { settings: { retries: 2, retryBaseMs: 1 } })
    await expect(promise).resolves.toMatchObject({ value: 'ok' })
    expect(retries.map((r) => r.delayMs)).toEqual([7, 3])
  })

  it('caps a huge retry-after at 60 s, and a stop during the wait ends the call as STOPPED', async () => {
    const controller = new AbortController()
    const provider = new FakeProvider([fail(new WorkflowError('RATE_LIMITED', '429', { retryAfterMs: 10 * 60_000 }))])
    const { promise, retries } = await call(provider, { signal: controller.signal, onRetry: () => controller.abort(new Error('user stop')) })
    const error = await rejection(promise)
    expect(retries.map((r) => r.delayMs)).toEqual([60_000])
    expect(error.code).toBe('STOPPED')
    expect(provider.calls).toBe(1)
  })

  it.each([
    ['PROVIDER', new WorkflowError('PROVIDER', 'bad request')],
    ['AUTH', new WorkflowError('AUTH', 'invalid api key')],
    ['SCHEMA_NONCOMPLIANCE', new WorkflowError('SCHEMA_NONCOMPLIANCE', 'nope')],
  ])('does not retry a %s error', async (code, thrown) => {
    const provider = new FakeProvider([fail(thrown), text('never')])
    const { promise, retries } = await call(provider, { settings: { retries: 5 } })
    const error = await rejection(promise)
    expect(error.code).toBe(code)
    expect(provider.calls).toBe(1)
    expect(retries).toEqual([])
  })

  it('turns a plain thrown error into a PROVIDER error that is not retried', async () => {
    const provider = new FakeProvider([fail(new Error('socket hang up')), text('never')])
    const { promise } = await call(provider, { settings: { retries: 5 } })
    const error = await rejection(promise)
    expect(error.code).toBe('PROVIDER')
    expect(error.message).toBe('socket hang up')
    expect(provider.calls).toBe(1)
  })

  it('retries a PROVIDER error the provider marked transient (e.g. a 503)', async () => {
    const provider = new FakeProvider([fail(new WorkflowError('PROVIDER', '503', { transient: true })), text('back')])
    const { promise, retries } = await call(provider)
    await expect(promise).resolves.toMatchObject({ value: 'back' })
    expect(retries.map((r) => r.code)).toEqual(['PROVIDER'])
  })
})

describe('runLiveCall timeouts', () => {
  it('stops an attempt past the wall-clock timeout with a TIMEOUT error saying the time, and aborts the provider signal', async () => {
    const provider = new FakeProvider([hangThenAbortError])
    const { promise } = await call(provider, { settings: { timeoutMs: 20, retries: 0 } })
    const error = await rejection(promise)
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toMatch(/did not finish within \d+(\.\d)?s/)
    expect(provider.signals[0]!.aborted).toBe(true)
    expect((provider.signals[0]!.reason as WorkflowError).code).toBe('TIMEOUT')
  })

  it('says the timeout in seconds in its message', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
    const provider = new FakeProvider([hang])
    const { promise } = await call(provider, { settings: { timeoutMs: 1500, retries: 0 } })
    const caught = rejection(promise)
    await jest.advanceTimersByTimeAsync(1500)
    const error = await caught
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toBe('the agent did not finish within 1.5s')
  })

  it('retries a timed-out attempt (a timeout is transient) with a fresh signal', async () => {
    const provider = new FakeProvider([hang, text('second time lucky')])
    const { promise, retries } = await call(provider, { settings: { timeoutMs: 20, retries: 1 } })
    await expect(promise).resolves.toMatchObject({ value: 'second time lucky' })
    expect(retries.map((r) => r.code)).toEqual(['TIMEOUT'])
    expect(provider.signals[0]!.aborted).toBe(true)
    expect(provider.signals[1]!.aborted).toBe(false)
    expect(provider.signals[0]).not.toBe(provider.signals[1])
  })

  it('lets a provider that reports activity outlive the idle timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
    let ticks = 0
    const chatty: Step = (req, signal) =>
      new Promise<AgentResponse>((resolve, reject) => {
        const timer = setInterval(() => {
          req.onActivity?.()
          if (++ticks === 20) {
            clearInterval(timer)
            resolve({ text: 'long but alive', usage: usage(), model: 'fake-model' })
          }
        }, 10)
        signal.addEventListener('abort', () => {
          clearInterval(timer)
          reject(signal.reason)
        })
      })
    const provider = new FakeProvider([chatty])
    const { promise } = await call(provider, { settings: { idleTimeoutMs: 30, retries: 0 } })
    const settled = promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    await jest.advanceTimersByTimeAsync(200)
    // 200 ms in all, far past the 30 ms idle timeout, but never 30 ms without output.
    await expect(settled).resolves.toMatchObject({ ok: true, value: { value: 'long but alive' } })
    expect(ticks).toBe(20)
    expect(provider.signals[0]!.aborted).toBe(false)
  })

  it('stops a silent provider after the idle timeout with a TIMEOUT error, and aborts its signal', async () => {
    const provider = new FakeProvider([hangThenAbortError])
    const { promise } = await call(provider, { settings: { idleTimeoutMs: 20, retries: 0 } })
    const error = await rejection(promise)
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toContain('produced no output')
    expect(provider.signals[0]!.aborted).toBe(true)
    expect((provider.signals[0]!.reason as WorkflowError).message).toContain('produced no output')
  })

  it('stops a provider that goes silent after some output', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
    const quiet: Step = (req, signal) =>
      new Promise<AgentResponse>((_resolve, reject) => {
        let ticks = 0
        const timer = setInterval(() => {
          if (++ticks <= 3) req.onActivity?.()
        }, 10)
        signal.addEventListener('abort', () => {
          clearInterval(timer)
          reject(signal.reason)
        })
      })
    const provider = new FakeProvider([quiet])
    const { promise } = await call(provider, { settings: { idleTimeoutMs: 30, timeoutMs: 10_000, retries: 0 } })
    const caught = rejection(promise)
    await jest.advanceTimersByTimeAsync(100)
    const error = await caught
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toContain('produced no output for')
    expect(provider.signals[0]!.aborted).toBe(true)
  })

  it('ends as STOPPED when the run signal aborts mid-call, and aborts the provider signal', async () => {
    const controller = new AbortController()
    let running!: () => void
    const inFlight = new Promise<void>((resolve) => (running = resolve))
    const provider = new FakeProvider([
      (req, signal) => {
        running()
        return hang(req, signal)
      },
    ])
    const { promise, retries } = await call(provider, { signal: controller.signal, settings: { retries: 3 } })
    await inFlight
    const reason = new Error('stop')
    controller.abort(reason)
    const error = await rejection(promise)
    expect(error.code).toBe('STOPPED')
    expect(provider.signals[0]!.aborted).toBe(true)
    expect(provider.signals[0]!.reason).toBe(reason)
    expect(retries).toEqual([])
    expect(provider.calls).toBe(1)
  })

  it('enforces the wall-clock timeout even on a provider that keeps reporting activity', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
    const endless: Step = (req, signal) =>
      new Promise<AgentResponse>((_resolve, reject) => {
        const timer = setInterval(() => req.onActivity?.(), 5)
        signal.addEventListener('abort', () => {
          clearInterval(timer)
          reject(signal.reason)
        })
      })
    const provider = new FakeProvider([endless])
    const { promise } = await call(provider, { settings: { timeoutMs: 2000, idleTimeoutMs: 50, retries: 0 } })
    const caught = rejection(promise)
    await jest.advanceTimersByTimeAsync(2000)
    const error = await caught
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toBe('the agent did not finish within 2s')
  })

  it('starts no schema repair with a live signal once the run was stopped', async () => {
    const controller = new AbortController()
    const schema = { type: 'object', required: ['ok'] }
    const provider = new FakeProvider([
      () => {
        // The answer arrives just as the run is stopped, and it needs a repair.
        controller.abort(new Error('stop'))
        return { text: '{}', usage: usage(), model: 'fake-model' }
      },
      (_req, signal) => {
        if (signal.aborted) throw signal.reason
        return { text: '{"ok":true}', usage: usage(), model: 'fake-model' }
      },
    ])
    const { promise } = await call(provider, { request: request({ schema }), signal: controller.signal, settings: { retries: 0 } })
    const error = await rejection(promise)
    expect(error.code).toBe('STOPPED')
    expect(provider.signals.slice(1).every((signal) => signal.aborted)).toBe(true)
  })

  it('reads a transient failure as STOPPED when the run was stopped meanwhile, without retrying', async () => {
    const controller = new AbortController()
    const provider = new FakeProvider([
      () => {
        controller.abort()
        throw new WorkflowError('RATE_LIMITED', '429')
      },
    ])
    const { promise, retries } = await call(provider, { signal: controller.signal, settings: { retries: 3 } })
    expect((await rejection(promise)).code).toBe('STOPPED')
    expect(retries).toEqual([])
    expect(provider.calls).toBe(1)
  })
})

describe('runLiveCall schemas', () => {
  const schema = { type: 'object', properties: { issues: { type: 'array' } }, required: ['issues'] }

  it('returns the parsed JSON of a valid answer', async () => {
    const provider = new FakeProvider([text('{"issues":[1,2]}')])
    const { promise } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: [1, 2] } })
    expect(provider.calls).toBe(1)
  })

  it("prefers the provider's native json over the text", async () => {
    const provider = new FakeProvider([() => ({ text: 'not json at all', json: { issues: ['native'] }, usage: usage(), model: 'fake-model' })])
    const { promise } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: ['native'] } })
  })

  it('extracts the JSON from prose around it', async () => {
    const provider = new FakeProvider([text('Sure! Here you go: {"issues": ["a"]} Hope that helps.')])
    const { promise } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: ['a'] } })
    expect(provider.calls).toBe(1)
  })

  it('extracts the JSON from a fenced block', async () => {
    const provider = new FakeProvider([text('The result:\n```json\n{"issues": [{"line": 3}]}\n```\nDone.')])
    const { promise } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: [{ line: 3 }] } })
  })

  it('re-asks with the rejected output and the errors when the answer does not match', async () => {
    const provider = new FakeProvider([text('{"findings": []}'), text('{"issues": []}')])
    const { promise, retries } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: [] } })
    expect(provider.calls).toBe(2)
    expect(provider.requests[0]!.repair).toBeUndefined()
    const repair = provider.requests[1]!.repair!
    expect(repair.output).toBe('{"findings": []}')
    expect(repair.errors.join('\n')).toContain('issues')
    expect(provider.requests[1]!.prompt).toBe('Say hi')
    // A repair is not a retry.
    expect(retries).toEqual([])
  })

  it('re-asks when the answer holds no JSON at all', async () => {
    const provider = new FakeProvider([text('I cannot answer in JSON, sorry.'), text('{"issues": []}')])
    const { promise } = await call(provider, { request: request({ schema }) })
    await expect(promise).resolves.toMatchObject({ value: { issues: [] } })
    expect(provider.requests[1]!.repair!.errors).toEqual(['the answer contains no JSON value'])
  })

  it(`gives up with SCHEMA_NONCOMPLIANCE after ${MAX_SCHEMA_REPAIRS} repairs, without retrying`, async () => {
    expect(MAX_SCHEMA_REPAIRS).toBe(2)
    const provider = new FakeProvider([text('{"issues": "not an array"}')])
    const { promise, retries } = await call(provider, { request: request({ schema }), settings: { retries: 3 } })
    const error = await rejection(promise)
    expect(error.code).toBe('SCHEMA_NONCOMPLIANCE')
    expect(error.message).toContain('after 2 repair attempts')
    expect(error.message).toContain('/issues must be array')
    expect(provider.calls).toBe(3)
    expect(provider.requests.map((r) => r.repair === undefined)).toEqual([true, false, false])
    expect(retries).toEqual([])
  })

  it('does not treat an empty answer as empty output when a schema is given: it repairs it', async () => {
    const provider = new FakeProvider([text(''), text('{"issues": []}')])
    const { promise } = await call(provider, { request: request({ schema }), settings: { retries: 0 } })
    await expect(promise).resolves.toMatchObject({ value: { issues: [] } })
  })
})

describe('runLiveCall empty output', () => {
  it('fails with EMPTY_OUTPUT when the text is blank and there is no schema', async () => {
    const provider = new FakeProvider([text('  \n ')])
    const { promise } = await call(provider, { settings: { retries: 0 } })
    const error = await rejection(promise)
    expect(error.code).toBe('EMPTY_OUTPUT')
    expect(provider.calls).toBe(1)
  })

  it('retries an empty answer as transient', async () => {
    const provider = new FakeProvider([text(''), text('there you are')])
    const { promise, retries } = await call(provider, { settings: { retries: 1 } })
    await expect(promise).resolves.toMatchObject({ value: 'there you are' })
    expect(retries.map((r) => r.code)).toEqual(['EMPTY_OUTPUT'])
  })
})

describe('runLiveCall usage', () => {
  const schema = { type: 'object', required: ['ok'] }

  it('sums the usage of every response, repairs included, into the result and the UsageSum', async () => {
    const provider = new FakeProvider([text('{}', usage(100, 10, { costUsd: 0.5 })), text('{"nope":1}', usage(200, 20, { costUsd: 0.25 })), text('{"ok":true}', usage(300, 30, { costUsd: 0.125 }))])
    const spent = new UsageSum()
    const { promise } = await call(provider, { request: request({ schema }), spent })
    const result = await promise
    expect(result.usage).toEqual({ inputTokens: 600, outputTokens: 60, costUsd: 0.875 })
    expect(spent.total()).toEqual({ inputTokens: 600, outputTokens: 60, costUsd: 0.875 })
  })

  it('keeps the usage of a call that finally fails in the UsageSum', async () => {
    const provider = new FakeProvider([text('[]', usage(7, 3, { costUsd: 0.001 }))])
    const spent = new UsageSum()
    const { promise } = await call(provider, { request: request({ schema }), spent })
    expect((await rejection(promise)).code).toBe('SCHEMA_NONCOMPLIANCE')
    expect(spent.total()).toEqual({ inputTokens: 21, outputTokens: 9, costUsd: 0.003 })
  })

  it('adds to a UsageSum that already holds earlier attempts', async () => {
    const spent = new UsageSum()
    spent.add({ text: 'x', usage: usage(1, 1, { costUsd: 0.01 }), model: 'fake-model' }, 'fake-model')
    const provider = new FakeProvider([text('hi', usage(2, 2, { costUsd: 0.02 }))])
    const { promise } = await call(provider, { spent })
    expect((await promise).usage).toEqual({ inputTokens: 3, outputTokens: 3, costUsd: 0.03 })
  })

  it('prices a known model from the price table when the provider gives no cost', async () => {
    // gpt-4o: $2.50 in, $10 out per million tokens.
    const provider = new FakeProvider([text('hi', usage(1_000_000, 100_000), 'gpt-4o')])
    const { promise } = await call(provider, { request: request({ model: 'gpt-4o' }) })
    expect((await promise).usage.costUsd).toBe(3.5)
  })

  it('counts cache tokens as input and prices them at the cache rates', async () => {
    // claude-sonnet-4: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    const provider = new FakeProvider([text('hi', usage(1_000_000, 0, { cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 }), 'claude-sonnet-4-5-20250929')])
    const { promise } = await call(provider, { request: request({ model: 'claude-sonnet-4-5' }) })
    // The cache reads, paid at $0.30 instead of $3 a million, saved $2.70.
    expect((await promise).usage).toEqual({ inputTokens: 3_000_000, outputTokens: 0, costUsd: 7.05, cacheSavedUsd: 2.7 })
  })

  it('reports a null cost when the model has no known price and the provider gave none', async () => {
    const provider = new FakeProvider([text('hi', usage(10, 10), 'mystery-model-9')])
    const { promise } = await call(provider, { request: request({ model: 'mystery-model-9' }) })
    expect((await promise).usage).toEqual({ inputTokens: 10, outputTokens: 10, costUsd: null })
  })

  it("uses the provider's own cost even for a model of unknown price", async () => {
    const provider = new FakeProvider([text('hi', usage(10, 10, { costUsd: 0.042 }), 'mystery-model-9')])
    const { promise } = await call(provider, { request: request({ model: 'mystery-model-9' }) })
    expect((await promise).usage.costUsd).toBe(0.042)
  })

  it('keeps the cost null once one response of the call is unpriced', async () => {
    const provider = new FakeProvider([text('{}', usage(1, 1, { costUsd: 0.5 })), text('{"ok":1}', usage(1, 1), 'mystery-model-9')])
    const { promise } = await call(provider, { request: request({ schema, model: 'mystery-model-9' }) })
    expect((await promise).usage).toEqual({ inputTokens: 2, outputTokens: 2, costUsd: null })
  })
})
