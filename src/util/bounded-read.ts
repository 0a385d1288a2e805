import fs from 'node:fs'
import { formatBytes } from './bytes.js'

/**
 * Reading a file that came with the checkout (a script, args, a config) whole,
 * without letting its size decide how much memory the runner takes: the size is checked on
 * the open file before a byte is read, and only regular files are read (a FIFO would block,
 * /dev/zero would never end).
 */

/** A file larger than the caller's limit; the message names the file, its size and the limit. */
export class FileTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`${file} is ${formatBytes(bytes)}, more than the ${formatBytes(limit)} allowed`)
    this.name = 'FileTooLargeError'
  }
}

/** Something other than a regular file (a folder, a FIFO, a device) where a file is read. */
export class NotAFileError extends Error {
  constructor(readonly file: string) {
    super(`${file} is not a regular file`)
    this.name = 'NotAFileError'
  }
}

/** The UTF-8 text of `file`, which must be a regular file of at most `maxBytes`. Errors of opening (ENOENT...) pass through. */
export function readTextFileAtMost(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  try {
    checkSize(file, fs.fstatSync(fd), maxBytes)
    return fs.readFileSync(fd, 'utf8')
  } finally {
    fs.closeSync(fd)
  }
}

function checkSize(file: string, stats: fs.Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new NotAFileError(file)
  if (stats.size > maxBytes) throw new FileTooLargeError(file, stats.size, maxBytes)
}
