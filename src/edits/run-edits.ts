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
import { checkLandingPath, type PathGuard } from './apply.js'
import { planFast } from './fast-apply.js'
import { GitStore } from './git.js'
import { LandingOrder } from './landing-order.js'
import { planLanding, type LandingStep } from './merge.js'
import { parsePatch } from './patch-parse.js'
import { applyToTree, diffTrees, entriesAt, materialize, patchBetween, patchBytes, patchForJournal, snapshot } from './trees.js'
import { changedFiles, WorkingFolder } from './working-folder.js'

export interface RunEditsOptions {
  /** The working folder the script reads and the calls change. */
  root: string
  /** The private object store (a bare repository the runner owns, reused across runs). */
  storeDir: string
  /** Where the calls' own copies go: outside `root`, removed when each call ends. Asked on the first live editing call only. */
  treesDir: () => string
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
  readonly #folder: WorkingFolder
  readonly #order = new LandingOrder()
  /** Who last changed each path in this run, to name both sides of a conflict. */
  readonly #changedBy = new Map<string, string>()

  constructor(options: RunEditsOptions) {
    this.#options = options
    const state = path.relative(options.root, options.stateRoot)
    const inside = state !== '' && !state.startsWith('..') && !path.isAbsolute(state)
    this.#store = new GitStore(options.storeDir, inside ? [`/${state.split(path.sep).join('/')}/`] : [])
    this.#folder = new WorkingFolder(this.#store, options)
  }

  begin(): EditBase {
    return { tree: this.#folder.tree(), ticket: this.#order.issue() }
  }

  async isolate(base: EditBase): Promise<IsolatedTree> {
    const dir = path.join(this.#options.treesDir(), String(base.ticket))
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
        return { ...patchForJournal(patchBetween(store, base.tree, after)), files: changedFiles(diffTrees(store, base.tree, after)) }
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
    const now = this.#folder.entry(relative)
    this.#apply([{ path: relative, write: { mode: now?.mode === '100755' ? '100755' : '100644', content: Buffer.from(text, 'utf8') }, expect: now?.blob ?? null }], 'the script (writeFile)')
  }

  /** applyPatch(): applies a unified diff (as `git diff` or `diff -u` print it) to the working folder, all or nothing. */
  applyPatch(diff: string): ChangedFile[] {
    if (Buffer.byteLength(diff, 'utf8') > MAX_WRITE_BYTES) throw new WorkflowError('INVALID_CALL', `applyPatch(): the patch is over ${MAX_WRITE_BYTES} bytes`)
    const current = this.#folder.tree()
    const after = applyToTree(this.#store, current, diff, this.#scratchIndex)
    if (after === undefined) throw new WorkflowError('EDIT_FAILED', 'applyPatch(): the patch does not apply to the working folder (its context lines or files differ); nothing was changed')
    const diffs = diffTrees(this.#store, current, after)
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, current, diffs.map((d) => d.path)))
    if ('conflict' in plan) throw new WorkflowError('EDIT_FAILED', `applyPatch(): ${plan.conflict.path}: ${plan.conflict.why}`)
    this.#apply(plan.steps, 'the script (applyPatch)')
    return changedFiles(diffs)
  }

  /** What the run changed in the working folder, and the patch of it; undefined when it never changed anything. */
  changes(): { files: ChangedFile[]; patch: Buffer } | undefined {
    return this.#folder.changes()
  }

  /**
   * Called before the script runs: when the folder is exactly as the last run of this workflow
   * left it, that run is continued (its changes are taken back, and land again as its calls
   * replay). Returns how many files were taken back.
   */
  resume(): number {
    const back = this.#folder.resume()
    this.#changedBy.clear()
    return back
  }

  /** Files the continued run had changed that this run did not change again (see WorkingFolder.notMadeAgain). */
  notMadeAgain(): string[] {
    return this.#folder.notMadeAgain()
  }

  /** Removes this process's index files from the store (the store itself is kept for the next run). */
  close(): void {
    for (const file of [this.#scratchIndex, ...this.#folder.indexFiles()]) fs.rmSync(file, { force: true })
  }

  get #scratchIndex(): string {
    return path.join(this.#options.storeDir, `scratch-${process.pid}.index`)
  }

  #apply(steps: LandingStep[], by: string): void {
    this.#folder.apply(steps)
    for (const step of steps) this.#changedBy.set(step.path, by)
  }

  #landNow(base: EditBase, edits: EntryEdits, call: EditingCall): void {
    if (edits.patch === '') return // the agent changed nothing
    const who = `agent ${describeCall(call)}`
    // The usual case: the folder still holds what the call started from, file by file.
    const bytes = patchBytes(edits)
    const files = parsePatch(bytes.toString('latin1'))
    const fast = files && planFast(this.#options.root, files)
    if (fast) return this.#apply(fast, who)
    const theirs = applyToTree(this.#store, base.tree, bytes, this.#scratchIndex)
    if (theirs === undefined) throw new WorkflowError('CONFLICT', 'its journaled changes do not apply to the tree it started from', { line: call.line })
    const diffs = diffTrees(this.#store, base.tree, theirs)
    const current = this.#folder.tree()
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, current, diffs.map((d) => d.path)))
    if ('conflict' in plan) {
      const kept = this.#keepConflict(base.ticket, bytes)
      const other = this.#changedBy.get(plan.conflict.path) ?? 'a change made before this run'
      throw new WorkflowError('CONFLICT', `conflicts with ${other} in ${plan.conflict.path}: ${plan.conflict.why}; none of this call's changes were applied (its patch is kept in ${kept})`, { line: call.line })
    }
    this.#apply(plan.steps, who)
  }

  #keepConflict(ticket: number, patch: Buffer): string {
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

function describeCall(call: EditingCall): string {
  return `'${call.label}'${call.line !== undefined ? ` (line ${call.line})` : ''}`
}
