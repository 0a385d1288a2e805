/**
 * The baseline replay policy of the resume-waste benchmark: a journal keyed by call position,
 * as pi-dynamic-workflows keeps it (entry `{index, hash}`, index counted when `agent()` is
 * called). Modelled as favourably as it honestly can be: call i replays when the call recorded
 * at i had the same identity hash. pi adds the "longest unchanged prefix" rule: once one call
 * misses, it cannot know how later positions line up, so it runs every later call live.
 * `perIndex` drops that rule (each position is judged alone), the most generous reading.
 */
export interface PositionKeyedJournal {
  /** Identity hash of each successfully completed call, by call index (holes: not journaled). */
  readonly recorded: ReadonlyArray<string | undefined>
}

export type PositionRule = 'prefix' | 'perIndex'

/** Replays a run's call sequence (hashes in call order) against the journal: what runs live. */
export function replayByPosition(journal: PositionKeyedJournal, calls: readonly string[], rule: PositionRule): { live: number; replayed: number } {
  let live = 0
  let missed = false
  for (const [index, hash] of calls.entries()) {
    const hit = journal.recorded[index] === hash && !(rule === 'prefix' && missed)
    if (hit) continue
    missed = true
    live++
  }
  return { live, replayed: calls.length - live }
}

/** The journal a run leaves under this policy: each call that succeeded, at its index. */
export function recordByPosition(calls: readonly string[], succeeded: (index: number) => boolean): PositionKeyedJournal {
  return { recorded: calls.map((hash, index) => (succeeded(index) ? hash : undefined)) }
}
