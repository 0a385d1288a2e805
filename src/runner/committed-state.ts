import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { lstatIfExists } from '../util/no-follow-fs.js'

/**
 * Files of a state folder that are committed to the git repository it sits in. Such files
 * came with the checkout, not from this runner: a committed journal would replay answers
 * someone else chose, a committed run's invocation.json names the program `resume` starts,
 * and its pid marker the process `stop` signals. Empty when the folder is missing, is not in
 * a repository, or git is not installed.
 */
export function committedFiles(root: string): string[] {
  if (!lstatIfExists(root)?.isDirectory()) return []
  const listed = spawnSync('git', ['ls-files', '-z', '--', '.'], { cwd: root, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] })
  if (listed.error || listed.status !== 0) return []
  return listed.stdout
    .split('\0')
    .filter(Boolean)
    .map((file) => path.join(root, file))
}
