/**
 * File access that never follows a link, for every read and write under a folder the runner
 * owns (its state folder, a restored cache entry, a downloaded artifact). That folder can be
 * hostile: a checkout, a cache entry or a PR can put a symbolic link, a hard link or a named
 * pipe where the runner expects its own file, to make it write (or read, then upload) a file
 * somewhere else, or hang.
 *
 * Every function takes `root`, the folder it confines to, and an absolute path inside it.
 * Each path component from `root` down is checked with lstat (folders must be real folders,
 * files regular files with a single name), files are opened with O_NOFOLLOW and O_NONBLOCK
 * and checked again with fstat, folders are created one component at a time, and files are
 * replaced through a temporary file of unpredictable name created with O_EXCL. Anything else
 * is refused with an UnsafePathError naming the path. The folders above `root` are the
 * user's business.
 *
 * This file holds the checks; no-follow-read.ts and no-follow-write.ts read and write with them.
 * A leaf: imports nothing of src/ (util only).
 */
import fs from 'node:fs'
import path from 'node:path'

/** What stands where the runner expected a real folder or a regular file. */
export type UnsafeKind = 'symbolic link' | 'named pipe' | 'socket' | 'device' | 'folder' | 'file' | 'hard link' | 'unknown'

const MESSAGES: Record<UnsafeKind, string> = {
  'symbolic link': 'is a symbolic link; the runner never follows links in its state folder',
  'named pipe': 'is a named pipe (FIFO), not a regular file; the runner opens only regular files in its state folder',
  socket: 'is a socket, not a regular file; the runner opens only regular files in its state folder',
  device: 'is a device, not a regular file; the runner opens only regular files in its state folder',
  folder: 'is a folder where the runner keeps a file',
  file: 'is a file where the runner keeps a folder',
  'hard link': 'has more than one name (a hard link); the runner reads and writes only files with a single name in its state folder, since another name can be a file anywhere',
  unknown: 'is not a regular file or folder',
}

/** A refusal: one clear sentence naming the path and what is wrong with it. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly kind: UnsafeKind,
  ) {
    super(`${path} ${MESSAGES[kind]}: remove it and run again`)
    this.name = 'UnsafePathError'
  }
}

/** open() flags that refuse a link at the last component and never block on a FIFO. */
export const NO_FOLLOW = (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0)

/** What a stat result is, when it is not what was expected. */
function kindOf(stats: fs.Stats): UnsafeKind {
  if (stats.isSymbolicLink()) return 'symbolic link'
  if (stats.isFIFO()) return 'named pipe'
  if (stats.isSocket()) return 'socket'
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'device'
  if (stats.isDirectory()) return 'folder'
  if (stats.isFile()) return stats.nlink > 1 ? 'hard link' : 'file'
  return 'unknown'
}

/** A regular file with a single name: the only kind of file the runner opens. */
function isPlain(stats: fs.Stats): boolean {
  return stats.isFile() && stats.nlink === 1
}

function requireFolder(at: string, stats: fs.Stats): void {
  if (!stats.isDirectory()) throw new UnsafePathError(at, kindOf(stats))
}

export function requirePlainFile(at: string, stats: fs.Stats): void {
  if (!isPlain(stats)) throw new UnsafePathError(at, kindOf(stats))
}

/** lstat, or undefined when nothing is there. */
export function lstatIfExists(at: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(at)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** `root`, then every path from it down to `target` (which must be inside it). */
function chain(root: string, target: string): string[] {
  const relative = path.relative(root, target)
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${target} is not inside ${root}`)
  const out = [root]
  for (const part of relative.split(path.sep).filter(Boolean)) out.push(path.join(out[out.length - 1]!, part))
  return out
}

/**
 * Checks that `dir` and every folder from `root` down to it are real folders. With `create`,
 * missing ones are made one at a time (and checked again after, as another process may have
 * won the race); without, returns false when one is missing.
 */
export function checkFolders(root: string, dir: string, options: { create?: boolean } = {}): boolean {
  for (const at of chain(root, dir)) {
    let stats = lstatIfExists(at)
    if (!stats) {
      if (!options.create) return false
      // Folders above the root are the user's to make; the root and below are checked.
      if (at === root) fs.mkdirSync(path.dirname(root), { recursive: true })
      try {
        fs.mkdirSync(at)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      stats = fs.lstatSync(at)
    }
    requireFolder(at, stats)
  }
  return true
}

/**
 * Whether `file` is there as a regular file with one name, its folders real folders; false
 * when it (or a folder on the way) is missing; an UnsafePathError for anything else.
 */
export function isPlainFile(root: string, file: string): boolean {
  if (!checkFolders(root, path.dirname(file))) return false
  const stats = lstatIfExists(file)
  if (!stats) return false
  requirePlainFile(file, stats)
  return true
}

/** Turns an open error that means "not a regular file" into a refusal. */
export function refusal(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ELOOP' || code === 'EMLINK') return new UnsafePathError(file, 'symbolic link')
  if (code === 'ENXIO') return new UnsafePathError(file, 'named pipe')
  if (code === 'EISDIR') return new UnsafePathError(file, 'folder')
  return error
}

/** Opens a file without following a link, then makes sure it is a regular file with one name. */
export function openChecked(file: string, flags: number): number {
  let fd: number
  try {
    fd = fs.openSync(file, flags | NO_FOLLOW, 0o644)
  } catch (error) {
    throw refusal(error, file)
  }
  try {
    requirePlainFile(file, fs.fstatSync(fd))
  } catch (error) {
    fs.closeSync(fd)
    throw error
  }
  return fd
}

/** Checks everything under `dir`: real folders and regular files with one name only. */
export function checkTree(root: string, dir: string): void {
  if (!checkFolders(root, dir)) return
  const stack = [dir]
  while (stack.length > 0) {
    const at = stack.pop()!
    for (const name of fs.readdirSync(at)) {
      const entry = path.join(at, name)
      const stats = fs.lstatSync(entry)
      if (stats.isDirectory()) stack.push(entry)
      else requirePlainFile(entry, stats)
    }
  }
}
