import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runCli, tempProject } from '../support/cli.js'

let project: ReturnType<typeof tempProject>
beforeAll(() => {
  project = tempProject({
    'ok.js': "export const meta = { name: 'ok' }\nreturn await agent('hello')\n",
    'syntax.js': "export const meta = { name: 'syntax' }\nconst a = 1\nconst b = ;\n",
    'meta.js': "export const meta = { name: 'Bad Name!' }\nreturn 1\n",
    'nometa.js': "const x = 1\nreturn x\n",
    'dynamic-meta.js': "const n = 'x'\nexport const meta = { name: n }\n",
    'fn-result.js': "export const meta = { name: 'fnresult' }\nconst a = await agent('a')\nreturn { a, f: () => a }\n",
    'many.js': "export const meta = { name: 'many' }\nfor (let i = 0; i < 5; i++) await agent('call ' + i)\n",
    'throws.js': "export const meta = { name: 'throws' }\nawait agent('x')\nnull.property\n",
    'imports.js': "export const meta = { name: 'imports' }\nimport fs from 'node:fs'\n",
    'bad-option.js': "export const meta = { name: 'badopt' }\nawait agent('x', { lable: 'oops' })\n",
    'args.json': '{ not json',
  })
})
afterAll(() => project.cleanup())

const dwf = (...args: string[]) => runCli(args, { cwd: project.dir })

/** Usage and input mistakes: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(result: Awaited<ReturnType<typeof dwf>>, pattern: RegExp) {
  expect(result.code).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^error: /)
  expect(lines[0]).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\n\s+at /)
  expect(result.stdout).toBe('')
}

describe('bad input gets one clear line and exit 2', () => {
  it.each([
    ['a missing script', ['run', 'nope.js', '--agent', 'mock'], /script not found: nope\.js/],
    ['a syntax error, with its line and column', ['run', 'syntax.js', '--agent', 'mock'], /^error: syntax\.js:3:11: syntax error: Unexpected token/],
    ['a bad meta name', ['run', 'meta.js', '--agent', 'mock'], /meta\.js:1:\d+: meta\.name must be/],
    ['a script without meta', ['run', 'nometa.js', '--agent', 'mock'], /nometa\.js:1:1: the script must start with `export const meta/],
    ['a non-literal meta', ['run', 'dynamic-meta.js', '--agent', 'mock'], /dynamic-meta\.js:1:1: the script must start/],
    ['an import', ['run', 'imports.js', '--agent', 'mock'], /imports\.js:2:1: import is not available/],
    ['bad --args JSON', ['run', 'ok.js', '--agent', 'mock', '--args', '{"a":'], /--args is not valid JSON/],
    ['a bad --args file', ['run', 'ok.js', '--agent', 'mock', '--args', '@args.json'], /--args file args\.json is not valid JSON/],
    ['a missing --args file', ['run', 'ok.js', '--agent', 'mock', '--args', '@missing.json'], /--args file missing\.json was not found/],
    ['an unknown flag, with a suggestion', ['run', 'ok.js', '--agent', 'mock', '--concurency', '3'], /unknown option --concurency .*did you mean --concurrency/],
    ['an unknown agent', ['run', 'ok.js', '--agent', 'gpt'], /unknown agent 'gpt'; choose one of auto, mock/],
    ['a bad number', ['run', 'ok.js', '--agent', 'mock', '--concurrency', '0'], /--concurrency must be a whole number from 1/],
    ['a bad duration', ['run', 'ok.js', '--agent', 'mock', '--agent-timeout', 'soon'], /--agent-timeout must be a duration/],
    ['a missing flag value', ['run', 'ok.js', '--agent'], /option --agent needs a value/],
    ['no script argument', ['run'], /`dwf run` needs an argument/],
    ['an unknown command, with a suggestion', ['rnu'], /unknown command 'rnu' \(did you mean 'run'\?\)/],
    ['an unknown run id', ['status', 'no-such-run'], /no run 'no-such-run'/],
    ['validate of a broken script', ['validate', 'syntax.js'], /syntax\.js:3:11: syntax error/],
  ])('%s', async (_, args, pattern) => {
    expectOneLineError(await dwf(...args), pattern)
  })
})

describe('a workflow that fails says so clearly and exits 1', () => {
  it('reports a non-serialisable result', async () => {
    const result = await dwf('run', 'fn-result.js', '--agent', 'mock', '--json')
    expect(result.code).toBe(1)
    expect(result.json.error).toEqual({ code: 'NOT_SERIALIZABLE', message: expect.stringMatching(/not JSON-serialisable: the result\.f is a function/) })
    expect(result.stderr).toMatch(/error: the workflow returned a value that is not JSON-serialisable/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('stops at max-agents with the limit and the script line', async () => {
    const result = await dwf('run', 'many.js', '--agent', 'mock', '--max-agents', '3', '--json')
    expect(result.code).toBe(1)
    expect(result.json.error.code).toBe('MAX_AGENTS')
    expect(result.json.agents).toMatchObject({ live: 3 })
    expect(result.stderr).toMatch(/error: many\.js:2: this run reached its limit of 3 agent calls \(max-agents\)/)
  })

  it('points a script error at its line and column', async () => {
    const result = await dwf('run', 'throws.js', '--agent', 'mock', '--json')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/error: throws\.js:3:\d+: TypeError: cannot read property 'property' of null/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('names a misspelt agent option and the line', async () => {
    const result = await dwf('run', 'bad-option.js', '--agent', 'mock')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/bad-option\.js:2: agent\(\): unknown option 'lable' \(did you mean 'label'\?\)/)
  })
})

describe('validate', () => {
  it('checks a good script without running it', async () => {
    const result = await dwf('validate', 'ok.js')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/✓ ok\.js: workflow 'ok'/)
    const json = await dwf('validate', 'ok.js', '--json')
    expect(json.json).toEqual({ ok: true, script: 'ok.js', meta: { name: 'ok' } })
  })
})
