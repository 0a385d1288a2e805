import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { artifactEnv, startArtifactService, type ArtifactService } from '../support/actions/artifact-service.js'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { startResultsReceiver } from '../support/actions/results-receiver.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'

// Faults of the services the Action depends on (cache, artifact, PR comments), injected into the
// emulators while dist/main.js and dist/post.js run with the unmodified clients. For each: the run
// succeeds, a lost save or comment is a ::warning::, and a re-run of the job loses no journaled
// call (it restores from the cache, or from the artifact when the cache lost it).
const SCRIPT = `export const meta = { name: 'faulty' }
const parts = await parallel(['api', 'ui', 'db'].map((part) => () => agent('Review the ' + part, { label: part })))
return await agent('Summarise ' + parts.map((p) => p.slice(12, 20)).join(' '), { label: 'summary' })
`
const CALLS = 4
/** Each case its own cache-key, and so its own comment marker. */
const markerOf = (runId: number) => `<!-- dynamic-workflow:faulty:review:case-${runId} -->`

let cache: CacheService
let artifacts: ArtifactService
let api: GitHubApi
let receiver: Awaited<ReturnType<typeof startResultsReceiver>>
beforeAll(async () => {
  cache = await startCacheService({ scopes: [{ scope: 'refs/pull/1/merge', permission: CachePermission.readWrite }] })
  artifacts = await startArtifactService()
  api = await startGitHubApi({ artifacts })
  receiver = await startResultsReceiver(cache, artifacts)
})
afterAll(async () => {
  await receiver.close()
  await api.close()
  await artifacts.close()
  await cache.close()
})
afterEach(() => clearFaults())

function clearFaults(): void {
  cache.faults.clear()
  artifacts.clearFaults()
  api.clearFaults()
}

/**
 * One attempt of a case's run (its own run id, cache slot and PR, so no case sees another's
 * state): both Actions services behind one results URL as on a runner, comments on the case's PR
 * only when asked (each comment write costs the throttling plugin's second).
 */
async function attempt(runId: number, runAttempt: number, comments = false): Promise<ActionRun> {
  const job = { runId, runAttempt, job: 'review' }
  const env: Record<string, string> = { ...artifactEnv(artifacts, job), ...cacheEnv(cache), ACTIONS_RESULTS_URL: receiver.url, GITHUB_API_URL: api.url }
  env.ACTIONS_RUNTIME_TOKEN = artifacts.job(job).token
  const run = await runAction({
    inputs: { script: 'w.js', agent: 'mock', 'cache-key': `case-${runId}`, comment: comments ? 'auto' : 'never', 'pr-number': String(runId), 'comment-interval': '1' },
    files: { 'w.js': SCRIPT },
    env,
    token: api.token,
    runId: String(runId),
    attempt: runAttempt,
    job: 'review',
  })
  run.cleanup()
  return run
}

const annotations = (run: ActionRun, kind: 'warning' | 'notice') => run.main.stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))

/** Succeeded and exit 0, with exactly the expected warnings (a warning that should not be there fails too). */
function expectSucceeded(run: ActionRun, warns: RegExp[] = []): void {
  expect(run.main.code).toBe(0)
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'agents-total': String(CALLS), 'agents-failed': '0' })
  const warnings = annotations(run, 'warning')
  for (const warn of warns) expect(warnings.some((line) => warn.test(line))).toBe(true)
  if (warns.length === 0) expect(warnings).toEqual([])
}

/** Requests an injected fault answered so far (the cache's delays are not marked). */
function faultsHit(): number {
  return cache.requests.filter((r) => r.fault).length + artifacts.requests.filter((r) => r.faulted).length + api.requests.filter((r) => r.faulted).length
}

function evict(runId: number): void {
  for (const entry of cache.entries()) if (entry.key.includes(`-case-${runId}-`)) cache.delete(entry.key)
}

let nextRunId = 3001

interface ServiceFault {
  name: string
  inject: () => void
  /** 'save': the fault hits attempt 1 (saves, uploads); 'restore': it hits the re-run. */
  hits: 'save' | 'restore'
  /** The ::warning lines the faulted attempt must show: where data was lost, one says so. */
  warns: RegExp[]
  /** The cache entries of the run are evicted before the re-run (the artifact must serve). */
  evict?: boolean
  /** Where the re-run finds the journal; 'nowhere' only when both copies were lost. */
  rerunFrom: 'cache' | 'artifact' | 'nowhere'
  /** A cache delay, which the emulator does not mark on the requests it held. */
  delayOnly?: boolean
}

const NOT_SAVED = /The journal was not saved to the cache/
const NOT_UPLOADED = /Could not upload the run-state artifact/
const NOT_RESTORED = /Failed to restore/

const CACHE_FAULTS: ServiceFault[] = [
  { name: '5xx: every reservation answers 507', inject: () => cache.faults.fail('CreateCacheEntry', { status: 507, times: Infinity }), hits: 'save', warns: [NOT_SAVED], rerunFrom: 'artifact' },
  // 502 is retried by @actions/cache (after 3 s): the save lands and nothing is lost.
  { name: '5xx: the finalize answers 502 once', inject: () => cache.faults.fail('FinalizeCacheEntryUpload', { status: 502 }), hits: 'save', warns: [], rerunFrom: 'cache' },
  { name: '403 on every cache call', inject: () => cache.faults.fail('*', { status: 403, times: Infinity }), hits: 'save', warns: [NOT_RESTORED, NOT_SAVED], rerunFrom: 'artifact' },
  {
    name: '429 with Retry-After on the reservation',
    inject: () => cache.faults.fail('CreateCacheEntry', { status: 429, retryAfter: 30, times: Infinity }),
    hits: 'save',
    warns: [/rate limit/, NOT_SAVED],
    rerunFrom: 'artifact',
  },
  { name: 'latency: every cache call held 400 ms', inject: () => cache.faults.delay('*', 400), hits: 'save', warns: [], rerunFrom: 'cache', delayOnly: true },
  { name: 'a restore whose connection drops mid-body', inject: () => cache.faults.truncate({ bytes: 20, mode: 'reset', times: Infinity }), hits: 'restore', warns: [NOT_RESTORED], rerunFrom: 'artifact' },
  // A complete response with a short body: the download "succeeds" and tar fails on the cut archive.
  { name: 'a restore with a short body', inject: () => cache.faults.truncate({ bytes: 60, mode: 'short', times: Infinity }), hits: 'restore', warns: [NOT_RESTORED], rerunFrom: 'artifact' },
]

const ARTIFACT_FAULTS: ServiceFault[] = [
  { name: '5xx: the upload is refused with 507', inject: () => artifacts.fault('CreateArtifact', { status: 507, times: Infinity }), hits: 'save', warns: [NOT_UPLOADED], rerunFrom: 'cache' },
  { name: '403 on the finalize', inject: () => artifacts.fault('FinalizeArtifact', { status: 403, times: Infinity }), hits: 'save', warns: [NOT_UPLOADED], rerunFrom: 'cache' },
  // 429 is retried by @actions/artifact (after 3 s); the cache is then evicted, so the artifact must be whole.
  { name: '429 on the create once, then the cache evicted', inject: () => artifacts.fault('CreateArtifact', { status: 429, retryAfter: 1 }), hits: 'save', warns: [], evict: true, rerunFrom: 'artifact' },
  {
    name: 'latency: every block upload held 800 ms, then the cache evicted',
    inject: () => artifacts.fault('PutBlock', { latencyMs: 800, times: Infinity }),
    hits: 'save',
    warns: [],
    evict: true,
    rerunFrom: 'artifact',
  },
  // The artifact was created but its answer was cut: the client's retry then meets a 409.
  { name: 'the answer to the create cut short', inject: () => artifacts.fault('CreateArtifact', { truncate: 10, truncateAs: 'short-body' }), hits: 'save', warns: [NOT_UPLOADED], rerunFrom: 'cache' },
  {
    name: 'both copies lost: the cache evicted and the artifact list forbidden',
    inject: () => artifacts.fault('ListArtifacts', { status: 403, times: Infinity }),
    hits: 'restore',
    warns: [/Could not download an earlier attempt's run-state artifact/],
    evict: true,
    rerunFrom: 'nowhere',
  },
]

describe.each([
  ['the cache', CACHE_FAULTS],
  ['the artifact', ARTIFACT_FAULTS],
])('a fault of %s never fails the run or loses a journaled call', (_service, faults) => {
  it.each(faults)('$name', async ({ inject, hits, warns, evict: evicted, rerunFrom, delayOnly }) => {
    const runId = nextRunId++
    const before = faultsHit()
    if (hits === 'save') inject()
    const first = await attempt(runId, 1)
    clearFaults()
    expectSucceeded(first, hits === 'save' ? warns : [])
    if (evicted) evict(runId)

    if (hits === 'restore') inject()
    const rerun = await attempt(runId, 2)
    clearFaults()
    expectSucceeded(rerun, hits === 'restore' ? warns : [])
    if (!delayOnly) expect(faultsHit()).toBeGreaterThan(before)
    expect(rerun.outputs.result).toBe(first.outputs.result)
    if (rerunFrom === 'nowhere') {
      // Nothing left to replay from: every call runs again, and the warning above said why.
      expect(rerun.outputs).toMatchObject({ 'agents-replayed': '0', 'agents-live': String(CALLS) })
      return
    }
    expect(rerun.outputs).toMatchObject({ 'agents-replayed': String(CALLS), 'agents-live': '0' })
    expect(rerun.main.stdout).toMatch(rerunFrom === 'cache' ? /Restored the journal of an earlier attempt of this run/ : /Restored the run state of attempt 1 from artifact/)
  })
})

interface CommentFault {
  name: string
  inject: () => void
  /** The comment is written (false: a notice says why, and the job summary has the run). */
  commented: boolean
}

const resetSoon = () => String(Math.floor(Date.now() / 1000) + 1)

const COMMENT_FAULTS: CommentFault[] = [
  // 5xx and 429 are retried by Octokit's retry and throttling plugins (1 s and the reset time).
  { name: '5xx: the first write answers 502', inject: () => api.fault(['createComment', 'updateComment'], { status: 502 }), commented: true },
  { name: '403 on listing the comments', inject: () => api.fault('listComments', { status: 403, times: Infinity }), commented: false },
  {
    name: '429 (primary rate limit) on the create',
    inject: () => api.fault('createComment', { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon(), 'retry-after': '1' } }),
    commented: true,
  },
  { name: 'latency: every comment call held 600 ms', inject: () => api.fault(['listComments', 'createComment', 'updateComment'], { latencyMs: 600, times: Infinity }), commented: true },
  // The comment was created but the answer cut: the next write must find it by its marker, not create a second.
  { name: 'the answer to the create cut short', inject: () => api.fault('createComment', { after: true, truncate: 30 }), commented: true },
  // The edits landed; Octokit reads a cut JSON body as empty, so nothing is lost and nothing is said.
  {
    name: 'the answers to every edit dropped mid-body',
    inject: () => api.fault('updateComment', { after: true, truncate: 30, truncateAs: 'dropped-connection', times: Infinity }),
    commented: true,
  },
]

describe('a fault of the PR comment never fails the run or loses a journaled call', () => {
  it.each(COMMENT_FAULTS)('$name', async ({ inject, commented }) => {
    const runId = nextRunId++
    const before = faultsHit()
    inject()
    const run = await attempt(runId, 1, true)
    clearFaults()
    expectSucceeded(run)
    expect(faultsHit()).toBeGreaterThan(before)
    const ours = api.comments(runId).filter((c) => c.body.includes(markerOf(runId)))
    if (commented) {
      expect(ours).toHaveLength(1)
      expect(ours[0]!.body).toMatch(/### ✅ faulty: succeeded/)
    } else {
      expect(ours).toEqual([])
      expect(annotations(run, 'notice').some((line) => /No PR comment/.test(line))).toBe(true)
    }
    expect(run.summary).toMatch(/### ✅ faulty: succeeded/)
    // Both copies of the journal were saved: a re-run would replay every call.
    expect(cache.entries().filter((e) => e.key.includes(`-case-${runId}-`))).not.toHaveLength(0)
    expect(artifacts.artifacts({ runId, finalized: true })).toHaveLength(1)
  })
})
