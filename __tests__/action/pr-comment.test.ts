import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { commentMarker } from '../../src/report/comment.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { createGitHubClient } from '../../src/action/github-client.js'
import { LiveComment } from '../../src/action/live-comment.js'
import { StickyComment } from '../../src/action/sticky-comment.js'

let api: GitHubApi
let prNumber = 100
beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(() => api.close())

let clients = 0
/** As the Action builds it, with waits scaled down for the test and a throttle id of its own. */
const github = () => createGitHubClient({ token: api.token, baseUrl: api.url, retryAfterBaseValue: 5, throttleId: `pr-comment-test-${++clients}` })
const [owner, repo] = ['octo-org', 'octo-repo']
const marker = commentMarker('review', 'job')
function logs() {
  const seen = { warning: [] as string[], notice: [] as string[] }
  return { seen, log: { info: () => {}, warning: (m: string) => void seen.warning.push(m), notice: (m: string) => void seen.notice.push(m) } }
}
const ours = (pr: number) => api.comments(pr).filter((c) => c.body.includes(marker))

describe('the sticky PR comment', () => {
  it('is found by its marker past 150 unrelated comments, created once and then edited', async () => {
    const pr = ++prNumber
    api.seedComments(pr, 150)
    const { log } = logs()
    const first = new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, log)
    expect(await first.upsert(`${marker}\nrunning`)).toBe('created')
    // A new step (another attempt, post) finds the same comment instead of adding one.
    const later = new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, log)
    expect(await later.upsert(`${marker}\ninterrupted`)).toBe('updated')
    expect(await later.upsert(`${marker}\nsucceeded`)).toBe('updated')
    expect(ours(pr)).toHaveLength(1)
    expect(ours(pr)[0]!.body).toMatch(/succeeded/)
    expect(api.comments(pr)).toHaveLength(151)
  })

  it('retries a secondary rate limit on create, and the comment lands once', async () => {
    const pr = ++prNumber
    api.secondaryRateLimit(1, { retryAfter: 1, routes: ['createComment'] })
    const result = await new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, logs().log).upsert(`${marker}\nfinal`)
    expect(result).toBe('created')
    expect(ours(pr)).toHaveLength(1)
  })

  it('with a read-only token gives no comment, one notice, and never throws', async () => {
    const pr = ++prNumber
    api.setReadOnly(true)
    try {
      const { seen, log } = logs()
      const comment = new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, log)
      expect(await comment.upsert(`${marker}\nx`)).toBe('forbidden')
      expect(await comment.upsert(`${marker}\ny`)).toBe('forbidden')
      expect(seen.notice).toHaveLength(1)
      expect(ours(pr)).toHaveLength(0)
    } finally {
      api.setReadOnly(false)
    }
  })

  it('live updates coalesce (newest body wins, one write in flight) and the final one always lands', async () => {
    const pr = ++prNumber
    const live = new LiveComment(new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, logs().log), 60_000)
    live.update(`${marker}\nstep 1`)
    live.update(`${marker}\nstep 2`)
    live.update(`${marker}\nstep 3`)
    expect(await live.final(`${marker}\ndone`)).toBe('updated')
    expect(ours(pr)).toHaveLength(1)
    const id = ours(pr)[0]!.id
    const writes = api.requests.filter((r) => r.method !== 'GET' && (r.path.includes(`/issues/${pr}/comments`) || r.path.endsWith(`/issues/comments/${id}`)))
    // The create, then the final edit: the superseded bodies were never sent.
    expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH'])
    expect(ours(pr)[0]!.body).toMatch(/done/)
  })

  it('writes a body that arrived inside the interval once the interval ends, with no further update needed', async () => {
    const pr = ++prNumber
    const live = new LiveComment(new StickyComment(github(), { owner, repo, issueNumber: pr }, marker, logs().log), 300)
    live.update(`${marker}\nphase 1`)
    live.update(() => `${marker}\nphase 2`) // inside the interval: held, not dropped
    for (let i = 0; i < 200 && !/phase 2/.test(ours(pr)[0]?.body ?? ''); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ours(pr)[0]!.body).toMatch(/phase 2/)
    // The first body was written at once (the create), the held one when the interval ended (an edit).
    const writes = api.requests.filter((r) => (r.route === 'createComment' && r.path.endsWith(`/issues/${pr}/comments`)) || (r.route === 'updateComment' && r.path.endsWith(`/${ours(pr)[0]!.id}`)))
    expect(writes.map((r) => [r.route, r.body.body])).toEqual([
      ['createComment', `${marker}\nphase 1`],
      ['updateComment', `${marker}\nphase 2`],
    ])
    expect(await live.final(`${marker}\ndone`)).toBe('updated')
    live.update(`${marker}\ntoo late`) // after the final state nothing overwrites it
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(ours(pr).map((c) => c.body)).toEqual([`${marker}\ndone`])
  })
})
