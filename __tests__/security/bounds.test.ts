import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { journalLines, runCli, tempProject, type CliResult } from '../support/cli.js'
import { startFakeModels, type FakeModels } from '../support/fake-models.js'

/**
 * Every size that comes from a script, an agent or a file is bounded (issue 11, class 6),
 * through dist/cli.js. Each case asserts one clear error line naming the limit, the exit code
 * of the contract, no stack trace, and, where a script could flood them, run files that stay
 * small. The Action's `args` input is in bounds-action.test.ts.
 */
const STATE = '.dynamic-workflow'
const MiB = 1024 * 1024

let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const w = (body: string, meta = "{ name: 'bounds' }") => `export const meta = ${meta}\n${body}\n`

/** Runs `dwf <args>` in a fresh project holding `files`. */
async function dwf(files: Record<string, string>, args: string[], env?: Record<string, string>): Promise<CliResult> {
  project = tempProject(files)
  return runCli(args, { cwd: project.dir, env, timeoutMs: 120_000 })
}

const runMock = (script: string, ...flags: string[]) => dwf({ 'w.js': script }, ['run', 'w.js', '--agent', 'mock', ...flags])

/** The error lines (`error: ...`): exactly one, matching `pattern`; no stack trace anywhere. */
function expectOneError(result: CliResult, pattern: RegExp): void {
  const output = result.stdout + result.stderr
  expect(output).not.toMatch(/^\s+at /m)
  expect(output).not.toMatch(/RangeError|Maximum call stack|internal error/)
  const errors = result.stderr.split('\n').filter((line) => /^\s*error: /.test(line))
  expect(errors).toHaveLength(1)
  expect(errors[0]!.trim()).toMatch(pattern)
}

/** Bytes of each file of the project's only run (events.jsonl, log.txt, run.json, result.json...). */
function runFileSizes(): Record<string, number> {
  const runs = path.join(project.dir, STATE, 'runs')
  const [runId, ...more] = fs.readdirSync(runs)
  expect(more).toEqual([])
  const dir = path.join(runs, runId!)
  return Object.fromEntries(fs.readdirSync(dir).map((file) => [file, fs.statSync(path.join(dir, file)).size]))
}

function expectRunFilesUnder(bytes: number): void {
  const over = Object.entries(runFileSizes()).filter(([, size]) => size >= bytes)
  expect(over).toEqual([])
}

function events(): Array<Record<string, any>> {
  const runs = path.join(project.dir, STATE, 'runs')
  const [runId] = fs.readdirSync(runs)
  return fs
    .readFileSync(path.join(runs, runId!, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}

describe('strings and counts a script controls are capped, so a script cannot flood the run files', () => {
  it('a loop of 1 MiB phase titles fails at the first one, naming the limit, and the run files stay small', async () => {
    const result = await runMock(w("const big = 'T'.repeat(1024 * 1024)\nfor (let i = 0; i < 200; i++) phase(big + i)\nreturn 1"))
    expect(result.code).toBe(1)
    expectOneError(result, /w\.js:3: phase\(\): the title is 1,048,577 characters long; the limit is 1,000; shorten it$/)
    expect(result.stderr.length).toBeLessThan(10_000)
    expectRunFilesUnder(100_000)
  })

  it('a script that catches the refusal and goes on looping writes no event for the refused titles', async () => {
    const result = await runMock(w("const big = 'T'.repeat(1024 * 1024)\nlet refused = 0\nfor (let i = 0; i < 50; i++) { try { phase(big + i) } catch (e) { refused++ } }\nreturn refused"), '--json')
    expect(result.code).toBe(0)
    expect(result.json.result).toBe(50)
    expect(events().filter((e) => e.type === 'phase_started')).toEqual([])
    expectRunFilesUnder(100_000)
  })

  it.each([
    ['label', '1,000'],
    ['phase', '1,000'],
    ['model', '1,000'],
    ['tier', '1,000'],
    ['agentType', '1,000'],
  ])("a 1 MiB agent() option '%s' is refused at its line, naming the limit", async (option, limit) => {
    const result = await runMock(w(`return await agent('hello', { ${option}: 'L'.repeat(1024 * 1024) })`))
    expect(result.code).toBe(1)
    expectOneError(result, new RegExp(`w\\.js:2: agent\\(\\): option '${option}' is 1,048,576 characters long; the limit is ${limit}; shorten it$`))
    expectRunFilesUnder(100_000)
  })

  it('a run may have at most 100 distinct phases', async () => {
    const result = await runMock(w("for (let i = 0; i < 1000; i++) phase('phase ' + i)\nreturn 1"))
    expect(result.code).toBe(1)
    expectOneError(result, /w\.js:2: phase\(\): a run may have at most 100 phases, and this would be phase 101/)
    expect(events().filter((e) => e.type === 'phase_started')).toHaveLength(100)
  })

  it('a loop switching between two phases stops after 10,000 changes', async () => {
    const result = await runMock(w("for (let i = 0; i < 30000; i++) phase(i % 2 ? 'odd' : 'even')\nreturn 1"))
    expect(result.code).toBe(1)
    expectOneError(result, /w\.js:2: phase\(\): a run may change phase at most 10,000 times/)
    expect(events().filter((e) => e.type === 'phase_started')).toHaveLength(10_000)
    expectRunFilesUnder(3 * MiB)
  })

  it('empty log() lines count toward the 10 MB log cap', async () => {
    const result = await runMock(w("for (let i = 0; i < 120000; i++) log('')\nreturn 'done'"), '--json')
    expect(result.code).toBe(0)
    const all = events()
    expect(all.filter((e) => e.type === 'warning').map((e) => e.message)).toContain('the script logged over 10 MB; further log() lines are dropped')
    expect(all.filter((e) => e.type === 'log').length).toBeLessThan(110_000)
    expectRunFilesUnder(10 * MiB)
  })

  it('a script naming a new tier on every call gets at most 50 routing notices', async () => {
    const result = await runMock(w("await parallel(Array.from({ length: 200 }, (_, i) => () => agent('item ' + i, { tier: 'tier-' + i })))\nreturn 1"), '--json')
    expect(result.code).toBe(0)
    const warnings = events().filter((e) => e.type === 'warning').map((e) => e.message as string)
    expect(warnings).toHaveLength(51)
    expect(warnings.at(-1)).toBe('more than 50 routing notices; further ones are not shown')
  })

  it('a result of more than 32 MB of JSON fails the run with NOT_SERIALIZABLE instead of being written five times', async () => {
    const result = await runMock(w("return 'x'.repeat(33 * 1024 * 1024)"), '--json')
    expect(result.code).toBe(1)
    expect(result.json.error.code).toBe('NOT_SERIALIZABLE')
    expect(result.json.error.message).toMatch(/^the workflow returned 33 MB of JSON, more than the 32 MB a result may hold/)
    expect(result.stdout.length).toBeLessThan(10_000)
    expectRunFilesUnder(100_000)
  })

  it.each([
    ['meta.description', "{ name: 'bounds', description: 'D'.repeat(2001) }", /meta\.description is 2,001 characters long; the limit is 2,000; shorten it$/],
    ['a meta.phases title', "{ name: 'bounds', phases: [{ title: 'T'.repeat(1001) }] }", /meta\.phases\[0\]\.title is 1,001 characters long; the limit is 1,000; shorten it$/],
    ['a meta.phases detail', "{ name: 'bounds', phases: [{ title: 'A', detail: 'D'.repeat(2001) }] }", /meta\.phases\[0\]\.detail is 2,001 characters long; the limit is 2,000; shorten it$/],
    ['meta.model', "{ name: 'bounds', model: 'M'.repeat(1001) }", /meta\.model is 1,001 characters long; the limit is 1,000; shorten it$/],
    ['101 meta.phases', `{ name: 'bounds', phases: [${Array.from({ length: 101 }, (_, i) => `{ title: 'p${i}' }`).join(', ')}] }`, /meta\.phases has 101 phases; a run may have at most 100$/],
  ])('%s over its limit is a usage error naming the limit, for validate and run', async (_what, meta, pattern) => {
    // The meta is a literal: spell the long strings out.
    const literal = meta.replace(/'(\w)'\.repeat\((\d+)\)/g, (_m, c: string, n: string) => `'${c.repeat(Number(n))}'`)
    for (const args of [['validate', 'w.js'], ['run', 'w.js', '--agent', 'mock']]) {
      const result = await dwf({ 'w.js': w('return 1', literal) }, args)
      expect(result.code).toBe(2)
      expectOneError(result, new RegExp(`^error: w\\.js:1:21: ${pattern.source}`))
      expect(fs.existsSync(path.join(project.dir, STATE, 'runs')) && fs.readdirSync(path.join(project.dir, STATE, 'runs')).length).toBeFalsy()
    }
  })
})

/**
 * An agent program for the command provider: prints an answer nested DEPTH levels deep.
 * Modes: plain (the bare JSON), envelope (in the `json` field, with usage), text (as a string
 * in `result`, with usage), model (a plain answer that names a 1 MiB model).
 */
const AGENT = `import fs from 'node:fs'
fs.readFileSync(0)
const [mode, n] = [process.argv[2], Number(process.argv[3] ?? 5000)]
const deep = '['.repeat(n) + ']'.repeat(n)
const usage = { input_tokens: 100, output_tokens: 2000 }
const out = {
  plain: () => deep,
  object: () => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
  envelope: () => '{"result":"see json","usage":' + JSON.stringify(usage) + ',"json":' + deep + '}',
  text: () => JSON.stringify({ result: deep, usage }),
  model: () => JSON.stringify({ result: 'fine', model: 'M'.repeat(1024 * 1024), usage }),
  big: () => 'x'.repeat(17 * 1024 * 1024),
}[mode]()
process.stdout.write(out)
`
const SCHEMA_CALL = w("const a = await agent('Answer deeply', { schema: { type: 'array' } })\nreturn 'survived'")
const command = (mode: string, depth = 5000) => ['--agent', 'command', '--command', `node agent.mjs ${mode} ${depth}`, '--agent-retries', '0', '--json']

describe('an agent answer nested too deeply fails its call by name, with the tokens it cost counted', () => {
  it.each([
    ['bare JSON', 'plain', /its [\d,]+ tokens/],
    ['an object', 'object', /its [\d,]+ tokens/],
    ['the json of an envelope', 'envelope', /its 2,100 tokens/],
    ['a JSON string in result', 'text', /its 2,100 tokens/],
  ])('%s 5,000 levels deep, with a schema', async (_what, mode, tokens) => {
    const schema = mode === 'object' ? SCHEMA_CALL.replace("type: 'array'", "type: 'object'") : SCHEMA_CALL
    const result = await dwf({ 'w.js': schema, 'agent.mjs': AGENT }, ['run', 'w.js', ...command(mode)])
    expect(result.code).toBe(1)
    expectOneError(result, /agent 'Answer deeply' failed: the answer nests more than 256 levels deep, the limit for JSON answers, so it can be neither used nor journaled/)
    expect(result.json.error.message).toMatch(tokens)
    expect(result.json.agents).toMatchObject({ total: 1, replayed: 0, failed: 1 })
    expect(result.json.tokens.input + result.json.tokens.output).toBeGreaterThan(0)
    if (mode === 'envelope' || mode === 'text') expect(result.json.tokens).toEqual({ input: 100, output: 2000 })
    expect(journalLines(path.join(project.dir, STATE), 'bounds')).toEqual([])
  })

  it('a schema that refers to itself does not take ajv down the deep answer', async () => {
    const script = w("return await agent('Answer deeply', { schema: { type: 'array', items: { $ref: '#' } } })")
    const result = await dwf({ 'w.js': script, 'agent.mjs': AGENT }, ['run', 'w.js', ...command('plain')])
    expect(result.code).toBe(1)
    expectOneError(result, /the answer nests more than 256 levels deep/)
  })

  it('an answer exactly 256 levels deep is used, journaled and replayed', async () => {
    const script = w("const a = await agent('Answer deeply', { schema: { type: 'array' } })\nlet d = 0\nfor (let x = a; Array.isArray(x); x = x[0]) d++\nreturn d")
    project = tempProject({ 'w.js': script, 'agent.mjs': AGENT })
    const first = await runCli(['run', 'w.js', ...command('plain', 256)], { cwd: project.dir })
    expect(first.json).toMatchObject({ status: 'succeeded', result: 256 })
    const again = await runCli(['run', 'w.js', ...command('plain', 256)], { cwd: project.dir })
    expect(again.json).toMatchObject({ status: 'succeeded', result: 256, agents: { live: 0, replayed: 1 } })
  })

  it('without a schema a deep answer is text, and is used as such', async () => {
    const script = w("const a = await agent('Answer deeply')\nreturn a.length")
    const result = await dwf({ 'w.js': script, 'agent.mjs': AGENT }, ['run', 'w.js', ...command('plain')])
    expect(result.json).toMatchObject({ status: 'succeeded', result: 10_000 })
  })

  it('a model name an agent reports is clipped before it reaches the views and the journal', async () => {
    const result = await dwf({ 'w.js': w("return await agent('Which model?')"), 'agent.mjs': AGENT }, ['run', 'w.js', ...command('model')])
    expect(result.json).toMatchObject({ status: 'succeeded', result: 'fine' })
    const [line] = journalLines(path.join(project.dir, STATE), 'bounds')
    expect(JSON.parse(line!).model).toBe('M'.repeat(1000))
    expectRunFilesUnder(100_000)
  })
})

describe('input nested too deeply is refused before the run starts', () => {
  const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

  it('--args inline, 5,000 levels deep', async () => {
    const result = await dwf({ 'w.js': w('return 1') }, ['run', 'w.js', '--agent', 'mock', '--args', deep(5000)])
    expect(result.code).toBe(2)
    expectOneError(result, /^error: --args nests more than 256 levels deep, the most the runner reads; flatten it$/)
  })

  it('--args @file, 5,000 levels deep', async () => {
    const result = await dwf({ 'w.js': w('return 1'), 'args.json': deep(5000) }, ['run', 'w.js', '--agent', 'mock', '--args', '@args.json'])
    expect(result.code).toBe(2)
    expectOneError(result, /^error: --args file args\.json nests more than 256 levels deep, the most the runner reads; flatten it$/)
  })

  it('args exactly 256 levels deep reach the script', async () => {
    const script = w('let d = 0\nfor (let x = args; x && typeof x === "object"; x = x.a) d++\nreturn d')
    const result = await dwf({ 'w.js': script, 'args.json': deep(256) }, ['run', 'w.js', '--agent', 'mock', '--args', '@args.json', '--json'])
    expect(result.json).toMatchObject({ status: 'succeeded', result: 256 })
  })

  it("resume of a run whose invocation.json was given deep args", async () => {
    project = tempProject({ 'w.js': w('return 1') })
    const first = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    const file = path.join(project.dir, STATE, 'runs', first.json.runId, 'invocation.json')
    const invocation = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, invocation.replace(/"args": \{\}/, `"args": ${deep(5000)}`))
    const result = await runCli(['resume', first.json.runId], { cwd: project.dir })
    expect(result.code).toBe(2)
    expectOneError(result, /^error: the args value nests more than 256 levels deep/)
  })

  it('a config file 5,000 levels deep', async () => {
    const result = await dwf({ 'w.js': w('return 1'), 'dynamic-workflow.json': `{"tiers":{"x":${deep(5000)}}}` }, ['run', 'w.js', '--agent', 'mock'])
    expect(result.code).toBe(2)
    expectOneError(result, /^error: dynamic-workflow\.json nests more than 256 levels deep/)
  })

  it('a journal line 5,000 levels deep is skipped as invalid, with a warning, and its call runs live', async () => {
    project = tempProject({ 'w.js': w("return await agent('hello', { schema: { type: 'object' } })") })
    expect((await runCli(['run', 'w.js', '--agent', 'mock'], { cwd: project.dir })).code).toBe(0)
    const journal = path.join(project.dir, STATE, 'journal', 'bounds.jsonl')
    const entry = JSON.parse(fs.readFileSync(journal, 'utf8'))
    fs.writeFileSync(journal, JSON.stringify({ ...entry, result: 'DEEP' }).replace('"DEEP"', deep(5000)) + '\n')
    const result = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(result.stderr).not.toMatch(/^\s+at |RangeError/m)
    expect(result.stderr).toMatch(/bounds\.jsonl: skipped 1 invalid line/)
    expect(result.json).toMatchObject({ status: 'succeeded', agents: { live: 1, replayed: 0 } })
  })
})

describe('files a run reads are size-capped before they are read', () => {
  it('a 5 MB script: a usage error naming the file and the 4 MB limit, for run and validate', async () => {
    const big = w(`// ${'x'.repeat(5 * MiB)}\nreturn 1`)
    for (const args of [['run', 'big.js', '--agent', 'mock'], ['validate', 'big.js']]) {
      const result = await dwf({ 'big.js': big }, args)
      expect(result.code).toBe(2)
      expectOneError(result, /^error: the script big\.js is 5 MB, more than the 4 MB allowed$/)
    }
  })

  it('a 5 MB --args file', async () => {
    const result = await dwf({ 'w.js': w('return 1'), 'args.json': JSON.stringify({ text: 'x'.repeat(5 * MiB) }) }, ['run', 'w.js', '--agent', 'mock', '--args', '@args.json'])
    expect(result.code).toBe(2)
    expectOneError(result, /^error: --args file args\.json is 5 MB, more than the 4 MB allowed$/)
  })

  it('a 2 MB config file', async () => {
    const result = await dwf({ 'w.js': w('return 1'), 'dynamic-workflow.json': JSON.stringify({ tiers: {}, pad: 'x'.repeat(2 * MiB) }) }, ['run', 'w.js', '--agent', 'mock'])
    expect(result.code).toBe(2)
    expectOneError(result, /^error: dynamic-workflow\.json is 2 MB, more than the 1 MB allowed$/)
  })

  it('a 600 MB journal: refused before the run starts, naming the limit, and left as it was', async () => {
    project = tempProject({ 'w.js': w("return await agent('hello')") })
    const journal = path.join(project.dir, STATE, 'journal', 'bounds.jsonl')
    fs.mkdirSync(path.dirname(journal), { recursive: true })
    // Sparse: 600 MB that take no disk, past the 512 MB a Node string can hold.
    fs.writeFileSync(journal, '')
    fs.truncateSync(journal, 600 * MiB)
    const result = await runCli(['run', 'w.js', '--agent', 'mock'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expectOneError(result, /^error: the journal .*bounds\.jsonl is 600 MB, more than the 256 MB a run loads; move it away \(its entries stay in it\) and run again$/)
    expect(fs.statSync(journal).size).toBe(600 * MiB)
    expect(fs.readdirSync(path.join(project.dir, STATE, 'runs'))).toEqual([])
  })
})

describe('answers are capped while they arrive', () => {
  let fake: FakeModels
  beforeAll(async () => {
    fake = await startFakeModels()
  })
  afterAll(() => fake.close())

  const providers: Array<[string, () => Record<string, string>]> = [
    ['anthropic', () => ({ ANTHROPIC_API_KEY: 'anthropic-test-key-123456', ANTHROPIC_BASE_URL: fake.url })],
    ['openai', () => ({ OPENAI_API_KEY: 'openai-test-key-123456', OPENAI_BASE_URL: `${fake.url}/v1` })],
  ]

  it.each(providers)('a streamed %s answer of 17 MB is stopped at 16 MB', async (agent, env) => {
    fake.script({ text: 'x'.repeat(17 * MiB) })
    const result = await dwf({ 'w.js': w("return await agent('Write a lot')") }, ['run', 'w.js', '--agent', agent, '--agent-retries', '0', '--json'], env())
    expect(result.code).toBe(1)
    expectOneError(result, new RegExp(`failed: the ${agent} agent produced more than 16 MB of output, the limit for one answer, and was stopped$`))
    expect(journalLines(path.join(project.dir, STATE), 'bounds')).toEqual([])
    expectRunFilesUnder(100_000)
  })

  it.each(providers)('a %s structured answer nested 1,000 levels deep fails by name with its tokens counted', async (agent, env) => {
    let deep: unknown = 1
    for (let i = 0; i < 1000; i++) deep = [deep]
    fake.script({ json: { value: deep }, usage: { input: 30, output: 4000 } })
    const result = await dwf({ 'w.js': SCHEMA_CALL }, ['run', 'w.js', '--agent', agent, '--agent-retries', '0', '--json'], env())
    expect(result.code).toBe(1)
    expectOneError(result, /the answer nests more than 256 levels deep/)
    expect(result.json.tokens.output).toBe(4000)
    expect(journalLines(path.join(project.dir, STATE), 'bounds')).toEqual([])
  })

  it('a provider error of 1 MB is clipped in every event and message', async () => {
    fake.script({ status: 400, body: 'E'.repeat(MiB) })
    const result = await dwf({ 'w.js': w("return await agent('Fail loudly')") }, ['run', 'w.js', '--agent', 'openai', '--agent-retries', '0', '--json'], providers[1]![1]())
    expect(result.code).toBe(1)
    expect(result.json.error.message.length).toBeLessThan(5000)
    expect(result.stderr.length).toBeLessThan(50_000)
    expectRunFilesUnder(100_000)
  })

  it('a command agent printing 17 MB is stopped at 16 MB', async () => {
    const result = await dwf({ 'w.js': w("return await agent('Print a lot')"), 'agent.mjs': AGENT }, ['run', 'w.js', ...command('big')])
    expect(result.code).toBe(1)
    expectOneError(result, /failed: the agent command `node agent\.mjs big 5000` produced more than 16 MB of output, the limit for one answer, and was stopped$/)
  })

  it.each([
    ['minItems', '{ type: "array", items: { type: "string" }, minItems: 1000000 }', /it requires an array of 1,000,000 items \(minItems\)/],
    ['nested minItems', '{ type: "array", minItems: 1000, items: { type: "array", items: { type: "string" }, minItems: 1000 } }', /it requires more than 100,000 values \(minItems\?\)/],
    ['minLength', '{ type: "string", minLength: 600000000 }', /it requires a string of 600,000,000 characters \(minLength\)/],
    ['a required member that refers to itself', '{ type: "object", properties: { next: { $ref: "#" } }, required: ["next"] }', /it requires values nested more than 256 levels deep/],
  ])('the mock agent refuses a schema whose %s would make a huge answer', async (_what, schema, pattern) => {
    const result = await runMock(w(`return await agent('Sample', { schema: ${schema} })`), '--agent-retries', '0')
    expect(result.code).toBe(1)
    expectOneError(result, new RegExp(`failed: the mock agent cannot answer this schema: ${pattern.source}`))
  })
})

describe('running out of script memory is MEMORY_LIMIT', () => {
  it('a huge parallel() under a 16 MB limit reports MEMORY_LIMIT with the limit, not "the script threw null"', async () => {
    const script = w("return (await parallel(Array.from({ length: 100000 }, (_, i) => () => agent('item ' + i)))).length")
    const result = await runMock(script, '--script-memory-limit', '16', '--max-agents', '200000', '--json')
    expect(result.code).toBe(1)
    expect(result.json.error).toMatchObject({ code: 'MEMORY_LIMIT', message: 'the script used more than 16 MB of memory and was stopped' })
    expectOneError(result, /the script used more than 16 MB of memory and was stopped$/)
  })

  it("a script's own `throw null` stays a script error", async () => {
    const result = await runMock(w('throw null'), '--json')
    expect(result.json.error).toEqual({ code: 'SCRIPT_ERROR', message: 'the script threw null', line: 2, column: 7 })
  })
})
