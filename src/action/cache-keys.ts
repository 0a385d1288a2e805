import { sha256 } from '../util/canonical-json.js'

/** Bump when the cached layout changes: old entries are then never restored. */
export const KEY_PREFIX = 'dynamic-workflow-v1'

/** Where a run is in GitHub's terms: enough to name its cache entries. */
export interface RunCoordinates {
  runId: string
  attempt: number
  job: string
}

/** Where the run is, from the runner's environment. */
export function runCoordinates(env: NodeJS.ProcessEnv): RunCoordinates {
  return { runId: env.GITHUB_RUN_ID ?? 'local', attempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1') || 1, job: env.GITHUB_JOB ?? 'job' }
}

/**
 * The journal's cache slot: workflow name, job, and the `cache-key` input (separating matrix
 * jobs). Parts are made key-safe, and a short hash of the raw parts ends the slot, so no
 * slot is a prefix of another (`a-b` would otherwise match the entries of `a-b-c`).
 */
export function cacheSlot(name: string, job: string, cacheKey?: string): string {
  const parts = cacheKey ? [name, job, cacheKey] : [name, job]
  return [...parts.map(keySafe), sha256(JSON.stringify(parts)).slice(0, 8)].join('-')
}

/** Cache keys are immutable: every save of a run gets the next `seq`. */
export function saveKey(slot: string, run: RunCoordinates, seq: number): string {
  return `${KEY_PREFIX}-${slot}-${run.runId}-${run.attempt}-${seq}`
}

/**
 * What to restore, newest first: any attempt of this run (a re-run resumes it), then the
 * latest run of this slot the branch can see (a push after a PR run reuses its calls).
 */
export function restoreKeys(slot: string, run: Pick<RunCoordinates, 'runId'>): { primary: string; fallbacks: string[] } {
  return { primary: `${KEY_PREFIX}-${slot}-${run.runId}-`, fallbacks: [`${KEY_PREFIX}-${slot}-`] }
}

/** Letters, digits, '.', '_' and '-' only, at most 64 characters: no commas, no surprises. */
function keySafe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || '_'
}
