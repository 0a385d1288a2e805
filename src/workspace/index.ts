/**
 * @module workspace
 * Read-only access to the working directory for `readFile()`, `glob()` and the `files`
 * option: text files inside the root only (no `..`, no absolute paths, no symlinks that
 * lead out), size-capped. Whatever a script reads enters prompts and so call identities.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import { WorkflowError } from '../engine/errors.js'
import type { WorkspacePort } from '../engine/ports.js'

export interface WorkspaceLimits {
  /** Largest file readFile() returns. */
  maxReadBytes?: number
  /** Largest file the `files` option hashes. */
  maxHashBytes?: number
  /** Most paths one glob() may return. */
  maxGlobResults?: number
}

/** Directories a glob never walks into unless the pattern names them. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.dynamic-workflow'])

/**
 * Directories a script can never read, hash or list: git's holds credentials (actions/checkout
 * writes the job token into .git/config unless persist-credentials is false).
 */
const PRIVATE_DIRS = new Set(['.git'])

/** Whether a path relative to the root lies in a private directory (at any depth: submodules too). */
function isPrivate(relative: string): boolean {
  return relative.split(/[\\/]/).some((part) => PRIVATE_DIRS.has(part))
}

export function createWorkspace(root: string, limits: WorkspaceLimits = {}): WorkspacePort {
  const realRoot = fs.realpathSync(root)
  const maxRead = limits.maxReadBytes ?? 2 * 1024 * 1024
  const maxHash = limits.maxHashBytes ?? 64 * 1024 * 1024
  const maxGlob = limits.maxGlobResults ?? 10_000

  /** The real path of a file inside the root, or a clear error. */
  const locate = (what: string, relative: string): string => {
    const fail = (why: string) => new WorkflowError('INVALID_CALL', `${what}: '${relative}' ${why}`)
    if (path.isAbsolute(relative)) throw fail('is an absolute path; use a path relative to the working directory')
    if (relative.split(/[\\/]/).includes('..')) throw fail("contains '..'; only files inside the working directory can be read")
    let real: string
    try {
      real = fs.realpathSync(path.join(realRoot, relative))
    } catch {
      throw fail('was not found in the working directory')
    }
    if (real !== realRoot && !isInside(realRoot, real)) throw fail('is a link to a place outside the working directory')
    if (isPrivate(relative) || isPrivate(path.relative(realRoot, real))) throw fail("is inside .git/, which can hold credentials; scripts cannot read it")
    if (!fs.statSync(real).isFile()) throw fail('is not a file')
    return real
  }

  const glob = (pattern: string): string[] => {
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..'))
      throw new WorkflowError('INVALID_CALL', `glob(): '${pattern}' must be relative to the working directory, without '..'`)
    const scan = picomatch.scan(pattern)
    if (!scan.isGlob) {
      const full = path.join(realRoot, pattern)
      return !isPrivate(pattern) && fs.existsSync(full) && fs.statSync(full).isFile() && isInside(realRoot, fs.realpathSync(full)) ? [toPosix(pattern)] : []
    }
    const matches = picomatch(pattern, { dot: pattern.split('/').some((part) => part.startsWith('.')) })
    const found: string[] = []
    walk(realRoot, scan.base, pattern.split('/'), (file) => {
      if (!matches(file) || isPrivate(file)) return
      if (found.length >= maxGlob) throw new WorkflowError('INVALID_CALL', `glob(): '${pattern}' matches more than ${maxGlob} files; narrow the pattern`)
      found.push(file)
    })
    return found.sort()
  }

  return {
    readFile(relative) {
      const real = locate('readFile()', relative)
      const size = fs.statSync(real).size
      if (size > maxRead) throw new WorkflowError('INVALID_CALL', `readFile(): '${relative}' is ${size} bytes; the limit is ${maxRead}`)
      const bytes = fs.readFileSync(real)
      if (bytes.includes(0)) throw new WorkflowError('INVALID_CALL', `readFile(): '${relative}' is a binary file; only text files can be read`)
      return bytes.toString('utf8')
    },
    glob,
    hashFiles(patterns) {
      const out: Record<string, string> = {}
      for (const pattern of patterns) {
        const files = picomatch.scan(pattern).isGlob ? glob(pattern) : [toPosix(path.normalize(pattern))]
        for (const file of files) {
          const real = locate('files', file)
          const size = fs.statSync(real).size
          if (size > maxHash) throw new WorkflowError('INVALID_CALL', `files: '${file}' is ${size} bytes; the limit is ${maxHash}`)
          out[file] = createHash('sha256').update(fs.readFileSync(real)).digest('hex')
        }
      }
      return out
    },
  }
}

/**
 * Calls `visit` with the posix path (relative to root) of every file under `base`. Skipped
 * directories are walked only when a part of the pattern names them.
 */
function walk(root: string, base: string, patternParts: string[], visit: (file: string) => void): void {
  const start = path.join(root, base)
  if (!fs.existsSync(start) || !fs.statSync(start).isDirectory()) return
  // The base itself may be a link: it must lead inside the root too.
  const realStart = fs.realpathSync(start)
  if (realStart !== root && !isInside(root, realStart)) return
  const stack = [base]
  while (stack.length > 0) {
    const dir = stack.pop()!
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (PRIVATE_DIRS.has(entry.name)) continue
        if (!SKIPPED_DIRS.has(entry.name) || patternParts.includes(entry.name)) stack.push(relative)
      } else if (entry.isFile()) visit(toPosix(relative))
      else if (entry.isSymbolicLink()) {
        // Links to files inside the root count; links out, and links to directories, do not.
        try {
          const real = fs.realpathSync(path.join(root, relative))
          if (isInside(root, real) && fs.statSync(real).isFile()) visit(toPosix(relative))
        } catch {
          // a dangling link
        }
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
