/**
 * Creating, appending to, replacing and removing files under a folder the runner owns, never
 * through a link (the checks are in no-follow-fs.ts). A leaf: imports nothing of src/ (util only).
 */
import { randomBytes } from 'node:crypto'
import fs, { promises as fsp } from 'node:fs'
import path from 'node:path'
import { checkFolders, checkTree, lstatIfExists, NO_FOLLOW, openChecked, refusal, requirePlainFile } from './no-follow-fs.js'

const { O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND } = fs.constants

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

/** Removes a folder and everything in it, refusing (before removing anything) if it holds anything odd. */
export function removeTree(root: string, dir: string): void {
  checkTree(root, dir)
  fs.rmSync(dir, { recursive: true, force: true })
}
