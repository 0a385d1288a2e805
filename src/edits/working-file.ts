/**
 * One file of the working folder as a landing sees it: its bytes and mode, read without
 * following a link; null when it is not there. Anything that is not a plain file (a link, a
 * pipe, a folder, a link on the way) throws an UnsafePathError.
 */
import fs from 'node:fs'
import path from 'node:path'
import { checkFolders, openChecked } from '../util/no-follow-fs.js'

export function readWorkingFile(root: string, relative: string): { content: Buffer; mode: '100644' | '100755' } | null {
  const file = path.join(root, ...relative.split('/'))
  if (!checkFolders(root, path.dirname(file))) return null
  let fd: number
  try {
    fd = openChecked(file, fs.constants.O_RDONLY)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    return { content: fs.readFileSync(fd), mode: fs.fstatSync(fd).mode & 0o100 ? '100755' : '100644' }
  } finally {
    fs.closeSync(fd)
  }
}
