import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { runCli, tempProject } from '../support/cli.js'

/**
 * What a script can see of the runner's own state and of .git/, through dist/cli.js. The state
 * folder holds the clock and random run ids: a script that read it could make its calls differ
 * on every run and never replay. .git/ holds the checkout's token. Neither may be read, listed
 * or hashed under any name: the default or a custom state folder, a link to either, a pattern
 * that names them, or another case of the name (what a case-insensitive disk serves).
 */
let project: ReturnType<typeof tempProject>
afterEach(() => project.cleanup())

const dwf = (args: string[]) => runCli([...args, '--agent', 'mock', '--json'], { cwd: project.dir, timeoutMs: 30_000 })

/** A script returning, for each probe, what the call gave or 'error: <message>'. */
function probes(calls: Record<string, string>): string {
  const body = Object.entries(calls)
    .map(([name, call]) => `try { out[${JSON.stringify(name)}] = await ${call} } catch (error) { out[${JSON.stringify(name)}] = 'error: ' + error.message }`)
    .join('\n')
  return `export const meta = { name: 'probe' }\nconst out = {}\n${body}\nreturn out\n`
}

/** Runs a first workflow so the state folder has a journal and a run, then the probes; their results. */
async function probe(calls: Record<string, string>, stateArgs: string[] = []): Promise<Record<string, unknown>> {
  project.write('first.js', "export const meta = { name: 'first' }\nreturn await agent('fill the state folder')\n")
  project.write('probe.js', probes(calls))
  expect((await dwf(['run', 'first.js', ...stateArgs])).code).toBe(0)
  const result = await dwf(['run', 'probe.js', ...stateArgs])
  expect(result.code).toBe(0)
  return result.json.result
}

/** The run id of the first run, from the state folder. */
const firstRun = (state = '.dynamic-workflow') => fs.readdirSync(path.join(project.dir, state, 'runs')).sort()[0]!

const HIDDEN = /^error: .*'[^']+' is inside (\.dynamic-workflow\/|state\/), the runner's state folder; scripts cannot read it$/
const GIT = /^error: .*'[^']+' is inside \.git\/, which can hold credentials; scripts cannot read it$/

describe('the state folder is invisible to scripts', () => {
  beforeEach(() => {
    // What a case-insensitive disk serves for .dynamic-workflow under another case, made real on this one.
    project = tempProject({ 'notes.md': 'notes\n', '.Dynamic-Workflow/journal/x.jsonl': '{}\n' })
    fs.symlinkSync('.dynamic-workflow', path.join(project.dir, 'lnstate'))
    fs.symlinkSync('.dynamic-workflow/journal/first.jsonl', path.join(project.dir, 'journal.txt'))
  })

  it('to glob, readFile and files, by its name, through links, and under another case of its name', async () => {
    const result = await probe({
      all: "glob('**')",
      stateTree: "glob('.dynamic-workflow/**')",
      stateRuns: "glob('.dynamic-workflow/runs/*/*')",
      namedAnywhere: "glob('**/.dynamic-workflow/**')",
      otherCase: "glob('.Dynamic-Workflow/**')",
      readOtherCase: "readFile('.Dynamic-Workflow/journal/x.jsonl')",
      linkedFolder: "glob('lnstate/**')",
      linkedFile: "glob('*.txt')",
      linkedFileByName: "glob('journal.txt')",
      journalByName: "glob('.dynamic-workflow/journal/first.jsonl')",
      readJournal: "readFile('.dynamic-workflow/journal/first.jsonl')",
      readThroughLink: "readFile('lnstate/journal/first.jsonl')",
      readLinkedFile: "readFile('journal.txt')",
      hashState: "agent('hash', { files: ['.dynamic-workflow/journal/first.jsonl'] })",
    })
    expect(result.all).toEqual(['first.js', 'notes.md', 'probe.js'])
    for (const name of ['stateTree', 'stateRuns', 'namedAnywhere', 'otherCase', 'linkedFolder', 'linkedFileByName', 'journalByName']) expect([name, result[name]]).toEqual([name, []])
    expect(result.linkedFile).toEqual([])
    for (const name of ['readJournal', 'readThroughLink', 'readLinkedFile', 'hashState', 'readOtherCase']) expect([name, result[name]]).toEqual([name, expect.stringMatching(HIDDEN)])
  })

  it("to readFile of a run's run.json, named by its run id", async () => {
    project.write('first.js', "export const meta = { name: 'first' }\nreturn await agent('fill the state folder')\n")
    expect((await dwf(['run', 'first.js'])).code).toBe(0)
    project.write('probe.js', probes({ run: "readFile('.dynamic-workflow/runs/' + args.run + '/run.json')" }))
    const result = await dwf(['run', 'probe.js', '--args', JSON.stringify({ run: firstRun() })])
    expect(result.json.result.run).toMatch(HIDDEN)
  })

  it('when --state-dir puts it in the checkout under another name', async () => {
    const result = await probe(
      {
        tree: "glob('state/**')",
        all: "glob('**')",
        read: "readFile('state/journal/first.jsonl')",
        hash: "agent('hash', { files: ['state/journal/first.jsonl'] })",
      },
      ['--state-dir', 'state'],
    )
    expect(fs.existsSync(path.join(project.dir, 'state', 'journal', 'first.jsonl'))).toBe(true)
    expect(result.tree).toEqual([])
    expect(result.all).toEqual(['first.js', 'notes.md', 'probe.js'])
    expect(result.read).toMatch(HIDDEN)
    expect(result.hash).toMatch(HIDDEN)
  })

  it('so a call whose files name the state folder still replays on the next run', async () => {
    // The state changes on every run (run ids, times): were it hashed, the call would never replay.
    project.write('w.js', "export const meta = { name: 'w' }\nreturn await agent('review', { files: ['w.js', '.dynamic-workflow/**'] })\n")
    const first = await dwf(['run', 'w.js'])
    expect(first.json.agents).toMatchObject({ live: 1, replayed: 0 })
    const second = await dwf(['run', 'w.js'])
    expect(second.json.agents).toMatchObject({ live: 0, replayed: 1 })
  })
})

describe('.git/ is invisible to scripts through links and under another case of its name', () => {
  beforeEach(() => {
    project = tempProject({
      'notes.md': 'notes\n',
      '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic dG9rZW4=\n',
      '.git/hooks/pre-commit': '#!/bin/sh\n',
      // What a case-insensitive disk serves for these names, made real on this one.
      '.GIT/config': '[http]\n\textraheader = AUTHORIZATION: basic dG9rZW4=\n',
      '.Git/HEAD': 'ref: refs/heads/main\n',
    })
    fs.symlinkSync('.git', path.join(project.dir, 'lngit'))
    fs.symlinkSync('.git/config', path.join(project.dir, 'cfg'))
  })

  it('to glob, readFile and files', async () => {
    const result = await probe({
      all: "glob('**')",
      linkedTree: "glob('lngit/**')",
      linkedHooks: "glob('lngit/hooks/*')",
      linkedConfigByName: "glob('lngit/config')",
      configLinkByName: "glob('cfg')",
      dotted: "glob('.*')",
      namedAnywhere: "glob('**/.git/**')",
      upperTree: "glob('.GIT/**')",
      upperByName: "glob('.GIT/config')",
      mixedByName: "glob('.Git/HEAD')",
      readLinked: "readFile('lngit/config')",
      readConfigLink: "readFile('cfg')",
      readUpper: "readFile('.GIT/config')",
      readMixed: "readFile('.Git/HEAD')",
      hashLinked: "agent('hash', { files: ['lngit/config'] })",
      hashUpper: "agent('hash', { files: ['.GIT/config'] })",
    })
    expect(result.all).toEqual(['first.js', 'notes.md', 'probe.js'])
    for (const name of ['linkedTree', 'linkedHooks', 'linkedConfigByName', 'configLinkByName', 'dotted', 'namedAnywhere', 'upperTree', 'upperByName', 'mixedByName'])
      expect([name, result[name]]).toEqual([name, []])
    for (const name of ['readLinked', 'readConfigLink', 'readUpper', 'readMixed', 'hashLinked', 'hashUpper']) expect([name, result[name]]).toEqual([name, expect.stringMatching(GIT)])
  })
})
