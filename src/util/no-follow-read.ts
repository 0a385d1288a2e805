/**
 * Reading under a folder the runner owns, never through a link (the checks are in
 * no-follow-fs.ts). A leaf: imports nothing of src/ (util only).
 */
import fs from 'node:fs'
import { checkFolders, isPlainFile, openChecked } from './no-follow-fs.js'

const { O_RDONLY } = fs.constants

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

/** The entries of a folder (after checking it and the folders above); empty when it is missing. */
export function listFolder(root: string, dir: string): fs.Dirent[] {
  if (!checkFolders(root, dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true })
}
