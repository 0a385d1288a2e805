/**
 * @module action
 * The GitHub adapter: inputs, the journal in the Actions cache with checkpoints, the
 * run-state artifact, outputs and the job summary, and the post step that saves what a
 * cancelled or killed main step left. A thin shell over the same engine as the CLI.
 */
export { runMain, type MainDeps, type MainResult, type ActionCore } from './main-impl.js'
export { runPost, type PostDeps } from './post-impl.js'
export { readInputs, Inputs, Outputs, InputError, type ActionInputs } from './inputs.js'
export { cacheSlot, restoreKeys, saveKey } from './cache-keys.js'
export { JournalCache, type CacheClient } from './journal-cache.js'
export { Checkpoints } from './checkpoints.js'
export { RunArtifacts, type ArtifactClient } from './run-artifacts.js'
export { MemoryState, State, type ActionState } from './state.js'
