import type { Usage } from './usage.js'

/**
 * The journal port's data: one completed live call as the journal keeps it. The format
 * (parsing, checks, files) lives in src/journal/; the shape is here, because the engine, the
 * reports and the journal all speak it.
 */

/** The identity components whose hashes are recorded, in the order a "why missed" report lists them. */
export const IDENTITY_COMPONENTS = ['prompt', 'system', 'provider', 'model', 'schema', 'agentType', 'tools', 'cacheKey', 'files', 'edits', 'tree', 'context'] as const
export type IdentityComponent = (typeof IDENTITY_COMPONENTS)[number]

/** Short hashes of each component, kept in journal entries so a later miss can be explained. */
export type ComponentHashes = Partial<Record<IdentityComponent, string>>

/** Version of the entry format; lines of another version are skipped and counted. */
export const ENTRY_VERSION = 1

/** One completed live agent call, as written to the journal. Failed calls are never journaled. */
export interface JournalEntry {
  v: typeof ENTRY_VERSION
  /** `hash#ordinal` */
  key: string
  hash: string
  /** Short hashes of each identity component, to explain a later miss. */
  components: ComponentHashes
  result: unknown
  usage: Usage
  provider: string
  model: string
  label?: string
  phase?: string
  /** Line of the call in the script that made it (explains later misses). */
  line?: number
  durationMs: number
  finishedAt: string
  runId: string
  /** An editing call's changes: replayed by landing them again, never by running the agent. */
  edits?: EntryEdits
}

/** A file an editing call changed, as the reports list it. */
export interface ChangedFile {
  path: string
  change: 'added' | 'modified' | 'deleted'
}

export interface EntryEdits {
  /** `git diff --binary` from the tree the call started from to the tree it left. */
  patch: string
  /** 'base64' when the patch's bytes are not UTF-8 text (a text file in another encoding). */
  encoding?: 'base64'
  files: ChangedFile[]
}
