/**
 * The commit the job checked out, read from the checkout's `.git` files (never by running git
 * in it): HEAD is a commit id (actions/checkout of a pull request) or a branch whose id is in
 * refs/ or packed-refs. undefined when the folder is not a git checkout.
 */
import fs from 'node:fs'
import path from 'node:path'

const ID = /^[0-9a-f]{40}$/

export function checkedOutCommit(cwd: string): string | undefined {
  const gitDir = findGitDir(cwd)
  if (!gitDir) return undefined
  const head = read(path.join(gitDir, 'HEAD'))?.trim()
  if (!head) return undefined
  if (ID.test(head)) return head
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1]
  if (!ref || ref.split('/').includes('..')) return undefined
  const loose = read(path.join(gitDir, ...ref.split('/')))?.trim()
  if (loose && ID.test(loose)) return loose
  for (const line of (read(path.join(gitDir, 'packed-refs')) ?? '').split('\n')) {
    const [id, name] = line.split(' ')
    if (name === ref && id && ID.test(id)) return id
  }
  return undefined
}

function findGitDir(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git')
    if (fs.lstatSync(candidate, { throwIfNoEntry: false })?.isDirectory()) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
