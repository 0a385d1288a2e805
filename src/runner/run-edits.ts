/**
 * The edits of a run, wired to its folders: the working folder is the run's cwd, the private
 * object store and the landing intent live in the state folder, and each editing call's copy
 * goes under the system's temporary folder (never inside the working folder).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChangedFile } from '../core/journal-entry.js'
import { RunEdits } from '../edits/run-edits.js'
import { processExists } from './pid-marker.js'
import type { StateDir } from './state-dir.js'

/** The `changes` of `--json`: every path the run changed, sorted, and how many of each kind. */
export interface RunChanges {
  files: string[]
  added: number
  modified: number
  deleted: number
}

const TREES_PREFIX = 'dwf-trees-'
let trees: string | undefined

/**
 * Where the copies of this process's editing calls go: a folder of unpredictable name in the
 * system's temporary folder, made on the first live editing call (a run that edits nothing
 * touches the temporary folder not at all). Copies a killed process left are removed then.
 */
function treesFolder(): string {
  if (trees === undefined) {
    removeLeftTrees()
    trees = fs.mkdtempSync(path.join(os.tmpdir(), `${TREES_PREFIX}${process.pid}-`))
  }
  return trees
}

/** Removes this process's copies (each call removes its own; this catches what a failure left). */
export function removeTreesFolder(): void {
  if (trees !== undefined) fs.rmSync(trees, { recursive: true, force: true })
  trees = undefined
}

export function createRunEdits(cwd: string, state: StateDir, runId: string, workflow: string): RunEdits {
  const stateRoot = state.root
  const shown = path.relative(cwd, stateRoot).split(path.sep).join('/').toLowerCase()
  const inside = shown !== '' && !shown.startsWith('..') && !path.isAbsolute(shown)
  return new RunEdits({
    root: cwd,
    storeDir: path.join(stateRoot, 'trees.git'),
    treesDir: treesFolder,
    runDir: state.runDir(runId),
    stateRoot,
    workflow,
    hidden: (relative) => {
      const lower = relative.toLowerCase()
      return inside && (lower === shown || lower.startsWith(`${shown}/`)) ? "is inside the runner's state folder" : undefined
    },
  })
}

/** The run's changes as --json shows them, or undefined when it changed nothing. */
export function summarizeChanges(files: ChangedFile[]): RunChanges | undefined {
  if (files.length === 0) return undefined
  const count = (change: ChangedFile['change']) => files.filter((f) => f.change === change).length
  return { files: files.map((f) => f.path), added: count('added'), modified: count('modified'), deleted: count('deleted') }
}

/** Copies left by this user's processes that no longer run (a kill -9 cannot clean up after itself). */
function removeLeftTrees(): void {
  const parent = os.tmpdir()
  let names: string[]
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(TREES_PREFIX))
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(name.slice(TREES_PREFIX.length).split('-')[0])
    if (!Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid || processExists(pid)) continue
    const folder = path.join(parent, name)
    try {
      const stats = fs.lstatSync(folder)
      if (stats.isDirectory() && stats.uid === process.getuid?.()) fs.rmSync(folder, { recursive: true, force: true })
    } catch {
      // another user's, or gone already: not ours to clean
    }
  }
}
