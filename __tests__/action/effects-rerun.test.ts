import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cacheJobs, journalLines } from '../support/actions/cache-jobs.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import type { ActionRun, JobDirs } from '../support/actions/runner.js'

/**
 * Exactly once across attempts and pushes, through dist/ with the cache and GitHub emulators:
 * a run cancelled half-way posts nothing; its re-run replays what was done, finishes, and posts
 * one review and makes one commit; a later push with the same script replays every call and
 * posts and commits nothing new.
 */
const SCRIPT = `export const meta = { name: 'fixer' }
const items = Array.from({ length: 8 }, (_, i) => 'item-' + i)
const notes = await parallel(items.map((item) => () => agent('Check ' + item, { label: item })))
writeFile('src/fixed.txt', 'fixed ' + notes.length + '\\n')
report('# Fixed ' + notes.length + ' items')
review.comment('src/a.txt', 1, 'Checked ' + notes.length + ' items.')
return notes.length
`
const PR = 44
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-effects-rerun-'))
let api: GitHubApi
let head: string
/** The job's checkout of `commit` (a .git whose HEAD is it, as actions/checkout leaves it). */
const checkout = (commit: string) => ({ ...api.files(commit)!, '.git/HEAD': `${commit}\n` })
const jobs = cacheJobs()

beforeAll(async () => {
  api = await startGitHubApi()
  head = api.seedBranch('feature', { 'w.js': SCRIPT, 'src/a.txt': 'a\n' }).commit
  api.setPull(PR, { head: { ref: 'feature', sha: head, label: 'owner:feature', repo: { full_name: api.repository } } })
  api.setPullFiles(PR, [{ filename: 'src/a.txt', patch: '@@ -0,0 +1 @@\n+a', status: 'added' }])
})
afterAll(async () => {
  await api.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function job(runId: string, attempt: number, commit: string, cancelWhen?: (job: JobDirs) => boolean): Promise<ActionRun> {
  const event = path.join(tmp, 'event.json')
  fs.writeFileSync(event, JSON.stringify({ action: 'synchronize', number: PR, pull_request: { number: PR } }))
  return jobs.run({
    runId,
    attempt,
    latencyMs: 150,
    ...(cancelWhen ? { cancelWhen } : {}),
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', concurrency: '2', 'checkpoint-interval': '1', changes: 'commit' },
    files: checkout(commit),
    token: api.token,
    env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: api.repository, GITHUB_RUN_ID: runId },
  })
}

describe('effects, exactly once', () => {
  it('cancelled half-way, then re-run: one review and one commit; a later push replays and adds nothing', async () => {
    const cancelled = await job('700', 1, head, (dirs) => journalLines(dirs, 'fixer') >= 3)
    expect(cancelled.outputs.status).toBe('stopped')
    expect(api.reviews(PR)).toHaveLength(0)
    expect(api.branchSha('feature')).toBe(head)

    const rerun = await job('700', 2, head)
    expect(rerun.outputs.status).toBe('succeeded')
    expect(Number(rerun.outputs['agents-replayed'])).toBeGreaterThanOrEqual(3)
    expect(api.reviews(PR)).toHaveLength(1)
    expect(rerun.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(api.branchSha('feature')).toBe(rerun.outputs['commit-sha'])
    expect(api.files('feature')).toMatchObject({ 'src/fixed.txt': 'fixed 8\n' })

    // The next push's job checks out the branch as it is now, our commit included.
    const push = await job('701', 1, rerun.outputs['commit-sha']!)
    expect(push.outputs.status).toBe('succeeded')
    expect(push.outputs['agents-live']).toBe('0')
    expect(push.outputs['commit-sha']).toBe('')
    expect(push.outputs['review-id']).toBe(rerun.outputs['review-id'])
    expect(api.reviews(PR)).toHaveLength(1)
    expect(api.branchSha('feature')).toBe(rerun.outputs['commit-sha'])
  }, 240_000)
})
