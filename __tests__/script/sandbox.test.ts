import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { types } from 'node:util'
import { createWorkspace } from '../../src/workspace/workspace.js'
import { runSource, workflow, type InProcessRun } from '../support/in-process.js'
import { type RunOutcome } from '../../src/core/events.js'
import { scaled } from '../support/time-scale.js'

/**
 * A secret in the test process's environment, as ANTHROPIC_API_KEY would be in the runner's.
 * No script may read it, and it must never appear in anything a run produces.
 */
const CANARY = `canary-${randomUUID()}`
const SECRET_FILE_TEXT = `secret-file-${randomUUID()}`

let root: string
let workspaceDir: string
let savedPrepareStackTrace: unknown

beforeAll(() => {
  process.env.DWF_TEST_CANARY = CANARY
  savedPrepareStackTrace = (Error as { prepareStackTrace?: unknown }).prepareStackTrace
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-sandbox-'))
  workspaceDir = path.join(root, 'work')
  fs.mkdirSync(path.join(workspaceDir, 'src'), { recursive: true })
  fs.writeFileSync(path.join(workspaceDir, 'notes.txt'), 'hello from the workspace\n')
  fs.writeFileSync(path.join(workspaceDir, 'src', 'a.ts'), 'export const a = 1\n')
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET_FILE_TEXT)
})

afterAll(() => {
  delete process.env.DWF_TEST_CANARY
  fs.rmSync(root, { recursive: true, force: true })
})

type RunOptions = Parameters<typeof runSource>[1]

/**
 * Runs a workflow body in the real sandbox and checks what every run must keep (an unhandled
 * rejection in the host fails the test through Jest): the run ended by itself (the guard
 * signal only stops a hung run),
 * everything it produced is JSON the host can write, without the canary, and no host
 * prototype was touched.
 */
async function run(body: string, options: RunOptions = {}, guardMs = 15_000): Promise<InProcessRun> {
  const result = await runSource(workflow(body), { signal: AbortSignal.timeout(scaled(guardMs)), ...options })
  expect(result.outcome.status).not.toBe('stopped')
  let text = ''
  expect(() => {
    text = JSON.stringify({ outcome: result.outcome, events: result.events, journal: [...result.journal.entries()] })
  }).not.toThrow()
  expect(text).not.toContain(CANARY)
  expect(text).not.toContain(SECRET_FILE_TEXT)
  const probe: Record<string, unknown> = {}
  expect([probe.polluted, ([] as unknown as Record<string, unknown>).polluted, probe.then, probe.toJSON]).toEqual([undefined, undefined, undefined, undefined])
  return result
}

/** The failure of a run, which must have failed. */
function failure(outcome: RunOutcome) {
  expect(outcome.status).toBe('failed')
  return outcome.error!
}

/** Runs `body`, which must succeed with `result`. */
async function expectResult(body: string, result: unknown, options: RunOptions = {}): Promise<void> {
  expect((await run(body, options)).outcome).toMatchObject({ status: 'succeeded', result })
}

/** Runs `body`, which must fail with an error matching `expected`. */
async function expectFailure(body: string, expected: Record<string, unknown>, options: RunOptions = {}): Promise<void> {
  expect(failure((await run(body, options)).outcome)).toMatchObject(expected)
}

const SANDBOX = /workflow scripts run in a sandbox/
const DETERMINISM = /a replayed run must make the same calls/

describe('sandbox escapes: nothing reaches the host', () => {
  it.each([
    ['this.constructor.constructor', "return this.constructor.constructor('return process')().env.DWF_TEST_CANARY", /process is not available/],
    ['(function(){}).constructor', "return (function () {}).constructor('return process.env.DWF_TEST_CANARY')()", /process is not available/],
    ['agent.constructor', "return agent.constructor('return process.env.DWF_TEST_CANARY')()", /process is not available/],
    ['parallel.constructor and the global this', "return parallel.constructor('return this.process.env.DWF_TEST_CANARY')()", /process is not available/],
    ['console.log.constructor', "return console.log.constructor('return require(\"node:fs\")')()", /require is not available/],
    ['the AsyncFunction constructor', "return await Object.getPrototypeOf(async function () {}).constructor('return require(\"node:child_process\")')()", /require is not available/],
    ['the GeneratorFunction constructor', "return Object.getPrototypeOf(function* () {}).constructor('yield process.env')().next().value", /process is not available/],
    ['({}).constructor.constructor', "return ({}).constructor.constructor('return process')().env", /process is not available/],
    ['args.constructor.constructor', "return args.constructor.constructor('return process.env')()", /process is not available/],
    ['Error.prototype.constructor.constructor', "return Error.prototype.constructor.constructor('return process.env')()", /process is not available/],
    ['eval', "return eval('process.env.DWF_TEST_CANARY')", /process is not available/],
    ['new Function', "return new Function('return process.env.DWF_TEST_CANARY')()", /process is not available/],
    ['indirect eval', "return (0, eval)('this.process.env.DWF_TEST_CANARY')", /process is not available/],
    ['globalThis[name]', "return globalThis['process'].env.DWF_TEST_CANARY", /process is not available/],
    ['Reflect.get on the global', "return Reflect.get(globalThis, 'require')('node:fs')", /require is not available/],
    ['the getter of the global property', "return Object.getOwnPropertyDescriptor(globalThis, 'process').get.call(globalThis).env", /process is not available/],
    ['module and Buffer', "return [typeof module.exports, Buffer.from('x')]", /module is not available/],
  ])('%s finds no process, require or environment', async (_, body, message) => {
    const { outcome } = await run(body)
    const error = failure(outcome)
    expect(error.code).toBe('SCRIPT_ERROR')
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(SANDBOX)
    expect(error.line).toBe(2)
  })

  it('has no process, require or fetch values anywhere on the global object', async () => {
    const { outcome } = await run(
      [
        'const seen = {}',
        'for (const name of Reflect.ownKeys(globalThis)) {',
        "  if (typeof name !== 'string') continue",
        '  try { const v = globalThis[name]; seen[name] = typeof v } catch (e) { seen[name] = "throws: " + e.message }',
        '}',
        'return { seen, enumerable: Object.keys(globalThis) }',
      ].join('\n'),
    )
    expect(outcome.status).toBe('succeeded')
    const { seen, enumerable } = outcome.result as { seen: Record<string, string>; enumerable: string[] }
    for (const name of ['process', 'require', 'module', 'exports', 'Buffer', 'global', '__dirname', '__filename', 'Deno', 'Bun'])
      expect(seen[name] === undefined || /^throws: .*sandbox/.test(seen[name]!)).toBe(true)
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket'])
      expect(seen[name] === undefined || /^throws: .*not available/.test(seen[name]!)).toBe(true)
    expect(Object.values(seen).filter((kind) => kind.startsWith('throws')).length).toBeGreaterThan(0)
    expect(enumerable).toEqual([])
  })

  it('hands the host plain data when the script returns a Proxy', async () => {
    const { outcome } = await run(
      "let traps = 0\nconst p = new Proxy({ a: 1 }, { get(t, k) { traps++; return k === 'a' ? 'from the trap' : t[k] } })\nreturn { p, list: new Proxy([1, 2], {}) }",
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: { p: { a: 'from the trap' }, list: [1, 2] } })
    const result = outcome.result as { p: object; list: unknown[] }
    expect(types.isProxy(result)).toBe(false)
    expect(types.isProxy(result.p)).toBe(false)
    expect(types.isProxy(result.list)).toBe(false)
    expect(Object.getPrototypeOf(result.p)).toBe(Object.prototype)
  })

  it('fails inside the sandbox when a returned Proxy’s trap throws', async () => {
    const { outcome } = await run("return new Proxy({ a: 1 }, { ownKeys() { throw new Error('trap fired') } })")
    const error = failure(outcome)
    expect(['NOT_SERIALIZABLE', 'SCRIPT_ERROR']).toContain(error.code)
    expect(error.message).toMatch(/trap fired/)
  })

  it('runs the traps of a Proxy passed to agent() in the sandbox; the host gets its JSON', async () => {
    const { outcome, events } = await run(
      [
        'let traps = 0',
        "const options = new Proxy({ label: 'proxied' }, { ownKeys(t) { traps++; return Reflect.ownKeys(t) }, get(t, k) { traps++; return t[k] } })",
        "const answer = await agent('a prompt', options)",
        'return { traps: traps > 0, answer: typeof answer }',
      ].join('\n'),
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: { traps: true, answer: 'string' } })
    expect(events.find((e) => e.type === 'agent_queued')).toMatchObject({ label: 'proxied' })
  })

  it('keeps prototype pollution inside the sandbox', async () => {
    const { outcome } = await run(
      [
        "Object.prototype.polluted = 'yes'",
        "Array.prototype.polluted = 'yes'",
        "Object.defineProperty(Object.prototype, 'toJSON', { value: undefined, writable: true, configurable: true })",
        "const answer = await agent('polluted prompt', { label: 'l' })",
        "log('after pollution', { a: 1 })",
        'return { answer, sandboxSees: ({}).polluted }',
      ].join('\n'),
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: { sandboxSees: 'yes' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false)
  })

  it('keeps a __proto__ member from JSON.parse as plain data in the host', async () => {
    const { outcome, events } = await run(
      [
        'const evil = JSON.parse(\'{"__proto__": {"polluted": "yes"}, "a": 1}\')',
        'log(evil)',
        "phase('Review')",
        'return evil',
      ].join('\n'),
    )
    expect(outcome.status).toBe('succeeded')
    expect(Object.getPrototypeOf(outcome.result)).toBe(Object.prototype)
    expect((outcome.result as Record<string, unknown>).polluted).toBeUndefined()
    expect(events.find((e) => e.type === 'log')).toMatchObject({ message: expect.stringContaining('polluted') })
  })

  it.each([
    ['__proto__ (from JSON.parse)', 'JSON.parse(\'{"__proto__": {"label": "x"}}\')', '__proto__'],
    ['hasOwnProperty', '{ hasOwnProperty: 1 }', 'hasOwnProperty'],
    ['constructor', '{ constructor: 1 }', 'constructor'],
    ['toString', "{ toString: 'x' }", 'toString'],
  ])('rejects an agent() option named like an Object.prototype member (%s) as an unknown option', async (_, options, name) => {
    const { outcome } = await run(`\nawait agent('a prompt', ${options})`)
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toContain(`unknown option '${name}'`)
    expect(error.line).toBe(3)
  })

  it('keeps Object.prototype.then inside the sandbox', async () => {
    const { outcome } = await run("Object.prototype.then = function (resolve) { resolve('hijacked') }\nconst answer = await agent('still answered')\nreturn typeof answer")
    expect(outcome.status).toBe('succeeded')
    expect(({} as Record<string, unknown>).then).toBeUndefined()
  })

  it.each([
    [
      'runs Function-constructed code inside the sandbox, where it can compute but not reach out',
      "const f = agent.constructor('a', 'b', 'return a * b')\nreturn [f(6, 7), eval('1 + 2'), new Function('return typeof globalThis.agent')()]",
      [42, 3, 'function'],
    ],
    ['lets a thenable from a thunk settle inside the sandbox', "return await parallel([() => ({ then(resolve) { resolve(42) } }), () => 'plain'])", [42, 'plain']],
    ['settles a thenable returned as the result inside the sandbox', "return { then(resolve) { resolve({ via: 'then' }) } }", { via: 'then' }],
  ])('%s', async (_, body, result) => {
    await expectResult(body, result)
  })

  it.each([
    [
      'turns a throwing Proxy prompt into an INVALID_CALL at the line, inside the sandbox',
      "\nawait agent(new Proxy({}, { get() { throw new Error('prompt trap') } }))",
      { code: 'INVALID_CALL', message: expect.stringMatching(/prompt trap/), line: 3 },
    ],
    [
      'reports a thenable whose then throws as a failed item',
      "\nawait parallel([() => ({ then() { throw new Error('then blew up') } }), () => 1])",
      { code: 'PARALLEL_FAILED', message: expect.stringMatching(/\[0\] then blew up/), line: 3 },
    ],
    [
      'never calls Symbol.toPrimitive in the host: an object prompt arrives as JSON and is refused',
      "let called = 0\nawait agent({ [Symbol.toPrimitive]() { called++; return 'coerced' } })",
      { code: 'INVALID_CALL', message: expect.stringMatching(/prompt must be a non-empty string/), line: 3 },
    ],
    [
      'refuses an option whose value is an object with Symbol.toPrimitive',
      "await agent('p', { label: { [Symbol.toPrimitive]() { return 'L' } } })",
      { code: 'INVALID_CALL', message: expect.stringMatching(/option 'label' must be a non-empty string/) },
    ],
  ])('%s', async (_, body, expected) => {
    await expectFailure(body, expected)
  })

  it('ignores Error.prepareStackTrace set by the script, and leaves the host’s alone', async () => {
    const { outcome } = await run(
      "Error.prepareStackTrace = (error, sites) => sites.map((site) => site.getThis && site.getThis())\nError.stackTraceLimit = 0\n  null.property",
    )
    const error = failure(outcome)
    expect(error.message).toMatch(/property/)
    expect(error.line).toBe(4)
    expect((Error as { prepareStackTrace?: unknown }).prepareStackTrace).toBe(savedPrepareStackTrace)
  })

  it('reports deep recursion as a clear error at the line, and the process survives', async () => {
    const { outcome } = await run('function down(n) {\n  return down(n + 1) + 1\n}\nreturn down(0)')
    const error = failure(outcome)
    expect(error.code).toBe('SCRIPT_ERROR')
    expect(error.message).toMatch(/stack overflow/)
    expect(error.line).toBe(3)
    expect((await run('return 1 + 1')).outcome).toMatchObject({ status: 'succeeded', result: 2 })
  })

  it('reports native recursion on a deeply nested value as a clear error, and the process survives', async () => {
    const { outcome } = await run('let o = {}\nfor (let i = 0; i < 200000; i++) o = { o }\nreturn JSON.stringify(o).length')
    const error = failure(outcome)
    expect(error.code).toBe('SCRIPT_ERROR')
    expect(error.message).toMatch(/stack overflow|too deeply/)
    expect((await run('return 3')).outcome).toMatchObject({ status: 'succeeded', result: 3 })
  })

  it('stops a memory bomb with a limit error, never a crash', async () => {
    const { outcome } = await run("const hoard = []\nfor (let i = 0; ; i++) hoard.push({ i, s: 'x' + i })", { limits: { memoryBytes: 16 * 1024 * 1024, cpuMs: 2000 } })
    const error = failure(outcome)
    expect(['MEMORY_LIMIT', 'CPU_LIMIT']).toContain(error.code)
    if (error.code === 'MEMORY_LIMIT') expect(error.message).toMatch(/16 MB/)
    expect((await run("return 'alive'")).outcome).toMatchObject({ status: 'succeeded', result: 'alive' })
  })

  it('stops a large allocation with MEMORY_LIMIT at its line', async () => {
    const { outcome } = await run('\nconst big = new ArrayBuffer(64 * 1024 * 1024)\nreturn big.byteLength', { limits: { memoryBytes: 16 * 1024 * 1024, cpuMs: 2000 } })
    const error = failure(outcome)
    expect(error.code).toBe('MEMORY_LIMIT')
    expect(error.line).toBe(3)
  })

  it('stops an endless loop with CPU_LIMIT at the line of the loop', async () => {
    const { outcome } = await run('let i = 0\nwhile (true) { i++ }', { limits: { cpuMs: 200 } })
    const error = failure(outcome)
    expect(error.code).toBe('CPU_LIMIT')
    expect(error.message).toMatch(/0\.2s/)
    expect(error.line).toBe(3)
  })

  it.each([
    ['stops an endless loop that a script catches and retries, since the limit cannot be caught', 'for (;;) {\n  try { for (;;) {} } catch (e) { log(String(e)) }\n}', 200],
    ['a loop in a callback nothing awaits still ends the run with CPU_LIMIT, never a result', "Promise.resolve().then(() => { for (;;) {} })\nawait agent('y')\nreturn 1", 300],
  ])('%s', async (_, body, cpuMs) => {
    await expectFailure(body, { code: 'CPU_LIMIT' }, { limits: { cpuMs } })
  })

  it('an endless async loop is a CPU_LIMIT, not a deadlock', async () => {
    for (let i = 0; i < 5; i++) {
      const { outcome } = await run('for (;;) await null', { limits: { cpuMs: 200 } })
      expect(failure(outcome).code).toBe('CPU_LIMIT')
    }
  })

  it('counts only synchronous time: waiting for slow agents does not trip the CPU limit', async () => {
    const { outcome } = await run(
      "const answers = []\nfor (let i = 0; i < 3; i++) answers.push(await agent('slow ' + i))\nlet sum = 0\nfor (let i = 0; i < 100000; i++) sum += i\nreturn [answers.length, sum]",
      // The limit is wall-clock time spent in synchronous script code, so it is scaled: far over
      // the synchronous work even on a busy machine, and far under the 3 calls' waiting.
      { mock: { latencyMs: scaled(1500) }, limits: { cpuMs: scaled(2000) } },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: [3, 4999950000] })
  })

  it.each([
    ['globalThis[\'Date\'].now()', "return globalThis['Date'].now()", /Date\.now\(\)/],
    ['Date[\'now\']()', "return Date['now']()", /Date\.now\(\)/],
    ['an alias of Date', 'const D = Date\nreturn String(new D())', /new Date\(\)/],
    ['Reflect.construct(Date, [])', 'return String(Reflect.construct(Date, []))', /new Date\(\)/],
    ['Date() called as a function', 'return Date()', /Date\(\)/],
    ['Date.prototype.constructor', 'const Real = Date.prototype.constructor\nreturn String(new Real())', /Date/],
    ['the constructor of a date', 'return new Date(0).constructor.now()', /Date\.now\(\)/],
    ['Math[\'random\']()', "const M = Math\nreturn M['random']()", /Math\.random\(\)/],
    ['Reflect.apply on Math.random', "return Reflect.apply(Math['ran' + 'dom'], Math, [])", /Math\.random\(\)/],
    ['setTimeout through the global', "return globalThis['setTimeout'](() => 1, 1)", /setTimeout/],
    ['setInterval', "return globalThis['setInterval'](() => 1, 1)", /setInterval/],
    ['performance.now()', "return globalThis['performance'].now()", /performance/],
    ['WeakRef', "return new globalThis['WeakRef']({})", /WeakRef/],
    ['FinalizationRegistry', 'return new FinalizationRegistry(() => {})', /FinalizationRegistry/],
  ])('refuses %s with a DETERMINISM error at the line', async (_, body, message) => {
    const { outcome } = await run(`\n${body}`)
    const error = failure(outcome)
    expect(error.code).toBe('DETERMINISM')
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(DETERMINISM)
    expect(error.line).toBeGreaterThanOrEqual(3)
    expect(error.line).toBeLessThanOrEqual(4)
  })

  it.each([
    [
      'allows dates and date arithmetic that do not read the clock',
      "return [new Date(0).toISOString(), Date.UTC(2024, 0, 2), Date.parse('2024-01-02T00:00:00Z'), new Date(2024, 0, 2).getFullYear()]",
      ['1970-01-01T00:00:00.000Z', Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 2), 2024],
    ],
    ['allows the rest of Math', 'return [Math.max(1, 2), Math.floor(2.5), Math.PI > 3]', [2, 2, true]],
  ])('%s', async (_, body, result) => {
    await expectResult(body, result)
  })

  it.each([
    ['process', "return globalThis['process']", SANDBOX],
    ['require', "return globalThis['require']('fs')", SANDBOX],
    ['fetch', "return globalThis['fetch']('https://example.com')", /fetch is not available: there is no network/],
    ['XMLHttpRequest', 'return new XMLHttpRequest()', /there is no network/],
  ])('gives a clear error for %s reached indirectly', async (name, body, message) => {
    const { outcome } = await run(`\n\n${body}`)
    const error = failure(outcome)
    expect(error.code).toBe('SCRIPT_ERROR')
    expect(error.message).toContain(`${name} is not available`)
    expect(error.message).toMatch(message)
    expect(error.line).toBe(4)
  })

  it('deep-freezes args', async () => {
    const args = { pr: { number: 7, files: ['a.ts', { path: 'b.ts' }] } }
    const { outcome } = await run(
      [
        'const frozen = [Object.isFrozen(args), Object.isFrozen(args.pr), Object.isFrozen(args.pr.files), Object.isFrozen(args.pr.files[1])]',
        'const attempts = []',
        "for (const change of [() => { args.pr.number = 8 }, () => { args.pr.files.push('c.ts') }, () => { args.pr.files[1].path = 'x' }, () => { args.extra = 1 }, () => { delete args.pr }])",
        '  try { change(); attempts.push("changed") } catch (e) { attempts.push(e.name) }',
        'return { frozen, attempts, number: args.pr.number }',
      ].join('\n'),
      { args },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: { frozen: [true, true, true, true], attempts: Array(5).fill('TypeError'), number: 7 } })
    expect(args.pr.number).toBe(7)
  })

  it('lets the script start its main function only once', async () => {
    const { outcome } = await run("await globalThis.__dwf_main(async () => 'hijacked')\nreturn 'original'")
    const error = failure(outcome)
    expect(error.message).toMatch(/may run once/)
  })

  it('keeps the script API read-only', async () => {
    const { outcome } = await run(
      "const results = []\nfor (const name of ['agent', 'parallel', 'args', 'Date']) { try { globalThis[name] = 1; results.push('replaced') } catch (e) { results.push(e.name) } }\nreturn [results, typeof agent]",
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: [['TypeError', 'TypeError', 'TypeError', 'TypeError'], 'function'] })
  })

  it('cannot forge a host request by replacing JSON.stringify: the prelude uses its own copy', async () => {
    const { outcome, events } = await run(
      [
        'const realStringify = JSON.stringify',
        "JSON.stringify = (value) => value && value.op === 'log' ? realStringify({ op: 'readFile', args: ['../secret.txt'], line: 3 }) : realStringify(value)",
        "log('innocent')",
        'JSON.stringify = realStringify',
        "return 'logged'",
      ].join('\n'),
      { workspace: createWorkspace(workspaceDir) },
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'logged' })
    expect(events.filter((e) => e.type === 'log').map((e) => (e as { message: string }).message)).toEqual(['innocent'])
  })

  it.each([
    ['Array.prototype.join', "Array.prototype.join = function () { return '[[1,{\"prompt\":\"forged\"}]]' }"],
    ['Array.prototype.join returning garbage', "Array.prototype.join = function () { return 'null' }"],
    ['JSON.stringify', "JSON.stringify = () => '[[[]]]'"],
    ['JSON.parse', 'JSON.parse = () => [[1, null]]'],
    ['Promise.prototype.then', 'const then = Promise.prototype.then\nPromise.prototype.then = function (a, b) { return then.call(this, a, b) }'],
  ])('neither crashes nor hangs the host when the script replaces %s', async (_, tamper) => {
    const { outcome } = await run(`${tamper}\nconst answer = await agent('a real prompt')\nreturn typeof answer`, {}, 10_000)
    expect(['succeeded', 'failed']).toContain(outcome.status)
  })

  it('fails a script that awaits a promise nothing will ever settle, instead of hanging', async () => {
    const { outcome } = await run('\nawait new Promise(() => {})\nreturn 1', {}, 10_000)
    expect(failure(outcome).code).toBe('SCRIPT_ERROR')
  })

  it('does not hand the host a result it cannot serialise, even with a forged reply', async () => {
    const { outcome } = await run("const deep = '['.repeat(100000) + ']'.repeat(100000)\nJSON.stringify = () => '{\"ok\":true,\"value\":' + deep + '}'\nreturn 1")
    expect(['succeeded', 'failed']).toContain(outcome.status)
  })

  it('never lets the canary into any output, whatever the script tries', async () => {
    const attempts = [
      'try { return process.env.DWF_TEST_CANARY } catch (e) { return String(e) }',
      "try { return Function('return this')().process.env } catch (e) { return e.message }",
      "return await agent('Echo the secret ' + (() => { try { return globalThis.process.env.DWF_TEST_CANARY } catch { return 'none' } })())",
      "log(Object.getOwnPropertyNames(globalThis).join(','))\nreturn JSON.stringify(args)",
    ]
    for (const body of attempts) await run(body, { args: { from: 'args' } })
    expect(process.env.DWF_TEST_CANARY).toBe(CANARY)
  })
})

describe('the script API', () => {
  it('returns parallel results in order, whatever order they finish in', async () => {
    const { outcome } = await run(
      [
        'const results = await parallel([',
        "  async () => { await agent('slow one'); await agent('slow two'); return 'first' },",
        "  () => 'second',",
        "  () => agent('third'),",
        "  async () => 'fourth',",
        '])',
        'return results.map((r) => r.slice(0, 11))',
      ].join('\n'),
    )
    expect(outcome).toMatchObject({ status: 'succeeded', result: ['first', 'second', 'Mock answer', 'fourth'] })
  })

  it.each([
    ['a function', 'parallel(() => agent("x"))', /takes an array of functions.*got function/],
    ['a string', "parallel('x')", /got string/],
    ['undefined', 'parallel()', /got undefined/],
    ['an object', 'parallel({ 0: () => 1 })', /got object/],
  ])('refuses parallel over %s with INVALID_CALL at the line', async (_, call, message) => {
    const { outcome } = await run(`const a = 1\n  await ${call}`)
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toMatch(message)
    expect(error.line).toBe(3)
  })

  it('refuses parallel items that are not functions, naming the item', async () => {
    const { outcome } = await run("\nawait parallel([() => 1, agent('called too early'), 3])")
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toMatch(/item 1 is object, not a function; wrap each call: \(\) => agent/)
    expect(error.line).toBe(3)
  })

  it('keeps and journals completed siblings when items fail, and lists every failed index', async () => {
    const { outcome, journal } = await run(
      [
        'try {',
        "  await parallel([() => agent('one'), () => agent('fail two'), () => agent('three'), () => { throw new Error('sync throw') }, () => agent('fail five')])",
        '} catch (e) {',
        '  return { code: e.code, line: e.line, message: e.message, indexes: e.errors.map((x) => x.index) }',
        '}',
      ].join('\n'),
      { mock: { failPattern: /^fail/ } },
    )
    expect(outcome.status).toBe('succeeded')
    const caught = outcome.result as { code: string; line: number; message: string; indexes: number[] }
    expect(caught.code).toBe('PARALLEL_FAILED')
    expect(caught.line).toBe(3)
    expect(caught.indexes).toEqual([1, 3, 4])
    expect(caught.message).toMatch(/3 of 5 items failed/)
    expect(caught.message).toMatch(/\[1\] .*DWF_MOCK_FAIL/)
    expect(caught.message).toMatch(/\[3\] sync throw/)
    expect(caught.message).toMatch(/\[4\] .*DWF_MOCK_FAIL/)
    expect(caught.message).not.toMatch(/\[0\]|\[2\]/)
    expect(journal.appended.map((e) => e.label).sort()).toEqual(['one', 'three'])
  })

  it('fails the run with PARALLEL_FAILED at the line when the error is not caught', async () => {
    const { outcome, journal } = await run("\n\nawait parallel([() => agent('kept'), () => agent('fail me')])", { mock: { failPattern: /^fail/ } })
    const error = failure(outcome)
    expect(error.code).toBe('PARALLEL_FAILED')
    expect(error.line).toBe(4)
    expect(error.message).toMatch(/1 of 2 items failed/)
    expect(journal.appended.map((e) => e.label)).toEqual(['kept'])
  })

  it('runs pipeline stages with (previous, item, index) and keeps the order of items', async () => {
    const { outcome } = await run(
      [
        "return await pipeline(['a', 'b', 'c'],",
        '  (previous, item, index) => `${previous}|${item}|${index}`,',
        "  async (previous, item, index) => { if (index === 0) await agent('slow down the first'); return [previous, item, index] },",
        ')',
      ].join('\n'),
    )
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: [
        ['a|a|0', 'a', 0],
        ['b|b|1', 'b', 1],
        ['c|c|2', 'c', 2],
      ],
    })
  })

  it('reports pipeline failures per item and keeps the others journaled', async () => {
    const { outcome, journal } = await run(
      "\nawait pipeline(['ok', 'fail'], (previous) => agent(previous + ' first'), (previous, item) => agent(item === 'ok' ? 'second' : 'fail again'))",
      { mock: { failPattern: /^fail/ } },
    )
    const error = failure(outcome)
    expect(error.code).toBe('PARALLEL_FAILED')
    expect(error.message).toMatch(/^pipeline\(\): 1 of 2 items failed/)
    expect(error.message).toMatch(/\[1\]/)
    expect(error.line).toBe(3)
    expect(journal.appended.map((e) => e.label).sort()).toEqual(['ok first', 'second'])
  })

  it.each([
    ['items that are not an array', "pipeline('abc', (p) => p)", /items must be an array, got string/],
    ['no stages', 'pipeline([1, 2])', /give at least one stage/],
    ['a stage that is not a function', 'pipeline([1], (p) => p, 2)', /each a function/],
  ])('refuses a pipeline with %s at the line', async (_, call, message) => {
    const { outcome } = await run(`\nawait ${call}`)
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toMatch(message)
    expect(error.line).toBe(3)
  })

  it('emits log events with the line for log() and every console method', async () => {
    const { events } = await run("log('plain', { a: 1 }, [2], 3, null)\n  console.log('from console')\nconsole.info('info')\nconsole.warn('warn')\nconsole.error('error')\nconsole.debug('debug')")
    const logs = events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? { message: e.message, line: e.line } : undefined))
    expect(logs).toEqual([
      { message: 'plain {"a":1} [2] 3 null', line: 2 },
      { message: 'from console', line: 3 },
      { message: 'info', line: 4 },
      { message: 'warn', line: 5 },
      { message: 'error', line: 6 },
      { message: 'debug', line: 7 },
    ])
  })

  it('logs values JSON cannot hold without failing', async () => {
    const { outcome, events } = await run("const cycle = {}\ncycle.self = cycle\nlog('values:', undefined, cycle, () => 1, 10n)\nreturn 'ok'")
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'ok' })
    expect(events.find((e) => e.type === 'log')).toMatchObject({ message: expect.stringMatching(/^values: undefined/), line: 4 })
  })

  it('emits phase_started for phase()', async () => {
    const { outcome, events, snapshot } = await run("phase('Review')\nawait agent('in review')\nphase('Verify', { budget: 1000 })\nreturn 1", {}) 
    expect(outcome.status).toBe('succeeded')
    expect(events.filter((e) => e.type === 'phase_started').map((e) => (e.type === 'phase_started' ? e.title : ''))).toEqual(['Review', 'Verify'])
    expect(events.find((e) => e.type === 'agent_queued')).toMatchObject({ phase: 'Review' })
    expect(snapshot.phases.map((p) => p.title)).toEqual(['Review', 'Verify'])
  })

  it.each([
    ['an empty title', "phase('')", /title must be a non-empty string/],
    ['a non-string title', 'phase(3)', /title must be a non-empty string/],
    ['bad options', "phase('A', { budget: -1 })", /budget/],
  ])('refuses phase() with %s at the line', async (_, call, message) => {
    const { outcome } = await run(`\n  ${call}`)
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toMatch(message)
    expect(error.line).toBe(3)
  })

  it('reads workspace files with readFile() and glob()', async () => {
    const { outcome } = await run("return { text: readFile('notes.txt'), files: glob('src/*.ts') }", { workspace: createWorkspace(workspaceDir) })
    expect(outcome).toMatchObject({ status: 'succeeded', result: { text: 'hello from the workspace\n', files: ['src/a.ts'] } })
  })

  it.each([
    ['a path with ..', "readFile('../secret.txt')", /contains '\.\.'/],
    ['an absolute path', `readFile(${JSON.stringify(path.join(os.tmpdir(), 'x'))})`, /absolute path/],
    ['a missing file', "readFile('missing.txt')", /not found/],
    ['a non-string path', 'readFile(42)', /path must be a non-empty string/],
    ['a glob with ..', "glob('../*')", /without '\.\.'/],
    ['an empty glob', "glob('')", /pattern must be a non-empty string/],
  ])('reports a workspace error for %s at the line', async (_, call, message) => {
    const { outcome } = await run(`const a = 1\n\n  ${call}`, { workspace: createWorkspace(workspaceDir) })
    const error = failure(outcome)
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toMatch(message)
    expect(error.line).toBe(4)
  })

  it('lets a script catch a workspace error and go on', async () => {
    await expectResult("try { readFile('missing.txt') } catch (e) { return [e.code, e.line] }", ['INVALID_CALL', 2], { workspace: createWorkspace(workspaceDir) })
  })

  it.each([
    ['a function', 'return { a: [1, () => 1] }', 'the result.a[1] is a function'],
    ['a cycle', 'const o = { b: {} }\no.b.c = o\nreturn o', 'the result.b.c refers back to itself'],
    ['a Map', 'return { m: new Map() }', 'the result.m is a Map'],
    ['a Set', 'return [new Set()]', 'the result[0] is a Set'],
    ['a Date', 'return { when: new Date(0) }', 'the result.when is a Date (use .toISOString())'],
    ['NaN', 'return { x: [1, NaN] }', 'the result.x[1] is NaN'],
    ['Infinity', 'return -Infinity', 'the result is -Infinity'],
    ['a BigInt', 'return { n: 1n }', 'the result.n is a bigint'],
    ['a symbol', "return { s: Symbol('s') }", 'the result.s is a symbol'],
    ['a class instance', 'class Finding {}\nreturn { f: new Finding() }', 'the result.f is a Finding'],
  ])('refuses a result holding %s with NOT_SERIALIZABLE naming the path', async (_, body, message) => {
    const { outcome } = await run(body)
    const error = failure(outcome)
    expect(error.code).toBe('NOT_SERIALIZABLE')
    expect(error.message).toContain(message)
  })

  it('accepts null-prototype objects and drops undefined members like JSON', async () => {
    const { outcome } = await run("const o = Object.create(null)\no.a = 1\nreturn { o, gone: undefined, list: [1, 'two', true, null] }")
    expect(outcome).toMatchObject({ status: 'succeeded', result: { o: { a: 1 }, list: [1, 'two', true, null] } })
    expect(outcome.result).not.toHaveProperty('gone')
  })

  it.each([
    ['a bare return', 'return'],
    ['return undefined', 'return undefined'],
    ['no return at all', "const x = 'nothing returned'"],
  ])('gives result null for %s', async (_, body) => {
    expect((await run(body)).outcome).toMatchObject({ status: 'succeeded', result: null })
  })

  it.each([
    ['returns an empty array for parallel([])', 'return await parallel([])', [], {}],
    ['accepts a shared (non-cyclic) object twice in the result', 'const shared = { a: 1 }\nreturn [shared, shared, { nested: shared }]', [{ a: 1 }, { a: 1 }, { nested: { a: 1 } }], {}],
    [
      'supports top-level await and return',
      "const first = await agent('first question')\nif (first) {\n  return { first: first.length > 0, second: await agent('second: ' + first) !== '' }\n}\nreturn 'unreachable'",
      { first: true, second: true },
      {},
    ],
    [
      'lets a script catch an agent failure and read its code and line',
      "try {\n  await agent('fail this one')\n} catch (e) {\n  return [e.code, e.line, e instanceof Error]\n}",
      ['PROVIDER', 3, true],
      { mock: { failPattern: /^fail/ } },
    ],
  ])('%s', async (_, body, result, options: RunOptions) => {
    await expectResult(body, result, options)
  })

  it.each([
    ['gives SCRIPT_ERROR with the line for a thrown Error', "const a = 1\n\n  throw new Error('the check failed')", { code: 'SCRIPT_ERROR', message: 'the check failed', line: 4 }],
    [
      'gives SCRIPT_ERROR with the line and column for a ReferenceError',
      'const a = 1\n  notDeclared.x',
      { code: 'SCRIPT_ERROR', message: expect.stringMatching(/^ReferenceError: .*notDeclared/), line: 3, column: 3 },
    ],
    ['names the kind of a built-in error in the message', '\nnull.x', { code: 'SCRIPT_ERROR', message: expect.stringMatching(/^TypeError: /), line: 3 }],
    ['gives SCRIPT_ERROR with the line for a thrown string', "const a = 1\n\n  throw 'plain string'", { code: 'SCRIPT_ERROR', message: expect.stringMatching(/plain string/), line: 4 }],
    [
      'gives the line of an error thrown from a callback inside an agent result handler',
      "const answer = await agent('q')\nconst parts = [answer].map((a) => {\n  throw new Error('in callback ' + typeof a)\n})",
      { code: 'SCRIPT_ERROR', message: 'in callback string', line: 4 },
    ],
    ['refuses agent() options that are functions, at the line', "\nawait agent('p', { schema: () => ({}) })", { code: 'INVALID_CALL', message: expect.stringMatching(/option schema is a function/), line: 3 }],
  ])('%s', async (_, body, expected) => {
    await expectFailure(body, expected)
  })
})
