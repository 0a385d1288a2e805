import { sha256 } from '../../src/util/canonical-json.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'

/** A valid journal entry keyed `sha256(seed)#ordinal`, answering `{ answer: seed }`; `overrides` replace members. */
export function journalEntry(seed: string, overrides: Partial<JournalEntry> = {}, ordinal = 0): JournalEntry {
  const hash = sha256(seed)
  return {
    v: 1,
    key: `${hash}#${ordinal}`,
    hash,
    components: {},
    result: { answer: seed },
    usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 },
    provider: 'mock',
    model: 'mock',
    durationMs: 1,
    finishedAt: '2024-01-01T00:00:00.000Z',
    runId: 'r',
    ...overrides,
  }
}
