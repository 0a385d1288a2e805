/**
 * @module journal
 * The content-addressed record of completed agent calls. A call's key is the sha256 of
 * everything that changes its answer, plus an ordinal for repeats, so editing one call in a
 * script leaves every other call replayable. This folder knows nothing of GitHub, terminals
 * or providers.
 */
export { canonicalJson, sha256 } from './canonical-json.js'
export { CallKeyer, changedComponents, componentHashes, identityHash, IDENTITY_COMPONENTS } from './identity.js'
export type { CallIdentity, ComponentHashes, IdentityComponent } from './identity.js'
export { ENTRY_VERSION, entryProblem, formatEntryLine, parseEntryLine } from './entry.js'
export type { JournalEntry, Usage } from './entry.js'
export { describeSkipped, readJournalText } from './read.js'
export type { LoadStats, LoadedJournal } from './read.js'
export { JournalFile } from './file-store.js'
export type { JournalFileOptions } from './file-store.js'
export { checkJournalSize, JournalTooLargeError, MAX_JOURNAL_BYTES, readJournalFile } from './limits.js'
export { compactJournalFile, DEFAULT_JOURNAL_MAX_BYTES, mergeEntries, selectForCompaction, writeJournalFile } from './compact.js'
export type { JournalWriteOptions } from './compact.js'
