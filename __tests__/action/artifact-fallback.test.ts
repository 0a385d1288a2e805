import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startArtifactService, artifactEnv, type ArtifactService } from '../support/actions/artifact-service.js'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { startResultsReceiver } from '../support/actions/results-receiver.js'
import { runAction } from '../support/actions/runner.js'

const SCRIPT = `export const meta = { name: 'evicted' }
const out = await parallel(['a', 'b', 'c', 'd', 'e'].map((x) => () => agent('Review ' + x)))
return out.length
`

let cache: CacheService
let artifacts: ArtifactService
let receiver: Awaited<ReturnType<typeof startResultsReceiver>>
beforeAll(async () => {
  cache = await startCacheService({ scopes: [{ scope: 'refs/pull/1/merge', permission: CachePermission.readWrite }] })
  artifacts = await startArtifactService()
  receiver = await startResultsReceiver(cache, artifacts)
})
afterAll(async () => {
  await receiver.close()
  await artifacts.close()
  await cache.close()
})

/** One attempt of run 900 with both emulators behind one results URL, the unmodified clients in dist/. */
async function attempt(runAttempt: number, runId = 900) {
  const env: Record<string, string> = { ...artifactEnv(artifacts, { runId, runAttempt, job: 'review' }), ...cacheEnv(cache), ACTIONS_RESULTS_URL: receiver.url }
  env.ACTIONS_RUNTIME_TOKEN = artifacts.job({ runId, runAttempt, job: 'review' }).token
  const run = await runAction({ inputs: { script: 'w.js', agent: 'mock' }, files: { 'w.js': SCRIPT }, env, runId: String(runId), attempt: runAttempt, job: 'review' })
  run.cleanup()
  return run
}

describe('the run-state artifact', () => {
  it('is uploaded per attempt, and resumes a re-run when the cache entry was evicted', async () => {
    const first = await attempt(1)
    expect(first.outputs).toMatchObject({ status: 'succeeded', 'agents-live': '5' })
    expect(first.main.stdout).toMatch(/Run state uploaded as artifact dynamic-workflow-evicted-review-[0-9a-f]{8}-attempt-1/)
    for (const entry of cache.entries()) cache.delete(entry.key)
    const second = await attempt(2)
    expect(second.main.stdout).toMatch(/No journal in the cache/)
    expect(second.main.stdout).toMatch(/Restored the run state of attempt 1 from artifact/)
    expect(second.outputs).toMatchObject({ status: 'succeeded', 'agents-live': '0', 'agents-replayed': '5' })
  })

  it('never fails the run when the upload is refused: a warning, and the journal is still in the cache', async () => {
    artifacts.fault('CreateArtifact', { status: 403, message: 'artifact storage quota has been hit', times: Infinity })
    const run = await attempt(1, 901)
    expect(run.main.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.main.stdout).toMatch(/::warning::Could not upload the run-state artifact/)
    expect(cache.entries().some((e) => e.key.includes('-901-1-'))).toBe(true)
  })
})

describe('changes: artifact', () => {
  it("uploads the run's changes.patch as an artifact of its own", async () => {
    artifacts.clearFaults() // the test before refuses every upload
    const runId = 950
    const env: Record<string, string> = { ...artifactEnv(artifacts, { runId, runAttempt: 1, job: 'review' }), ...cacheEnv(cache), ACTIONS_RESULTS_URL: receiver.url }
    env.ACTIONS_RUNTIME_TOKEN = artifacts.job({ runId, runAttempt: 1, job: 'review' }).token
    const script = `export const meta = { name: 'patcher' }\nwriteFile('notes.md', '# notes\\n')\nreturn await agent('ok')\n`
    const run = await runAction({ inputs: { script: 'w.js', agent: 'mock', changes: 'artifact' }, files: { 'w.js': script }, env, runId: String(runId), attempt: 1, job: 'review' })
    run.cleanup()
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'changed-files': '["notes.md"]' })
    const uploaded = artifacts.artifacts({ runId }).filter((a) => a.name.startsWith('dynamic-workflow-changes-patcher-review-'))
    expect(uploaded.map((a) => a.name)).toEqual([expect.stringMatching(/-attempt-1$/)])
    expect(run.main.stdout).toMatch(/The run's changes uploaded as artifact dynamic-workflow-changes-patcher-review-/)
  })
})

