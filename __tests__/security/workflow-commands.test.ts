import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import type { RunEvent } from '../../src/core/events.js'
import { renderLive } from '../../src/report/terminal.js'
import { commandLines, linesWithControls } from '../support/actions-log.js'
import { runCli, tempProject, type CliResult } from '../support/cli.js'
import { HOSTILE_AGENT, TERMINAL_ALL as ALL, TERMINAL_VARIANTS as VARIANTS } from '../support/hostile-text.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'

/**
 * Issue 11, class 4: untrusted text (log lines, labels, phase titles, the description, agent
 * answers and the models they name, results, thrown errors, provider errors, usage errors,
 * and a checkout's own run files) printed by `dwf` must never start a line the Actions runner
 * takes for a workflow command (`::add-mask::`, `::error::`, `::stop-commands::`, after any
 * whitespace, and `##[` anywhere in a line), and never write a control character (ESC, CSI,
 * OSC, C1, bidi overrides). Every output is scanned with the runner's own rules
 * (support/actions-log.ts); each test also checks that the text is still shown, escaped.
 */
const lit = (value: unknown) => JSON.stringify(value)
const AGENT_FLAGS = ['--agent', 'command', '--command', `"${process.execPath}" agent.mjs`]

const HOSTILE = `export const meta = { name: 'hostile', description: ${lit(ALL)}, phases: [{ title: ${lit('Plan ' + ALL)} }, { title: 'Work' }] }
const variants = ${lit(VARIANTS)}
for (const v of variants) log(v)
log(${lit('nul \x00 byte')})
console.log('console', ${lit(ALL)})
phase(${lit('Plan ' + ALL)})
const answers = await parallel(variants.map((v, i) => () => agent('call ' + i + ' ' + v, { label: 'label ' + i + ' ' + v })))
for (const a of answers) log(a)
phase('Work')
return ${lit(ALL)}
`

/** The runner would act on no line of this output, and it writes no control character. */
function expectInert(output: string) {
  expect(commandLines(output)).toEqual([])
  expect(linesWithControls(output)).toEqual([])
}

/** ...and the text is still there for a reader, escaped (a one-line field shows `\n`; a text of several lines keeps them). */
function expectShownEscaped(output: string) {
  expect(output).toMatch(/a(\\n|\n\\)::add-mask::MASKED-VALUE/)
  expect(output).toContain('##\\[add-mask]LEGACY-MASK')
  expect(output).toContain('\\x1b[2J')
  expect(output).toContain('\\u202eevil')
}

let project: ReturnType<typeof tempProject>
const dwf = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.dir, env })
const both = (r: CliResult) => r.stdout + '\n' + r.stderr
let first: CliResult
let runId: string

beforeAll(async () => {
  project = tempProject({ 'hostile.js': HOSTILE, 'agent.mjs': HOSTILE_AGENT })
  first = await dwf(['run', 'hostile.js', ...AGENT_FLAGS])
  runId = fs.readdirSync(path.join(project.dir, '.dynamic-workflow/runs'))[0]!
}, 120_000)
afterAll(() => project.cleanup())

describe('dwf run with hostile text in every place a run shows', () => {
  it('succeeds, and neither its progress (stderr) nor its printed result (stdout) has a command line or a control character', () => {
    expect(first.code).toBe(0)
    expectInert(first.stdout)
    expectInert(first.stderr)
    expectShownEscaped(first.stderr)
    // The result, in human mode, is shown the same way; the variants are all there.
    expectShownEscaped(first.stdout)
    for (const token of ['FORGED-CR', 'FORGED-NBSP', 'STOP-TOKEN', 'LEGACY-ERROR']) expect(first.stdout).toContain(token)
  })

  it('shows the labels, the phase titles and the answers escaped', () => {
    expect(first.stderr).toContain('label 0 a\\n::add-mask::MASKED-VALUE')
    expect(first.stderr).toContain('# Plan a\\n::add-mask::MASKED-VALUE')
    expect(first.stderr).toContain('log answer to call 1 b\\r::error::FORGED-CR')
    expect(first.stderr).toContain('log answer to call 0 a\n\\::add-mask::MASKED-VALUE')
  })

  it('--json prints one line that parses back to the exact result, and the runner acts on nothing in it', async () => {
    const replay = await dwf(['run', 'hostile.js', '--json', ...AGENT_FLAGS])
    expect(replay.code).toBe(0)
    expect(replay.stdout.endsWith('\n')).toBe(true)
    expect(replay.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(replay.json.result).toBe(ALL)
    expectInert(replay.stdout)
    expectInert(replay.stderr)
    // result.json keeps the exact value too.
    const latest = fs.readdirSync(path.join(project.dir, '.dynamic-workflow/runs')).sort().at(-1)!
    expect(JSON.parse(project.read(`.dynamic-workflow/runs/${latest}/result.json`)).result).toBe(ALL)
  })

  it('dwf status, dwf logs and dwf list show the run escaped', async () => {
    for (const args of [['status', runId], ['logs', runId], ['list'], ['status', runId, '--json'], ['list', '--json']]) {
      const result = await dwf(args)
      expect(result.code).toBe(0)
      expectInert(both(result))
    }
    const status = await dwf(['status', runId])
    expect(status.stdout).toContain('Plan a\\n::add-mask::MASKED-VALUE')
    // The model the agent named (it comes from the agent's answer) is shown escaped too.
    expect(status.stdout).toContain('model csi \\x1b[2J')
    const logs = await dwf(['logs', runId])
    expectShownEscaped(logs.stdout)
    expect((await dwf(['status', runId, '--json'])).json.description).toBe(ALL)
  })
})

describe('errors carrying hostile text', () => {
  it('a thrown error: the final error, status and logs', async () => {
    project.write('throws.js', `export const meta = { name: 'throws' }\nlog('before')\nthrow new Error(${lit(ALL + ' nul \x00')})\n`)
    const run = await dwf(['run', 'throws.js', '--agent', 'mock'])
    expect(run.code).toBe(1)
    expectInert(both(run))
    expectShownEscaped(run.stderr)
    const id = fs.readdirSync(path.join(project.dir, '.dynamic-workflow/runs')).sort().at(-1)!
    for (const args of [['status', id], ['logs', id]]) expectInert(both(await dwf(args)))
  })

  it("an agent failure whose provider error (the program's stderr) carries them", async () => {
    project.write('fails.js', `export const meta = { name: 'fails' }\nreturn await agent('FAIL', { label: 'failing' })\n`)
    const run = await dwf(['run', 'fails.js', '--agent-retries', '0', ...AGENT_FLAGS])
    expect(run.code).toBe(1)
    expectInert(both(run))
    expect(run.stderr).toContain('\\::add-mask::MASKED-VALUE')
    expect(run.stderr).toContain('\\x1b[2J')
    const id = fs.readdirSync(path.join(project.dir, '.dynamic-workflow/runs')).sort().at(-1)!
    for (const args of [['status', id], ['logs', id]]) expectInert(both(await dwf(args)))
  })

  it('usage errors that quote the script: a duplicate phase title, an unknown meta key (run and validate)', async () => {
    project.write('dup.js', `export const meta = { name: 'dup', phases: [{ title: ${lit(ALL)} }, { title: ${lit(ALL)} }] }\nreturn 1\n`)
    project.write('key.js', `export const meta = { name: 'key', ${lit(ALL)}: 1 }\nreturn 1\n`)
    for (const args of [['run', 'dup.js', '--agent', 'mock'], ['validate', 'dup.js'], ['run', 'key.js', '--agent', 'mock'], ['validate', 'key.js']]) {
      const result = await dwf(args)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^error: /)
      expect(result.stderr).toContain('MASKED-VALUE')
      expectInert(both(result))
    }
  })

  it('validate prints a hostile description and phase titles escaped', async () => {
    project.write('ok.js', `export const meta = { name: 'ok', description: ${lit(ALL)}, phases: [{ title: ${lit(ALL)} }] }\nreturn 1\n`)
    for (const args of [['validate', 'ok.js'], ['validate', 'ok.js', '--json']]) {
      const result = await dwf(args)
      expect(result.code).toBe(0)
      expectInert(both(result))
    }
    expectShownEscaped((await dwf(['validate', 'ok.js'])).stdout)
  })
})

describe("a checkout's own state folder (run files are input, not our output)", () => {
  it('dwf list, status and logs of forged run files print nothing the runner acts on', async () => {
    const forged = tempProject()
    try {
      const ids = ['20260101-000000-aaaa', '::add-mask::DIR-NAME', 'x\x1b[2Jdir']
      const started = Date.UTC(2026, 0, 1)
      for (const id of ids) {
        const snapshot = applyEvents(emptySnapshot(), [
          { type: 'run_started', at: started, runId: ALL, name: ALL, description: ALL, script: ALL, phases: [{ title: ALL }], provider: ALL, concurrency: 1, maxAgents: 1, budget: {} },
          { type: 'phase_started', at: started, title: ALL },
          { type: 'agent_queued', at: started, id: 1, key: 'k#0', label: ALL, phase: ALL, provider: ALL, model: ALL, line: 1 },
          { type: 'agent_failed', at: started, id: 1, error: { code: 'PROVIDER', message: ALL } },
          { type: 'warning', at: started, message: ALL },
          { type: 'run_finished', at: started + 1000, status: 'failed', error: { code: 'SCRIPT_ERROR', message: ALL } },
        ] as RunEvent[])
        // Numbers and enums can be text too in a forged file.
        const agents = snapshot.agents.map((a) => ({ ...a, usage: { inputTokens: ALL, outputTokens: ALL, costUsd: ALL }, miss: { kind: 'changed', components: [ALL] }, state: ALL }))
        const totals = { ...snapshot.totals, agents: { total: ALL, live: ALL, replayed: ALL, failed: ALL }, unpricedCalls: ALL, costUsd: ALL }
        forged.write(`.dynamic-workflow/runs/${id}/run.json`, JSON.stringify({ ...snapshot, agents, totals, status: `failed${VARIANTS[0]}` }))
        forged.write(`.dynamic-workflow/runs/${id}/log.txt`, VARIANTS.join('\n') + '\n' + ALL)
      }
      const run = (args: string[]) => runCli(args, { cwd: forged.dir })
      const outputs = [await run(['list']), await run(['list', '--json']), await run(['status', ids[0]!]), await run(['status', ids[0]!, '--json']), await run(['logs', ids[0]!])]
      for (const output of outputs) expectInert(both(output))
      expectShownEscaped(outputs[4]!.stdout)
      expect(outputs[0]!.stdout).toContain('\\::add-mask::DIR-NAME')
    } finally {
      forged.cleanup()
    }
  })
})

describe('the live TTY view', () => {
  it('keeps its own colours and redraws, and shows hostile text escaped', () => {
    const at = Date.UTC(2026, 0, 1)
    const snapshot = applyEvents(emptySnapshot(), [
      { type: 'run_started', at, runId: 'r', name: ALL, phases: [{ title: ALL }], provider: 'mock', concurrency: 1, maxAgents: 9, budget: {} },
      { type: 'phase_started', at, title: ALL },
      ...VARIANTS.map((v, i): RunEvent => ({ type: 'agent_queued', at, id: i + 1, key: `k${i}#0`, label: v, phase: ALL, provider: 'mock', model: v })),
      ...VARIANTS.map((_, i): RunEvent => ({ type: 'agent_started', at, id: i + 1, miss: { kind: 'new' } })),
    ])
    const view = renderLive(snapshot, { color: true, width: 120, height: 40, now: at + 5000 })
    // Our own SGR colour codes are the only escape sequences left.
    expect(view).toMatch(/\x1b\[1m/)
    const withoutOurColours = view.replace(/\x1b\[[0-9;]*m/g, '')
    expectInert(withoutOurColours)
    expect(withoutOurColours).toContain('\\x1b[2J')
  })
})
