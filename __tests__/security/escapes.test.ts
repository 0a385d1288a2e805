import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { types } from 'node:util'
import type { ErrorCode } from '../../src/core/errors.js'
import { createWorkspace } from '../../src/workspace/workspace.js'
import { ROOT } from '../support/cli.js'
import { runSource, workflow, type InProcessRun } from '../support/in-process.js'
import { scaled } from '../support/time-scale.js'

/**
 * Sandbox escape attempts that __tests__/script/sandbox.test.ts does not make: constructor
 * chains from every value the host hands in, prototype pollution through returned data,
 * promise tricks, stack and memory bombs, endless loops in places the host might run, the
 * eval family, Proxy and coercion tricks on values crossing to the host, and the host's own
 * global. Every row runs the real QuickJS sandbox and engine, then `expectHostIntact` checks
 * what no attempt may change: a canary getter on the host's globalThis is never read, the
 * canary in process.env is unchanged and in no output, no host file was written, no host
 * prototype changed, and the run ended by itself with a clear error or plain data. (An
 * unhandled rejection in the host fails the test through Jest.)
 */
const CANARY = `escape-canary-${randomUUID()}`
const SECRET_FILE_TEXT = `secret-file-${randomUUID()}`
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, Promise: Promise.prototype, String: String.prototype, Error: Error.prototype }

let root: string
let workDir: string
let marker: string
let globalReads = 0
let prototypesBefore: ReturnType<typeof prototypeShapes>

/** Every own member of the host's built-in prototypes, with the value it holds. */
function prototypeShapes() {
  return Object.fromEntries(
    Object.entries(PROTOTYPES).map(([name, proto]) => [
      name,
      Reflect.ownKeys(proto).map((key) => {
        const d = Object.getOwnPropertyDescriptor(proto, key)!
        return [String(key), d.value ?? d.get, d.set] as const
      }),
    ]),
  )
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-escapes-'))
  workDir = path.join(root, 'work')
  fs.mkdirSync(workDir)
  fs.writeFileSync(path.join(workDir, 'notes.txt'), 'notes in the workspace\n')
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET_FILE_TEXT)
  // An escaped script that found fs would write here: its path reaches the script through args.
  marker = path.join(root, 'escaped.txt')
  Object.defineProperty(globalThis, 'DWF_ESCAPE_CANARY', { get: () => (globalReads++, CANARY), configurable: true })
  process.env.DWF_ESCAPE_CANARY = CANARY
  prototypesBefore = prototypeShapes()
})

afterAll(() => {
  delete (globalThis as Record<string, unknown>).DWF_ESCAPE_CANARY
  delete process.env.DWF_ESCAPE_CANARY
  fs.rmSync(root, { recursive: true, force: true })
})

type RunOptions = NonNullable<Parameters<typeof runSource>[1]>

interface Attempt {
  name: string
  body: string
  /** The run fails with one of these codes and a message matching `message`... */
  fails?: { code: ErrorCode | ErrorCode[]; message: RegExp }
  /** ...or succeeds with this result (only plain data ever reaches the host). */
  result?: unknown
  options?: RunOptions
  /** Further checks of the run. */
  also?: (run: InProcessRun) => void
}

const PROCESS = /process is not available/
const REQUIRE = /require is not available/
const FAIL_MOCK: RunOptions = { mock: { failPattern: /^fail/ } }
const TIGHT: RunOptions = { limits: { cpuMs: 300 } }
const SMALL: RunOptions = { limits: { memoryBytes: 32 * 1024 * 1024 } }
const nested = (depth: number, leaf = '[]') => `let deep = ${leaf}\nfor (let i = 0; i < ${depth}; i++) deep = [deep]`
const writeMarker = ".mainModule.require('node:fs').writeFileSync(args.marker, 'escaped')"

/** Constructor chains from every value the host hands to the script. */
const HANDED_IN: Attempt[] = [
  { name: 'the constructor chain of an agent() answer', body: `const answer = await agent('hello')\nreturn answer.constructor.constructor('return process')()${writeMarker}`, fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  {
    name: 'the constructor chain of a schema answer (host-built JSON)',
    body: "const found = await agent('findings', { schema: { type: 'object', properties: { issues: { type: 'array', items: { type: 'string' } } }, required: ['issues'] } })\nreturn found.issues.constructor.constructor('return process')().env.DWF_ESCAPE_CANARY",
    fails: { code: 'SCRIPT_ERROR', message: PROCESS },
  },
  {
    name: 'the constructor chain of an error thrown by agent()',
    body: `try { await agent('fail now') } catch (error) { return Object.getPrototypeOf(error).constructor.constructor('return process')()${writeMarker} }`,
    options: FAIL_MOCK,
    fails: { code: 'SCRIPT_ERROR', message: PROCESS },
  },
  {
    name: 'the constructor chain of the errors listed by a failed parallel()',
    body: "try { await parallel([() => agent('fail a')]) } catch (error) { return error.errors[0].constructor.constructor('return require')()('node:fs') }",
    options: FAIL_MOCK,
    fails: { code: 'SCRIPT_ERROR', message: REQUIRE },
  },
  { name: 'the getter of budget.total', body: "return Object.getOwnPropertyDescriptor(budget, 'total').get.constructor('return process')().env", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'a number returned by budget.spent()', body: "return budget.spent().constructor.constructor('return process')().env", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'a readFile() result', body: "return readFile('notes.txt').constructor.constructor('return process')().env", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'a glob() result', body: "return glob('*.txt').constructor.constructor('return globalThis.process')().env", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'log() and phase(), which hand nothing back', body: "return [log('x'), phase('Review')].map((value) => typeof value)", result: ['undefined', 'undefined'] },
]

/** Returned values and options that would pollute the host's prototypes if the host merged them carelessly. */
const POLLUTION: Attempt[] = [
  {
    name: 'a result with __proto__, constructor.prototype and nested __proto__ members',
    body: 'return JSON.parse(\'{"__proto__": {"polluted": "result"}, "constructor": {"prototype": {"polluted": "ctor"}}, "list": [{"__proto__": {"polluted": "nested"}}]}\')',
    also: ({ outcome }) => {
      const result = outcome.result as Record<string, any>
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual({ polluted: 'result' })
      expect(result.constructor).toEqual({ prototype: { polluted: 'ctor' } })
      expect(Object.getPrototypeOf(result.list[0])).toBe(Object.prototype)
    },
  },
  {
    name: 'a schema whose properties are named __proto__ and constructor',
    body: 'return await agent(\'shape\', { schema: JSON.parse(\'{"type": "object", "properties": {"__proto__": {"type": "object", "properties": {"polluted": {"const": "schema"}}, "required": ["polluted"]}, "constructor": {"type": "object", "properties": {"prototype": {"type": "object", "properties": {"polluted": {"const": "schema"}}, "required": ["polluted"]}}, "required": ["prototype"]}}, "required": ["__proto__", "constructor"]}\') })',
    also: ({ outcome }) => {
      expect(outcome.status).toBe('succeeded')
      expect((outcome.result as Record<string, unknown>).polluted).toBeUndefined()
    },
  },
  {
    name: 'a schema with a $ref into #/__proto__ and an allOf member carrying __proto__',
    body: 'return await agent(\'refs\', { schema: JSON.parse(\'{"allOf": [{"__proto__": {"polluted": "allOf"}, "type": "object", "properties": {"a": {"$ref": "#/__proto__"}}}]}\') })',
    also: ({ outcome }) => expect(outcome.status).toBe('succeeded'),
  },
  {
    name: 'args carrying a __proto__ member, spread and merged by the script and returned',
    // Object.assign() runs the __proto__ setter: that copy's prototype changes, in the sandbox only.
    body: 'return { spread: { ...args }, entries: Object.fromEntries(Object.entries(args)), assigned: Object.getPrototypeOf(Object.assign({}, args)).polluted }',
    options: { args: JSON.parse('{"__proto__": {"polluted": "args"}, "a": 1}') },
    also: ({ outcome }) => {
      const { spread, entries, assigned } = outcome.result as Record<string, Record<string, unknown>>
      expect(assigned).toBe('args')
      expect(Object.getOwnPropertyDescriptor(spread, '__proto__')?.value).toEqual({ polluted: 'args' })
      expect(Object.getOwnPropertyDescriptor(entries, '__proto__')?.value).toEqual({ polluted: 'args' })
    },
  },
  {
    name: 'phase() options with a __proto__ member',
    body: 'phase(\'Review\', JSON.parse(\'{"__proto__": {"budget": 5}}\'))',
    fails: { code: 'INVALID_CALL', message: /phase\(\): the options must be \{ budget/ },
  },
]

/** Promise and thenable tricks. */
const ASYNC: Attempt[] = [
  { name: 'a thenable result that never settles', body: 'return { then() {} }', fails: { code: 'SCRIPT_ERROR', message: /nothing will ever settle/ } },
  { name: 'a result whose then, constructor and toJSON members are data', body: "return { then: 'data', constructor: 'data', toJSON: null }", result: { then: 'data', constructor: 'data', toJSON: null } },
  {
    // The script's own result is adopted through its then, so the script fools itself; never the journal.
    name: 'a Promise.prototype.then that forges agent answers fools only the script, never the journal',
    body: [
      'const realThen = Promise.prototype.then',
      "Promise.prototype.then = function (ok, ko) { return realThen.call(this, () => ok && ok('forged answer'), ko) }",
      "const awaited = await agent('what is real?')",
      "const viaThen = await agent('what else?').then((value) => value)",
      'return { awaited, viaThen }',
    ].join('\n'),
    also: ({ outcome, journal }) => {
      expect(outcome.result).toBe('forged answer')
      expect(journal.appended.map((e) => e.result)).toEqual([expect.stringMatching(/^Mock answer /), expect.stringMatching(/^Mock answer /)])
    },
  },
  { name: 'replacing the Promise global before agent()', body: "globalThis.Promise = function () { throw new Error('no promises') }\nreturn await agent('still answered')", result: expect.stringMatching(/^Mock answer /) },
  {
    name: 'unhandled rejections inside the sandbox, including an un-awaited failing agent() call',
    body: "Promise.reject(new Error('nobody listens'))\nagent('fail unawaited')\nnew Promise((_, reject) => reject('again'))\nreturn 'done'",
    options: FAIL_MOCK,
    result: 'done',
    also: ({ events, journal }) => {
      expect(events.filter((e) => e.type === 'agent_failed')).toHaveLength(1)
      expect(journal.appended).toEqual([])
    },
  },
]

/** Stack, memory and loop bombs, including in places the host or the prelude runs script code. */
const BOMBS: Attempt[] = [
  { name: 'a stack overflow in a getter while the result is checked', body: 'const o = { get deep() { return o.deep } }\nreturn o', fails: { code: ['SCRIPT_ERROR', 'NOT_SERIALIZABLE'], message: /stack overflow/ } },
  { name: 'a stack overflow in a Proxy trap that agent() runs', body: "const f = () => f()\nawait agent('x', new Proxy({}, { ownKeys: f }))", fails: { code: 'SCRIPT_ERROR', message: /stack overflow/ } },
  { name: 'a caught stack overflow leaves a working sandbox', body: "function down() { return down() }\ntry { down() } catch (e) { log(String(e)) }\nreturn await agent('after the overflow')", result: expect.stringMatching(/^Mock answer /) },
  { name: 'string doubling', body: "let s = 'x'\nfor (;;) s += s", options: SMALL, fails: { code: ['SCRIPT_ERROR', 'MEMORY_LIMIT'], message: /string too long|memory/ } },
  { name: 'array growth', body: 'return Array.from({ length: 5e7 }, (_, i) => i).length', options: SMALL, fails: { code: 'MEMORY_LIMIT', message: /more than 32 MB/ } },
  { name: 'a SharedArrayBuffer past the memory limit', body: 'return new SharedArrayBuffer(512 * 1024 * 1024).byteLength', options: SMALL, fails: { code: 'MEMORY_LIMIT', message: /more than 32 MB/ } },
  { name: 'a result nested deeper than the host reads', body: `${nested(300)}\nreturn deep`, fails: { code: 'NOT_SERIALIZABLE', message: /nested more than 256 levels/ } },
  {
    name: 'agent() options nested deeper than the host reads',
    body: `${nested(300, '{}')}\nawait agent('deep options', { schema: { type: 'object', properties: { deep } } })`,
    fails: { code: 'INVALID_CALL', message: /^agent\(\): the options nest more than 256 levels deep$/ },
  },
  { name: 'an endless loop in an awaited then callback', body: 'await Promise.resolve().then(() => { for (;;) {} })', options: TIGHT, fails: { code: 'CPU_LIMIT', message: /without waiting for an agent/ } },
  { name: 'an endless loop in a getter of the result', body: 'return { get x() { for (;;) {} } }', options: TIGHT, fails: { code: 'CPU_LIMIT', message: /without waiting for an agent/ } },
  { name: 'an endless loop in a Proxy trap of agent() options', body: "await agent('x', new Proxy({}, { ownKeys() { for (;;) {} } }))", options: TIGHT, fails: { code: 'CPU_LIMIT', message: /without waiting for an agent/ } },
  // Stopped either way; which message wins is racy: the deadlock check can pre-empt CPU_LIMIT (reported as a src bug).
  { name: 'an endless asynchronous loop', body: 'for (;;) await null', options: TIGHT, fails: { code: ['CPU_LIMIT', 'SCRIPT_ERROR'], message: /without waiting for an agent|nothing will ever settle/ } },
  { name: 'an endless loop of agent() calls', body: "for (let i = 0; ; i++) await agent('call ' + i)", options: { config: { maxAgents: 5 } }, fails: { code: 'MAX_AGENTS', message: /limit of 5 agent calls/ } },
]

/** The eval family and Function constructors that sandbox.test.ts does not reach for. */
const CONSTRUCTORS: Attempt[] = [
  { name: 'the AsyncGeneratorFunction constructor', body: "return await Object.getPrototypeOf(async function* () {}).constructor('yield process')().next()", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'Reflect.construct(Function)', body: `return Reflect.construct(Function, ['return process'])()${writeMarker}`, fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'the constructor of a bound function', body: "return (() => {}).bind(null).constructor('return process')().env", fails: { code: 'SCRIPT_ERROR', message: PROCESS } },
  { name: 'a dynamic import() hidden in a Function body', body: "return await Function('return import(\"node:fs\")')()", fails: { code: 'SCRIPT_ERROR', message: /could not load module 'node:fs'/ } },
  { name: 'sloppy Function code walking arguments.callee.caller', body: "return Function('return arguments.callee.caller')()", result: null },
]

/** Proxies, getters, toJSON and coercion on values that cross to the host. */
const CROSSING: Attempt[] = [
  {
    name: 'a Proxy that shows the checker plain data and the serialiser a deep value',
    body: [
      nested(300),
      "let reads = 0\nreturn new Proxy({ a: 1 }, { get(target, key) { if (key !== 'a') return target[key]; reads++; return reads === 1 ? 1 : deep } })",
    ].join('\n'),
    fails: { code: 'NOT_SERIALIZABLE', message: /nested more than 256 levels/ },
  },
  { name: 'a Proxy whose getPrototypeOf claims Array.prototype', body: 'return new Proxy({}, { getPrototypeOf() { return Array.prototype } })', fails: { code: 'NOT_SERIALIZABLE', message: /the result is a Array/ } },
  { name: 'a revoked Proxy as the result', body: 'const { proxy, revoke } = Proxy.revocable({}, {})\nrevoke()\nreturn proxy', fails: { code: 'SCRIPT_ERROR', message: /revoked proxy/ } },
  { name: 'a result with toJSON', body: 'return { toJSON() { return { injected: true } } }', fails: { code: 'NOT_SERIALIZABLE', message: /the result\.toJSON is a function/ } },
  { name: 'a result member with Symbol.toPrimitive reaches the host as an empty object', body: "return { price: { [Symbol.toPrimitive]() { throw new Error('called') } } }", result: { price: {} } },
  {
    name: 'readFile() of an object whose Symbol.toPrimitive names a file outside',
    body: "return readFile({ [Symbol.toPrimitive]() { return '../secret.txt' } })",
    fails: { code: 'INVALID_CALL', message: /readFile\(\): the path must be a non-empty string/ },
  },
  {
    name: 'agent() files whose toString names a file outside',
    body: "await agent('x', { files: [{ toString() { return '../secret.txt' } }] })",
    fails: { code: 'INVALID_CALL', message: /option 'files' must be a path or glob/ },
  },
]

/** What the realm has, and what it cannot see of the host. */
const REALM: Attempt[] = [
  { name: 'WebAssembly and Atomics are absent', body: 'return [typeof WebAssembly, typeof Atomics]', result: ['undefined', 'undefined'] },
  {
    name: "the host's globalThis, reached three ways, is never the sandbox's",
    body: "return [typeof globalThis.DWF_ESCAPE_CANARY, typeof Function('return this')().DWF_ESCAPE_CANARY, typeof globalThis.constructor.constructor('return this')().DWF_ESCAPE_CANARY]",
    result: ['undefined', 'undefined', 'undefined'],
  },
  {
    name: 'an error stack names the script, never a host file',
    body: "return new Error('where am I').stack",
    also: ({ outcome }) => {
      expect(outcome.result).toMatch(/test\.workflow\.js:2:/)
      expect(outcome.result).not.toContain(ROOT)
      expect(outcome.result).not.toMatch(/node_modules|node:internal|file:\/\//)
    },
  },
]

/** Plain JSON data: no proxies, accessors, functions or foreign prototypes. */
function expectPlainData(value: unknown, depth = 0): void {
  expect(depth).toBeLessThan(300)
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') return void expect(Number.isFinite(value)).toBe(true)
  expect(typeof value).toBe('object')
  expect(types.isProxy(value)).toBe(false)
  expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(value))
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    expect(descriptor.get ?? descriptor.set).toBeUndefined()
    expectPlainData(descriptor.value, depth + 1)
  }
}

/** What every attempt must leave as it was in the host. */
function expectHostIntact(run: InProcessRun): void {
  expect(run.outcome.status).not.toBe('stopped') // the guard signal only stops a hung run
  const text = JSON.stringify({ outcome: run.outcome, events: run.events, journal: [...run.journal.entries()] })
  expect(text).not.toContain(CANARY)
  expect(text).not.toContain(SECRET_FILE_TEXT)
  expect(globalReads).toBe(0)
  expect(process.env.DWF_ESCAPE_CANARY).toBe(CANARY)
  expect(fs.existsSync(marker)).toBe(false)
  expect(prototypeShapes()).toEqual(prototypesBefore)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  if (run.outcome.status === 'succeeded') expectPlainData(run.outcome.result)
  else {
    const { message } = run.outcome.error!
    expect(message.trim()).not.toBe('')
    expect(message).not.toMatch(/\n\s+at /)
    expect(message).not.toContain(ROOT)
  }
}

const CATALOGUE: Array<[string, Attempt[]]> = [
  ['values the host hands in', HANDED_IN],
  ['prototype pollution through returned values', POLLUTION],
  ['promise tricks', ASYNC],
  ['stack, memory and loop bombs', BOMBS],
  ['Function constructors', CONSTRUCTORS],
  ['values crossing to the host', CROSSING],
  ['the realm and the host global', REALM],
]

describe.each(CATALOGUE)('escape attempts: %s', (_, attempts) => {
  it.each(attempts.map((a) => [a.name, a] as const))('%s', async (_name, attempt) => {
    const run = await runSource(workflow(attempt.body), {
      signal: AbortSignal.timeout(scaled(20_000)),
      workspace: createWorkspace(workDir),
      args: { marker },
      ...attempt.options,
    })
    expectHostIntact(run)
    if (attempt.fails) {
      expect(run.outcome.status).toBe('failed')
      expect(run.outcome.error!.message).toMatch(attempt.fails.message)
      expect([attempt.fails.code].flat()).toContain(run.outcome.error!.code)
    }
    if ('result' in attempt) expect(run.outcome).toMatchObject({ status: 'succeeded', result: attempt.result })
    attempt.also?.(run)
  })
})
