import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { runAction, type JobDirs } from '../support/actions/runner.js'

// A first run killed mid-way, then a re-run, on a pull_request event: through dist/, with the
// unmodified clients against the cache and GitHub API emulators.
const SCRIPT = `export const meta = { name: 'commented' }
const out = await parallel(Array.from({ length: 10 }, (_, i) => () => agent('Check ' + i)))
return out.length
`
const PR = 7

let cache: CacheService
let api: GitHubApi
let eventPath: string
beforeAll(async () => {
  cache = await startCacheService({ scopes: [{ scope: 'refs/pull/7/merge', permission: CachePermission.readWrite }] })
  api = await startGitHubApi()
  eventPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-event-')), 'event.json')
  fs.writeFileSync(eventPath, JSON.stringify({ action: 'synchronize', number: PR, pull_request: { number: PR } }))
})
afterAll(async () => {
  await api.close()
  await cache.close()
})

const journalLines = (job: JobDirs) => {
  const file = path.join(job.stateDir, 'journal', 'commented.jsonl')
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length : 0
}

const attempt = (runAttempt: number, extra: Partial<Parameters<typeof runAction>[0]> & { runId?: string; latencyMs?: number; env?: Record<string, string>; cacheKey?: string } = {}) =>
  runAction({
    ...extra,
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', concurrency: '2', 'comment-interval': '1', ...(extra.cacheKey ? { 'cache-key': extra.cacheKey } : {}) },
    files: { 'w.js': SCRIPT },
    token: api.token,
    runId: extra.runId ?? '77',
    attempt: runAttempt,
    env: {
      ...cacheEnv(cache),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: api.repository,
      DWF_MOCK_LATENCY_MS: String(extra.latencyMs ?? (runAttempt === 1 ? 150 : 0)),
      ...extra.env,
    },
  })

describe('the PR comment across a killed run and its re-run', () => {
  it('says interrupted after the kill, then shows the replayed calls and the saving; there is only ever one', async () => {
    api.seedComments(PR, 120)
    const ours = () => api.comments(PR).filter((c) => c.body.includes('<!-- dynamic-workflow:commented:review -->'))
    const killed = await attempt(1, { killWhen: (job) => journalLines(job) >= 3 })
    expect(killed.main.signal).toBe('SIGKILL')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toMatch(/### ⚠️ commented: interrupted/)
    expect(ours()[0]!.body).toMatch(/re-run the failed jobs to resume/)

    const rerun = await attempt(2)
    expect(rerun.outputs.status).toBe('succeeded')
    expect(Number(rerun.outputs['agents-replayed'])).toBeGreaterThanOrEqual(3)
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toMatch(/### ✅ commented: succeeded/)
    expect(ours()[0]!.body).toMatch(/Replay saved \*\*/)
    expect(rerun.summary).toMatch(/### ✅ commented: succeeded/)
  })

  it('across a failed run, a cancelled attempt and a re-run: one comment, edited live, interrupted after the cancel, replay and saving at the end', async () => {
    const marker = '<!-- dynamic-workflow:commented:cancel-job:lifecycle -->' // the cache-key keeps a comment of its own
    const pr = 8
    const event = path.join(path.dirname(eventPath), 'event-8.json')
    fs.writeFileSync(event, JSON.stringify({ action: 'opened', number: pr, pull_request: { number: pr } }))
    api.seedComments(pr, 150)
    const ours = () => api.comments(pr).filter((c) => c.body.includes(marker))
    const base = { runId: '88', cacheKey: 'lifecycle', job: 'cancel-job', env: { GITHUB_EVENT_PATH: event } }
    const writes = () => api.requests.filter((r) => (r.route === 'createComment' || r.route === 'updateComment') && String((r.body as { body?: string })?.body ?? '').includes(marker))

    // 1. A call fails: the step fails, the comment names the error and how to resume.
    const failed = await attempt(1, { ...base, latencyMs: 400, env: { ...base.env, DWF_MOCK_FAIL: 'Check [5-9]' } })
    expect(failed.outputs.status).toBe('failed')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toMatch(/### ❌ commented: failed[\s\S]*5 of 10 items failed/)
    expect(ours()[0]!.body).toMatch(/re-run the failed jobs to resume/)
    // While it ran, the comment was edited with the run's progress, not only at start and end.
    const liveBodies = writes().map((r) => (r.body as { body: string }).body).filter((b) => /: running/.test(b) && /\| agent \|/.test(b))
    expect(liveBodies.length).toBeGreaterThanOrEqual(1)

    // 2. Attempt 2 (the failing calls now work) is cancelled mid-way, SIGINT as the runner does: the comment says interrupted.
    const cancelled = await attempt(2, { ...base, latencyMs: 400, cancelWhen: (job) => journalLines(job) >= 6 })
    // Main stopped by itself on the SIGINT: the runner never had to escalate.
    expect(cancelled.main.sent).toEqual(['SIGINT'])
    expect(cancelled.outputs.status).toBe('stopped')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toMatch(/### ⚠️ commented: interrupted — re-run the job to resume/)
    expect(cancelled.summary).toMatch(/interrupted/)

    // 3. The re-run: its final edit meets a secondary rate limit, is retried, and lands.
    api.secondaryRateLimit(1, { retryAfter: 1, routes: ['updateComment'] })
    const rerun = await attempt(3, { ...base, latencyMs: 0 })
    expect(rerun.outputs.status).toBe('succeeded')
    expect(Number(rerun.outputs['agents-replayed'])).toBeGreaterThanOrEqual(6)
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body).toMatch(/### ✅ commented: succeeded/)
    expect(ours()[0]!.body).toMatch(/Replay saved \*\*[\d.k]+ tokens\*\* and \*\*\$[\d.]+\*\*/)
    expect(api.requests.some((r) => r.route === 'updateComment' && r.status === 403)).toBe(true)
  })

  it('with a read-only token (a fork PR): no comment, one notice, the job summary, and a successful step', async () => {
    const pr = 9
    const event = path.join(path.dirname(eventPath), 'event-9.json')
    fs.writeFileSync(event, JSON.stringify({ action: 'opened', number: pr, pull_request: { number: pr } }))
    api.setReadOnly(true)
    try {
      const run = await attempt(1, { runId: '99', cacheKey: 'fork', latencyMs: 0, env: { GITHUB_EVENT_PATH: event } })
      expect(run.outputs.status).toBe('succeeded')
      expect(run.main.code).toBe(0)
      expect(api.comments(pr)).toHaveLength(0)
      expect(run.main.stdout.match(/::notice::No PR comment: the token may not write comments here/g)).toHaveLength(1)
      expect(run.summary).toMatch(/### ✅ commented: succeeded/)
    } finally {
      api.setReadOnly(false)
    }
  })
})
