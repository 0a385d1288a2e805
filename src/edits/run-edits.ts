/**
 * The edits of one run: the EditsPort the engine uses for editing calls, and the script's own
 * writeFile()/applyPatch(). Everything that changes the working folder happens synchronously,
 * between two steps of the script, so the tree a call starts from is exactly the folder as the
 * script has seen it (see core/ports.ts).
 *
 * A run that continues an earlier one (`resume()`: the folder is exactly as the last run of
 * the workflow left it) first takes that run's changes back, atomically, and starts from the
 * tree it started from (its lineage): each call then sees what it saw the first time, keeps its
 * identity and replays, its journaled changes landing again. readFile() and glob() read the
 * folder, so they too see what they saw the first time.
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
import { applyToTree, diffTrees, entriesAt, materialize, patchBetween, readBlob, snapshot, snapshotSync, updateTree, type FileDiff } from './trees.js'
import { readLineage, writeLineage } from './lineage.js'
import type { LandingStep } from './merge.js'

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
  /** The workflow's name: a run resumes the lineage of the last run of the same workflow. */
  workflow: string
  /** Why a path of the working folder may not be changed (the state folder is hidden). */
  hidden: PathGuard
}

/** Largest file writeFile() takes, and largest patch applyPatch() takes. */
export const MAX_WRITE_BYTES = 16 * 1024 * 1024

export class RunEdits implements EditsPort {
  readonly #options: RunEditsOptions
  readonly #store: GitStore
  readonly #order = new LandingOrder()
  /** Set on first use (a run that never edits never runs git): where the run started, what the script has seen, what is on disk. */
  #trees: { start: string; seen: string; disk: string } | undefined
  /** Who last changed each path in this run, to name both sides of a conflict. */
  readonly #changedBy = new Map<string, string>()

  constructor(options: RunEditsOptions) {
    this.#options = options
    const state = path.relative(options.root, options.stateRoot)
    const inside = state !== '' && !state.startsWith('..') && !path.isAbsolute(state)
    this.#store = new GitStore(options.storeDir, inside ? [`/${state.split(path.sep).join('/')}/`] : [])
    // A landing the last run was killed in the middle of is carried out (or undone) first.
    finishLanding(options.root, options.stateRoot, this.#intentFile, options.hidden)
  }

  /** One per state folder (not per run), so the next run finds what a killed one left. */
  get #intentFile(): string {
    return path.join(this.#options.storeDir, 'landing.json')
  }

  begin(): EditBase {
    return { tree: this.#started().seen, ticket: this.#order.issue() }
  }

  async isolate(base: EditBase): Promise<IsolatedTree> {
    const dir = path.join(this.#options.treesDir, String(base.ticket))
    const index = `${dir}.index`
    const excludes = `${dir}.exclude`
    fs.rmSync(dir, { recursive: true, force: true })
    await materialize(this.#store, base.tree, dir, index)
    const linked = linkDependencies(this.#options.root, dir, (name) => entriesAt(this.#store, base.tree, [name]).size === 0)
    fs.writeFileSync(excludes, linked.map((name) => `/${name}\n`).join(''))
    const store = this.#store
    return {
      dir,
      async capture() {
        const after = await snapshot(store, dir, index, excludes)
        return { patch: patchBetween(store, base.tree, after), files: changedFiles(diffTrees(store, base.tree, after)) }
      },
      async remove() {
        // fs.rm removes the links to dependency folders, never what they point to.
        await fs.promises.rm(dir, { recursive: true, force: true })
        await fs.promises.rm(index, { force: true })
        await fs.promises.rm(excludes, { force: true })
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
    const trees = this.#started()
    const mode = entriesAt(this.#store, trees.seen, [relative]).get(relative)?.mode === '100755' ? '100755' : '100644'
    this.#apply([{ path: relative, write: { mode, content: Buffer.from(text, 'utf8') } }], 'the script (writeFile)')
  }

  /** applyPatch(): applies a unified diff (as `git diff` or `diff -u` print it) to the working folder, all or nothing. */
  applyPatch(diff: string): ChangedFile[] {
    if (Buffer.byteLength(diff, 'utf8') > MAX_WRITE_BYTES) throw new WorkflowError('INVALID_CALL', `applyPatch(): the patch is over ${MAX_WRITE_BYTES} bytes`)
    const seen = this.#started().seen
    const after = applyToTree(this.#store, seen, diff, this.#scratchIndex)
    if (after === undefined) throw new WorkflowError('EDIT_FAILED', 'applyPatch(): the patch does not apply to the working folder (its context lines or files differ); nothing was changed')
    const diffs = diffTrees(this.#store, seen, after)
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, seen, diffs.map((d) => d.path)))
    if ('conflict' in plan) throw new WorkflowError('EDIT_FAILED', `applyPatch(): ${plan.conflict.path}: ${plan.conflict.why}`)
    this.#apply(plan.steps, 'the script (applyPatch)')
    return changedFiles(diffs)
  }

  /** What the run changed in the working folder, and the patch of it; undefined when it never changed anything. */
  changes(): { files: ChangedFile[]; patch: string } | undefined {
    const trees = this.#trees
    if (trees === undefined || trees.disk === trees.start) return undefined
    return { files: changedFiles(diffTrees(this.#store, trees.start, trees.disk)), patch: patchBetween(this.#store, trees.start, trees.disk) }
  }

  get #scratchIndex(): string {
    return path.join(this.#options.storeDir, `scratch-${process.pid}.index`)
  }

  /**
   * Called before the script runs. When the folder is exactly as the last run of this workflow
   * left it, that run is continued: its changes are taken back (they land again as its calls
   * replay). Without a lineage it does nothing, so a run that never edits never runs git.
   * Returns how many files it took back.
   */
  resume(): number {
    const lineage = readLineage(this.#options.stateRoot, this.#options.storeDir, this.#options.workflow)
    if (!lineage) return 0
    const trees = this.#started()
    if (lineage.disk !== trees.disk || lineage.start === trees.disk) return 0
    const back = diffTrees(this.#store, trees.disk, lineage.start).map((d) => ({ path: d.path, write: d.after && { mode: d.after.mode, content: readBlob(this.#store, d.after.blob), blob: d.after.blob } }))
    trees.start = lineage.start
    this.#apply(back, 'the last run')
    this.#changedBy.clear()
    return back.length
  }

  /** The trees, read once from the folder: where the run started, what the script has seen, what is on disk. */
  #started(): { start: string; seen: string; disk: string } {
    if (this.#trees) return this.#trees
    const disk = snapshotSync(this.#store, this.#options.root, path.join(this.#options.storeDir, `work-${process.pid}.index`))
    this.#trees = { start: disk, seen: disk, disk }
    return this.#trees
  }

  /** Makes `steps` what the script sees and what is on disk (atomically), and records the lineage. */
  #apply(steps: LandingStep[], by: string): void {
    if (steps.length === 0) return
    const trees = this.#started()
    const index = this.#scratchIndex
    const seen = updateTree(this.#store, trees.seen, steps, index)
    // Files already as they should be (a resumed run's earlier landings) are left alone.
    const onDisk = entriesAt(this.#store, trees.disk, steps.map((s) => s.path))
    const target = entriesAt(this.#store, seen, steps.map((s) => s.path))
    const needed = steps.filter((step) => !sameEntry(onDisk.get(step.path), target.get(step.path)))
    const disk = updateTree(this.#store, trees.disk, needed, index)
    // The lineage names the new disk tree once the landing is sure to complete (now, or by the next run).
    const record = () => writeLineage(this.#options.stateRoot, this.#options.storeDir, this.#options.workflow, { start: trees.start, disk })
    if (needed.length > 0) applyLanding(this.#options.root, needed, this.#intentFile, this.#options.stateRoot, this.#options.hidden, record)
    else record()
    trees.disk = disk
    trees.seen = seen
    for (const step of steps) this.#changedBy.set(step.path, by)
  }

  #landNow(base: EditBase, edits: EntryEdits, call: EditingCall): void {
    if (edits.patch === '') return // the agent changed nothing
    const theirs = applyToTree(this.#store, base.tree, edits.patch, this.#scratchIndex)
    if (theirs === undefined) throw new WorkflowError('CONFLICT', 'its journaled changes do not apply to the tree it started from', { line: call.line })
    const diffs = diffTrees(this.#store, base.tree, theirs)
    const seen = this.#started().seen
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, seen, diffs.map((d) => d.path)))
    if ('conflict' in plan) {
      const kept = this.#keepConflict(base.ticket, edits.patch)
      const other = this.#changedBy.get(plan.conflict.path) ?? 'a change made before this run'
      throw new WorkflowError('CONFLICT', `conflicts with ${other} in ${plan.conflict.path}: ${plan.conflict.why}; none of this call's changes were applied (its patch is kept in ${kept})`, { line: call.line })
    }
    this.#apply(plan.steps, `agent ${describeCall(call)}`)
  }

  #keepConflict(ticket: number, patch: string): string {
    const dir = path.join(this.#options.runDir, 'conflicts')
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `${ticket}.patch`)
    fs.writeFileSync(file, patch)
    return path.relative(this.#options.stateRoot, file) || file
  }
}

/**
 * Installed dependencies are not part of any tree (they are ignored), yet an agent that runs
 * the tests needs them: each copy gets links to the working folder's dependency folders. Only
 * these well-known names: linking build outputs would let parallel agents write into the
 * user's folder. Returns the names linked.
 */
const DEPENDENCY_FOLDERS = ['node_modules', '.venv', 'venv']

function linkDependencies(root: string, dir: string, untracked: (name: string) => boolean): string[] {
  return DEPENDENCY_FOLDERS.filter((name) => {
    const source = path.join(root, name)
    if (!fs.lstatSync(source, { throwIfNoEntry: false })?.isDirectory() || fs.existsSync(path.join(dir, name)) || !untracked(name)) return false
    fs.symlinkSync(source, path.join(dir, name), 'dir')
    return true
  })
}

function sameEntry(a: { mode: string; blob: string } | undefined, b: { mode: string; blob: string } | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && a.mode === b.mode && a.blob === b.blob
}

function describeCall(call: EditingCall): string {
  return `'${call.label}'${call.line !== undefined ? ` (line ${call.line})` : ''}`
}

function changedFiles(diffs: FileDiff[]): ChangedFile[] {
  return diffs
    .map((d): ChangedFile => ({ path: d.path, change: d.before === undefined ? 'added' : d.after === undefined ? 'deleted' : 'modified' }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
