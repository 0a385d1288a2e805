import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { finish, ROOT, runCli, startCli, tempProject, waitFor } from '../support/cli.js'

/**
 * Editing calls through dist/cli.js, driven by a small editing agent (the `command` provider
 * running __tests__/support/bin/edit-agent.mjs): changes land, replay in a fresh clone, conflict
 * clearly, survive a kill -9, and never touch the user's .git.
 */
const AGENT = `node ${path.join(ROOT, '__tests__/support/bin/edit-agent.mjs')}`
const projects: Array<ReturnType<typeof tempProject>> = []
afterEach(() => projects.splice(0).forEach((p) => p.cleanup()))

function project(files: Record<string, string>) {
  const made = tempProject(files)
  projects.push(made)
  return made
}

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV }).toString()

/** A git repository holding `files`, committed, with the state folder ignored. */
function repository(files: Record<string, string>) {
  const made = project({ ...files, '.gitignore': '.dynamic-workflow/\n' })
  git(made.dir, 'init', '-q')
  git(made.dir, 'add', '-A')
  git(made.dir, 'commit', '-qm', 'start')
  return made
}

const run = (dir: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runCli(['run', 'w.js', '--agent', 'command', '--command', AGENT, '--json', ...extra], { cwd: dir, env })

/** Every file in `dir` but .git and the state folder, as base64 (with an x for executables). */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name)
      const relative = path.relative(dir, full)
      if (relative === '.git' || relative === '.dynamic-workflow') continue
      if (entry.isDirectory()) walk(full)
      else out[relative] = `${fs.statSync(full).mode & 0o100 ? 'x:' : ''}${fs.readFileSync(full).toString('base64')}`
    }
  }
  walk(dir)
  return out
}

const task = (value: object) => JSON.stringify(JSON.stringify(value))

describe('editing calls', () => {
  it('two parallel editing calls on different files both land; the agents worked outside the tree; git sees no worktree', async () => {
    const p = repository({
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      'w.js': `export const meta = { name: 'two' }
const dirs = await parallel([
  () => agent(${task({ write: { 'a.txt': 'A\n' } })}, { edits: true, label: 'edit a' }),
  () => agent(${task({ write: { 'b.txt': 'B\n' } })}, { edits: true, label: 'edit b' }),
])
return dirs
`,
    })
    const result = await run(p.dir)
    expect(result.code).toBe(0)
    expect([p.read('a.txt'), p.read('b.txt')]).toEqual(['A\n', 'B\n'])
    for (const dir of result.json.result as string[]) {
      expect(path.relative(p.dir, dir).startsWith('..')).toBe(true)
      expect(fs.existsSync(dir)).toBe(false) // removed when its call ended
    }
    expect(result.json.changes).toEqual({ files: ['a.txt', 'b.txt'], added: 0, modified: 2, deleted: 0 })
    expect(git(p.dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1)
    expect(git(p.dir, 'branch', '--list').trim()).toMatch(/^\* (master|main)$/)
    const runId = result.json.runId as string
    const patch = fs.readFileSync(path.join(p.dir, '.dynamic-workflow/runs', runId, 'changes.patch'), 'utf8')
    expect(patch).toContain('+A')
    expect(patch).toContain('+B')
  })

  it('a replay in a fresh clone of the same commit runs nothing live and ends with the same files, byte for byte: binary, deletions, renames, modes', async () => {
    const p = repository({
      'keep.txt': 'keep\n',
      'old-name.txt': 'moving\n',
      'gone.txt': 'bye\n',
      'tool.sh': 'echo hi\n',
      'w.js': `export const meta = { name: 'round-trip' }
await agent(${task({ binary: { 'img.bin': Buffer.from([0, 255, 1, 254, 0]).toString('base64') }, delete: ['gone.txt'], rename: [['old-name.txt', 'new-name.txt']], chmod: ['tool.sh'], write: { 'keep.txt': 'kept\n' } })}, { edits: true })
return 'done'
`,
    })
    const first = await run(p.dir)
    expect(first.code).toBe(0)
    expect(first.json.changes).toEqual({ files: ['gone.txt', 'img.bin', 'keep.txt', 'new-name.txt', 'old-name.txt', 'tool.sh'], added: 2, modified: 2, deleted: 2 })
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-clone-'))
    projects.push({ dir: clone, cleanup: () => fs.rmSync(clone, { recursive: true, force: true }) } as never)
    git(os.tmpdir(), 'clone', '-q', p.dir, clone)
    fs.cpSync(path.join(p.dir, '.dynamic-workflow/journal'), path.join(clone, '.dynamic-workflow/journal'), { recursive: true })
    const replay = await run(clone)
    expect(replay.code).toBe(0)
    expect(replay.json.agents).toMatchObject({ live: 0, replayed: 1 })
    expect(filesOf(clone)).toEqual(filesOf(p.dir))
  })

  it('overlapping changes: the later call fails with CONFLICT naming both calls; the earlier one lands', async () => {
    const p = project({
      'a.txt': 'line\n',
      'w.js': `export const meta = { name: 'clash' }
const results = await Promise.allSettled([
  agent(${task({ write: { 'a.txt': 'first\n' } })}, { edits: true, label: 'first' }),
  agent(${task({ write: { 'a.txt': 'second\n' } })}, { edits: true, label: 'second' }),
])
return results.map((r) => r.status === 'fulfilled' ? 'ok' : r.reason.code + ': ' + r.reason.message)
`,
    })
    const result = await run(p.dir)
    expect(result.code).toBe(0)
    const [first, second] = result.json.result as string[]
    expect(first).toBe('ok')
    expect(second).toMatch(/^CONFLICT: agent 'second' failed: conflicts with agent 'first' \(line 3\) in a\.txt: both changed the same lines/)
    expect(p.read('a.txt')).toBe('first\n')
    const kept = /kept in (\S+)\)$/.exec(second!)![1]!
    expect(fs.readFileSync(path.join(p.dir, '.dynamic-workflow', kept), 'utf8')).toContain('+second')
  })

  it('with `files`, an unrelated change replays the call; without, the call runs again', async () => {
    const p = project({
      'src/x.txt': 'x\n',
      'w.js': `export const meta = { name: 'scoped' }
await agent(${task({ write: { 'src/x.txt': 'X\n' } })}, { edits: true, files: ['src/**'], label: 'scoped' })
await agent(${task({ write: { 'y.txt': 'Y\n' } })}, { edits: true, label: 'whole tree' })
`,
    })
    expect((await run(p.dir)).code).toBe(0)
    // A fresh copy of the start, plus an unrelated file.
    const q = project({ 'src/x.txt': 'x\n', 'w.js': p.read('w.js'), 'unrelated.md': 'new\n' })
    fs.cpSync(path.join(p.dir, '.dynamic-workflow/journal'), path.join(q.dir, '.dynamic-workflow/journal'), { recursive: true })
    const again = await run(q.dir)
    expect(again.code).toBe(0)
    expect(again.json.agents).toMatchObject({ total: 2, live: 1, replayed: 1 })
    expect([q.read('src/x.txt'), q.read('y.txt')]).toEqual(['X\n', 'Y\n'])
  })

  it('kill -9 in the middle of an editing call leaves the working tree as it was; a resume finishes the run', async () => {
    const marker = path.join(os.tmpdir(), `dwf-edit-marker-${process.pid}-${Date.now()}`)
    const p = project({
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      'w.js': `export const meta = { name: 'killed' }
await agent(${task({ write: { 'a.txt': 'A\n' } })}, { edits: true, label: 'quick' })
await agent(args.slow, { edits: true, label: 'slow' })
return 'finished'
`,
    })
    const slow = JSON.stringify({ write: { 'b.txt': 'B\n' }, marker, sleepMs: 30_000 })
    // Outside the tree: a file changed inside it would be a new tree, and every call would run again.
    const argsFile = `${marker}.args.json`
    fs.writeFileSync(argsFile, JSON.stringify({ slow }))
    const child = startCli(['run', 'w.js', '--agent', 'command', '--command', AGENT, '--args', `@${argsFile}`], { cwd: p.dir })
    await waitFor(() => fs.existsSync(marker), 30_000, 'the slow agent to start')
    const before = filesOf(p.dir)
    child.kill('SIGKILL')
    await finish(child)
    process.kill(Number(fs.readFileSync(marker, 'utf8')), 'SIGKILL') // the orphaned agent
    fs.rmSync(marker)
    expect(before['a.txt']).toBe(Buffer.from('A\n').toString('base64'))
    expect(filesOf(p.dir)).toEqual(before) // nothing of the slow call landed
    fs.writeFileSync(argsFile, JSON.stringify({ slow: JSON.stringify({ write: { 'b.txt': 'B\n' } }) }))
    const resumed = await runCli(['run', 'w.js', '--agent', 'command', '--command', AGENT, '--args', `@${argsFile}`, '--json'], { cwd: p.dir })
    expect(resumed.code).toBe(0)
    expect(resumed.json.agents).toMatchObject({ total: 2, replayed: 1, live: 1 })
    expect([p.read('a.txt'), p.read('b.txt')]).toEqual(['A\n', 'B\n'])
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`dwf-trees-${child.pid}-`))).toEqual([])
    fs.rmSync(argsFile)
  })

  it("the script's own writeFile() and applyPatch(): readFile() sees them, a replay writes the same files, refusals name the line", async () => {
    const p = project({
      'src/a.txt': 'one\ntwo\n',
      'w.js': `export const meta = { name: 'script-writes' }
writeFile('notes/new.md', '# notes\\n')
const changed = applyPatch('--- a/src/a.txt\\n+++ b/src/a.txt\\n@@ -1,2 +1,2 @@\\n one\\n-two\\n+TWO\\n')
let refused
try { writeFile('.git/config', 'x') } catch (e) { refused = e.code + ' ' + e.line }
return { note: readFile('notes/new.md'), a: readFile('src/a.txt'), changed, refused }
`,
    })
    const first = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: p.dir })
    expect(first.code).toBe(0)
    expect(first.json.result).toEqual({ note: '# notes\n', a: 'one\nTWO\n', changed: [{ path: 'src/a.txt', change: 'modified' }], refused: 'EDIT_FAILED 5' })
    expect(first.json.changes).toEqual({ files: ['notes/new.md', 'src/a.txt'], added: 1, modified: 1, deleted: 0 })
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: p.dir })
    expect(again.json.result).toEqual(first.json.result)
    expect([p.read('notes/new.md'), p.read('src/a.txt')]).toEqual(['# notes\n', 'one\nTWO\n'])
    const diff = await runCli(['diff', again.json.runId], { cwd: p.dir })
    expect(diff.stdout).toContain('+TWO')
    expect(diff.stdout).toContain('+# notes')
  })

  it("a run that continues the last one but does not make its changes again says so (they stay in the last run's patch)", async () => {
    const p = project({
      'a.txt': 'a\n',
      'b.txt': 'b\n',
      'w.js': `export const meta = { name: 'switch' }\nfor (const file of args.files) writeFile(file, file.toUpperCase() + '\\n')\nreturn args.files\n`,
    })
    const first = await runCli(['run', 'w.js', '--agent', 'mock', '--json', '--args', '{"files":["a.txt"]}'], { cwd: p.dir })
    expect(first.code).toBe(0)
    expect(p.read('a.txt')).toBe('A.TXT\n')
    const second = await runCli(['run', 'w.js', '--agent', 'mock', '--json', '--args', '{"files":["b.txt"]}'], { cwd: p.dir })
    expect(second.code).toBe(0)
    expect(second.stderr).toContain('continuing the last run of switch in this folder: its changes to 1 file were taken back')
    expect(second.stderr).toMatch(/warning: this run continued the last run of switch but did not make again its changes to 1 file \(a\.txt\)/)
    expect([p.read('a.txt'), p.read('b.txt')]).toEqual(['a\n', 'B.TXT\n'])
    const patch = await runCli(['diff', first.json.runId], { cwd: p.dir })
    expect(patch.stdout).toContain('+A.TXT')
  })

  it('without git on PATH, an editing call fails at its line saying so', async () => {
    const p = project({ 'w.js': `export const meta = { name: 'nogit' }\n\nawait agent('change', { edits: true })\n` })
    // A PATH holding node and nothing else.
    const bin = path.join(p.dir, '..', `${path.basename(p.dir)}-bin`)
    fs.mkdirSync(bin)
    fs.symlinkSync(process.execPath, path.join(bin, 'node'))
    const result = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: p.dir, env: { PATH: bin } }).finally(() => fs.rmSync(bin, { recursive: true, force: true }))
    expect(result.code).toBe(1)
    expect(result.json.error).toMatchObject({ code: 'EDIT_FAILED', line: 3 })
    expect(result.json.error.message).toContain('editing calls need git on PATH')
  })

  it('an agent without tools is refused at the line of the call', async () => {
    const p = project({ 'w.js': `export const meta = { name: 'no-tools' }\n\nawait agent('change things', { edits: true })\n` })
    const result = await runCli(['run', 'w.js', '--agent', 'anthropic', '--json'], { cwd: p.dir, env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } })
    expect(result.code).toBe(1)
    expect(result.json.error).toMatchObject({ code: 'INVALID_CALL', line: 3 })
    expect(result.json.error.message).toMatch(/'edits: true' needs an agent that can change files/)
  })
})
