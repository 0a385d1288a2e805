/**
 * How a call's changes land on a working folder that moved on since the call started: file
 * by file, a three-way merge of what the call saw (`before`), what it made (`after`) and what
 * is there now. Untouched files take the call's version; files already equal to it are left
 * alone (so a resumed run re-lands nothing twice); text changed on both sides merges when the
 * changes touch different lines. Anything else is a conflict, and nothing of the call lands.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { GitStore } from './git.js'
import { readBlob, type FileDiff, type TreeEntry } from './trees.js'

/** One file to write (mode, bytes, and its blob id when known) or, without `write`, to delete. */
export interface LandingStep {
  path: string
  write?: { mode: string; content: Buffer; blob?: string }
  /**
   * The blob id the file has now as far as the run knows (null: it is not there). When the
   * folder says otherwise, something else changed it during the run, and nothing is overwritten.
   */
  expect?: string | null
}

export type LandingPlan = { steps: LandingStep[] } | { conflict: { path: string; why: string } }

const TEXT_MODES = new Set(['100644', '100755'])

function same(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && a.mode === b.mode && a.blob === b.blob
}

/** Plans every file of `diffs` onto `current` (the folder's entries at those paths). */
export function planLanding(store: GitStore, diffs: FileDiff[], current: Map<string, TreeEntry>): LandingPlan {
  const steps: LandingStep[] = []
  for (const diff of diffs) {
    const now = current.get(diff.path)
    if (same(now, diff.after)) continue
    if (same(now, diff.before)) {
      steps.push({ ...stepTo(store, diff.path, diff.after), expect: now?.blob ?? null })
      continue
    }
    const merged = mergeText(store, diff, now)
    if (typeof merged === 'string') return { conflict: { path: diff.path, why: merged } }
    steps.push({ ...merged, expect: now?.blob ?? null })
  }
  return { steps }
}

function stepTo(store: GitStore, file: string, entry: TreeEntry | undefined): LandingStep {
  return entry === undefined ? { path: file } : { path: file, write: { mode: entry.mode, content: readBlob(store, entry.blob), blob: entry.blob } }
}

/** The merged file, or why it cannot merge. */
function mergeText(store: GitStore, diff: FileDiff, now: TreeEntry | undefined): LandingStep | string {
  const { before, after } = diff
  if (now === undefined || before === undefined || after === undefined) return 'one side deletes or adds the file while the other changes it'
  if (![now, before, after].every((e) => TEXT_MODES.has(e.mode))) return 'a link or submodule changed on both sides'
  const mode = now.mode === before.mode ? after.mode : after.mode === before.mode ? now.mode : undefined
  if (mode === undefined) return 'the file mode changed on both sides'
  const texts = [now, before, after].map((e) => readBlob(store, e.blob))
  if (texts.some(isBinary)) return 'a binary file changed on both sides'
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-merge-'))
  try {
    const files = ['current', 'base', 'theirs'].map((name, i) => {
      const file = path.join(dir, name)
      fs.writeFileSync(file, texts[i]!)
      return file
    })
    const result = store.runSync(['merge-file', '--stdout', '--quiet', ...files], { okCodes: range(1, 127) })
    if (result.code !== 0) return 'both changed the same lines'
    return { path: diff.path, write: { mode, content: result.stdout } }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Git's own test: a NUL byte in the first 8000 bytes. */
function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0)
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}
