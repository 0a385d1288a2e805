import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { RunSnapshot } from '../engine/snapshot.js'
import { UsageError } from './exit.js'
import type { Invocation } from './invocation.js'
import { isAlive, readPidMarker, type PidMarker } from './pid-marker.js'

export const DEFAULT_STATE_DIR = '.dynamic-workflow'

/** The files of a run directory (DESIGN.md "Local state"). */
export type RunFile = 'run.json' | 'events.jsonl' | 'log.txt' | 'result.json' | 'invocation.json' | 'script.js' | 'pid' | 'worker.log'

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

/** `--state-dir`, else DWF_STATE_DIR, else .dynamic-workflow under the current directory. */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, flag ?? env.DWF_STATE_DIR ?? DEFAULT_STATE_DIR)
}

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
   * Makes sure a run can keep its state here: the runs and journal folders can be created and
   * the workflow's journal is a file (or absent). A clear usage error otherwise, before any
   * run starts, naming the path (a file where the state folder should be, a folder where the
   * journal should be, no permission).
   */
  prepare(name: string): void {
    for (const dir of [path.join(this.root, 'runs'), path.join(this.root, 'journal')]) {
      try {
        fs.mkdirSync(dir, { recursive: true })
        fs.accessSync(dir, fs.constants.W_OK)
      } catch (error) {
        throw new UsageError(`cannot keep run state in ${dir}: ${reason(error)} (set --state-dir or DWF_STATE_DIR to a writable folder)`)
      }
    }
    const journal = this.journalFile(name)
    if (fs.existsSync(journal) && !fs.statSync(journal).isFile()) throw new UsageError(`the journal ${journal} is not a file; move it away and run again`)
  }

  /** A new, time-sortable run id: 20261123-120455-a3f9. */
  newRunId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
    return `${stamp}-${randomBytes(2).toString('hex')}`
  }

  /** Run ids, newest first. */
  runIds(): string[] {
    try {
      return fs
        .readdirSync(path.join(this.root, 'runs'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
        .reverse()
    } catch {
      return []
    }
  }

  readJson<T>(runId: string, file: RunFile): T | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.runFile(runId, file), 'utf8')) as T
    } catch {
      return undefined
    }
  }

  info(runId: string): RunInfo {
    const snapshot = this.readJson<RunSnapshot>(runId, 'run.json')
    const marker = readPidMarker(this.runFile(runId, 'pid'))
    const alive = marker !== undefined && isAlive(marker)
    const status = snapshot?.status ?? 'running'
    return { runId, snapshot, invocation: this.readJson<Invocation>(runId, 'invocation.json'), marker, alive, shown: status === 'running' && !alive ? 'interrupted' : status }
  }

  /** The run, or a usage error that says how to find run ids. */
  require(runId: string | undefined): RunInfo {
    if (!runId) throw new UsageError('give a run id; `dwf list` shows them')
    if (!/^[\w.-]+$/.test(runId) || !fs.existsSync(this.runDir(runId))) throw new UsageError(`no run '${runId}' in ${this.root}; \`dwf list\` shows the runs`)
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
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'no permission to write there'
  return (error as Error).message
}
