import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { createHash } from 'node:crypto'
import { extractJson } from '../../src/structured/extract-json.js'
import { createMockProvider, mockOptionsFromEnv } from '../../src/agents/mock.js'
import { costAt, costOf, MID_SIZE_PRICE, priceOf } from '../../src/core/money.js'
import { schemaErrors } from '../../src/structured/schema.js'
import { AGENT_NAMES, AgentSelectionError, selectAgent } from '../../src/agents/select.js'
import type { AgentRequest, AgentResponse, JsonSchema } from '../../src/core/provider.js'
import { WorkflowError } from '../../src/core/errors.js'

/** A deterministic identity hash, as the engine would compute one (sha256 hex). */
const hashOf = (seed: string | number) => createHash('sha256').update(String(seed)).digest('hex')

function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return { prompt: 'Review the diff for security issues.', model: 'mock', identityHash: hashOf('call'), ...overrides }
}

const live = () => new AbortController().signal

/** Whether `promise` has settled once pending microtasks have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  for (let i = 0; i < 10; i++) await Promise.resolve()
  return settled
}

describe('the mock provider: determinism', () => {
  it('gives the same answer to the same request', async () => {
    const mock = createMockProvider()
    const a = await mock.run(request(), live())
    const b = await createMockProvider().run(request(), live())
    expect(b).toEqual(a)
    expect(a.text).not.toBe('')
  })

  it('gives a different answer when only the identity hash differs', async () => {
    const mock = createMockProvider()
    const a = await mock.run(request({ identityHash: hashOf(1) }), live())
    const b = await mock.run(request({ identityHash: hashOf(2) }), live())
    expect(b.text).not.toBe(a.text)
  })

  it('gives a different structured answer when only the identity hash differs', async () => {
    const schema = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] }
    const mock = createMockProvider()
    const answers = new Set<string>()
    for (let i = 0; i < 5; i++) answers.add((await mock.run(request({ schema, identityHash: hashOf(i) }), live())).text)
    expect(answers.size).toBe(5)
  })

  it('answers with the model it was asked for', async () => {
    const response = await createMockProvider().run(request({ model: 'claude-sonnet-4-6' }), live())
    expect(response.model).toBe('claude-sonnet-4-6')
  })

  it('reports activity so the engine can tell a slow agent from a hung one', async () => {
    const onActivity = jest.fn()
    await createMockProvider().run(request({ onActivity }), live())
    expect(onActivity).toHaveBeenCalled()
  })
})

/** Schemas a workflow might pass to agent({ schema }); the mock must satisfy each one. */
const SCHEMAS: Array<[string, JsonSchema]> = [
  ['a plain string', { type: 'string' }],
  ['a boolean', { type: 'boolean' }],
  ['null', { type: 'null' }],
  [
    'nested objects with required members',
    {
      type: 'object',
      properties: {
        verdict: { type: 'object', properties: { ok: { type: 'boolean' }, reason: { type: 'string', minLength: 1 } }, required: ['ok', 'reason'], additionalProperties: false },
        meta: { type: 'object', properties: { depth: { type: 'object', properties: { level: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['level'] } }, required: ['depth'] },
      },
      required: ['verdict', 'meta'],
      additionalProperties: false,
    },
  ],
  ['an object whose required member has no declared schema', { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] }],
  ['an object implied by properties alone', { properties: { a: { type: 'number' } }, required: ['a'] }],
  ['an array with minItems', { type: 'array', items: { type: 'string' }, minItems: 4 }],
  ['an array with maxItems', { type: 'array', items: { type: 'integer' }, maxItems: 1 }],
  ['an array with minItems equal to maxItems', { type: 'array', items: { type: 'boolean' }, minItems: 3, maxItems: 3 }],
  ['an empty array (maxItems 0)', { type: 'array', items: { type: 'string' }, maxItems: 0 }],
  ['an array of objects', { type: 'array', minItems: 1, items: { type: 'object', properties: { file: { type: 'string' }, line: { type: 'integer', minimum: 1 } }, required: ['file', 'line'] } }],
  ['a tuple (prefixItems)', { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer', minimum: 5, maximum: 5 }], minItems: 2, maxItems: 2 }],
  ['an array implied by items alone', { items: { type: 'string', maxLength: 3 }, minItems: 2 }],
  ['an enum of strings', { enum: ['low', 'medium', 'high'] }],
  ['an enum of mixed values', { enum: [1, 'two', null, true] }],
  ['a typed enum inside an object', { type: 'object', properties: { severity: { type: 'string', enum: ['info', 'warn', 'error'] } }, required: ['severity'] }],
  ['a const', { const: 'fixed' }],
  ['an object const', { const: { a: [1, 2] } }],
  ['a discriminated union by const', { oneOf: [{ type: 'object', properties: { kind: { const: 'bug' }, line: { type: 'integer' } }, required: ['kind', 'line'] }, { type: 'object', properties: { kind: { const: 'nit' } }, required: ['kind'] }] }],
  ['integer bounds', { type: 'integer', minimum: 10, maximum: 12 }],
  ['a single allowed integer', { type: 'integer', minimum: 7, maximum: 7 }],
  ['an integer with only a negative maximum', { type: 'integer', maximum: -5 }],
  ['an integer with only a minimum', { type: 'integer', minimum: 1000 }],
  ['exclusive integer bounds', { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3 }],
  ['exclusive number bounds', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }],
  ['an integer multipleOf', { type: 'integer', minimum: 1, maximum: 20, multipleOf: 7 }],
  ['a number with fractional bounds', { type: 'number', minimum: 0.25, maximum: 0.75 }],
  ['a string with minLength', { type: 'string', minLength: 120 }],
  ['a string with maxLength', { type: 'string', maxLength: 4 }],
  ['a string with a narrow length window', { type: 'string', minLength: 30, maxLength: 31 }],
  ['an empty string (maxLength 0)', { type: 'string', maxLength: 0 }],
  ['anyOf', { anyOf: [{ type: 'integer', minimum: 1, maximum: 1 }, { type: 'string' }] }],
  ['anyOf with a null branch first', { anyOf: [{ type: 'null' }, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }] }],
  ['oneOf of distinct types', { oneOf: [{ type: 'string', minLength: 2 }, { type: 'integer' }] }],
  [
    'allOf of object parts',
    {
      allOf: [
        { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        { properties: { score: { type: 'integer', minimum: 3, maximum: 5 } }, required: ['score'] },
      ],
    },
  ],
  [
    'allOf that extends a $ref',
    {
      $defs: { base: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
      allOf: [{ $ref: '#/$defs/base' }, { properties: { score: { type: 'integer', minimum: 3 } }, required: ['score'] }],
    },
  ],
  ['a $ref to $defs', { $defs: { finding: { type: 'object', properties: { severity: { enum: ['low', 'high'] } }, required: ['severity'], additionalProperties: false } }, $ref: '#/$defs/finding' }],
  [
    'a $ref to $defs inside array items',
    { $defs: { finding: { type: 'object', properties: { title: { type: 'string', minLength: 3 } }, required: ['title'] } }, type: 'array', items: { $ref: '#/$defs/finding' }, minItems: 2 },
  ],
  ['a $ref to legacy definitions', { definitions: { name: { type: 'string', maxLength: 8 } }, type: 'object', properties: { who: { $ref: '#/definitions/name' } }, required: ['who'] }],
  [
    'a recursive $ref (a tree)',
    {
      $defs: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name', 'children'] } },
      $ref: '#/$defs/node',
    },
  ],
  ['a nullable string (type array)', { type: ['string', 'null'], minLength: 2 }],
  ['a nullable integer with null listed first', { type: ['null', 'integer'], minimum: 3, maximum: 4 }],
  ['a nullable object member', { type: 'object', properties: { note: { type: ['object', 'null'], properties: { text: { type: 'string' } }, required: ['text'] } }, required: ['note'] }],
  ['an array with uniqueItems (strings)', { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 3 }],
  ['an array with uniqueItems (an enum)', { type: 'array', items: { enum: ['a', 'b', 'c'] }, uniqueItems: true, minItems: 2 }],
  ['an array with uniqueItems over a one-value enum', { type: 'object', properties: { a: { type: 'array', items: { enum: ['only'] }, uniqueItems: true } }, required: ['a'] }],
  ['an array with uniqueItems over a const', { type: 'array', items: { const: 7 }, uniqueItems: true, maxItems: 5 }],
  // Parsed, not written as a literal: in a literal, __proto__ would set the prototype.
  ['an object with a member named __proto__', JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"integer"}},"required":["__proto__","b"]}') as JsonSchema],
  ['the schema `true`', true as unknown as JsonSchema],
  ['an empty schema', {}],
]

/** Twenty identity hashes: structured answers vary with the hash, so each schema is tried with all. */
const HASHES = Array.from({ length: 20 }, (_, i) => hashOf(`schema-call-${i}`))

describe('the mock provider: schema-valid answers', () => {
  it.each(SCHEMAS)('returns a value that validates against %s, for every identity hash', async (_, schema) => {
    const mock = createMockProvider()
    const invalid: Array<{ value: unknown; errors: string[] }> = []
    for (const identityHash of HASHES) {
      const response = await mock.run(request({ schema, identityHash }), live())
      const errors = schemaErrors(schema, response.json)
      if (errors.length > 0) invalid.push({ value: response.json, errors })
    }
    expect({ invalid: invalid.length, first: invalid[0] }).toEqual({ invalid: 0, first: undefined })
  })

  it('gives a member named __proto__ as a member of the answer, not as its prototype', async () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}') as JsonSchema
    const response = await createMockProvider().run(request({ schema }), live())
    expect(Object.getPrototypeOf(response.json)).toBe(Object.prototype)
    const parsed = JSON.parse(response.text) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual(['__proto__'])
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toMatch(/^mock __proto__/)
  })

  it('returns the structured value as JSON text too', async () => {
    const schema = { type: 'object', properties: { issues: { type: 'array', items: { type: 'string' } } }, required: ['issues'] }
    const response = await createMockProvider().run(request({ schema }), live())
    expect(response.json).toEqual(expect.objectContaining({ issues: expect.any(Array) }))
    expect(JSON.parse(response.text)).toEqual(response.json)
  })

  it('answers with plain text and no structured value when there is no schema', async () => {
    const response = await createMockProvider().run(request({ prompt: 'Summarise the change\nsecond line' }), live())
    expect(response.json).toBeUndefined()
    expect(response.text).toContain('Summarise the change')
    expect(response.text).not.toContain('second line')
  })

  it.each([
    ['date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))],
    ['date', (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s)],
    ['time', (s: string) => /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)],
    ['email', (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)],
    ['uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s)],
    ['url', (s: string) => URL.canParse(s)],
    ['uuid', (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(s)],
  ])('gives a well-formed %s for that string format', async (format, wellFormed) => {
    // ajv without ajv-formats ignores `format`, so the shape is checked here.
    const mock = createMockProvider()
    for (const identityHash of HASHES.slice(0, 5)) {
      const { json } = await mock.run(request({ schema: { type: 'string', format }, identityHash }), live())
      expect(typeof json).toBe('string')
      expect(wellFormed(json as string)).toBe(true)
    }
  })
})

describe('the mock provider: usage and cost', () => {
  const expectedUsage = (prompt: string, response: AgentResponse) => {
    const inputTokens = Math.ceil(prompt.length / 4)
    const outputTokens = Math.ceil(response.text.length / 4)
    return { inputTokens, outputTokens, costUsd: (inputTokens * 3 + outputTokens * 15) / 1e6 }
  }

  it.each([
    ['a one-character prompt', 'x'],
    ['a prompt of exactly four characters', 'abcd'],
    ['a prompt of five characters', 'abcde'],
    ['a long prompt', 'Review this diff carefully. '.repeat(200)],
  ])('counts ceil(chars / 4) tokens each way for %s and prices them at $3/$15 per million', async (_, prompt) => {
    const response = await createMockProvider().run(request({ prompt }), live())
    const expected = expectedUsage(prompt, response)
    expect(response.usage.inputTokens).toBe(expected.inputTokens)
    expect(response.usage.outputTokens).toBe(expected.outputTokens)
    expect(response.usage.costUsd).toBeCloseTo(expected.costUsd, 12)
    expect(response.usage.costUsd).toBeGreaterThan(0)
  })

  it('counts the output tokens of a structured answer from its JSON text', async () => {
    const prompt = 'List the issues'
    const schema = { type: 'object', properties: { issues: { type: 'array', minItems: 3, items: { type: 'string', minLength: 50 } } }, required: ['issues'] }
    const response = await createMockProvider().run(request({ prompt, schema }), live())
    expect(response.usage.outputTokens).toBe(Math.ceil(JSON.stringify(response.json).length / 4))
    expect(response.usage.outputTokens).toBeGreaterThan(3 * 50 / 4)
    expect(response.usage.costUsd).toBeCloseTo(expectedUsage(prompt, response).costUsd, 12)
  })

  it('is priced as the mid-size model', () => {
    expect(MID_SIZE_PRICE).toEqual({ input: 3, output: 15 })
  })
})

describe('the mock provider: latency and failures', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  it('reads DWF_MOCK_LATENCY_MS and DWF_MOCK_FAIL from the environment', () => {
    const options = mockOptionsFromEnv({ DWF_MOCK_LATENCY_MS: '250', DWF_MOCK_FAIL: 'security|tests' })
    expect(options.latencyMs).toBe(250)
    expect(options.failPattern?.test('review the tests')).toBe(true)
    expect(options.failPattern?.test('review the docs')).toBe(false)
  })

  it('has no latency and no failures by default', () => {
    expect(mockOptionsFromEnv({})).toEqual({ latencyMs: 0, failPattern: undefined })
  })

  it.each([['abc'], ['-5'], ['NaN'], ['Infinity']])('treats DWF_MOCK_LATENCY_MS=%s as no latency', (value) => {
    expect(mockOptionsFromEnv({ DWF_MOCK_LATENCY_MS: value }).latencyMs).toBe(0)
  })

  it('rejects an invalid DWF_MOCK_FAIL regular expression with a clear error', () => {
    let thrown: unknown
    try {
      mockOptionsFromEnv({ DWF_MOCK_FAIL: '(unclosed' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(WorkflowError)
    expect((thrown as Error).message).toMatch(/DWF_MOCK_FAIL is not a valid regular expression/)
  })

  it('delays each call by DWF_MOCK_LATENCY_MS', async () => {
    jest.useFakeTimers()
    const mock = createMockProvider(mockOptionsFromEnv({ DWF_MOCK_LATENCY_MS: '500' }))
    const answer = mock.run(request(), live())
    expect(await settledYet(answer)).toBe(false)
    await jest.advanceTimersByTimeAsync(499)
    expect(await settledYet(answer)).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    expect(await settledYet(answer)).toBe(true)
    await expect(answer).resolves.toEqual(expect.objectContaining({ model: 'mock' }))
  })

  it('stops waiting as soon as the signal aborts, with the abort reason', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    const answer = createMockProvider({ latencyMs: 60_000 }).run(request(), controller.signal)
    expect(await settledYet(answer)).toBe(false)
    const reason = new WorkflowError('STOPPED', 'the run was stopped')
    controller.abort(reason)
    expect(await settledYet(answer)).toBe(true)
    await expect(answer).rejects.toBe(reason)
  })

  it('does not answer a call whose signal is already aborted', async () => {
    const controller = new AbortController()
    const reason = new Error('gone')
    controller.abort(reason)
    await expect(createMockProvider().run(request(), controller.signal)).rejects.toBe(reason)
  })

  it('fails a call whose prompt matches DWF_MOCK_FAIL with a PROVIDER error', async () => {
    const mock = createMockProvider(mockOptionsFromEnv({ DWF_MOCK_FAIL: '^Verify' }))
    const failure = mock.run(request({ prompt: 'Verify these findings' }), live())
    await expect(failure).rejects.toBeInstanceOf(WorkflowError)
    await expect(failure).rejects.toMatchObject({ code: 'PROVIDER', message: expect.stringContaining('DWF_MOCK_FAIL') })
    await expect(mock.run(request({ prompt: 'Please Verify these findings' }), live())).resolves.toBeDefined()
  })

  it('fails every call whose prompt matches, not only the first (no sticky lastIndex)', async () => {
    const mock = createMockProvider(mockOptionsFromEnv({ DWF_MOCK_FAIL: 'boom' }))
    for (let i = 0; i < 3; i++) await expect(mock.run(request({ prompt: `boom ${i}` }), live())).rejects.toMatchObject({ code: 'PROVIDER' })
  })
})

describe('extractJson', () => {
  it('reads a whole-text JSON value', () => {
    expect(extractJson('{"a": 1, "b": [true, null]}')).toEqual({ a: 1, b: [true, null] })
    expect(extractJson('  [1, 2, 3]\n')).toEqual([1, 2, 3])
    expect(extractJson('"just a string"')).toBe('just a string')
    expect(extractJson('42')).toBe(42)
  })

  it('reads a fenced ```json block inside prose', () => {
    expect(extractJson('Here is the result:\n```json\n{"issues": ["x"]}\n```\nHope that helps.')).toEqual({ issues: ['x'] })
  })

  it('reads a fence without a language tag', () => {
    expect(extractJson('Result:\n```\n[{"ok": true}]\n```')).toEqual([{ ok: true }])
  })

  it('prefers the fenced block over a brace-looking fragment before it', () => {
    expect(extractJson('I considered {not json} first.\n```json\n{"final": 1}\n```')).toEqual({ final: 1 })
  })

  it('reads the first balanced object in prose', () => {
    expect(extractJson('The answer is {"verdict": "ok", "nested": {"depth": 2}} and that is all. {"second": true}')).toEqual({ verdict: 'ok', nested: { depth: 2 } })
  })

  it('reads a balanced array in prose', () => {
    expect(extractJson('Findings: [{"line": 3}, {"line": 9}] (two of them)')).toEqual([{ line: 3 }, { line: 9 }])
  })

  it('is not confused by braces and brackets inside strings', () => {
    expect(extractJson('Sure: {"code": "if (a) { b() }", "close": "}]", "open": "{["} done')).toEqual({ code: 'if (a) { b() }', close: '}]', open: '{[' })
  })

  it('is not confused by escaped quotes inside strings', () => {
    expect(extractJson('Note {"quote": "she said \\"}\\" twice"} end')).toEqual({ quote: 'she said "}" twice' })
  })

  it('skips a balanced span that is not JSON and takes the next one', () => {
    expect(extractJson('function f() { return 1 } then {"value": 7}')).toEqual({ value: 7 })
  })

  it.each([
    ['prose without JSON', 'I could not find any issues in this diff.'],
    ['an empty answer', ''],
    ['whitespace', '   \n  '],
    ['an unbalanced object', 'Result: {"a": 1'],
    ['a balanced span that is not JSON', 'use {curly} braces'],
  ])('returns undefined for %s', (_, text) => {
    expect(extractJson(text)).toBeUndefined()
  })
})

describe('pricing', () => {
  it('finds a dated model id by its family prefix', () => {
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual(priceOf('claude-sonnet-4'))
    expect(priceOf('claude-sonnet-4-5-20250929')).toMatchObject({ input: 3, output: 15 })
    expect(priceOf('gpt-4o-2024-08-06')).toMatchObject({ input: 2.5, output: 10 })
  })

  it('chooses the longest matching prefix', () => {
    expect(priceOf('claude-opus-4-5-20251101')).toMatchObject({ input: 5, output: 25 })
    expect(priceOf('claude-opus-4-1-20250805')).toMatchObject({ input: 15, output: 75 })
    expect(priceOf('gpt-5-mini-2025-08-07')).toMatchObject({ input: 0.25, output: 2 })
    expect(priceOf('gpt-5-2025-08-07')).toMatchObject({ input: 1.25, output: 10 })
    expect(priceOf('gpt-4o-mini')).toMatchObject({ input: 0.15, output: 0.6 })
  })

  it('matches a prefix only at a dash boundary', () => {
    expect(priceOf('gpt-50')).toBeUndefined()
    expect(priceOf('gpt-4oo')).toBeUndefined()
  })

  it.each([['mock'], ['llama-3-70b'], [''], ['claude'], ['sonnet-4']])('has no price for the unknown model %p', (model) => {
    expect(priceOf(model)).toBeUndefined()
  })

  it('costs usage of an unknown model as null, never a guess', () => {
    expect(costOf('some-local-model', { inputTokens: 1000, outputTokens: 1000 })).toBeNull()
  })

  it('costs usage of a known model per million tokens', () => {
    expect(costOf('claude-sonnet-4-5-20250929', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(18, 9)
    expect(costOf('claude-haiku-4-5', { inputTokens: 2000, outputTokens: 400 })).toBeCloseTo((2000 * 1 + 400 * 5) / 1e6, 12)
  })

  it('prices cache tokens at the cache prices, and at the input price when none is listed', () => {
    expect(costOf('claude-sonnet-4', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 })).toBeCloseTo(0.3 + 3.75, 9)
    expect(costAt({ input: 2, output: 4 }, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 })).toBeCloseTo(4, 9)
  })

  it('rounds to a millionth of a dollar', () => {
    expect(costAt({ input: 1, output: 1 }, { inputTokens: 1, outputTokens: 0 })).toBe(0.000001)
    expect(costAt({ input: 0.1, output: 0 }, { inputTokens: 4, outputTokens: 0 })).toBe(0)
  })
})

describe('selectAgent', () => {
  // As if the claude CLI were installed; the case without it is tested on its own.
  const cli = { allowMockFallback: true, hasCommand: () => true }
  const ci = { allowMockFallback: false, hasCommand: () => true }

  it('picks claude-code for auto when ANTHROPIC_API_KEY is set, and says so', () => {
    const selection = selectAgent('auto', { ANTHROPIC_API_KEY: 'sk-ant-x' }, ci)
    expect(selection.provider).toBe('claude-code')
    expect(selection.notice).toMatch(/ANTHROPIC_API_KEY/)
  })

  it('picks the Messages API for auto when ANTHROPIC_API_KEY is set but claude is not installed', () => {
    const selection = selectAgent('auto', { ANTHROPIC_API_KEY: 'sk-ant-x' }, { allowMockFallback: false, hasCommand: () => false })
    expect(selection.provider).toBe('anthropic')
    expect(selection.notice).toMatch(/claude is not installed/)
  })

  it('treats a missing agent name as auto', () => {
    expect(selectAgent(undefined, { ANTHROPIC_API_KEY: 'k' }, ci).provider).toBe('claude-code')
  })

  it('picks openai for auto when only OPENAI_API_KEY is set', () => {
    const selection = selectAgent('auto', { OPENAI_API_KEY: 'sk-x' }, ci)
    expect(selection.provider).toBe('openai')
    expect(selection.notice).toMatch(/OPENAI_API_KEY/)
  })

  it('prefers claude-code when both keys are set', () => {
    expect(selectAgent('auto', { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'b' }, ci).provider).toBe('claude-code')
  })

  it('does not count an empty key as a credential', () => {
    expect(selectAgent('auto', { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: 'b' }, ci).provider).toBe('openai')
  })

  it('falls back to mock with a notice when there are no credentials and fallback is allowed', () => {
    const selection = selectAgent('auto', {}, cli)
    expect(selection.provider).toBe('mock')
    expect(selection.notice).toMatch(/mock/)
    expect(selection.notice).toMatch(/ANTHROPIC_API_KEY/)
  })

  it('fails naming the secrets to set when there are no credentials and fallback is not allowed', () => {
    let thrown: unknown
    try {
      selectAgent('auto', {}, ci)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AgentSelectionError)
    expect((thrown as Error).message).toMatch(/ANTHROPIC_API_KEY/)
    expect((thrown as Error).message).toMatch(/OPENAI_API_KEY/)
    expect((thrown as Error).message).toMatch(/agent: mock/)
  })

  it('uses an explicit mock with a notice that the answers are mock answers, even in CI', () => {
    const selection = selectAgent('mock', { ANTHROPIC_API_KEY: 'k' }, ci)
    expect(selection.provider).toBe('mock')
    expect(selection.notice).toMatch(/mock answers/)
  })

  it.each([['command'], ['claude-code'], ['codex'], ['anthropic'], ['openai']])('keeps the explicit agent %s whatever the environment', (name) => {
    expect(selectAgent(name, {}, ci).provider).toBe(name)
  })

  it('rejects an unknown agent name and lists the names', () => {
    let thrown: unknown
    try {
      selectAgent('gpt', { OPENAI_API_KEY: 'k' }, cli)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AgentSelectionError)
    expect((thrown as Error).message).toMatch(/unknown agent 'gpt'/)
    for (const name of AGENT_NAMES) expect((thrown as Error).message).toContain(name)
  })

  it('matches agent names exactly (no case folding)', () => {
    expect(() => selectAgent('Mock', {}, cli)).toThrow(AgentSelectionError)
  })
})
