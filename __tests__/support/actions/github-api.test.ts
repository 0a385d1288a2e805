// Drives the real @octokit/rest 22 with @octokit/plugin-retry and @octokit/plugin-throttling,
// unmodified, against the local GitHub REST fake, so the fake stays faithful to what the real
// clients accept: pagination through the Link header, comment create/update, a secondary rate
// limit the throttling plugin recognises and retries, 5xx retried by the retry plugin, and a
// read-only token.
import { describe, expect, it, beforeEach, afterEach } from '@jest/globals'
import { startGitHubApi, githubEnv, GITHUB_ACTIONS_BOT, COMMENT_BODY_LIMIT, type GitHubApi } from './github-api.js'
import { client, rejection, type LimitEvent } from './octokit-client.js'

const PR = 42
let api: GitHubApi
let owner: string
let repo: string
beforeEach(async () => {
  api = await startGitHubApi()
  ;[owner, repo] = api.repository.split('/') as [string, string]
})
afterEach(async () => {
  await api.close()
})

describe('GitHub REST fake: issue comments of a pull request', () => {
  it('pages past 150 seeded comments with octokit.paginate, following absolute Link URLs', async () => {
    const seeded = api.seedComments(PR, 160)
    const octokit = client(api)
    const mine = await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: '<!-- dynamic-workflow:review:build -->\nstatus' })

    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: PR, per_page: 100 })
    expect(all).toHaveLength(161)
    expect(all.map((c) => c.id)).toEqual([...seeded.map((c) => c.id), mine.data.id])
    expect([...all.map((c) => c.id)].sort((a, b) => a - b)).toEqual(all.map((c) => c.id))
    const found = all.filter((c) => c.body?.includes('<!-- dynamic-workflow:review:build -->') && c.user?.login === GITHUB_ACTIONS_BOT.login)
    expect(found.map((c) => c.id)).toEqual([mine.data.id])
    // Seeded threads look like real ones: people plus another bot.
    expect(new Set(all.map((c) => c.user?.type))).toEqual(new Set(['User', 'Bot']))

    const lists = api.requests.filter((r) => r.route === 'listComments')
    expect(lists).toHaveLength(2)
    expect(lists[0]).toMatchObject({ path: `/repos/${owner}/${repo}/issues/${PR}/comments`, query: { per_page: '100' } })
    // The second page comes from the Link header, which (like GitHub's) uses /repositories/{id}/.
    expect(lists[1]!.path).toMatch(new RegExp(`^/repositories/\\d+/issues/${PR}/comments$`))
    expect(lists[1]!.query).toMatchObject({ per_page: '100', page: '2' })
  })

  it('answers per_page/page with GitHub Link relations and a default page size of 30', async () => {
    api.seedComments(PR, 75)
    const octokit = client(api)
    const middle = await octokit.rest.issues.listComments({ owner, repo, issue_number: PR, per_page: 25, page: 2 })
    expect(middle.data).toHaveLength(25)
    const rels = Object.fromEntries([...String(middle.headers.link).matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]!).searchParams.get('page')]))
    expect(rels).toEqual({ prev: '1', next: '3', last: '3', first: '1' })
    const last = await octokit.rest.issues.listComments({ owner, repo, issue_number: PR, per_page: 25, page: 3 })
    expect(String(last.headers.link)).not.toContain('rel="next"')
    const defaults = await octokit.rest.issues.listComments({ owner, repo, issue_number: PR })
    expect(defaults.data).toHaveLength(30)
    const beyond = await octokit.rest.issues.listComments({ owner, repo, issue_number: PR, page: 9 })
    expect(beyond.data).toEqual([])
  })

  it('creates a comment as github-actions[bot], then updates it in place', async () => {
    const octokit = client(api)
    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'first' })
    expect(created.status).toBe(201)
    expect(created.data).toMatchObject({
      body: 'first',
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      html_url: `https://github.com/${owner}/${repo}/pull/${PR}#issuecomment-${created.data.id}`,
      issue_url: `${api.url}/repos/${owner}/${repo}/issues/${PR}`,
      performed_via_github_app: { slug: 'github-actions' },
    })
    expect(created.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(created.data.updated_at).toBe(created.data.created_at)

    const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.data.id, body: 'second' })
    expect(updated.status).toBe(200)
    expect(updated.data).toMatchObject({ id: created.data.id, body: 'second', created_at: created.data.created_at })
    expect(Date.parse(updated.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.data.created_at))
    expect(api.comments(PR).map((c) => [c.id, c.body])).toEqual([[created.data.id, 'second']])
    expect(api.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['POST createComment 201', 'PATCH updateComment 200'])
    expect(api.requests[0]!.headers.authorization).toBe(`token ${api.token}`)
    expect(api.requests[0]!.body).toEqual({ body: 'first' })

    const missing = await rejection(octokit.rest.issues.updateComment({ owner, repo, comment_id: 1, body: 'x' }))
    expect(missing.status).toBe(404)
  })

  it('rejects a body over 65536 characters with 422, and a wrong token with 401', async () => {
    const octokit = client(api)
    const tooLong = await rejection(octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'x'.repeat(COMMENT_BODY_LIMIT + 1) }))
    expect(tooLong.status).toBe(422)
    expect(tooLong.message).toContain('Body is too long (maximum is 65536 characters)')
    const atLimit = await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'x'.repeat(COMMENT_BODY_LIMIT) })
    expect(atLimit.status).toBe(201)

    const wrong = await rejection(client(api, [], 'ghs_wrong').rest.issues.listComments({ owner, repo, issue_number: PR }))
    expect(wrong.status).toBe(401)
    expect(wrong.message).toMatch(/^Bad credentials/)
  })

  it('serves a pull request with its head and base', async () => {
    api.setPull(7, { title: 'Add a feature', draft: true })
    const { data } = await client(api).rest.pulls.get({ owner, repo, pull_number: 7 })
    expect(data).toMatchObject({ number: 7, state: 'open', title: 'Add a feature', draft: true, base: { ref: 'main', repo: { full_name: api.repository } } })
    expect(data.head.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(data.html_url).toBe(`https://github.com/${api.repository}/pull/7`)
  })
})

describe('GitHub REST fake: faults the Action must survive', () => {
  it('answers a create with a 403 secondary rate limit that the throttling plugin recognises and retries; the comment lands once', async () => {
    api.secondaryRateLimit(1, { retryAfter: 1 })
    const events: LimitEvent[] = []
    const octokit = client(api, events)
    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'status' })
    expect(created.status).toBe(201)
    expect(events).toEqual([{ kind: 'secondary', retryAfter: 1, method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments', retryCount: 0 }])
    expect(api.comments(PR)).toHaveLength(1)
    const creates = api.requests.filter((r) => r.route === 'createComment')
    expect(creates.map((r) => [r.status, r.faulted ?? false])).toEqual([
      [403, true],
      [201, false],
    ])
  })

  it('gives up after the retries onSecondaryRateLimit allows, with a 403 whose message names the secondary rate limit', async () => {
    api.secondaryRateLimit(5, { retryAfter: 1 })
    const events: LimitEvent[] = []
    const error = await rejection(client(api, events).rest.issues.updateComment({ owner, repo, comment_id: api.seedComments(PR, 1)[0]!.id, body: 'x' }))
    expect(error.status).toBe(403)
    expect(error.message).toMatch(/You have exceeded a secondary rate limit/)
    expect(error.response.headers['retry-after']).toBe('1')
    expect(events.map((e) => e.retryCount)).toEqual([0, 1, 2])
    expect(api.requests.filter((r) => r.route === 'updateComment')).toHaveLength(3)
    expect(api.comments(PR)[0]!.body).not.toBe('x')
  })

  it('falls back to 60 s when the secondary limit has no retry-after', async () => {
    api.secondaryRateLimit(1, { retryAfter: null })
    const events: LimitEvent[] = []
    await client(api, events).rest.issues.createComment({ owner, repo, issue_number: PR, body: 'x' })
    expect(events.map((e) => e.retryAfter)).toEqual([60])
  })

  it('has the retry plugin retry a 502 on create; a 502 after the write landed leaves a duplicate', async () => {
    const octokit = client(api)
    api.serverError(1, { status: 502 })
    await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'one' })
    expect(api.comments(PR).map((c) => c.body)).toEqual(['one'])

    api.serverError(1, { status: 502, after: true })
    await octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'two' })
    // The first POST was stored before the 502, and the retry stored it again: a sticky comment
    // must be found again by its marker rather than trusted to a single create.
    expect(api.comments(PR).map((c) => c.body)).toEqual(['one', 'two', 'two'])
    expect(api.requests.filter((r) => r.route === 'createComment').map((r) => r.status)).toEqual([502, 201, 502, 201])
  })

  it('answers every write of a read-only token with 403 "Resource not accessible by integration", without retries', async () => {
    const existing = api.seedComments(PR, 2)
    api.setReadOnly(true)
    const events: LimitEvent[] = []
    const octokit = client(api, events)
    const error = await rejection(octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body: 'status' }))
    expect(error.status).toBe(403)
    expect(error.message).toMatch(/^Resource not accessible by integration - https:\/\/docs\.github\.com\//)
    expect(error.response.headers['x-accepted-github-permissions']).toBe('issues=write; pull_requests=write')
    const update = await rejection(octokit.rest.issues.updateComment({ owner, repo, comment_id: existing[0]!.id, body: 'x' }))
    expect(update.status).toBe(403)
    // Reads still work.
    const list = await octokit.rest.issues.listComments({ owner, repo, issue_number: PR })
    expect(list.data).toHaveLength(2)
    expect(events).toEqual([])
    expect(api.requests.map((r) => `${r.route} ${r.status}`)).toEqual(['createComment 403', 'updateComment 403', 'listComments 200'])
    expect(api.comments(PR).map((c) => c.body)).toEqual(existing.map((c) => c.body))
  })
})

describe("GitHub API fake: the token's own identity", () => {
  it('GITHUB_TOKEN: GraphQL viewer answers github-actions[bot], GET /user is refused as for any installation token', async () => {
    const octokit = client(api)
    expect(await octokit.graphql('query { viewer { login } }')).toEqual({ viewer: { login: GITHUB_ACTIONS_BOT.login } })
    const error = await rejection(octokit.rest.users.getAuthenticated())
    expect(error.status).toBe(403)
    expect(error.message).toMatch(/^Resource not accessible by integration/)
    // Any other query gets GraphQL's error shape, which the client turns into an error.
    expect((await rejection(octokit.graphql('query { repository(owner: "a", name: "b") { id } }'))).message).toMatch(/answers only/)
  })

  it("a user's token: both answer the user; an app's installation token: the app's bot", async () => {
    const user = await startGitHubApi({ token: 'ghp_personalToken0123456789', actor: { login: 'octo-dev', id: 101, type: 'User' } })
    const app = await startGitHubApi({ token: 'ghs_appToken0123456789', actor: { login: 'review-app[bot]', id: 202, type: 'Bot' } })
    try {
      expect(await client(user).graphql('{ viewer { login } }')).toEqual({ viewer: { login: 'octo-dev' } })
      expect((await client(user).rest.users.getAuthenticated()).data).toMatchObject({ login: 'octo-dev', type: 'User' })
      expect(await client(app).graphql('{ viewer { login } }')).toEqual({ viewer: { login: 'review-app[bot]' } })
      expect((await rejection(client(app).rest.users.getAuthenticated())).status).toBe(403)
      // Comments carry who wrote them.
      const made = await client(app).rest.issues.createComment({ owner, repo, issue_number: PR, body: 'x' })
      expect(made.data.user).toMatchObject({ login: 'review-app[bot]', type: 'Bot' })
    } finally {
      await user.close()
      await app.close()
    }
  })

  it('refuses a wrong token on both', async () => {
    expect((await rejection(client(api, [], 'ghs_wrong').graphql('{ viewer { login } }'))).status).toBe(401)
    expect((await rejection(client(api, [], 'ghs_wrong').rest.users.getAuthenticated())).status).toBe(401)
  })
})

describe('githubEnv', () => {
  it('points GITHUB_API_URL and the github-token input at the fake', () => {
    expect(githubEnv(api)).toMatchObject({
      GITHUB_API_URL: api.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: api.repository,
      GITHUB_REPOSITORY_OWNER: owner,
      'INPUT_GITHUB-TOKEN': api.token,
    })
  })
})
