/**
 * @module workspace
 * Read-only access to the working directory for `readFile()`, `glob()` and the `files`
 * option: text files inside the root only (no `..`, no absolute paths, no symlinks that
 * lead out), size-capped, never inside .git/ or the runner's state folder. Whatever a script
 * reads enters prompts and so call identities.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import { WorkflowError } from '../core/errors.js'
import type { WorkspacePort } from '../core/ports.js'

export interface WorkspaceLimits {
  /** Largest file readFile() returns. */
  maxReadBytes?: number
  /** Largest file the `files` option hashes. */
  maxHashBytes?: number
  /** Most paths one glob() may return. */
  maxGlobResults?: number
}

export interface WorkspaceOptions extends WorkspaceLimits {
  /**
   * The runner's state folder (absolute). Whatever is in it (real path, however reached) is
   * invisible to the script: run ids and times there would make every run's calls differ.
   */
  stateDir?: string
}

/** Directories a glob never walks into unless the pattern names them. */
const SKIPPED_DIRS = new Set(['node_modules'])

/**
 * Directories a script can never read, hash or list, at any depth (submodules too), whatever
 * the pattern says: git's holds credentials (actions/checkout writes the job token into
 * .git/config unless persist-credentials is false), and the runner's state changes on every
 * run. Compared case-insensitively: on a case-insensitive disk `.GIT/config` is `.git/config`.
 */
const PRIVATE_DIRS = new Map([
  ['.git', 'is inside .git/, which can hold credentials; scripts cannot read it'],
  ['.dynamic-workflow', "is inside .dynamic-workflow/, the runner's state folder; scripts cannot read it"],
])

/** Why a path relative to the root lies in a private directory; undefined when it does not. */
function privateReason(relative: string): string | undefined {
  for (const part of relative.split(/[\\/]/)) {
    const reason = PRIVATE_DIRS.get(part.toLowerCase())
    if (reason) return reason
  }
  return undefined
}

/** Why a file (as the script named it, and its real path) must stay invisible; undefined when it may be seen. */
type Hider = (shown: string, real: string) => string | undefined

/** The real path (symbolic links resolved, and the disk's own case where it ignores case), or undefined when missing. */
function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file)
  } catch {
    return undefined
  }
}

export function createWorkspace(root: string, options: WorkspaceOptions = {}): WorkspacePort {
  return new Workspace(root, options)
}

/** Read access to the working directory for scripts: confined, size-capped, blind to .git/ and the state folder. */
class Workspace implements WorkspacePort {
  readonly #root: string
  readonly #options: WorkspaceOptions
  readonly #maxRead: number
  readonly #maxHash: number
  readonly #maxGlob: number

  constructor(root: string, options: WorkspaceOptions) {
    this.#root = fs.realpathSync.native(root)
    this.#options = options
    this.#maxRead = options.maxReadBytes ?? 2 * 1024 * 1024
    this.#maxHash = options.maxHashBytes ?? 64 * 1024 * 1024
    this.#maxGlob = options.maxGlobResults ?? 10_000
  }

  readFile(relative: string): string {
    const real = this.#locate('readFile()', relative)
    const size = fs.statSync(real).size
    if (size > this.#maxRead) throw new WorkflowError('INVALID_CALL', `readFile(): '${relative}' is ${size} bytes; the limit is ${this.#maxRead}`)
    const bytes = fs.readFileSync(real)
    if (bytes.includes(0)) throw new WorkflowError('INVALID_CALL', `readFile(): '${relative}' is a binary file; only text files can be read`)
    return bytes.toString('utf8')
  }

  glob(pattern: string): string[] {
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..'))
      throw new WorkflowError('INVALID_CALL', `glob(): '${pattern}' must be relative to the working directory, without '..'`)
    const scan = picomatch.scan(pattern)
    const hidden = this.#hider()
    if (!scan.isGlob) {
      const real = realPath(path.join(this.#root, pattern))
      const visible = real !== undefined && isInside(this.#root, real) && !hidden(pattern, real) && fs.statSync(real).isFile()
      return visible ? [toPosix(pattern)] : []
    }
    const matches = picomatch(pattern, { dot: pattern.split('/').some((part) => part.startsWith('.')) })
    const found: string[] = []
    walk(this.#root, scan.base, pattern.split('/'), hidden, (file) => {
      if (!matches(file)) return
      if (found.length >= this.#maxGlob) throw new WorkflowError('INVALID_CALL', `glob(): '${pattern}' matches more than ${this.#maxGlob} files; narrow the pattern`)
      found.push(file)
    })
    return found.sort()
  }

  hashFiles(patterns: string[]): Record<string, string> {
    const out: Record<string, string> = {}
    for (const pattern of patterns) {
      const files = picomatch.scan(pattern).isGlob ? this.glob(pattern) : [toPosix(path.normalize(pattern))]
      for (const file of files) {
        const real = this.#locate('files', file)
        const size = fs.statSync(real).size
        if (size > this.#maxHash) throw new WorkflowError('INVALID_CALL', `files: '${file}' is ${size} bytes; the limit is ${this.#maxHash}`)
        out[file] = createHash('sha256').update(fs.readFileSync(real)).digest('hex')
      }
    }
    return out
  }

  /**
   * Says why a path must stay invisible, from the name the script gave and from where it
   * really is (a link can lead into .git/ or the state folder under any name); undefined when
   * it may be seen. Made for each call: the state folder may be created after the workspace.
   */
  #hider(): Hider {
    const root = this.#root
    const stateDir = this.#options.stateDir
    const state = stateDir === undefined ? undefined : (realPath(stateDir) ?? path.resolve(stateDir))
    const stateShown = state === undefined ? '' : isInside(root, state) ? `${toPosix(path.relative(root, state))}/` : state
    return (shown, real) => {
      const reason = privateReason(shown) ?? privateReason(path.relative(root, real))
      if (reason) return reason
      if (state !== undefined && (real === state || isInside(state, real))) return `is inside ${stateShown}, the runner's state folder; scripts cannot read it`
      return undefined
    }
  }

  /** The real path of a file inside the root, or a clear error. */
  #locate(what: string, relative: string): string {
    const fail = (why: string) => new WorkflowError('INVALID_CALL', `${what}: '${relative}' ${why}`)
    if (path.isAbsolute(relative)) throw fail('is an absolute path; use a path relative to the working directory')
    if (relative.split(/[\\/]/).includes('..')) throw fail("contains '..'; only files inside the working directory can be read")
    const real = realPath(path.join(this.#root, relative))
    if (real === undefined) throw fail('was not found in the working directory')
    if (real !== this.#root && !isInside(this.#root, real)) throw fail('is a link to a place outside the working directory')
    const hidden = this.#hider()(relative, real)
    if (hidden) throw fail(hidden)
    if (!fs.statSync(real).isFile()) throw fail('is not a file')
    return real
  }
}

/**
 * Calls `visit` with the posix path (relative to root) of every visible file under `base`.
 * Links to folders are not followed (only `base` itself may be one, leading inside the root);
 * private folders and the state folder are never entered, by name or by real path; skipped
 * folders (node_modules) only when a part of the pattern names them.
 */
function walk(root: string, base: string, patternParts: string[], hiddenReason: Hider, visit: (file: string) => void): void {
  const realStart = realPath(path.join(root, base))
  if (realStart === undefined || !fs.statSync(realStart).isDirectory()) return
  if (realStart !== root && !isInside(root, realStart)) return
  if (base && hiddenReason(base, realStart)) return
  const stack: Array<[string, string]> = [[base, realStart]]
  while (stack.length > 0) {
    const [dir, realDir] = stack.pop()!
    for (const entry of fs.readdirSync(realDir, { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      const real = path.join(realDir, entry.name)
      if (entry.isDirectory()) {
        if (hiddenReason(relative, real)) continue
        if (!SKIPPED_DIRS.has(entry.name) || patternParts.includes(entry.name)) stack.push([relative, real])
      } else if (entry.isFile()) {
        if (!hiddenReason(relative, real)) visit(toPosix(relative))
      } else if (entry.isSymbolicLink()) {
        // Links to visible files inside the root count; links out, into hidden places, and to directories, do not.
        const target = realPath(real)
        if (target !== undefined && isInside(root, target) && !hiddenReason(relative, target) && fs.statSync(target).isFile()) visit(toPosix(relative))
      }
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}
