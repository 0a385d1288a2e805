import type { ErrorInfo } from './errors.js'
import type { DeclaredEffect } from './effects.js'
import type { PhaseMeta } from './ports.js'
import type { IdentityComponent } from './journal-entry.js'
import type { Usage } from './usage.js'

/** Why a call ran live instead of replaying. */
export type MissReason =
  | { kind: 'new' }
  | { kind: 'replay-disabled' }
  /** A journaled call with the same label differs in these identity components. */
  | { kind: 'changed'; components: IdentityComponent[]; label?: string }

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped'

/**
 * The one event stream of a run. Every view (terminal, PR comment, job summary, `status`)
 * is a function of the snapshot reduced from these events, so views never disagree.
 * `at` is milliseconds since the epoch, stamped by the engine's clock.
 */
export type RunEvent =
  | {
      type: 'run_started'
      at: number
      runId: string
      name: string
      description?: string
      /** The script as the user named it, for "file:line" in messages. */
      script?: string
      phases: PhaseMeta[]
      provider: string
      concurrency: number
      maxAgents: number
      budget: { tokens?: number; costUsd?: number }
    }
  | { type: 'phase_started'; at: number; title: string }
  | { type: 'log'; at: number; message: string; line?: number }
  | { type: 'warning'; at: number; message: string }
  | ({ type: 'agent_queued'; at: number } & AgentCall)
  /** Answered from the journal: `usage` and `durationMs` are what the original call cost. */
  | { type: 'agent_replayed'; at: number; id: number; usage: Usage; durationMs: number }
  | { type: 'agent_started'; at: number; id: number; miss: MissReason }
  | { type: 'agent_retrying'; at: number; id: number; attempt: number; error: ErrorInfo; delayMs: number }
  | { type: 'agent_succeeded'; at: number; id: number; usage: Usage; durationMs: number; model: string }
  | { type: 'agent_failed'; at: number; id: number; error: ErrorInfo; usage?: Usage }
  /** An effect the script declared (report, review, labels), for the Action to perform after the run. */
  | { type: 'effect'; at: number; effect: DeclaredEffect; line?: number }
  /** What the run changed in the working folder (editing calls, writeFile, applyPatch), once it ends. */
  | { type: 'files_changed'; at: number; files: string[]; added: number; modified: number; deleted: number }
  | { type: 'run_finished'; at: number; status: Exclude<RunStatus, 'running'>; result?: unknown; error?: ErrorInfo }

/** How a run ended: what runWorkflow returns. */
export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'stopped'
  result?: unknown
  error?: ErrorInfo
  /** Journal keys this run replayed or produced: what compaction must keep. */
  usedKeys: ReadonlySet<string>
}

/** An agent call as the run knows it from the moment it is queued: who answers it, where it was made. */
export interface AgentCall {
  /** 1-based, in the order the script made the calls. */
  id: number
  /** The journal key: `hash#ordinal`. */
  key: string
  label: string
  phase?: string
  provider: string
  model: string
  /** Line of the call in the script. */
  line?: number
}
