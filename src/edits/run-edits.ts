/**
 * The edits of one run: the EditsPort the engine uses for editing calls, and the script's own
 * writeFile()/applyPatch(). Everything that reads or changes the working folder happens
 * synchronously, between two steps of the script, so the tree a call starts from is exactly
 * the folder as the script has seen it (see core/ports.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { WorkflowError } from '../core/errors.js'
import type { ChangedFile, EntryEdits } from '../core/journal-entry.js'
import type { EditBase, EditingCall, EditsPort, IsolatedTree } from '../core/ports.js'
import { applyLanding, checkLandingPath, finishLanding, type PathGuard } from './apply.js'
import { GitStore } from './git.js'
import { LandingOrder } from './landing-order.js'
import { planLanding } from './merge.js'
import { applyToTree, diffTrees, entriesAt, materialize, patchBetween, snapshot, snapshotSync, type FileDiff } from './trees.js'

export interface RunEditsOptions {
  /** The working folder the script reads and the calls change. */
  root: string
  /** The private object store (a bare repository the runner owns, reused across runs). */
  storeDir: string
  /** Where the calls' own copies go: outside `root`, removed when each call ends. */
  treesDir: string
  /** The run's folder: conflicting patches are kept here. */
  runDir: string
  /** The state folder `runDir` is in, for checks that never follow a link. */
  stateRoot: string
  /** Why a path of the working folder may not be changed (the state folder is hidden). */
  hidden: PathGuard
}

/** Largest file writeFile() takes, and largest patch applyPatch() takes. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024

export class RunEdits implements EditsPort {
  readonly #options: RunEditsOptions
  readonly #store: GitStore
  readonly #order = new LandingOrder()
  /** The folder's tree as of the last change the runner knows of; undefined once it changes. */
  #tree: string | undefined
  #startTree: string | undefined
  /** Who last changed each path in this run, to name both sides of a conflict. */
  readonly #changedBy = new Map<string, string>()

  constructor(options: RunEditsOptions) {
    this.#options = options
    const state = path.relative(options.root, options.stateRoot)
    const inside = state !== '' && !state.startsWith('..') && !path.isAbsolute(state)
    this.#store = new GitStore(options.storeDir, inside ? [`/${state.split(path.sep).join('/')}/`] : [])
    fs.mkdirSync(options.storeDir, { recursive: true })
    // A landing the last run was killed in the middle of is carried out (or undone) first.
    finishLanding(options.root, options.stateRoot, this.#intentFile, options.hidden)
  }

  /** One per state folder (not per run), so the next run finds what a killed one left. */
  get #intentFile(): string {
    return path.join(this.#options.storeDir, 'landing.json')
  }

  begin(): EditBase {
    return { tree: this.#currentTree(), ticket: this.#order.issue() }
  }

  async isolate(base: EditBase): Promise<IsolatedTree> {
    const dir = path.join(this.#options.treesDir, String(base.ticket))
    const index = `${dir}.index`
    fs.rmSync(dir, { recursive: true, force: true })
    await materialize(this.#store, base.tree, dir, index)
    const store = this.#store
    return {
      dir,
      async capture() {
        const after = await snapshot(store, dir, index)
        return { patch: patchBetween(store, base.tree, after), files: changedFiles(diffTrees(store, base.tree, after)) }
      },
      async remove() {
        await fs.promises.rm(dir, { recursive: true, force: true })
        await fs.promises.rm(index, { force: true })
      },
    }
  }

  async land(base: EditBase, edits: EntryEdits, call: EditingCall): Promise<void> {
    await this.#order.turn(base.ticket)
    try {
      this.#landNow(base, edits, call)
    } finally {
      this.#order.finish(base.ticket)
    }
  }

  drop(base: EditBase): void {
    this.#order.finish(base.ticket)
  }

  /** writeFile(): replaces one file of the working folder. */
  writeFile(relative: string, text: string): void {
    checkLandingPath(relative, this.#options.hidden)
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes > MAX_WRITE_BYTES) throw new WorkflowError('INVALID_CALL', `writeFile(): '${relative}' would be ${bytes} bytes; the limit is ${MAX_WRITE_BYTES}`)
    this.#beforeChange()
    applyLanding(this.#options.root, [{ path: relative, write: { mode: this.#modeOf(relative), content: Buffer.from(text, 'utf8') } }], this.#intentFile, this.#options.stateRoot, this.#options.hidden)
    this.#changed([relative], 'the script (writeFile)')
  }

  /** applyPatch(): applies a unified diff (as `git diff` or `diff -u` print it) to the working folder, all or nothing. */
  applyPatch(diff: string): ChangedFile[] {
    if (Buffer.byteLength(diff, 'utf8') > MAX_WRITE_BYTES) throw new WorkflowError('INVALID_CALL', `applyPatch(): the patch is over ${MAX_WRITE_BYTES} bytes`)
    this.#beforeChange()
    const base = this.#currentTree()
    const after = applyToTree(this.#store, base, diff, this.#scratchIndex)
    if (after === undefined) throw new WorkflowError('EDIT_FAILED', 'applyPatch(): the patch does not apply to the working folder (its context lines or files differ); nothing was changed')
    const diffs = diffTrees(this.#store, base, after)
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, base, diffs.map((d) => d.path)))
    if ('conflict' in plan) throw new WorkflowError('EDIT_FAILED', `applyPatch(): ${plan.conflict.path}: ${plan.conflict.why}`)
    applyLanding(this.#options.root, plan.steps, this.#intentFile, this.#options.stateRoot, this.#options.hidden)
    this.#changed(diffs.map((d) => d.path), 'the script (applyPatch)')
    return changedFiles(diffs)
  }

  /** What the run changed in the working folder so far, and the patch of it; undefined when nothing could have changed. */
  changes(): { files: ChangedFile[]; patch: string } | undefined {
    if (this.#startTree === undefined) return undefined
    const now = this.#currentTree()
    return { files: changedFiles(diffTrees(this.#store, this.#startTree, now)), patch: patchBetween(this.#store, this.#startTree, now) }
  }

  get #scratchIndex(): string {
    return path.join(this.#options.storeDir, `scratch-${process.pid}.index`)
  }

  #currentTree(): string {
    this.#tree ??= snapshotSync(this.#store, this.#options.root, path.join(this.#options.storeDir, 'work.index'))
    this.#startTree ??= this.#tree
    return this.#tree
  }

  /** The start is recorded before the first change, so the run's changes can be told apart from what was there. */
  #beforeChange(): void {
    this.#currentTree()
  }

  #changed(paths: string[], by: string): void {
    this.#tree = undefined
    for (const changed of paths) this.#changedBy.set(changed, by)
  }

  #modeOf(relative: string): string {
    try {
      return fs.lstatSync(path.join(this.#options.root, relative)).mode & 0o100 ? '100755' : '100644'
    } catch {
      return '100644'
    }
  }

  #landNow(base: EditBase, edits: EntryEdits, call: EditingCall): void {
    const who = describeCall(call)
    const theirs = applyToTree(this.#store, base.tree, edits.patch, this.#scratchIndex)
    if (theirs === undefined) throw new WorkflowError('CONFLICT', `agent ${who}: its journaled changes do not apply to the tree it started from`, { line: call.line })
    const diffs = diffTrees(this.#store, base.tree, theirs)
    if (diffs.length === 0) return
    this.#beforeChange()
    const current = this.#currentTree()
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, current, diffs.map((d) => d.path)))
    if ('conflict' in plan) {
      const kept = this.#keepConflict(base.ticket, edits.patch)
      const other = this.#changedBy.get(plan.conflict.path) ?? 'a change made before this run'
      throw new WorkflowError(
        'CONFLICT',
        `agent ${who} and ${other} both changed ${plan.conflict.path} (${plan.conflict.why}); nothing of ${who} was applied, its patch is kept in ${kept}`,
        { line: call.line },
      )
    }
    applyLanding(this.#options.root, plan.steps, this.#intentFile, this.#options.stateRoot, this.#options.hidden)
    this.#changed(diffs.map((d) => d.path), `agent ${who}`)
  }

  #keepConflict(ticket: number, patch: string): string {
    const dir = path.join(this.#options.runDir, 'conflicts')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `${ticket}.patch`)
    fs.writeFileSync(file, patch)
    return path.relative(this.#options.stateRoot, file) || file
  }
}

function describeCall(call: EditingCall): string {
  return `'${call.label}'${call.line !== undefined ? ` (line ${call.line})` : ''}`
}

function changedFiles(diffs: FileDiff[]): ChangedFile[] {
  return diffs
    .map((d): ChangedFile => ({ path: d.path, change: d.before === undefined ? 'added' : d.after === undefined ? 'deleted' : 'modified' }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
