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
 * A leaf: imports nothing of src/.
 */
import { randomBytes } from 'node:crypto'
import fs, { promises as fsp } from 'node:fs'
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

const NO_FOLLOW = (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0)
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND } = fs.constants

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

function requirePlainFile(at: string, stats: fs.Stats): void {
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
function refusal(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ELOOP' || code === 'EMLINK') return new UnsafePathError(file, 'symbolic link')
  if (code === 'ENXIO') return new UnsafePathError(file, 'named pipe')
  if (code === 'EISDIR') return new UnsafePathError(file, 'folder')
  return error
}

/** Opens a file without following a link, then makes sure it is a regular file with one name. */
function openChecked(file: string, flags: number): number {
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

/** The bytes of `file` from `offset` on; undefined when it is missing. */
export function readBytesIfExists(root: string, file: string, offset = 0): Buffer | undefined {
  if (!isPlainFile(root, file)) return undefined
  let fd: number
  try {
    fd = openChecked(file, O_RDONLY)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const size = fs.fstatSync(fd).size
    const buffer = Buffer.alloc(Math.max(0, size - offset))
    let read = 0
    while (read < buffer.length) {
      const n = fs.readSync(fd, buffer, read, buffer.length - read, offset + read)
      if (n === 0) break
      read += n
    }
    return buffer.subarray(0, read)
  } finally {
    fs.closeSync(fd)
  }
}

/** The text of `file`; undefined when it is missing. */
export function readTextIfExists(root: string, file: string): string | undefined {
  return readBytesIfExists(root, file)?.toString('utf8')
}

/** A file's flags for appending: created when missing, never followed, never a FIFO. */
function appendFlags(read: boolean): number {
  return (read ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND
}

/** Opens `file` for appending (its folders created as needed); returns the descriptor. */
export function openForAppend(root: string, file: string): number {
  checkFolders(root, path.dirname(file), { create: true })
  const stats = lstatIfExists(file)
  if (stats) requirePlainFile(file, stats)
  return openChecked(file, appendFlags(false))
}

/** The same as openForAppend, as a FileHandle that can also read (for the journal). */
export async function openHandleForAppend(root: string, file: string): Promise<fsp.FileHandle> {
  checkFolders(root, path.dirname(file), { create: true })
  const stats = lstatIfExists(file)
  if (stats) requirePlainFile(file, stats)
  let handle: fsp.FileHandle
  try {
    handle = await fsp.open(file, appendFlags(true) | NO_FOLLOW, 0o644)
  } catch (error) {
    throw refusal(error, file)
  }
  try {
    requirePlainFile(file, await handle.stat())
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}

/** Appends text to `file`, creating it (and its folders) when missing. */
export function appendText(root: string, file: string, text: string): void {
  const fd = openForAppend(root, file)
  try {
    writeAll(fd, Buffer.from(text, 'utf8'))
  } finally {
    fs.closeSync(fd)
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset)
}

/**
 * Replaces `file` at once, so readers never see half of it: writes a temporary file of
 * unpredictable name next to it (O_EXCL: never an existing file or link), optionally fsyncs
 * it, then renames it over `file`. Whatever is at `file` is checked first, and again just
 * before the rename: a link there is refused, not silently replaced.
 */
export function writeFileAtomically(root: string, file: string, content: string | Buffer, options: { durable?: boolean } = {}): void {
  const dir = path.dirname(file)
  checkFolders(root, dir, { create: true })
  const checkTarget = () => {
    const stats = lstatIfExists(file)
    if (stats) requirePlainFile(file, stats)
  }
  checkTarget()
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`)
  const fd = openChecked(temporary, O_WRONLY | O_CREAT | O_EXCL)
  try {
    try {
      writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content)
      if (options.durable) fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    checkFolders(root, dir)
    checkTarget()
    fs.renameSync(temporary, file)
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    throw error
  }
}

/** Removes `file` (a missing one is fine); its folders are checked first, so it is this one. */
export function removeFile(root: string, file: string): void {
  if (!checkFolders(root, path.dirname(file))) return
  try {
    fs.unlinkSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** The entries of a folder (after checking it and the folders above); empty when it is missing. */
export function listFolder(root: string, dir: string): fs.Dirent[] {
  if (!checkFolders(root, dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true })
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

/** Removes a folder and everything in it, refusing (before removing anything) if it holds anything odd. */
export function removeTree(root: string, dir: string): void {
  checkTree(root, dir)
  fs.rmSync(dir, { recursive: true, force: true })
}
