// The pull request side of the GitHub REST fake, driven by the real @octokit/rest with its retry
// and throttling plugins: a PR's files and patches, reviews whose inline comments must land on
// the diff (422 otherwise, and nothing stored), labels, and pull requests created, listed by
// head and updated.
import { describe, expect, it, beforeEach, afterEach } from '@jest/globals'
import { startGitHubApi, GITHUB_ACTIONS_BOT, type GitHubApi } from './github-api.js'
import { client, rejection } from './octokit-client.js'

const PR = 42
// Hunk 1: RIGHT lines 1-5 (2 and 3 added), LEFT lines 1-4 (2 removed); hunk 2: RIGHT 21-24 (23 added).
const APP_PATCH = [
  '@@ -1,4 +1,5 @@',
  " import { run } from './run'",
  '-const retries = 1',
  '+const retries = 3',
  '+const verbose = false',
  ' ',
  ' export function main() {',
  '@@ -20,3 +21,4 @@ export function main() {',
  '   run(retries)',
  '   return 0',
  '+  // done',
  ' }',
].join('\n')

let api: GitHubApi
let owner: string
let repo: string
beforeEach(async () => {
  api = await startGitHubApi()
  ;[owner, repo] = api.repository.split('/') as [string, string]
  api.setPullFiles(PR, [
    { filename: 'src/app.ts', patch: APP_PATCH },
    { filename: 'docs/new.md', status: 'added', patch: '@@ -0,0 +1,2 @@\n+# New\n+text' },
  ])
})
afterEach(async () => {
  await api.close()
})

describe('GitHub REST fake: pull request files', () => {
  it('lists the files with their patches and counts, paginated', async () => {
    const octokit = client(api)
    const { data } = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: PR })
    expect(data.map((f) => [f.filename, f.status, f.additions, f.deletions, f.changes])).toEqual([
      ['src/app.ts', 'modified', 3, 1, 4],
      ['docs/new.md', 'added', 2, 0, 2],
    ])
    expect(data[0]!.patch).toBe(APP_PATCH)
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: PR })).data).toMatchObject({ additions: 5, deletions: 1, changed_files: 2 })

    api.setPullFiles(7, Array.from({ length: 45 }, (_, i) => ({ filename: `f${i}.txt`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+x' })))
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: 7, per_page: 20 })
    expect(all.map((f) => f.filename)).toEqual(Array.from({ length: 45 }, (_, i) => `f${i}.txt`))
    expect(api.requests.filter((r) => r.route === 'listPullFiles')).toHaveLength(4)
  })
})

describe('GitHub REST fake: reviews with inline comments', () => {
  it('posts a review as the token, its comments placed on added, context, removed and multi-line spans', async () => {
    const octokit = client(api)
    const suggestion = 'Use a constant:\n```suggestion\nconst retries = MAX_RETRIES\n```'
    const { data: review, status } = await octokit.rest.pulls.createReview({
      owner,
      repo,
      pull_number: PR,
      event: 'COMMENT',
      body: 'dynamic-workflow review',
      comments: [
        { path: 'src/app.ts', line: 2, side: 'RIGHT', body: suggestion },
        { path: 'src/app.ts', line: 22, body: 'context line' },
        { path: 'src/app.ts', line: 2, side: 'LEFT', body: 'removed line' },
        { path: 'src/app.ts', start_line: 2, start_side: 'RIGHT', line: 3, side: 'RIGHT', body: 'two lines' },
        { path: 'docs/new.md', line: 1, body: 'new file' },
      ],
    })
    expect(status).toBe(200)
    expect(review).toMatchObject({ state: 'COMMENTED', body: 'dynamic-workflow review', user: { login: GITHUB_ACTIONS_BOT.login, type: 'Bot' }, commit_id: api.pull(PR).head.sha })
    expect(review.html_url).toBe(`https://github.com/${api.repository}/pull/${PR}#pullrequestreview-${review.id}`)
    expect(review.submitted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    const comments = await octokit.paginate(octokit.rest.pulls.listCommentsForReview, { owner, repo, pull_number: PR, review_id: review.id })
    expect(comments.map((c) => [c.path, c.start_line ?? null, c.line, c.side, c.body])).toEqual([
      ['src/app.ts', null, 2, 'RIGHT', suggestion],
      ['src/app.ts', null, 22, 'RIGHT', 'context line'],
      ['src/app.ts', null, 2, 'LEFT', 'removed line'],
      ['src/app.ts', 2, 3, 'RIGHT', 'two lines'],
      ['docs/new.md', null, 1, 'RIGHT', 'new file'],
    ])
    expect(comments[0]!.diff_hunk).toBe(APP_PATCH.split('\n').slice(0, 4).join('\n'))
    expect(comments[1]!.diff_hunk).toBe(APP_PATCH.split('\n').slice(7, 10).join('\n'))
    expect(comments[0]).toMatchObject({ pull_request_review_id: review.id, user: { login: GITHUB_ACTIONS_BOT.login }, position: 3 })
    expect(comments[0]!.html_url).toBe(`https://github.com/${api.repository}/pull/${PR}#discussion_r${comments[0]!.id}`)

    const listed = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: PR })
    expect(listed.data.map((r) => r.id)).toEqual([review.id])
    const all = await octokit.rest.pulls.listReviewComments({ owner, repo, pull_number: PR })
    expect(all.data.map((c) => c.id)).toEqual(comments.map((c) => c.id))
    expect(api.requests.find((r) => r.route === 'createReview')!.body.comments).toHaveLength(5)
  })

  it('answers 422 for a comment off the diff, and stores nothing of the review', async () => {
    const octokit = client(api)
    const post = (comment: Record<string, unknown>) =>
      rejection(octokit.rest.pulls.createReview({ owner, repo, pull_number: PR, event: 'COMMENT', body: 'x', comments: [{ path: 'src/app.ts', line: 1, body: 'fine' }, { body: 'y', ...comment } as any] }))

    const outside = await post({ path: 'src/app.ts', line: 10 })
    expect(outside.name).toBe('HttpError')
    expect(outside.status).toBe(422)
    expect(outside.response.data).toEqual({
      message: 'Unprocessable Entity',
      errors: ["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],
      documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
      status: '422',
    })
    // LEFT lines are the old file's: 5 was neither removed nor context (the hunks hold 1-4 and 20-22).
    expect((await post({ path: 'src/app.ts', line: 5, side: 'LEFT' })).response.data.errors[0]).toMatch(/line must be part of the diff/)
    expect((await post({ path: 'README.md', line: 1 })).response.data.errors[0]).toMatch(/path is invalid/)
    expect((await post({ path: 'src/app.ts', start_line: 3, line: 23 })).response.data.errors[0]).toMatch(/start line must be part of the same hunk as the line\./)
    expect((await post({ path: 'src/app.ts', start_line: 4, line: 2 })).response.data.errors[0]).toMatch(/start line must precede the end line/)
    expect(api.reviews(PR)).toEqual([])
    expect(api.reviewComments(PR)).toEqual([])
  })

  it('approves or requests changes on another author’s PR, never on its own; a pending review has no submitted_at', async () => {
    const octokit = client(api)
    const approved = await octokit.rest.pulls.createReview({ owner, repo, pull_number: PR, event: 'APPROVE' })
    expect(approved.data.state).toBe('APPROVED')
    expect((await rejection(octokit.rest.pulls.createReview({ owner, repo, pull_number: PR, event: 'REQUEST_CHANGES' }))).response.data.errors).toEqual(["Body can't be blank"])
    api.setPull(PR, { user: { login: GITHUB_ACTIONS_BOT.login } })
    const own = await rejection(octokit.rest.pulls.createReview({ owner, repo, pull_number: PR, event: 'APPROVE' }))
    expect(own.response.data.errors).toEqual(['Review Can not approve your own pull request'])

    const pending = await octokit.rest.pulls.createReview({ owner, repo, pull_number: PR, comments: [{ path: 'src/app.ts', line: 4, body: 'later' }] })
    expect(pending.data.state).toBe('PENDING')
    expect(pending.data.submitted_at).toBeUndefined()
    expect((await rejection(octokit.rest.pulls.createReview({ owner, repo, pull_number: PR }))).status).toBe(422)
  })

  it('creates a single review comment, and refuses one off the diff with the field GitHub names', async () => {
    const octokit = client(api)
    const commit_id = api.pull(PR).head.sha
    const made = await octokit.rest.pulls.createReviewComment({ owner, repo, pull_number: PR, commit_id, path: 'src/app.ts', line: 23, body: 'note' })
    expect(made.status).toBe(201)
    expect(made.data).toMatchObject({ path: 'src/app.ts', line: 23, side: 'RIGHT', commit_id })
    const off = await rejection(octokit.rest.pulls.createReviewComment({ owner, repo, pull_number: PR, commit_id, path: 'src/app.ts', line: 40, body: 'x' }))
    expect(off.status).toBe(422)
    expect(off.response.data.message).toBe('Validation Failed')
    expect(off.response.data.errors[0]).toMatchObject({ resource: 'PullRequestReviewComment', field: 'pull_request_review_thread.line', code: 'custom' })
  })
})

describe('GitHub REST fake: labels', () => {
  it('adds (creating unknown labels, once each), lists and removes; removing an absent label is a 404', async () => {
    const octokit = client(api)
    const added = await octokit.rest.issues.addLabels({ owner, repo, issue_number: PR, labels: ['needs-review', 'bot'] })
    expect(added.data.map((l) => [l.name, l.color, l.default])).toEqual([
      ['needs-review', 'ededed', false],
      ['bot', 'ededed', false],
    ])
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: PR, labels: ['Bot', 'ready'] })
    expect((await octokit.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: PR })).data.map((l) => l.name)).toEqual(['needs-review', 'bot', 'ready'])

    const removed = await octokit.rest.issues.removeLabel({ owner, repo, issue_number: PR, name: 'needs-review' })
    expect(removed.data.map((l) => l.name)).toEqual(['bot', 'ready'])
    const absent = await rejection(octokit.rest.issues.removeLabel({ owner, repo, issue_number: PR, name: 'needs-review' }))
    expect(absent.status).toBe(404)
    expect(absent.response.data.message).toBe('Label does not exist')
    // A name with a slash or a space travels URL-encoded.
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: PR, labels: ['area/ci fix'] })
    await octokit.rest.issues.removeLabel({ owner, repo, issue_number: PR, name: 'area/ci fix' })
    expect(api.labels(PR)).toEqual(['bot', 'ready'])
  })
})

describe('GitHub REST fake: pull requests created by the token', () => {
  beforeEach(() => {
    api.seedBranch('main', { 'README.md': '# Repo\n' })
    api.seedBranch('dwf/fix-1', { 'README.md': '# Repo\n\nFixed.\n' }, { from: 'main' })
  })

  it('creates a PR, finds it by head, refuses a second one for the same head, and updates it', async () => {
    const octokit = client(api)
    const created = await octokit.rest.pulls.create({ owner, repo, title: 'Fix', head: 'dwf/fix-1', base: 'main', body: 'by dwf', draft: true })
    expect(created.status).toBe(201)
    const pr = created.data
    expect(pr.number).toBe(PR + 1)
    expect(pr).toMatchObject({ state: 'open', title: 'Fix', body: 'by dwf', draft: true, user: { login: GITHUB_ACTIONS_BOT.login }, head: { ref: 'dwf/fix-1', sha: api.branchSha('dwf/fix-1'), repo: { full_name: api.repository } }, base: { ref: 'main', sha: api.branchSha('main') } })
    expect(pr.html_url).toBe(`https://github.com/${api.repository}/pull/${pr.number}`)
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number })).data.head.label).toBe(`${owner}:dwf/fix-1`)

    const byHead = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:dwf/fix-1`, state: 'open' })
    expect(byHead.data.map((p) => p.number)).toEqual([pr.number])
    expect((await octokit.rest.pulls.list({ owner, repo, head: `${owner}:other` })).data).toEqual([])

    const again = await rejection(octokit.rest.pulls.create({ owner, repo, title: 'Fix', head: `${owner}:dwf/fix-1`, base: 'main' }))
    expect(again.status).toBe(422)
    expect(again.message).toContain(`A pull request already exists for ${owner}:dwf/fix-1.`)

    const updated = await octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, title: 'Fix (2)', body: 'new body', state: 'closed' })
    expect(updated.data).toMatchObject({ title: 'Fix (2)', body: 'new body', state: 'closed' })
    expect(updated.data.closed_at).not.toBeNull()
    expect((await octokit.rest.pulls.list({ owner, repo, head: `${owner}:dwf/fix-1`, state: 'open' })).data).toEqual([])
    expect((await octokit.rest.pulls.list({ owner, repo, head: `${owner}:dwf/fix-1`, state: 'closed' })).data.map((p) => p.number)).toEqual([pr.number])
  })

  it('refuses a head branch that does not exist, and a head with no commits over the base', async () => {
    const octokit = client(api)
    const missing = await rejection(octokit.rest.pulls.create({ owner, repo, title: 'x', head: 'nope', base: 'main' }))
    expect(missing.response.data.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
    api.seedBranch('same', { 'README.md': '# Repo\n' }, { from: 'main' })
    await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/same', sha: api.branchSha('main')!, force: true })
    const empty = await rejection(octokit.rest.pulls.create({ owner, repo, title: 'x', head: 'same', base: 'main' }))
    expect(empty.message).toContain('No commits between main and same')
  })
})
