import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { SETTINGS } from '../core/settings.js'
import type { RunSnapshot } from '../report/snapshot.js'
import { checkFolders, isPlainFile, lstatIfExists, UnsafePathError } from '../util/no-follow-fs.js'
import { listFolder, readBytesIfExists, readTextIfExists } from '../util/no-follow-read.js'
import { appendText, openForAppend, removeFile, removeTree, writeFileAtomically } from '../util/no-follow-write.js'
import { committedFiles } from './committed-state.js'
import { BadInputError } from './bad-input.js'
import type { Invocation } from './invocation.js'
import { formatPidMarker, isAlive, parsePidMarker, type PidMarker } from './pid-marker.js'


/** The files of a run directory (DESIGN.md "Local state"). */
export type RunFile = 'run.json' | 'events.jsonl' | 'log.txt' | 'result.json' | 'invocation.json' | 'script.js' | 'changes.patch' | 'pid' | 'worker.log'

/** What `list` and `status` show: `interrupted` is a run whose process died without finishing. */
export type ShownStatus = RunSnapshot['status'] | 'interrupted'

export interface RunInfo {
  runId: string
  snapshot?: RunSnapshot
  invocation?: Invocation
  marker?: PidMarker
  alive: boolean
  shown: ShownStatus
}

/** `--state-dir`, else DWF_STATE_DIR, else .dynamic-workflow under the current directory (the settings table's). */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, flag ?? env[SETTINGS.stateDir.env] ?? SETTINGS.stateDir.default)
}

/**
 * The state folder: every read and write of it goes through here and src/util/no-follow-*.ts,
 * so no link, FIFO or hard link in it (committed by a repository, left by a cache entry) ever
 * sends a read or a write elsewhere: each is refused with an UnsafePathError naming the path.
 */
export class StateDir {
  constructor(readonly root: string) {}

  journalFile(name: string): string {
    return path.join(this.root, 'journal', `${name}.jsonl`)
  }

  runDir(runId: string): string {
    return path.join(this.root, 'runs', runId)
  }

  runFile(runId: string, file: RunFile): string {
    return path.join(this.runDir(runId), file)
  }

  /**
   * Makes sure a run can keep its state here: the root, runs and journal folders are real
   * folders (created when missing) and the workflow's journal is a regular file (or absent).
   * A clear usage error otherwise, before any run starts, naming the path.
   */
  prepare(name: string): void {
    this.refuseCommitted()
    for (const dir of [path.join(this.root, 'runs'), path.join(this.root, 'journal')]) {
      try {
        checkFolders(this.root, dir, { create: true })
        fs.accessSync(dir, fs.constants.W_OK)
      } catch (error) {
        // A link or a pipe is a refusal of its own; a plain file in the way or no permission is a setup mistake.
        if (error instanceof UnsafePathError && error.kind !== 'file') throw new BadInputError(error.message)
        throw new BadInputError(`cannot keep run state in ${dir}: ${reason(error)} (set --state-dir or DWF_STATE_DIR to a writable folder)`)
      }
    }
    const journal = this.journalFile(name)
    if (lstatIfExists(journal)?.isDirectory()) throw new BadInputError(`the journal ${journal} is not a file; move it away and run again`)
    try {
      isPlainFile(this.root, journal)
    } catch (error) {
      if (error instanceof UnsafePathError) throw new BadInputError(error.message)
      throw error
    }
  }

  /**
   * The runner trusts only state it wrote itself: a state folder holding files committed to
   * the repository (a journal of someone else's answers, a run whose invocation names a
   * program, a pid marker naming any process) is refused before it is used.
   */
  refuseCommitted(): void {
    const committed = committedFiles(this.root)
    if (committed.length === 0) return
    throw new BadInputError(
      `${committed[0]}${committed.length > 1 ? ` and ${committed.length - 1} more file${committed.length > 2 ? 's' : ''}` : ''} of the state folder ${committed.length > 1 ? 'are' : 'is'} committed to the repository; ` +
        `the runner uses only state it wrote itself (a committed journal would replay answers someone else chose): remove them from the repository (git rm -r --cached ${this.root}) and ignore the folder, or set --state-dir`,
    )
  }

  /** A new, time-sortable run id: 20261123-120455-a3f9. */
  newRunId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
    return `${stamp}-${randomBytes(2).toString('hex')}`
  }

  /**
   * Run ids, newest first. A link (or pipe...) among the run folders is refused rather than
   * skipped: it is not something the runner made, and the error names it.
   */
  runIds(): string[] {
    const ids: string[] = []
    for (const entry of listFolder(this.root, path.join(this.root, 'runs'))) {
      const at = path.join(this.root, 'runs', entry.name)
      if (entry.isDirectory()) ids.push(entry.name)
      else if (!entry.isFile()) checkFolders(this.root, at)
    }
    return ids.sort().reverse()
  }

  /** Creates the folder of a run (and the folders above it, checked). */
  createRunDir(runId: string): void {
    checkFolders(this.root, this.runDir(runId), { create: true })
  }

  /** Whether the run's folder exists (a real folder; a link there is refused). */
  hasRun(runId: string): boolean {
    return checkFolders(this.root, this.runDir(runId))
  }

  hasRunFile(runId: string, file: RunFile): boolean {
    return isPlainFile(this.root, this.runFile(runId, file))
  }

  readRunText(runId: string, file: RunFile): string | undefined {
    return readTextIfExists(this.root, this.runFile(runId, file))
  }

  /** The bytes of a run file from `offset` on (for `logs -f`); undefined when it is missing. */
  readRunBytes(runId: string, file: RunFile, offset: number): Buffer | undefined {
    return readBytesIfExists(this.root, this.runFile(runId, file), offset)
  }

  readJson<T>(runId: string, file: RunFile): T | undefined {
    const text = this.readRunText(runId, file)
    if (text === undefined) return undefined
    try {
      return JSON.parse(text) as T
    } catch {
      return undefined
    }
  }

  /** Replaces a run file at once (readers never see half of it). */
  writeRunFile(runId: string, file: RunFile, text: string | Buffer): void {
    writeFileAtomically(this.root, this.runFile(runId, file), text)
  }

  appendRunFile(runId: string, file: RunFile, text: string): void {
    appendText(this.root, this.runFile(runId, file), text)
  }

  /** A descriptor open for appending to a run file (a background worker's output). */
  openRunFileForAppend(runId: string, file: RunFile): number {
    return openForAppend(this.root, this.runFile(runId, file))
  }

  writePidMarker(runId: string, pid: number): void {
    this.writeRunFile(runId, 'pid', formatPidMarker(pid))
  }

  removePidMarker(runId: string): void {
    removeFile(this.root, this.runFile(runId, 'pid'))
  }

  /** Removes a run's folder; refused, before anything is removed, when it holds a link or anything odd. */
  removeRun(runId: string): void {
    removeTree(this.root, this.runDir(runId))
  }

  info(runId: string): RunInfo {
    const snapshot = this.readJson<RunSnapshot>(runId, 'run.json')
    const marker = parsePidMarker(this.readRunText(runId, 'pid'))
    const alive = marker !== undefined && isAlive(marker)
    const status = snapshot?.status ?? 'running'
    return { runId, snapshot, invocation: this.readJson<Invocation>(runId, 'invocation.json'), marker, alive, shown: status === 'running' && !alive ? 'interrupted' : status }
  }

  /** The run, or a usage error that says how to find run ids. */
  require(runId: string | undefined): RunInfo {
    if (!runId) throw new BadInputError('give a run id; `dwf list` shows them')
    if (!/^[\w.-]+$/.test(runId) || runId === '.' || runId === '..' || !this.hasRun(runId)) throw new BadInputError(`no run '${runId}' in ${this.root}; \`dwf list\` shows the runs`)
    return this.info(runId)
  }

  /** Live runs of a workflow other than `runId` (they share its journal). */
  otherLiveRuns(name: string, runId: string): string[] {
    return this.runIds().filter((id) => {
      if (id === runId) return false
      const info = this.info(id)
      return info.alive && (info.snapshot?.name ?? info.invocation?.name) === name
    })
  }
}

/** "ENOTDIR: a file is in the way" rather than Node's full message with the syscall. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (error instanceof UnsafePathError || code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'no permission to write there'
  return (error as Error).message
}
