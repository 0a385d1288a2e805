import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StateDir } from '../../src/runner/state-dir.js'
import { RunRecorder } from '../../src/runner/run-recorder.js'
import { compactJournalFile } from '../../src/journal/compact.js'
import { runCli, tempProject, type CliResult } from '../support/cli.js'
import { fingerprint, mkfifo } from '../support/tree.js'

/**
 * The state folder (.dynamic-workflow/ in the checkout, so a repository or a PR can commit
 * it) holding links, hard links, pipes or folders where the runner keeps its files. Whatever
 * the command and wherever in the folder, the runner refuses with one line naming the path
 * and exit 2, and nothing outside the state folder is written, created, removed or printed.
 * Through dist/cli.js, except the temporary-file and compaction races, which need the
 * process's own pid or a moment between two steps.
 */
const SECRET = `outside-secret-${randomUUID()}`
const SCRIPT = "export const meta = { name: 'w' }\nreturn await agent('hello')\n"
const JOURNAL = '.dynamic-workflow/journal/w.jsonl'

let project: ReturnType<typeof tempProject>
/** A folder next to the project the runner must never touch: a file, a folder, no created.txt. */
let outside: string
beforeEach(() => {
  project = tempProject({ 'w.js': SCRIPT })
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-outside-'))
  fs.writeFileSync(path.join(outside, 'target.txt'), `${SECRET}\n`)
  fs.mkdirSync(path.join(outside, 'folder'))
  fs.writeFileSync(path.join(outside, 'folder', 'kept.txt'), 'kept\n')
})
afterEach(() => {
  project.cleanup()
  fs.rmSync(outside, { recursive: true, force: true })
})

const at = (relative: string) => path.join(project.dir, relative)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function link(relative: string, target: string): void {
  fs.mkdirSync(path.dirname(at(relative)), { recursive: true })
  fs.symlinkSync(target, at(relative))
}

const dwf = (args: string[]) => runCli(args, { cwd: project.dir, timeoutMs: 30_000 })

/** One error line naming the path and what is there, exit 2, no stack, nothing on stdout. */
function expectRefusal(result: CliResult, relative: string, what: RegExp): void {
  expect(result.stderr).not.toMatch(/^\s+at /m)
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^error: ${escape(at(relative))} ${what.source}.*: remove it and run again$`))])
  expect(result.code).toBe(2)
  expect(result.stdout).not.toContain(SECRET)
}

interface RunCase {
  name: string
  plant: () => void
  /** The path the error names, relative to the project. */
  names: string
  what: RegExp
  args?: string[]
}

const LINK = /is a symbolic link; the runner never follows links in its state folder/
const RUN_CASES: RunCase[] = [
  { name: 'the journal is a link to a file outside', plant: () => link(JOURNAL, path.join(outside, 'target.txt')), names: JOURNAL, what: LINK },
  { name: 'the journal is a dangling link (it would create a file outside)', plant: () => link(JOURNAL, path.join(outside, 'created.txt')), names: JOURNAL, what: LINK },
  { name: 'journal/ is a link to a folder outside', plant: () => link('.dynamic-workflow/journal', path.join(outside, 'folder')), names: '.dynamic-workflow/journal', what: LINK },
  { name: 'runs/ is a link to a folder outside', plant: () => link('.dynamic-workflow/runs', path.join(outside, 'folder')), names: '.dynamic-workflow/runs', what: LINK },
  { name: 'the state folder itself is a link', plant: () => link('.dynamic-workflow', path.join(outside, 'folder')), names: '.dynamic-workflow', what: LINK },
  { name: '--state-dir names a link', plant: () => link('state', path.join(outside, 'folder')), names: 'state', what: LINK, args: ['--state-dir', 'state'] },
  { name: 'the journal is a named pipe (the run must not hang on it)', plant: () => mkfifo(at(JOURNAL)), names: JOURNAL, what: /is a named pipe \(FIFO\), not a regular file/ },
  {
    name: 'the journal is a hard link to a file outside',
    plant: () => {
      fs.mkdirSync(path.dirname(at(JOURNAL)), { recursive: true })
      fs.linkSync(path.join(outside, 'target.txt'), at(JOURNAL))
    },
    names: JOURNAL,
    what: /has more than one name \(a hard link\)/,
  },
]

describe('dwf run refuses a state folder holding something the runner did not make, and writes nothing outside', () => {
  it.each(RUN_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    c.plant()
    const before = fingerprint(outside)
    const planted = fs.lstatSync(at(c.names))
    const result = await dwf(['run', 'w.js', '--agent', 'mock', ...(c.args ?? [])])
    expectRefusal(result, c.names, c.what)
    expect(fingerprint(outside)).toEqual(before)
    // Refused, not replaced: the planted thing is still there, as it was.
    expect(fs.lstatSync(at(c.names)).ino).toBe(planted.ino)
  })
})

describe("the read-only commands refuse links in a run's folder: nothing outside is printed or removed", () => {
  let runId: string
  const runFile = (file: string) => `.dynamic-workflow/runs/${runId}/${file}`
  beforeEach(async () => {
    const first = await dwf(['run', 'w.js', '--agent', 'mock', '--json'])
    expect(first.code).toBe(0)
    runId = first.json.runId
    // Outside: a run snapshot of its own, which a followed link would show as this run's.
    fs.mkdirSync(path.join(outside, 'run'))
    const snapshot = JSON.parse(fs.readFileSync(at(runFile('run.json')), 'utf8'))
    fs.writeFileSync(path.join(outside, 'run', 'run.json'), JSON.stringify({ ...snapshot, name: SECRET }))
  })

  const replaceWithLink = (relative: string, target: string) => {
    fs.rmSync(at(relative), { recursive: true, force: true })
    link(relative, target)
  }

  const CASES: Array<{ name: string; plant: () => void; args: () => string[]; names: () => string; what?: RegExp }> = [
    { name: 'status: run.json is a link', plant: () => replaceWithLink(runFile('run.json'), path.join(outside, 'run', 'run.json')), args: () => ['status', runId], names: () => runFile('run.json') },
    { name: 'logs: log.txt is a link', plant: () => replaceWithLink(runFile('log.txt'), path.join(outside, 'target.txt')), args: () => ['logs', runId], names: () => runFile('log.txt') },
    {
      name: 'logs -f: log.txt is a named pipe',
      plant: () => {
        fs.rmSync(at(runFile('log.txt')))
        mkfifo(at(runFile('log.txt')))
      },
      args: () => ['logs', '-f', runId],
      names: () => runFile('log.txt'),
      what: /is a named pipe/,
    },
    { name: 'resume: invocation.json is a link', plant: () => replaceWithLink(runFile('invocation.json'), path.join(outside, 'target.txt')), args: () => ['resume', runId], names: () => runFile('invocation.json') },
    { name: 'stop: the pid marker is a link', plant: () => link(runFile('pid'), path.join(outside, 'target.txt')), args: () => ['stop', runId], names: () => runFile('pid') },
    { name: 'status: the run folder is a link', plant: () => link('.dynamic-workflow/runs/linked', path.join(outside, 'run')), args: () => ['status', 'linked'], names: () => '.dynamic-workflow/runs/linked' },
    { name: 'list: a run folder is a link', plant: () => link('.dynamic-workflow/runs/linked', path.join(outside, 'run')), args: () => ['list'], names: () => '.dynamic-workflow/runs/linked' },
    { name: 'rm: the run folder is a link', plant: () => link('.dynamic-workflow/runs/linked', path.join(outside, 'run')), args: () => ['rm', 'linked'], names: () => '.dynamic-workflow/runs/linked' },
    { name: 'rm: the run folder holds a link', plant: () => replaceWithLink(runFile('log.txt'), path.join(outside, 'target.txt')), args: () => ['rm', runId], names: () => runFile('log.txt') },
  ]

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    c.plant()
    const before = fingerprint(outside)
    const state = fingerprint(at('.dynamic-workflow'))
    const result = await dwf(c.args())
    expectRefusal(result, c.names(), c.what ?? LINK)
    expect(fingerprint(outside)).toEqual(before)
    // Nothing was removed or changed in the state folder either (rm refuses before removing anything).
    expect(fingerprint(at('.dynamic-workflow'))).toEqual(state)
  })
})

describe('the journal swapped for a link while a run is under way', () => {
  it('is neither appended to through the link nor replaced by compaction', async () => {
    const target = path.join(outside, 'target.txt')
    // The agent itself plants the link, between the checks at the start and the journal write.
    project.write(
      'agent.mjs',
      `import fs from 'node:fs'
fs.readFileSync(0, 'utf8')
fs.rmSync(${JSON.stringify(JOURNAL)}, { force: true })
fs.symlinkSync(${JSON.stringify(target)}, ${JSON.stringify(JOURNAL)})
process.stdout.write(JSON.stringify({ result: 'answer', usage: { input_tokens: 1, output_tokens: 1 } }))
`,
    )
    project.write('dynamic-workflow.json', JSON.stringify({ providers: { command: { command: `${process.execPath} agent.mjs` } } }))
    const before = fingerprint(outside)
    const result = await dwf(['run', 'w.js', '--agent', 'command', '--json'])
    expect(result.json.result).toBe('answer')
    expect(result.stderr).toMatch(new RegExp(`could not write the journal entry of agent .*${escape(at(JOURNAL))} is a symbolic link`))
    // Compaction's warning goes to the run's log.
    expect(fs.readFileSync(at(`.dynamic-workflow/runs/${result.json.runId}/log.txt`), 'utf8')).toMatch(/could not compact the journal: .* is a symbolic link/)
    expect(fingerprint(outside)).toEqual(before)
    expect(fs.readlinkSync(at(JOURNAL))).toBe(target)
  })

  it('compaction refuses a journal that is a link: it neither reads through it nor replaces it', async () => {
    const target = path.join(outside, 'target.txt')
    link(JOURNAL, target)
    const before = fingerprint(outside)
    await expect(compactJournalFile(at(JOURNAL), new Set())).rejects.toThrow(/is a symbolic link/)
    expect(fingerprint(outside)).toEqual(before)
    expect(fs.readlinkSync(at(JOURNAL))).toBe(target)
  })
})

describe('temporary files', () => {
  it('have names nobody can predict: a link planted at the name pid-based code would use is never written through', () => {
    const state = new StateDir(at('.dynamic-workflow'))
    const runId = 'planted'
    fs.mkdirSync(state.runDir(runId), { recursive: true })
    // What `${file}.${process.pid}.tmp` would have been.
    const predictable = `${state.runFile(runId, 'run.json')}.${process.pid}.tmp`
    fs.symlinkSync(path.join(outside, 'target.txt'), predictable)
    const before = fingerprint(outside)
    new RunRecorder(state, runId).record({ type: 'run_started', at: Date.now(), runId, name: 'w', phases: [], provider: 'mock', concurrency: 1, maxAgents: 1, budget: {} })
    expect(fingerprint(outside)).toEqual(before)
    expect(fs.lstatSync(state.runFile(runId, 'run.json')).isFile()).toBe(true)
    expect(JSON.parse(fs.readFileSync(state.runFile(runId, 'run.json'), 'utf8')).runId).toBe(runId)
  })
})
