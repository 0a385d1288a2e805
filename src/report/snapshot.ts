import type { DeclaredEffects } from '../core/effects.js'
import type { ErrorInfo } from '../core/errors.js'
import type { AgentCall, MissReason, RunStatus } from '../core/events.js'
import { type Usage } from '../core/usage.js'

export type AgentState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'replayed' | 'failed' | 'stopped'
export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'stopped'

export interface AgentView extends AgentCall {
  state: AgentState
  /** Live: what the call cost. Replayed: what the original call cost, i.e. what replay saved. */
  usage: Usage
  attempts: number
  queuedAt: number
  startedAt?: number
  finishedAt?: number
  durationMs?: number
  miss?: MissReason
  error?: ErrorInfo
}

export interface PhaseView {
  title: string
  detail?: string
  model?: string
  state: PhaseState
  startedAt?: number
}

export interface Totals {
  /**
   * Calls by how they ended. `live` counts every call that ran live, failed or not; `failed`
   * is the part of `live` that failed; once the run is over, total = live + replayed (calls
   * a stop cut off leave the totals). While it runs, `running` and `queued` are in `total` too.
   */
  agents: { total: number; live: number; replayed: number; failed: number; running: number; queued: number }
  tokens: { input: number; output: number }
  /** Dollars spent by live calls whose price is known. */
  costUsd: number
  /** Live calls whose price is unknown (their cost is not in costUsd). */
  unpricedCalls: number
  saved: { tokens: number; costUsd: number }
  /** What reading the providers' prompt caches saved live calls (absent when nothing). */
  cacheSavedUsd?: number
}

export interface LogLine {
  at: number
  message: string
  line?: number
}

/** Everything a view needs to show a run. Produced only by `applyEvents`. */
export interface RunSnapshot {
  v: 1
  runId: string
  name: string
  description?: string
  script?: string
  status: RunStatus
  startedAt: number
  updatedAt: number
  finishedAt?: number
  provider: string
  concurrency: number
  maxAgents: number
  budget: { tokens?: number; costUsd?: number }
  phases: PhaseView[]
  currentPhase?: string
  agents: AgentView[]
  totals: Totals
  /** The most recent script log lines (all of them are in the run's log file). */
  logs: LogLine[]
  warnings: string[]
  /** What the run changed in the working folder, when it changed anything. */
  changes?: FileChanges
  /** What the script declared for the Action to do (report, review, labels), when it declared anything. */
  effects?: DeclaredEffects
  result?: unknown
  error?: ErrorInfo
}

/** The files a run changed: every path, sorted, and how many were added, modified and deleted. */
export interface FileChanges {
  files: string[]
  added: number
  modified: number
  deleted: number
}
