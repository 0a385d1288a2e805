import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Everything under `dir`, without following links: each path with what it is (a folder, a
 * file and the sha256 of its bytes, a link and its target, a pipe...). Two equal fingerprints
 * mean nothing was written, created, removed or replaced there.
 */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (at: string) => {
    const stats = fs.lstatSync(at)
    const name = path.relative(dir, at) || '.'
    if (stats.isSymbolicLink()) out[name] = `link -> ${fs.readlinkSync(at)}`
    else if (stats.isDirectory()) {
      out[name] = 'folder'
      for (const entry of fs.readdirSync(at)) visit(path.join(at, entry))
    } else if (stats.isFile()) out[name] = `file ${createHash('sha256').update(fs.readFileSync(at)).digest('hex')}`
    else out[name] = stats.isFIFO() ? 'fifo' : 'other'
  }
  if (fs.existsSync(dir)) visit(dir)
  return out
}

/** Makes a named pipe (FIFO) at `file`; Node has no API for it. */
export function mkfifo(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  execFileSync('mkfifo', [file])
}
