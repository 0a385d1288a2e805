import { type RunEvent, type RunOutcome } from '../core/events.js'
import { type RunSnapshot } from '../report/snapshot.js'
import { formatEventLine } from '../report/terminal.js'
import type { StateDir } from './state-dir.js'
import { applyEvents, emptySnapshot } from '../report/snapshot-reduce.js'

const FLUSH_MS = 250

/**
 * Keeps a run's directory true while it runs: events.jsonl (every event), log.txt (one
 * readable line per event), run.json (the snapshot, replaced atomically; readers never see half of it) and, at the end,
 * result.json. Events are reduced and written in batches, so a 10,000-call replay is not
 * slowed by 10,000 file writes; the journal, not these files, is what must be durable.
 */
export class RunRecorder {
  #snapshot: RunSnapshot = emptySnapshot()
  #pending: RunEvent[] = []
  #eventLines: string[] = []
  #logLines: string[] = []
  #timer: NodeJS.Timeout | undefined
  readonly #state: StateDir
  readonly #runId: string

  constructor(state: StateDir, runId: string) {
    this.#state = state
    this.#runId = runId
  }

  record(event: RunEvent): void {
    this.#pending.push(event)
    this.#eventLines.push(JSON.stringify(event))
    // The first snapshot is written at once, so `status` and `list` know the run from its start.
    if (event.type === 'run_started') this.flush()
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref()
  }

  /** The snapshot with every recorded event applied. */
  snapshot(): RunSnapshot {
    if (this.#pending.length) {
      const events = this.#pending
      this.#pending = []
      // Log lines are formatted against the snapshot of their own batch, as events arrive.
      const before = this.#snapshot
      this.#snapshot = applyEvents(before, events)
      for (const event of events) {
        const line = formatEventLine(event, this.#snapshot, { color: false })
        if (line !== undefined) this.#logLines.push(`${new Date(event.at).toISOString()} ${line}`)
      }
    }
    return this.#snapshot
  }

  /** Writes everything recorded so far. */
  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const snapshot = this.snapshot()
    this.#append('events.jsonl', this.#eventLines)
    this.#append('log.txt', this.#logLines)
    this.#eventLines = []
    this.#logLines = []
    this.#state.writeRunFile(this.#runId, 'run.json', JSON.stringify(snapshot) + '\n')
  }

  /** The last write of a run: its snapshot and result.json. */
  finish(outcome: RunOutcome): RunSnapshot {
    this.flush()
    this.#state.writeRunFile(
      this.#runId,
      'result.json',
      JSON.stringify({ status: outcome.status, result: outcome.result ?? null, ...(outcome.error ? { error: outcome.error } : {}) }, null, 2) + '\n',
    )
    return this.#snapshot
  }

  #append(file: 'events.jsonl' | 'log.txt', lines: string[]): void {
    if (lines.length) this.#state.appendRunFile(this.#runId, file, lines.join('\n') + '\n')
  }

  /** For an exit that cannot wait (a second Ctrl-C): mark the run stopped, synchronously. */
  abandon(at: number): void {
    this.record({ type: 'run_finished', at, status: 'stopped', error: { code: 'STOPPED', message: 'the run was stopped (forced)' } })
    this.flush()
  }
}

