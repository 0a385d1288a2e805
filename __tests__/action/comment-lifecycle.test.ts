import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { runAction } from '../support/actions/runner.js'

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

const journalLines = (workspace: string) => {
  const file = path.join(workspace, '.dynamic-workflow', 'journal', 'commented.jsonl')
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length : 0
}

const attempt = (runAttempt: number, extra: Partial<Parameters<typeof runAction>[0]> = {}) =>
  runAction({
    ...extra,
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', concurrency: '2' },
    files: { 'w.js': SCRIPT },
    token: api.token,
    runId: '77',
    attempt: runAttempt,
    env: {
      ...cacheEnv(cache),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: api.repository,
      DWF_MOCK_LATENCY_MS: runAttempt === 1 ? '150' : '0',
    },
  })

describe('the PR comment across a killed run and its re-run', () => {
  it('says interrupted after the kill, then shows the replayed calls and the saving; there is only ever one', async () => {
    api.seedComments(PR, 120)
    const ours = () => api.comments(PR).filter((c) => c.body.includes('<!-- dynamic-workflow:commented:review -->'))
    const killed = await attempt(1, { killWhen: (workspace) => journalLines(workspace) >= 3 })
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
})
