import fs from 'node:fs'
import path from 'node:path'
import { mergeEntries, writeJournalFile } from '../journal/compact.js'
import { JournalTooLargeError, MAX_JOURNAL_BYTES, readJournalFile } from '../journal/limits.js'
import { readJournalText } from '../journal/read.js'
import type { StateDir } from '../runner/state-dir.js'
import { formatBytes } from '../util/bytes.js'
import { lstatIfExists, UnsafePathError } from '../util/no-follow-fs.js'
import { removeFile } from '../util/no-follow-write.js'
import type { Log } from './log.js'
import type { RunArtifacts } from './run-artifacts.js'

/**
 * An evicted cache: merge the journal of the newest earlier attempt's artifact into ours. The
 * artifact's root is the state folder, so its journal is at the same relative path; it is
 * read without following links, like the state folder itself. A journal too large to load
 * is not used (it would fail this attempt and every re-run), nor is a merge that grows past it.
 */
export async function mergeEarlierAttempt(artifacts: RunArtifacts, state: StateDir, journalFile: string, scratch: string, log: Log): Promise<void> {
  const into = fs.mkdtempSync(path.join(scratch, 'dwf-artifact-'))
  const unused = (why: string) => log.warning(`The earlier attempt's run-state artifact was not used: ${why}`)
  try {
    const dir = (await artifacts.downloadEarlier(into)) ?? into
    const earlier = readJournalFile(dir, path.join(dir, path.relative(state.root, journalFile)))
    if (earlier === undefined) return
    const current = readJournalText(readJournalFile(state.root, journalFile) ?? '').entries.values()
    await writeJournalFile(journalFile, mergeEntries(current, readJournalText(earlier).entries.values()).values(), { root: state.root })
    const merged = lstatIfExists(journalFile)?.size ?? 0
    if (merged > MAX_JOURNAL_BYTES) {
      removeFile(state.root, journalFile)
      unused(`merged with the cache's journal it is ${formatBytes(merged)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads. The run starts from an empty journal.`)
    }
  } catch (error) {
    if (error instanceof JournalTooLargeError) unused(`its journal is ${formatBytes(error.bytes)}, more than the ${formatBytes(MAX_JOURNAL_BYTES)} a run loads.`)
    else if (error instanceof UnsafePathError) unused(error.message)
    else throw error
  } finally {
    fs.rmSync(into, { recursive: true, force: true })
  }
}
