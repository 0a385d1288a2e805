import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import { commandLines, linesWithControls } from '../support/actions-log.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { FORGED_TOKENS, HOSTILE_AGENT, TERMINAL_ALL as ALL, TERMINAL_VARIANTS as VARIANTS } from '../support/hostile-text.js'

/**
 * Issue 11, class 4, in the Action: main and post run from dist/ as the runner runs them, with
 * a script whose log lines, labels, phase titles, description, agent answers (and the model
 * the agent names), a provider error and the final error all carry forged workflow commands
 * and control sequences. Every line of both steps' stdout and stderr is read with the
 * runner's rules: the only lines it would run as commands are the ones @actions/core wrote
 * for the Action (annotations, notices, masks of signed URLs), and those still work.
 */
const lit = (value: unknown) => JSON.stringify(value)
const SCRIPT = `export const meta = { name: 'hostile', description: ${lit(ALL)}, phases: [{ title: ${lit('Plan ' + ALL)} }] }
const variants = ${lit(VARIANTS)}
for (const v of variants) log(v)
const answers = await parallel(variants.map((v, i) => () => agent('call ' + i + ' ' + v, { label: 'label ' + i + ' ' + v })))
for (const a of answers) log(a)
try { await agent('FAIL now', { label: ${lit('failing ' + ALL)} }) } catch (e) { log('caught: ' + e.message) }
throw new Error(${lit(ALL)})
`

/** What @actions/core issues for the Action: `::name props::data` at the very start of a line. */
const CORE_COMMAND = /^::(error|warning|notice|debug|add-mask|group|endgroup)( [^:]*)?::(.*)$/

/**
 * A command line the runner would run that the Action did not mean to issue: anything legacy,
 * anything indented, `stop-commands`, or a command whose data is a forged value (a forged
 * line is `::add-mask::MASKED-VALUE`; the Action's own annotations quote hostile text only
 * after their own words, escaped by core).
 */
function forgedCommands(output: string): string[] {
  return commandLines(output)
    .filter(({ form, line }) => {
      const own = form === 'v2' ? CORE_COMMAND.exec(line) : null
      return !own || FORGED_TOKENS.some((token) => own[3]!.startsWith(token))
    })
    .map(({ line }) => line)
}

let run: ActionRun
beforeAll(async () => {
  run = await runAction({
    inputs: { script: 'w.js', agent: 'command', command: `"${process.execPath}" agent.mjs`, 'agent-retries': '0', artifact: 'false', comment: 'never' },
    files: { 'w.js': SCRIPT, 'agent.mjs': HOSTILE_AGENT },
  })
}, 120_000)
afterAll(() => fs.rmSync(run.workspace, { recursive: true, force: true }))

describe("the Action's log with hostile text in every part of a run", () => {
  it('ran the whole script: every call, the caught failure, the final error', () => {
    expect(run.main.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(Number(run.outputs['agents-total'])).toBe(VARIANTS.length + 1)
    expect(run.main.stderr).toContain('caught: ')
  })

  const STREAMS: Array<['main' | 'post', 'stdout' | 'stderr']> = [
    ['main', 'stdout'],
    ['main', 'stderr'],
    ['post', 'stdout'],
    ['post', 'stderr'],
  ]
  it.each(STREAMS)('%s %s: no line the runner would run except the commands core wrote, no `##[`, no control character', (step, stream) => {
    const output = run[step][stream]
    expect(forgedCommands(output)).toEqual([])
    expect(output).not.toContain('##[')
    expect(linesWithControls(output)).toEqual([])
  })

  it('still shows the text, escaped, in the progress on stderr', () => {
    expect(run.main.stderr).toContain('\\::add-mask::MASKED-VALUE')
    expect(run.main.stderr).toContain('##\\[add-mask]LEGACY-MASK')
    expect(run.main.stderr).toContain('\\x1b[2J')
  })

  it("keeps the Action's own annotations working: the failed call on its line, and the run's failure", () => {
    const lines = run.main.stdout.split('\n')
    expect(lines.some((l) => /^::error title=agent 'failing .*' failed,file=w\.js,line=6::PROVIDER: agent command/.test(l))).toBe(true)
    // core escapes the newline of the message (%0A); the forged command after it stays text.
    expect(lines.some((l) => /^::error::hostile failed: w\.js:7:\d+: a%0A\\::add-mask::MASKED-VALUE/.test(l))).toBe(true)
  })
})
