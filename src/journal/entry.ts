import { MAX_JSON_DEPTH, tooDeep } from '../util/json-depth.js'
import { isRecord } from '../util/objects.js'
import { ENTRY_VERSION, type JournalEntry } from '../core/journal-entry.js'

const KEY = /^([0-9a-f]{64})#(0|[1-9][0-9]*)$/

export type ParsedLine =
  | { ok: true; entry: JournalEntry }
  | { ok: false; reason: 'invalid' | 'foreign-version'; detail: string }

/** Parses and checks one JSONL line; never throws. */
export function parseEntryLine(line: string): ParsedLine {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { ok: false, reason: 'invalid', detail: 'not JSON' }
  }
  if (!isRecord(value)) return { ok: false, reason: 'invalid', detail: 'not an object' }
  // Replay hands the result to the sandbox and compaction writes the line again, both recursively: a line
  // nested deeper than any answer the runner accepts (its result sits one level down) is not ours.
  if (tooDeep(value, MAX_JSON_DEPTH + 1)) return { ok: false, reason: 'invalid', detail: `nested more than ${MAX_JSON_DEPTH} levels deep` }
  if (value.v !== ENTRY_VERSION) return { ok: false, reason: 'foreign-version', detail: `version ${JSON.stringify(value.v)}` }
  const problem = entryProblem(value)
  if (problem) return { ok: false, reason: 'invalid', detail: problem }
  return { ok: true, entry: value as unknown as JournalEntry }
}

/** The first thing wrong with a would-be entry, or undefined when it is a valid entry. */
export function entryProblem(value: Record<string, unknown>): string | undefined {
  const key = typeof value.key === 'string' ? KEY.exec(value.key) : null
  if (!key) return 'bad key'
  if (value.hash !== key[1]) return 'hash does not match key'
  if (!('result' in value)) return 'no result'
  const usage = value.usage
  if (!isRecord(usage) || !isCount(usage.inputTokens) || !isCount(usage.outputTokens)) return 'bad usage'
  if (usage.costUsd !== null && !(typeof usage.costUsd === 'number' && usage.costUsd >= 0)) return 'bad usage cost'
  if (usage.cacheSavedUsd !== undefined && !(typeof usage.cacheSavedUsd === 'number' && usage.cacheSavedUsd >= 0 && Number.isFinite(usage.cacheSavedUsd))) return 'bad usage cache saving'
  if (typeof value.provider !== 'string' || typeof value.model !== 'string') return 'bad provider or model'
  if (!isRecord(value.components)) return 'bad components'
  if (typeof value.finishedAt !== 'string' || typeof value.runId !== 'string') return 'bad finishedAt or runId'
  if (typeof value.durationMs !== 'number') return 'bad durationMs'
  return undefined
}

/** The line written for an entry (no trailing newline). */
export function formatEntryLine(entry: JournalEntry): string {
  return JSON.stringify(entry)
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
}
