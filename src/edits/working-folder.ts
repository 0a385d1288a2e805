/**
 * The run's working folder as trees: where the run started, and where it is now. Changes land
 * on disk atomically (apply.ts) and are recorded in the lineage at once; the tree of "now" is
 * computed only when something needs it (a call's identity, a copy, the run's changes), so
 * landing a hundred patches in a row costs no git process each.
 */
import type { ChangedFile } from '../core/journal-entry.js'
import { applyLanding, finishLanding, type PathGuard } from './apply.js'
import type { GitStore } from './git.js'
import { LineageFile } from './lineage.js'
import { TreeIndex } from './tree-index.js'
import type { LandingStep } from './merge.js'
import { blobId } from './blob-id.js'
import { diffTrees, entriesAt as entriesMap, patchBetween, readBlob, snapshotSync, type FileDiff, type TreeEntry } from './trees.js'
import path from 'node:path'

export interface WorkingFolderOptions {
  root: string
  storeDir: string
  stateRoot: string
  workflow: string
  hidden: PathGuard
}

export class WorkingFolder {
  readonly #store: GitStore
  readonly #options: WorkingFolderOptions
  readonly #lineage: LineageFile
  #start: string | undefined
  #current: string | undefined
  /** Landed on disk, not yet in #current. */
  #pending: LandingStep[] = []
  /** The files of #current, kept to compute the next tree here (loaded on the first change). */
  #files: TreeIndex | undefined
  /** Whether the lineage file describes this run yet. */
  #recording = false
  /** What resume() took back: the folder's tree then, and the paths. */
  #takenBack: { tree: string; paths: string[] } | undefined

  constructor(store: GitStore, options: WorkingFolderOptions) {
    this.#store = store
    this.#options = options
    this.#lineage = new LineageFile(options.stateRoot, options.storeDir, options.workflow)
    // A landing the last run was killed in the middle of is carried out (or undone) first.
    finishLanding(options.root, options.stateRoot, this.#intentFile, options.hidden)
  }

  /** One per state folder (not per run), so the next run finds what a killed one left. */
  get #intentFile(): string {
    return path.join(this.#options.storeDir, 'landing.json')
  }

  get #index(): string {
    return path.join(this.#options.storeDir, `folder-${process.pid}.index`)
  }

  /** The index files this process made in the store. */
  indexFiles(): string[] {
    return [this.#index]
  }

  /** Whether the folder has been read (a run that never edits never runs git). */
  get started(): boolean {
    return this.#current !== undefined
  }

  /** The folder's tree now, as the script has seen it. */
  tree(): string {
    if (this.#current === undefined) {
      this.#current = snapshotSync(this.#store, this.#options.root, this.#index)
      this.#start = this.#current
    }
    if (this.#pending.length > 0) {
      this.#files ??= TreeIndex.load(this.#store, this.#current)
      for (const step of this.#pending) {
        // The store writes them when git next runs (see GitStore.writeObject).
        if (step.write) this.#store.writeBlob(step.write.content)
        this.#files.set(step.path, step.write ? { mode: step.write.mode, blob: step.write.blob! } : null)
      }
      this.#current = this.#files.id()
      this.#pending = []
    }
    return this.#current
  }

  /** Lands `steps` on disk, all or none, and records them in the lineage before the first file moves. */
  apply(steps: LandingStep[]): void {
    if (steps.length === 0) return
    if (!this.#recording) {
      this.#lineage.reset(this.#start ?? this.tree(), this.tree())
      this.#recording = true
    }
    for (const step of steps) if (step.write) step.write.blob = blobId(step.write.content)
    const entries = steps.map((step) => ({ path: step.path, entry: step.write ? { mode: step.write.mode, blob: step.write.blob! } : null }))
    applyLanding(this.#options.root, steps, this.#intentFile, this.#options.stateRoot, this.#options.hidden, () => this.#lineage.append(entries))
    this.#pending.push(...steps)
  }

  /**
   * When the folder is exactly as the last run of this workflow left it, continues that run:
   * its changes are taken back and the run starts from the tree it started from. Returns how
   * many files were taken back (0 without a lineage, or when the folder changed since).
   */
  resume(): number {
    const lineage = this.#lineage.read()
    if (!lineage) return 0
    const now = this.tree()
    // Hashed here: the blobs of the last changes may not be stored (a kill before its tree was
    // computed), but then the folder holds them, and reading it above stored them.
    const expected = lineage.changes.length === 0 ? lineage.disk : this.#treeWith(lineage.disk, lineage.changes)
    if (expected !== now || lineage.start === now) return 0
    const back = diffTrees(this.#store, now, lineage.start).map((d) => ({ ...toStep({ path: d.path, entry: d.after ?? null }, this.#store), expect: d.before?.blob ?? null }))
    this.#start = lineage.start
    this.#recording = true
    this.#lineage.reset(lineage.start, now)
    this.apply(back)
    this.#takenBack = { tree: now, paths: back.map((step) => step.path) }
    return back.length
  }

  /**
   * Files the continued run had changed that this run left as they were before it: its script
   * or args changed, and those changes were not made again. (They are still in the last run's
   * changes.patch.)
   */
  notMadeAgain(): string[] {
    if (!this.#takenBack) return []
    const now = this.tree()
    const before = entriesMap(this.#store, this.#takenBack.tree, this.#takenBack.paths)
    const after = entriesMap(this.#store, now, this.#takenBack.paths)
    return this.#takenBack.paths.filter((file) => before.get(file)?.blob !== after.get(file)?.blob || before.get(file)?.mode !== after.get(file)?.mode)
  }

  /** The file's entry in the folder's tree now (undefined: not there). */
  entry(file: string): TreeEntry | undefined {
    this.tree()
    this.#files ??= TreeIndex.load(this.#store, this.#current!)
    return this.#files.get(file)
  }

  #treeWith(tree: string, changes: Array<{ path: string; entry: { mode: string; blob: string } | null }>): string {
    const files = TreeIndex.load(this.#store, tree)
    for (const change of changes) files.set(change.path, change.entry)
    return files.id()
  }

  /** What the run changed, and the patch of it; undefined when nothing. */
  changes(): { files: ChangedFile[]; patch: Buffer } | undefined {
    if (!this.started) return undefined
    const now = this.tree()
    if (now === this.#start) return undefined
    return { files: changedFiles(diffTrees(this.#store, this.#start!, now)), patch: patchBetween(this.#store, this.#start!, now) }
  }
}

/** A tree entry as a landing step, its content read from the store. */
function toStep(change: { path: string; entry: { mode: string; blob: string } | null }, store: GitStore): LandingStep {
  if (!change.entry) return { path: change.path }
  return { path: change.path, write: { mode: change.entry.mode, blob: change.entry.blob, content: readBlob(store, change.entry.blob) } }
}

export function changedFiles(diffs: FileDiff[]): ChangedFile[] {
  return diffs
    .map((d): ChangedFile => ({ path: d.path, change: d.before === undefined ? 'added' : d.after === undefined ? 'deleted' : 'modified' }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
