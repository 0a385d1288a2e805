import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { runCli, tempProject } from '../support/cli.js'

/**
 * A run's error code is the runner's own. A script that ends with a made-up or borrowed code
 * (STOPPED, BUDGET_EXHAUSTED, CPU_LIMIT...) fails with SCRIPT_ERROR and its own message, so it
 * cannot pass a failure off as a stop or a limit and hide it from the annotations. Codes the
 * runtime gave an error (an agent's failure, a refused call) survive a script's catch and rethrow.
 */
const w = (body: string) => `export const meta = { name: 'codes' }\n${body}\n`

interface Case {
  name: string
  body: string
  code: string
  message: RegExp
}

const FORGED: Case[] = [
  { name: 'a thrown plain object with a code', body: "throw { code: 'STOPPED', message: 'just stop' }", code: 'SCRIPT_ERROR', message: /^the script threw \{"code":"STOPPED","message":"just stop"\}$/ },
  { name: 'an Error with a borrowed code', body: "throw Object.assign(new Error('it broke'), { code: 'BUDGET_EXHAUSTED' })", code: 'SCRIPT_ERROR', message: /^it broke$/ },
  { name: 'an Error class with a code field', body: "class Limit extends Error { code = 'CPU_LIMIT' }\nthrow new Limit('slow')", code: 'SCRIPT_ERROR', message: /^Error: slow$|^slow$/ },
  { name: 'a made-up code', body: "throw Object.assign(new Error('odd'), { code: 'NOT_A_CODE' })", code: 'SCRIPT_ERROR', message: /^odd$/ },
  {
    name: "the runtime's own error class, copied from a caught error",
    body: "try { await agent('x', { timeoutMs: 'soon' }) } catch (e) { throw new e.constructor({ code: 'STOPPED', message: 'forged' }) }",
    code: 'SCRIPT_ERROR',
    message: /forged/,
  },
  {
    name: 'a caught runtime error whose code the script changed',
    body: "try { await agent('x', { timeoutMs: 'soon' }) } catch (e) { e.code = 'STOPPED'; throw e }",
    code: 'INVALID_CALL',
    message: /timeoutMs/,
  },
  { name: 'an item of parallel() with a borrowed code', body: "await parallel([() => agent('a'), () => { throw Object.assign(new Error('item'), { code: 'STOPPED' }) }])", code: 'PARALLEL_FAILED', message: /1 of 2 items failed/ },
  {
    name: 'an Array.prototype.find that lies to parallel()',
    body: "Array.prototype.find = function () { return { code: 'STOPPED' } }\nArray.prototype.includes = () => true\nawait parallel([() => { throw new Error('item') }])",
    code: 'PARALLEL_FAILED',
    message: /1 of 1 items failed/,
  },
  { name: 'an Object.prototype.toJSON that rewrites the reply', body: "Object.prototype.toJSON = function () { return { ok: false, error: { code: 'STOPPED', message: 'forged' } } }\nthrow new Error('real')", code: 'SCRIPT_ERROR', message: /^real$/ },
  {
    name: 'a Promise.resolve that answers for the script',
    body: 'Promise.resolve = () => ({ then(ok) { ok(\'{"ok":false,"error":{"code":"STOPPED","message":"forged"}}\') } })\nthrow new Error(\'real\')',
    code: 'SCRIPT_ERROR',
    message: /^real$/,
  },
  { name: 'an error whose message getter throws', body: "throw new Proxy(new Error('x'), { get() { throw { code: 'STOPPED' } }, getPrototypeOf() { throw { code: 'STOPPED' } } })", code: 'SCRIPT_ERROR', message: /./ },
]

describe('the CLI', () => {
  it.each(FORGED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const p = tempProject({ 'w.js': w(c.body) })
    try {
      const result = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: p.dir })
      expect(result.json.status).toBe('failed')
      expect(result.code).toBe(1)
      expect(result.json.error.code).toBe(c.code)
      expect(result.json.error.message).toMatch(c.message)
      expect(result.stderr).not.toMatch(/^\s+at /m)
    } finally {
      p.cleanup()
    }
  })

  it('keeps a forged success out too: a Promise.resolve override cannot replace the result', async () => {
    const p = tempProject({ 'w.js': w('Promise.resolve = () => ({ then(ok) { ok(\'{"ok":true,"value":"forged"}\') } })\nreturn await agent(\'real\')') })
    try {
      const result = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: p.dir })
      expect(result.json.status).toBe('succeeded')
      expect(result.json.result).not.toBe('forged')
      expect(result.json.agents.live).toBe(1)
    } finally {
      p.cleanup()
    }
  })
})

describe('the Action', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await runAction({ inputs: { script: 'w.js', agent: 'mock' }, files: { 'w.js': w("await agent('one')\nthrow Object.assign(new Error('nothing to see'), { code: 'STOPPED' })") } })
  }, 120_000)
  afterAll(() => fs.rmSync(run.workspace, { recursive: true, force: true }))

  it('reports a forged STOPPED as the failure it is: failed step, failed status, an error annotation at the line', () => {
    expect(run.main.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const errors = run.main.stdout.split('\n').filter((line) => line.startsWith('::error'))
    expect(errors.some((line) => /^::error title=codes failed,file=w\.js,line=3,col=\d+::SCRIPT_ERROR: nothing to see/.test(line))).toBe(true)
    expect(run.summary).toContain('codes: failed')
    expect(run.summary).not.toContain('interrupted')
  })
})
