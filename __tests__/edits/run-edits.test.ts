import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WorkflowError } from '../../src/core/errors.js'
import type { EditingCall } from '../../src/core/ports.js'
import { RunEdits } from '../../src/edits/run-edits.js'

/**
 * The edits of a run, against real folders and a real git: calls work in copies of their
 * own, their changes land in call order (whatever order they finish in), overlapping changes
 * are a CONFLICT, and landing the journaled changes again in a fresh copy gives the same files.
 */
const made: string[] = []
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** A working folder with files, and a state folder inside it (as .dynamic-workflow is). */
function project(files: Record<string, string | Buffer>): { root: string; edits: () => RunEdits } {
  const root = tempDir('dwf-edits-')
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), content)
  }
  const stateRoot = path.join(root, '.dynamic-workflow')
  const edits = () => {
    const runDir = path.join(stateRoot, 'runs', `r${Math.random().toString(16).slice(2)}`)
    fs.mkdirSync(runDir, { recursive: true })
    const trees = tempDir('dwf-trees-')
    return new RunEdits({
      root,
      storeDir: path.join(stateRoot, 'trees.git'),
      treesDir: () => trees,
      runDir,
      stateRoot,
      workflow: 'test',
      hidden: (relative) => (relative.toLowerCase().startsWith('.dynamic-workflow/') || relative.toLowerCase() === '.dynamic-workflow' ? 'is the state folder' : undefined),
    })
  }
  return { root, edits }
}

/** Every file under `root` but the state folder, with its bytes (links as "-> target"). */
function filesOf(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      const relative = path.relative(root, full).split(path.sep).join('/')
      if (relative === '.dynamic-workflow' || relative === '.git') continue
      if (entry.isDirectory()) walk(full)
      else if (entry.isSymbolicLink()) out[relative] = `-> ${fs.readlinkSync(full)}`
      else out[relative] = `${(fs.statSync(full).mode & 0o111) !== 0 ? 'x ' : ''}${fs.readFileSync(full).toString('base64')}`
    }
  }
  walk(root)
  return out
}

const A: EditingCall = { label: 'first', line: 3 }
const B: EditingCall = { label: 'second', line: 4 }

describe('an editing call', () => {
  it('works in its own copy; added, modified, deleted, renamed, binary and mode changes land byte for byte', async () => {
    const { root, edits } = project({ 'a.txt': 'one\ntwo\n', 'bin/data.bin': Buffer.from([0, 1, 2, 255]), 'old.txt': 'moving\n', 'gone.txt': 'bye\n', 'run.sh': 'echo hi\n' })
    const run = edits()
    const base = run.begin()
    const tree = await run.isolate(base)
    expect(path.relative(root, tree.dir).startsWith('..')).toBe(true)
    expect(fs.readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe('one\ntwo\n')
    expect(fs.existsSync(path.join(tree.dir, '.dynamic-workflow'))).toBe(false)
    fs.writeFileSync(path.join(tree.dir, 'a.txt'), 'one\nTWO\n')
    fs.writeFileSync(path.join(tree.dir, 'bin/data.bin'), Buffer.from([9, 0, 8, 7]))
    fs.renameSync(path.join(tree.dir, 'old.txt'), path.join(tree.dir, 'new/place.txt'.replace('new/', '')))
    fs.rmSync(path.join(tree.dir, 'gone.txt'))
    fs.chmodSync(path.join(tree.dir, 'run.sh'), 0o755)
    fs.mkdirSync(path.join(tree.dir, 'deep/er'), { recursive: true })
    fs.writeFileSync(path.join(tree.dir, 'deep/er/new.txt'), 'hello\n')
    const captured = await tree.capture()
    const expected = filesOf(tree.dir)
    await tree.remove()
    expect(fs.existsSync(tree.dir)).toBe(false)
    expect(captured.files).toEqual([
      { path: 'a.txt', change: 'modified' },
      { path: 'bin/data.bin', change: 'modified' },
      { path: 'deep/er/new.txt', change: 'added' },
      { path: 'gone.txt', change: 'deleted' },
      { path: 'old.txt', change: 'deleted' },
      { path: 'place.txt', change: 'added' },
      { path: 'run.sh', change: 'modified' },
    ])
    expect(captured.patch).toContain('GIT binary patch')
    expect(captured.patch).toContain('rename from old.txt')
    expect(filesOf(root)).not.toEqual(expected) // nothing landed while the agent worked
    await run.land(base, captured, A)
    expect(filesOf(root)).toEqual(expected)
    expect(run.changes()!.files).toEqual(captured.files)

    // The journaled patch alone, landed in a fresh copy of the starting folder, gives the same files.
    const fresh = project({ 'a.txt': 'one\ntwo\n', 'bin/data.bin': Buffer.from([0, 1, 2, 255]), 'old.txt': 'moving\n', 'gone.txt': 'bye\n', 'run.sh': 'echo hi\n' })
    const replay = fresh.edits()
    const again = replay.begin()
    expect(again.tree).toBe(base.tree)
    await replay.land(again, { patch: captured.patch, files: captured.files }, A)
    expect(filesOf(fresh.root)).toEqual(expected)
  })

  it('a text file in another encoding (latin1) lands byte for byte, in a fresh copy too', async () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me\nsecond line\n', 'latin1')
    const { root, edits } = project({ 'menu.txt': latin1 })
    const run = edits()
    const base = run.begin()
    const tree = await run.isolate(base)
    fs.writeFileSync(path.join(tree.dir, 'menu.txt'), Buffer.from('caf\xe9 cr\xe8me\nchanged line \xa7\n', 'latin1'))
    const captured = await tree.capture()
    await tree.remove()
    expect(captured.encoding).toBe('base64') // git's patch holds the raw bytes, which are not UTF-8
    await run.land(base, captured, A)
    const expected = Buffer.from('caf\xe9 cr\xe8me\nchanged line \xa7\n', 'latin1')
    expect(fs.readFileSync(path.join(root, 'menu.txt'))).toEqual(expected)
    const fresh = project({ 'menu.txt': latin1 })
    const replay = fresh.edits()
    await replay.land(replay.begin(), JSON.parse(JSON.stringify(captured)), A) // as the journal keeps it
    expect(fs.readFileSync(path.join(fresh.root, 'menu.txt'))).toEqual(expected)
  })

  it('a run that continues the last one takes its changes back, starts from its starting tree, and lands them again', async () => {
    const { root, edits } = project({ 'a.txt': 'one\n' })
    const run = edits()
    const base = run.begin()
    const tree = await run.isolate(base)
    fs.writeFileSync(path.join(tree.dir, 'a.txt'), 'ONE\n')
    const captured = await tree.capture()
    await run.land(base, captured, A)
    // The folder is as the last run left it: the next run continues it.
    const resumed = edits()
    expect(resumed.resume()).toBe(1)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n')
    const replayed = resumed.begin()
    expect(replayed.tree).toBe(base.tree)
    await resumed.land(replayed, captured, A)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('ONE\n')
    expect(resumed.changes()!.files).toEqual([{ path: 'a.txt', change: 'modified' }])
    // A folder changed since is not a continuation: nothing is taken back.
    fs.writeFileSync(path.join(root, 'a.txt'), 'changed by hand\n')
    expect(edits().resume()).toBe(0)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('changed by hand\n')
  })

  it('a folder changed since the last run starts afresh: its calls see the folder as it is', async () => {
    const { root, edits } = project({ 'a.txt': 'one\n' })
    const run = edits()
    const base = run.begin()
    run.writeFile('a.txt', 'ONE\n')
    fs.writeFileSync(path.join(root, 'other.txt'), 'the user was here\n')
    const next = edits().begin()
    expect(next.tree).not.toBe(base.tree)
    const tree = await edits().isolate(next)
    expect(fs.readFileSync(path.join(tree.dir, 'other.txt'), 'utf8')).toBe('the user was here\n')
    expect(fs.readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe('ONE\n')
  })
})

describe('a kill in the middle of a landing', () => {
  /** Stops a landing after its intent is written, as a kill -9 would. */
  function interrupted(ready: boolean) {
    const { root, edits } = project({ 'a.txt': 'a\n', 'b.txt': 'b\n' })
    const run = edits()
    const store = path.join(root, '.dynamic-workflow', 'trees.git')
    const renameSync = fs.renameSync
    let renames = 0
    // ready: dies at the second file's rename (a.txt landed, b.txt not yet).
    // not ready: dies when marking the staged intent ready (both files staged, none landed).
    ;(fs as { renameSync: typeof fs.renameSync }).renameSync = (from, to) => {
      if (ready && String(from).includes('.dwf-') && ++renames === 2) throw new Error('killed')
      if (!ready && String(to) === path.join(store, 'landing.json') && fs.existsSync(String(to))) throw new Error('killed')
      return renameSync(from, to)
    }
    try {
      expect(() => run.applyPatch('--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+A\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-b\n+B\n')).toThrow('killed')
    } finally {
      ;(fs as { renameSync: typeof fs.renameSync }).renameSync = renameSync
    }
    return { root, edits }
  }

  it('half applied on disk; the next run carries the landing out before anything else', () => {
    const { root, edits } = interrupted(true)
    expect([fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), fs.readFileSync(path.join(root, 'b.txt'), 'utf8')]).toEqual(['A\n', 'b\n'])
    edits()
    expect([fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), fs.readFileSync(path.join(root, 'b.txt'), 'utf8')]).toEqual(['A\n', 'B\n'])
    expect(fs.readdirSync(root).filter((name) => name.includes('.dwf-'))).toEqual([])
  })

  it('killed while staging: the next run removes what was staged and changes nothing', () => {
    const { root, edits } = interrupted(false)
    edits()
    expect([fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), fs.readFileSync(path.join(root, 'b.txt'), 'utf8')]).toEqual(['a\n', 'b\n'])
    expect(fs.readdirSync(root).filter((name) => name.includes('.dwf-'))).toEqual([])
  })
})

describe('several editing calls', () => {
  async function edit(run: RunEdits, change: (dir: string) => void) {
    const base = run.begin()
    const tree = await run.isolate(base)
    change(tree.dir)
    const captured = await tree.capture()
    await tree.remove()
    return { base, captured }
  }

  it('land in call order whatever order they finish in; changes to other lines of one file merge', async () => {
    const { root, edits } = project({ 'a.txt': '1\n2\n3\n4\n5\n6\n7\n8\n', 'b.txt': 'b\n' })
    const run = edits()
    const first = await edit(run, (dir) => fs.writeFileSync(path.join(dir, 'a.txt'), 'ONE\n2\n3\n4\n5\n6\n7\n8\n'))
    const second = await edit(run, (dir) => {
      fs.writeFileSync(path.join(dir, 'a.txt'), '1\n2\n3\n4\n5\n6\n7\nEIGHT\n')
      fs.writeFileSync(path.join(dir, 'b.txt'), 'B\n')
    })
    expect(second.base.tree).toBe(first.base.tree) // made together: the same starting tree
    const order: string[] = []
    const landing = [run.land(second.base, second.captured, B).then(() => order.push('second')), run.land(first.base, first.captured, A).then(() => order.push('first'))]
    await Promise.all(landing)
    expect(order).toEqual(['first', 'second'])
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('ONE\n2\n3\n4\n5\n6\n7\nEIGHT\n')
    expect(fs.readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('B\n')
  })

  it('overlapping changes: the later call fails with CONFLICT naming both calls and the file; its patch is kept; the folder keeps the first', async () => {
    const { root, edits } = project({ 'a.txt': 'same line\n' })
    const run = edits()
    const first = await edit(run, (dir) => fs.writeFileSync(path.join(dir, 'a.txt'), 'first wins\n'))
    const second = await edit(run, (dir) => fs.writeFileSync(path.join(dir, 'a.txt'), 'second loses\n'))
    const secondLanding = run.land(second.base, second.captured, B)
    await run.land(first.base, first.captured, A)
    const error = (await secondLanding.then(() => undefined, (e: unknown) => e)) as WorkflowError
    expect(error).toBeInstanceOf(WorkflowError)
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toMatch(/^conflicts with agent 'first' \(line 3\) in a\.txt: both changed the same lines; none of this call's changes were applied/)
    expect(error.message).toContain('a.txt')
    expect(error.line).toBe(4)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('first wins\n')
    const kept = /kept in (\S+)\)$/.exec(error.message)![1]!
    expect(fs.readFileSync(path.join(root, '.dynamic-workflow', kept), 'utf8')).toBe(second.captured.patch)
  })

  it('a call that drops out (failed) does not hold up the calls after it', async () => {
    const { root, edits } = project({ 'a.txt': 'a\n' })
    const run = edits()
    const failed = run.begin()
    const next = await edit(run, (dir) => fs.writeFileSync(path.join(dir, 'a.txt'), 'A\n'))
    const landed = run.land(next.base, next.captured, B)
    run.drop(failed)
    await landed
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('A\n')
  })

  it('a call made after another landed starts from the folder with its changes', async () => {
    const { edits } = project({ 'a.txt': 'a\n' })
    const run = edits()
    const first = await edit(run, (dir) => fs.writeFileSync(path.join(dir, 'a.txt'), 'A\n'))
    await run.land(first.base, first.captured, A)
    const base = run.begin()
    const tree = await run.isolate(base)
    expect(fs.readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe('A\n')
    await tree.remove()
  })
})

describe('changes made by someone else during the run', () => {
  it('are never overwritten: the landing fails with EDIT_FAILED and changes nothing', async () => {
    const { root, edits } = project({ 'a.txt': 'one\n', 'b.txt': 'two\n' })
    const run = edits()
    const base = run.begin()
    const tree = await run.isolate(base)
    fs.writeFileSync(path.join(tree.dir, 'a.txt'), 'agent\n')
    fs.writeFileSync(path.join(tree.dir, 'b.txt'), 'agent too\n')
    const captured = await tree.capture()
    await tree.remove()
    fs.writeFileSync(path.join(root, 'a.txt'), 'the user typed this\n')
    await expect(run.land(base, captured, A)).rejects.toThrow(/'a\.txt' was changed in the working directory during the run/)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('the user typed this\n')
    expect(fs.readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('two\n') // all or nothing
    expect(() => run.writeFile('a.txt', 'script\n')).toThrow(/was changed in the working directory during the run/)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('the user typed this\n')
  })
})

describe("the script's own changes", () => {
  it('writeFile writes inside the folder; readFile-style reads see it; the run lists it', () => {
    const { root, edits } = project({ 'src/x.ts': 'old\n' })
    const run = edits()
    run.writeFile('src/x.ts', 'new\n')
    run.writeFile('docs/new.md', '# new\n')
    expect(fs.readFileSync(path.join(root, 'src/x.ts'), 'utf8')).toBe('new\n')
    expect(run.changes()!.files).toEqual([
      { path: 'docs/new.md', change: 'added' },
      { path: 'src/x.ts', change: 'modified' },
    ])
    expect(run.changes()!.patch.toString('utf8')).toContain('+# new')
  })

  it.each([
    ['.git/config', 'inside .git/'],
    ['a/.GIT/hooks/pre-commit', 'inside .git/'],
    ['../outside.txt', 'not a plain path'],
    ['/etc/passwd', 'not a relative path'],
    ['.dynamic-workflow/runs/x/run.json', 'the state folder'],
    ['a//b', 'not a plain path'],
    ['evil\n::error::x.txt', 'control character'],
    ['a\u001b[31m.txt', 'control character'],
  ])('writeFile(%j) is refused (%s)', (file, why) => {
    const { edits } = project({})
    expect(() => edits().writeFile(file, 'x')).toThrow(why)
  })

  it('writeFile never follows a link in the folder', () => {
    const { root, edits } = project({})
    const outside = tempDir('dwf-outside-')
    fs.symlinkSync(outside, path.join(root, 'linked'))
    expect(() => edits().writeFile('linked/evil.txt', 'x')).toThrow(/symbolic link/)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it('applyPatch applies a unified diff all or nothing', () => {
    const { root, edits } = project({ 'a.txt': 'one\ntwo\n', 'b.txt': 'bee\n' })
    const run = edits()
    const changed = run.applyPatch('--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n')
    expect(changed).toEqual([{ path: 'a.txt', change: 'modified' }])
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\nTWO\n')
    const bad = '--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-bee\n+BEE\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-nope\n+NOPE\n'
    expect(() => run.applyPatch(bad)).toThrow(/does not apply/)
    expect(fs.readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('bee\n')
  })
})

describe('in a git repository', () => {
  it("never touches the user's .git: no worktree, no branch, no index change; ignored files stay out of the trees", async () => {
    const { root, edits } = project({ 'a.txt': 'a\n', '.gitignore': 'node_modules/\n', 'node_modules/dep/index.js': 'x\n' })
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString()
    git('init', '-q')
    git('add', 'a.txt', '.gitignore')
    git('commit', '-qm', 'start')
    fs.writeFileSync(path.join(root, 'a.txt'), 'uncommitted\n')
    fs.mkdirSync(path.join(root, '.dynamic-workflow'))
    fs.writeFileSync(path.join(root, '.git/info/exclude'), '.dynamic-workflow\n')
    const before = [git('status', '--porcelain'), git('worktree', 'list'), git('branch', '-a'), fs.readFileSync(path.join(root, '.git/index')).toString('base64')]
    const run = edits()
    const base = run.begin()
    const tree = await run.isolate(base)
    expect(fs.readFileSync(path.join(tree.dir, 'a.txt'), 'utf8')).toBe('uncommitted\n') // uncommitted changes are part of the base
    // Installed dependencies are there to run the tests with, as a link: never part of the patch.
    expect(fs.lstatSync(path.join(tree.dir, 'node_modules')).isSymbolicLink()).toBe(true)
    expect(fs.readFileSync(path.join(tree.dir, 'node_modules/dep/index.js'), 'utf8')).toBe('x\n')
    fs.writeFileSync(path.join(tree.dir, 'b.txt'), 'b\n')
    const captured = await tree.capture()
    expect(captured.files).toEqual([{ path: 'b.txt', change: 'added' }])
    await tree.remove()
    expect(fs.readFileSync(path.join(root, 'node_modules/dep/index.js'), 'utf8')).toBe('x\n') // the link went, not the folder
    await run.land(base, captured, A)
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('uncommitted\n')
    expect(fs.readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('b\n')
    const after = [git('status', '--porcelain').replace('?? b.txt\n', ''), git('worktree', 'list'), git('branch', '-a'), fs.readFileSync(path.join(root, '.git/index')).toString('base64')]
    expect(after).toEqual(before)
  })
})
