/**
 * Trees of a run as git trees in the private store: the run's working folder, and the
 * isolated copy each editing call works in. A tree's hash is the identity of what a call
 * could see (every file git would track there: `.gitignore`d files and the state folder
 * excluded), and the difference of two trees is the call's patch.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { GitStore } from './git.js'

/** One entry of a tree: a file (100644 or 100755), a link (120000) or a gitlink (160000). */
export interface TreeEntry {
  mode: string
  blob: string
}

/** A file that differs between two trees; `before` or `after` is missing when it is added or deleted. */
export interface FileDiff {
  path: string
  before?: TreeEntry
  after?: TreeEntry
}

const EMPTY_BLOB = '0000000000000000000000000000000000000000'

function addAll(excludesFile: string | undefined): string[] {
  return [...(excludesFile === undefined ? [] : ['-c', `core.excludesFile=${excludesFile}`]), 'add', '--all', '.']
}

/** Records `dir` in the store and returns its tree hash. `index` keeps stat data between calls, so a repeat is cheap. */
export async function snapshot(store: GitStore, dir: string, index: string, excludesFile?: string): Promise<string> {
  await store.run(addAll(excludesFile), { workTree: dir, index })
  return store.text(['write-tree'], { workTree: dir, index })
}

/** The same, synchronously: for the run's working folder, read between two steps of the script. */
export function snapshotSync(store: GitStore, dir: string, index: string): string {
  store.runSync(addAll(undefined), { workTree: dir, index })
  return store.textSync(['write-tree'], { workTree: dir, index })
}

/** Writes the files of `tree` into the empty folder `dir` (a copy: no .git, no worktree registered anywhere). */
export async function materialize(store: GitStore, tree: string, dir: string, index: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  await store.run(['read-tree', tree], { workTree: dir, index })
  await store.run(['checkout-index', '--all', '--force', `--prefix=${dir}${path.sep}`], { workTree: dir, index })
}

/** The files that differ between two trees, renames shown as a delete and an add. */
export function diffTrees(store: GitStore, from: string, to: string): FileDiff[] {
  const out = (store.runSync(['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', from, to])).stdout.toString('utf8')
  const fields = out.split('\0')
  const diffs: FileDiff[] = []
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldBlob, newBlob] = fields[i]!.slice(1).split(' ')
    const diff: FileDiff = { path: fields[i + 1]! }
    if (oldMode !== '000000') diff.before = { mode: oldMode!, blob: oldBlob! }
    if (newMode !== '000000' && newBlob !== EMPTY_BLOB) diff.after = { mode: newMode!, blob: newBlob! }
    diffs.push(diff)
  }
  return diffs
}

/** The entries of `tree` at the given paths (missing paths are left out). */
export function entriesAt(store: GitStore, tree: string, paths: string[]): Map<string, TreeEntry> {
  const found = new Map<string, TreeEntry>()
  if (paths.length === 0) return found
  for (const [file, entry] of listTree(store, tree, paths)) found.set(file, entry)
  return found
}

/** Every file of `tree` (or those at `paths`), as `git ls-tree -r` lists them. */
export function listTree(store: GitStore, tree: string, paths: string[] = []): Array<[string, TreeEntry]> {
  const out = store.runSync(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', tree, '--', ...paths]).stdout.toString('utf8')
  return out
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const tab = record.indexOf('\t')
      const [mode, , blob] = record.slice(0, tab).split(' ')
      return [record.slice(tab + 1), { mode: mode!, blob: blob! }]
    })
}

/** A patch as the journal keeps it: UTF-8 text, or base64 when its bytes are not UTF-8. */
export function patchForJournal(bytes: Buffer): { patch: string; encoding?: 'base64' } {
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) ? { patch: text } : { patch: bytes.toString('base64'), encoding: 'base64' }
}

export function patchBytes(edits: { patch: string; encoding?: 'base64' }): Buffer {
  return Buffer.from(edits.patch, edits.encoding === 'base64' ? 'base64' : 'utf8')
}

/** The patch from one tree to another, as `git diff` prints it (bytes): renames found, binary files included, full blob ids. */
export function patchBetween(store: GitStore, from: string, to: string): Buffer {
  return (store.runSync(['diff', '--binary', '--full-index', '--find-renames', '--no-color', '--no-ext-diff', '--no-textconv', from, to])).stdout
}

/** The tree that `patch` makes of `base`, or undefined when the patch does not apply to it. */
export function applyToTree(store: GitStore, base: string, patch: string | Buffer, index: string): string | undefined {
  store.runSync(['read-tree', base], { index })
  const applied = store.runSync(['apply', '--cached', '--binary', '--whitespace=nowarn', '-'], { index, input: patch, okCodes: [1, 128] })
  if (applied.code !== 0) return undefined
  return store.textSync(['write-tree'], { index })
}

/** The tree `tree` becomes with `steps` (files written or deleted), as git would record it. */
export function updateTree(store: GitStore, tree: string, steps: Array<{ path: string; write?: { mode: string; content: Buffer; blob?: string } }>, index: string): string {
  if (steps.length === 0) return tree
  store.runSync(['read-tree', tree], { index })
  const lines = steps.map((step) => {
    if (!step.write) return `0 ${EMPTY_BLOB}\t${step.path}`
    const blob = step.write.blob ?? store.textSync(['hash-object', '-w', '--stdin'], { input: step.write.content })
    return `${step.write.mode} ${blob}\t${step.path}`
  })
  store.runSync(['update-index', '-z', '--index-info'], { index, input: lines.join('\0') + '\0' })
  return store.textSync(['write-tree'], { index })
}

export function readBlob(store: GitStore, blob: string): Buffer {
  return store.runSync(['cat-file', 'blob', blob]).stdout
}
