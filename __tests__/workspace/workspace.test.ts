import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WorkflowError } from '../../src/core/errors.js'
import type { WorkspacePort } from '../../src/core/ports.js'
import { createWorkspace, type WorkspaceLimits } from '../../src/workspace/workspace.js'

let root: string
let outside: string

/** Writes `content` at `relative` under the root, creating directories. */
function put(relative: string, content: string | Buffer = `content of ${relative}\n`): void {
  const full = path.join(root, relative)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, content)
}

function link(relative: string, target: string): void {
  const full = path.join(root, relative)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.symlinkSync(target, full)
}

function workspace(limits?: WorkspaceLimits): WorkspacePort {
  return createWorkspace(root, limits)
}

/** The error `run` throws; fails the test when it does not throw. */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error, but nothing was thrown')
}

/** Checks that `run` throws an INVALID_CALL WorkflowError whose message matches every pattern. */
function expectInvalidCall(run: () => unknown, ...patterns: RegExp[]): void {
  const error = thrown(run)
  expect(error).toBeInstanceOf(WorkflowError)
  expect((error as WorkflowError).code).toBe('INVALID_CALL')
  for (const pattern of patterns) expect((error as WorkflowError).message).toMatch(pattern)
}

const sha = (content: string | Buffer) => createHash('sha256').update(content).digest('hex')

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-ws-'))
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-ws-outside-'))
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n')
  fs.mkdirSync(path.join(outside, 'dir'))
  fs.writeFileSync(path.join(outside, 'dir', 'inner.txt'), 'inner secret\n')
})

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true })
  fs.rmSync(outside, { recursive: true, force: true })
})

describe('readFile', () => {
  it('returns the text of a file inside the root', () => {
    put('notes.txt', 'hello\nwörld\n')
    put('src/deep/a.ts', 'export const a = 1\n')
    expect(workspace().readFile('notes.txt')).toBe('hello\nwörld\n')
    expect(workspace().readFile('src/deep/a.ts')).toBe('export const a = 1\n')
    expect(workspace().readFile('./src/deep/a.ts')).toBe('export const a = 1\n')
  })

  it('reads an empty file as an empty string', () => {
    put('empty.txt', '')
    expect(workspace().readFile('empty.txt')).toBe('')
  })

  it('works when the root itself is reached through a symlink', () => {
    put('a.txt', 'A')
    const alias = path.join(outside, 'alias')
    fs.symlinkSync(root, alias)
    expect(createWorkspace(alias).readFile('a.txt')).toBe('A')
  })

  it('refuses an absolute path', () => {
    put('a.txt')
    expectInvalidCall(() => workspace().readFile(path.join(root, 'a.txt')), /readFile\(\)/, /absolute path/, /relative to the working directory/)
  })

  it.each(['../secret.txt', 'sub/../../secret.txt', 'sub/../a.txt', '..'])("refuses a path with '..' (%s)", (relative) => {
    put('a.txt')
    put('sub/b.txt')
    expectInvalidCall(() => workspace().readFile(relative), /'\.\.'/, /inside the working directory/)
  })

  it('refuses a missing file, naming it', () => {
    expectInvalidCall(() => workspace().readFile('nope/missing.txt'), /'nope\/missing\.txt'/, /not found/)
  })

  it('refuses a directory', () => {
    put('sub/a.txt')
    expectInvalidCall(() => workspace().readFile('sub'), /'sub'/, /not a file/)
  })

  it('refuses the root directory itself as not a file', () => {
    expectInvalidCall(() => workspace().readFile('.'), /not a file/)
  })

  it('refuses a binary file (one with a NUL byte)', () => {
    put('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0a]))
    expectInvalidCall(() => workspace().readFile('image.bin'), /'image\.bin'/, /binary/, /only text files/)
  })

  it('refuses a file over maxReadBytes, giving its size and the limit', () => {
    put('big.txt', 'x'.repeat(101))
    put('ok.txt', 'x'.repeat(100))
    const ws = workspace({ maxReadBytes: 100 })
    expect(ws.readFile('ok.txt')).toHaveLength(100)
    expectInvalidCall(() => ws.readFile('big.txt'), /'big\.txt'/, /101 bytes/, /limit is 100/)
  })

  it('refuses a symlink that leads outside the root', () => {
    link('leak.txt', path.join(outside, 'secret.txt'))
    expectInvalidCall(() => workspace().readFile('leak.txt'), /'leak\.txt'/, /link/, /outside the working directory/)
  })

  it('refuses a file reached through a symlinked directory that leads outside the root', () => {
    link('outdir', outside)
    expectInvalidCall(() => workspace().readFile('outdir/secret.txt'), /outside the working directory/)
  })

  it('reads a symlink to a file inside the root', () => {
    put('real/a.txt', 'real content')
    link('alias.txt', path.join(root, 'real', 'a.txt'))
    link('relative-alias.txt', 'real/a.txt')
    expect(workspace().readFile('alias.txt')).toBe('real content')
    expect(workspace().readFile('relative-alias.txt')).toBe('real content')
  })

  it('refuses a dangling symlink as not found', () => {
    link('dangling.txt', path.join(root, 'gone.txt'))
    expectInvalidCall(() => workspace().readFile('dangling.txt'), /not found/)
  })
})

describe('glob', () => {
  beforeEach(() => {
    put('b.ts')
    put('a.ts')
    put('README.md')
    put('src/z.ts')
    put('src/index.ts')
    put('src/deep/er/x.ts')
    put('src/deep/notes.md')
    put('.env')
    put('.github/workflows/ci.yml')
    put('src/.hidden.ts')
    put('node_modules/pkg/index.ts')
    put('src/node_modules/pkg/inner.ts')
    put('.git/config.ts')
    put('.dynamic-workflow/state.ts')
  })

  it('returns sorted posix paths relative to the root', () => {
    expect(workspace().glob('*.ts')).toEqual(['a.ts', 'b.ts'])
    expect(workspace().glob('src/*.ts')).toEqual(['src/index.ts', 'src/z.ts'])
  })

  it("recurses with '**'", () => {
    expect(workspace().glob('**/*.ts')).toEqual(['a.ts', 'b.ts', 'src/deep/er/x.ts', 'src/index.ts', 'src/z.ts'])
    expect(workspace().glob('src/**')).toEqual(['src/deep/er/x.ts', 'src/deep/notes.md', 'src/index.ts', 'src/z.ts'])
    expect(workspace().glob('**/*.md')).toEqual(['README.md', 'src/deep/notes.md'])
  })

  it('returns an empty list when nothing matches or the base directory is missing', () => {
    expect(workspace().glob('**/*.rs')).toEqual([])
    expect(workspace().glob('missing/**/*.ts')).toEqual([])
  })

  it('does not list directories', () => {
    expect(workspace().glob('src/*')).toEqual(['src/index.ts', 'src/z.ts'])
  })

  it('skips node_modules, and never lists .git or .dynamic-workflow, at any depth', () => {
    const all = workspace().glob('**')
    expect(all.some((p) => p.split('/').includes('node_modules'))).toBe(false)
    expect(all.some((p) => p.startsWith('.git/') || p.startsWith('.dynamic-workflow/'))).toBe(false)
    const dotted = workspace().glob('**/.*')
    expect(dotted).toEqual(['.env', 'src/.hidden.ts'])
  })

  it('walks into a skipped directory when the pattern names it, but never into the state folder', () => {
    expect(workspace().glob('node_modules/**/*.ts')).toEqual(['node_modules/pkg/index.ts'])
    expect(workspace().glob('.dynamic-workflow/*')).toEqual([])
    expect(workspace().glob('src/node_modules/**')).toEqual(['src/node_modules/pkg/inner.ts'])
  })

  it('never lists, reads or hashes .git/, even when named: actions/checkout leaves the job token in .git/config', () => {
    fs.mkdirSync(path.join(root, '.git'), { recursive: true })
    fs.writeFileSync(path.join(root, '.git', 'config'), '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n')
    fs.mkdirSync(path.join(root, 'vendor', 'lib', '.git'), { recursive: true })
    fs.writeFileSync(path.join(root, 'vendor', 'lib', '.git', 'config'), 'submodule token')
    fs.symlinkSync(path.join(root, '.git', 'config'), path.join(root, 'innocent.txt'))
    const ws = workspace()
    expect(ws.glob('.git/*')).toEqual([])
    expect(ws.glob('.git/config')).toEqual([])
    expect(ws.glob('**/.git/**')).toEqual([])
    expectInvalidCall(() => ws.readFile('.git/config'), /'\.git\/config' is inside \.git\//, /credentials/)
    expectInvalidCall(() => ws.readFile('vendor/lib/.git/config'), /inside \.git/)
    expectInvalidCall(() => ws.readFile('innocent.txt'), /inside \.git/)
    expectInvalidCall(() => ws.hashFiles(['.git/config']), /inside \.git/)
  })

  it('walks into a skipped directory named after a wildcard', () => {
    expect(workspace().glob('**/node_modules/**/*.ts')).toEqual(['node_modules/pkg/index.ts', 'src/node_modules/pkg/inner.ts'])
  })

  it('lists dotfiles only when the pattern has a segment starting with a dot', () => {
    expect(workspace().glob('*')).toEqual(['README.md', 'a.ts', 'b.ts'])
    expect(workspace().glob('src/*.ts')).not.toContain('src/.hidden.ts')
    expect(workspace().glob('.*')).toEqual(['.env'])
    expect(workspace().glob('src/.*.ts')).toEqual(['src/.hidden.ts'])
    expect(workspace().glob('.github/**/*.yml')).toEqual(['.github/workflows/ci.yml'])
    expect(workspace().glob('**/*.yml')).toEqual([])
  })

  it('lists links to files inside the root but not links that lead out', () => {
    link('inside-link.ts', path.join(root, 'a.ts'))
    link('outside-link.ts', path.join(outside, 'secret.txt'))
    link('dangling.ts', path.join(root, 'gone.ts'))
    expect(workspace().glob('*.ts')).toEqual(['a.ts', 'b.ts', 'inside-link.ts'])
  })

  it('does not follow a link to a directory while walking', () => {
    link('outdir', outside)
    link('srclink', path.join(root, 'src'))
    expect(workspace().glob('**/*.txt')).toEqual([])
    expect(workspace().glob('**/*.ts')).toEqual(['a.ts', 'b.ts', 'src/deep/er/x.ts', 'src/index.ts', 'src/z.ts'])
  })

  it('does not list files outside the root through a linked base directory', () => {
    link('outdir', outside)
    expect(workspace().glob('outdir/*')).toEqual([])
    expect(workspace().glob('outdir/**/*.txt')).toEqual([])
  })

  it('fails with a clear error when a pattern matches more than maxGlobResults files', () => {
    const ws = workspace({ maxGlobResults: 5 })
    expect(ws.glob('src/**')).toHaveLength(4)
    expect(workspace({ maxGlobResults: 2 }).glob('*.ts')).toEqual(['a.ts', 'b.ts'])
    expectInvalidCall(() => ws.glob('**'), /glob\(\)/, /'\*\*'/, /more than 5 files/, /narrow the pattern/)
  })

  it('returns [path] for an existing file named without wildcards, else []', () => {
    expect(workspace().glob('src/index.ts')).toEqual(['src/index.ts'])
    expect(workspace().glob('node_modules/pkg/index.ts')).toEqual(['node_modules/pkg/index.ts'])
    expect(workspace().glob('src/missing.ts')).toEqual([])
    expect(workspace().glob('src')).toEqual([])
  })

  it('returns [] for a wildcard-free path to a link that leads out', () => {
    link('leak.txt', path.join(outside, 'secret.txt'))
    expect(workspace().glob('leak.txt')).toEqual([])
  })

  it("refuses absolute patterns and patterns with '..'", () => {
    expectInvalidCall(() => workspace().glob(path.join(outside, '*')), /glob\(\)/, /relative to the working directory/)
    expectInvalidCall(() => workspace().glob('../*'), /glob\(\)/, /'\.\.'/)
    expectInvalidCall(() => workspace().glob('src/../../*'), /'\.\.'/)
  })
})

describe('hashFiles', () => {
  it('hashes an explicit path: sha256 hex of its content', () => {
    put('a.txt', 'alpha')
    expect(workspace().hashFiles(['a.txt'])).toEqual({ 'a.txt': sha('alpha') })
    expect(workspace().hashFiles(['a.txt'])['a.txt']).toMatch(/^[0-9a-f]{64}$/)
  })

  it('hashes the raw bytes, binary files included', () => {
    const bytes = Buffer.from([0, 1, 2, 255])
    put('b.bin', bytes)
    expect(workspace().hashFiles(['b.bin'])).toEqual({ 'b.bin': sha(bytes) })
  })

  it('normalises an explicit path to its posix form', () => {
    put('src/a.txt', 'alpha')
    expect(workspace().hashFiles(['./src//a.txt'])).toEqual({ 'src/a.txt': sha('alpha') })
  })

  it('hashes every file a glob matches, keyed by path', () => {
    put('src/a.ts', 'A')
    put('src/sub/b.ts', 'B')
    put('src/c.md', 'C')
    put('x.ts', 'X')
    expect(workspace().hashFiles(['src/**/*.ts', 'x.ts'])).toEqual({ 'src/a.ts': sha('A'), 'src/sub/b.ts': sha('B'), 'x.ts': sha('X') })
  })

  it('accepts a glob that matches nothing', () => {
    expect(workspace().hashFiles(['**/*.none'])).toEqual({})
  })

  it('throws for a missing explicit path, naming it', () => {
    expectInvalidCall(() => workspace().hashFiles(['missing.txt']), /files/, /'missing\.txt'/, /not found/)
  })

  it('refuses absolute paths, .. and links that lead out', () => {
    link('leak.txt', path.join(outside, 'secret.txt'))
    expectInvalidCall(() => workspace().hashFiles([path.join(outside, 'secret.txt')]), /absolute/)
    expectInvalidCall(() => workspace().hashFiles(['../x.txt']), /'\.\.'/)
    expectInvalidCall(() => workspace().hashFiles(['leak.txt']), /outside the working directory/)
  })

  it('refuses a file over maxHashBytes', () => {
    put('big.txt', 'x'.repeat(11))
    expectInvalidCall(() => workspace({ maxHashBytes: 10 }).hashFiles(['big.txt']), /'big\.txt'/, /11 bytes/, /limit is 10/)
  })

  it('changes the hash when the content changes, and only that file', () => {
    put('a.txt', 'one')
    put('b.txt', 'same')
    const before = workspace().hashFiles(['*.txt'])
    put('a.txt', 'two')
    const after = workspace().hashFiles(['*.txt'])
    expect(after['a.txt']).not.toBe(before['a.txt'])
    expect(after['a.txt']).toBe(sha('two'))
    expect(after['b.txt']).toBe(before['b.txt'])
  })

  it('gives the same hash for the same content under different names', () => {
    put('a.txt', 'same')
    put('b.txt', 'same')
    const hashes = workspace().hashFiles(['a.txt', 'b.txt'])
    expect(hashes['a.txt']).toBe(hashes['b.txt'])
  })
})
