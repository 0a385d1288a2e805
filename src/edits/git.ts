/**
 * Git as a content-addressed store for the run's trees, never the user's repository: a
 * private bare repository (its own objects, its own indexes) pointed at whichever folder is
 * being read or written through GIT_WORK_TREE. So editing calls work the same in a git
 * checkout and in a plain folder, and the user's .git (its index, branches, worktrees) is
 * never touched: nothing can be left pinned there by a killed run.
 *
 * The checkout is hostile input, so git runs with no system or global configuration: no
 * hooks, no filter drivers, no fsmonitor, no aliases. `.gitignore` files of the tree still
 * apply, which is what "the tree" means to the user.
 */
import { execFile, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import fs from 'node:fs'
import path from 'node:path'
import { WorkflowError } from '../core/errors.js'

/** Patches and trees are bounded by the answer limit; git's own output may be larger (ls-tree of a big repo). */
const MAX_GIT_OUTPUT = 256 * 1024 * 1024

export interface GitCall {
  /** The folder git reads or writes as its work tree. */
  workTree?: string
  /** The index file to use (each tree has its own, so concurrent calls never share one). */
  index?: string
  /** Written to git's stdin. */
  input?: string | Buffer
  /** Exit codes that are answers, not failures (`merge-file` exits 1 on a conflict). */
  okCodes?: number[]
}

export interface GitResult {
  code: number
  stdout: Buffer
}

/** A private bare repository under `dir`, created on first use. */
export class GitStore {
  readonly #dir: string
  readonly #excludes: string[]
  #ready = false
  /** Objects hashed here and not yet written (see writeObject). */
  readonly #deferred = new Map<string, Buffer>()

  /** `excludes`: patterns (as in .gitignore) no tree of this store includes, e.g. the state folder. */
  constructor(dir: string, excludes: string[] = []) {
    this.#dir = dir
    this.#excludes = excludes
  }

  get dir(): string {
    return this.#dir
  }

  /** Runs git against this store; rejects with an EDIT_FAILED error naming the command. */
  async run(args: string[], call: GitCall = {}): Promise<GitResult> {
    this.#initSync()
    this.#persist()
    return runGit(this.#dir, args, call)
  }

  /** Runs git and returns its stdout as text, without the final newline. */
  async text(args: string[], call: GitCall = {}): Promise<string> {
    return (await this.run(args, call)).stdout.toString('utf8').replace(/\n$/, '')
  }

  /**
   * The same, synchronously: for what reads or writes the run's working folder, which must
   * happen between two steps of the script, never during one (see run-edits.ts).
   */
  runSync(args: string[], call: GitCall = {}): GitResult {
    this.#initSync()
    this.#persist()
    const result = spawnSync('git', [...SAFE, ...args], { env: environment(this.#dir, call), cwd: call.workTree ?? this.#dir, input: call.input, maxBuffer: MAX_GIT_OUTPUT })
    if (result.error) throw (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? gitMissing() : result.error
    const code = result.status ?? -1
    if (code === 0 || call.okCodes?.includes(code)) return { code, stdout: result.stdout }
    throw gitFailed(args, result.stderr, `exit ${code}`)
  }

  /**
   * The id of a blob, stored the way git stores it (a zlib-deflated loose object named by its
   * sha1) but without running git, and only when git next runs: landing a patch must not cost
   * a process, or a write to the store, per file.
   */
  writeBlob(content: Buffer): string {
    return this.writeObject('blob', content)
  }

  /** The same for any object (a tree built by tree-index.ts). */
  writeObject(type: 'blob' | 'tree', content: Buffer): string {
    const header = Buffer.from(`${type} ${content.length}\0`)
    const id = createHash('sha1').update(header).update(content).digest('hex')
    if (!this.#deferred.has(id)) this.#deferred.set(id, Buffer.concat([header, content]))
    return id
  }

  /** Writes the objects made since git last ran; every git command runs after it. */
  #persist(): void {
    if (this.#deferred.size === 0) return
    this.#initSync()
    for (const [id, raw] of this.#deferred) {
      const file = path.join(this.#dir, 'objects', id.slice(0, 2), id.slice(2))
      if (fs.existsSync(file)) continue
      fs.mkdirSync(path.dirname(file), { recursive: true })
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
      fs.writeFileSync(temporary, deflateSync(raw), { mode: 0o444 })
      fs.renameSync(temporary, file)
    }
    this.#deferred.clear()
  }

  textSync(args: string[], call: GitCall = {}): string {
    return this.runSync(args, call).stdout.toString('utf8').replace(/\n$/, '')
  }

  #initSync(): void {
    if (this.#ready) return
    if (!fs.existsSync(path.join(this.#dir, 'HEAD'))) {
      fs.mkdirSync(this.#dir, { recursive: true })
      const result = spawnSync('git', ['init', '--quiet', '--bare', this.#dir], { env: environment(this.#dir, {}) })
      if (result.error) throw (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? gitMissing() : result.error
      if (result.status !== 0) throw gitFailed(['init'], result.stderr, `exit ${result.status}`)
    }
    this.#writeExcludes()
    this.#ready = true
  }

  /** Written on every start: the state folder may have moved since the store was made. */
  #writeExcludes(): void {
    fs.mkdirSync(path.join(this.#dir, 'info'), { recursive: true })
    fs.writeFileSync(path.join(this.#dir, 'info', 'exclude'), this.#excludes.map((p) => `${p}\n`).join(''))
  }
}

function environment(gitDir: string, call: GitCall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_DIR: gitDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  }
  if (call.workTree !== undefined) env.GIT_WORK_TREE = call.workTree
  if (call.index !== undefined) env.GIT_INDEX_FILE = call.index
  return env
}

/** Settings that keep a hostile tree from making git run anything or rewrite content. */
const SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'core.autocrlf=false', '-c', 'core.safecrlf=false', '-c', 'core.quotePath=false']

function runGit(gitDir: string, args: string[], call: GitCall): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFE, ...args],
      { env: environment(gitDir, call), encoding: 'buffer', maxBuffer: MAX_GIT_OUTPUT, cwd: call.workTree ?? gitDir },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        if (code === 0 || call.okCodes?.includes(code)) return resolve({ code, stdout })
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(gitMissing())
        reject(gitFailed(args, stderr, error?.message ?? `exit ${code}`))
      },
    )
    if (call.input !== undefined) child.stdin!.end(call.input)
    else child.stdin!.end()
  })
}

function gitFailed(args: string[], stderr: Buffer, fallback: string): WorkflowError {
  const command = args.find((arg) => !arg.startsWith('-') && !arg.includes('=')) ?? 'git'
  const detail = stderr.toString('utf8').trim().split('\n').slice(-3).join(' ')
  return new WorkflowError('EDIT_FAILED', `git ${command} failed: ${detail || fallback}`)
}

function gitMissing(): WorkflowError {
  return new WorkflowError('EDIT_FAILED', 'editing calls need git on PATH (it stores and compares the trees agents edit); install git, or run the call without `edits`')
}
