// The git data API of the GitHub REST fake, driven by the real @octokit/rest with its retry and
// throttling plugins: a commit made without a clone (blob, tree on a base tree, commit, ref
// update), object ids equal to git's own, a tree that equals its parent's detectable by sha,
// refs that refuse a duplicate or a non-fast-forward, and the faults every new write must
// meet: a read-only token, a secondary rate limit, a 5xx after the write landed.
import { describe, expect, it, beforeEach, afterEach } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startGitHubApi, GITHUB_ACTIONS_BOT, type GitHubApi, type GitHubRoute } from './github-api.js'
import { client, rejection, type LimitEvent } from './octokit-client.js'

const FILES = { 'README.md': '# Repo\n', 'src/app.ts': 'export const a = 1\n', 'src/lib/util.ts': 'export {}\n', 'old.txt': 'bye\n' }

let api: GitHubApi
let owner: string
let repo: string
let base: { commit: string; tree: string }
beforeEach(async () => {
  api = await startGitHubApi()
  ;[owner, repo] = api.repository.split('/') as [string, string]
  base = api.seedBranch('main', FILES)
})
afterEach(async () => {
  await api.close()
})

/** What `git write-tree` gives for these files, in a throwaway repository. */
function gitTreeOf(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'github-api-git-'))
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
    git('init', '-q')
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      fs.writeFileSync(path.join(dir, file), content)
    }
    git('add', '-A')
    return git('write-tree')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe('GitHub REST fake: git data API', () => {
  it('names blobs and trees as git does', async () => {
    const octokit = client(api)
    const utf8 = await octokit.rest.git.createBlob({ owner, repo, content: 'hello\n' })
    expect(utf8.status).toBe(201)
    expect(utf8.data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
    const b64 = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from('hello\n').toString('base64'), encoding: 'base64' })
    expect(b64.data.sha).toBe(utf8.data.sha)
    const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: utf8.data.sha })
    expect(blob.data).toMatchObject({ encoding: 'base64', size: 6 })
    expect(Buffer.from(blob.data.content, 'base64').toString()).toBe('hello\n')
    expect(base.tree).toBe(gitTreeOf(FILES))
  })

  it('commits a change on a branch: blob, tree on the base tree (add, change, delete), signed commit, fast-forward', async () => {
    const octokit = client(api)
    const head = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' })
    expect(head.data).toMatchObject({ ref: 'refs/heads/main', object: { sha: base.commit, type: 'commit' } })
    const parent = await octokit.rest.git.getCommit({ owner, repo, commit_sha: head.data.object.sha })
    const blob = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from('export const b = 2\n').toString('base64'), encoding: 'base64' })
    const tree = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: parent.data.tree.sha,
      tree: [
        { path: 'src/new/b.ts', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'src/app.ts', mode: '100644', type: 'blob', content: 'export const a = 2\n' },
        { path: 'old.txt', mode: '100644', type: 'blob', sha: null },
      ],
    })
    expect(tree.status).toBe(201)
    const expected = { 'README.md': '# Repo\n', 'src/app.ts': 'export const a = 2\n', 'src/lib/util.ts': 'export {}\n', 'src/new/b.ts': 'export const b = 2\n' }
    expect(tree.data.sha).toBe(gitTreeOf(expected))
    expect(tree.data.tree.map((e) => [e.path, e.type])).toEqual([
      ['README.md', 'blob'],
      ['src', 'tree'],
    ])
    const recursive = await octokit.rest.git.getTree({ owner, repo, tree_sha: tree.data.sha, recursive: '1' })
    expect(recursive.data.tree.filter((e) => e.type === 'blob').map((e) => e.path)).toEqual(['README.md', 'src/app.ts', 'src/lib/util.ts', 'src/new/b.ts'])

    const commit = await octokit.rest.git.createCommit({ owner, repo, message: 'Apply effects', tree: tree.data.sha, parents: [parent.data.sha] })
    expect(commit.status).toBe(201)
    expect(commit.data).toMatchObject({ message: 'Apply effects', tree: { sha: tree.data.sha }, parents: [{ sha: parent.data.sha }], verification: { verified: true, reason: 'valid' } })
    expect(commit.data.author).toMatchObject({ name: GITHUB_ACTIONS_BOT.login, email: `${GITHUB_ACTIONS_BOT.id}+${GITHUB_ACTIONS_BOT.login}@users.noreply.github.com` })
    expect(commit.data.sha).toMatch(/^[0-9a-f]{40}$/)
    expect((await octokit.rest.git.getCommit({ owner, repo, commit_sha: commit.data.sha })).data.sha).toBe(commit.data.sha)

    const moved = await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: commit.data.sha })
    expect(moved.data.object.sha).toBe(commit.data.sha)
    expect(api.files('main')).toEqual(expected)
    expect(api.gitCommit(commit.data.sha)).toMatchObject({ parents: [base.commit], verified: true })
    // A commit given a committer is not signed by GitHub.
    const custom = await octokit.rest.git.createCommit({ owner, repo, message: 'x', tree: tree.data.sha, parents: [commit.data.sha], committer: { name: 'A', email: 'a@example.com' } })
    expect(custom.data.verification).toMatchObject({ verified: false, reason: 'unsigned' })
  })

  it("answers a tree equal to the parent's with the parent's sha, so an empty commit can be skipped", async () => {
    const octokit = client(api)
    const same = await octokit.rest.git.createTree({ owner, repo, base_tree: base.tree, tree: [{ path: 'src/app.ts', mode: '100644', type: 'blob', content: FILES['src/app.ts'] }] })
    expect(same.data.sha).toBe(base.tree)
    const changed = await octokit.rest.git.createTree({ owner, repo, base_tree: base.tree, tree: [{ path: 'src/app.ts', mode: '100644', type: 'blob', content: 'changed\n' }] })
    expect(changed.data.sha).not.toBe(base.tree)
    const deleteMissing = await rejection(octokit.rest.git.createTree({ owner, repo, base_tree: base.tree, tree: [{ path: 'nope.txt', mode: '100644', type: 'blob', sha: null }] }))
    expect(deleteMissing.status).toBe(422)
  })

  it('creates a branch ref, refuses it twice, refuses a non-fast-forward unless forced, and deletes it', async () => {
    const octokit = client(api)
    const missing = await rejection(octokit.rest.git.getRef({ owner, repo, ref: 'heads/dwf/effects-1' }))
    expect(missing.status).toBe(404)
    const created = await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/dwf/effects-1', sha: base.commit })
    expect(created.status).toBe(201)
    expect((await octokit.rest.git.getRef({ owner, repo, ref: 'heads/dwf/effects-1' })).data.object.sha).toBe(base.commit)
    expect((await octokit.rest.repos.getBranch({ owner, repo, branch: 'dwf/effects-1' })).data.commit.sha).toBe(base.commit)
    expect((await octokit.rest.repos.get({ owner, repo })).data.default_branch).toBe('main')

    const twice = await rejection(octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/dwf/effects-1', sha: base.commit }))
    expect(twice.status).toBe(422)
    expect(twice.response.data.message).toBe('Reference already exists')

    // The root commit of another branch does not descend from the ref's commit.
    const other = api.seedBranch('other', { 'x.txt': 'x\n' })
    const notFf = await rejection(octokit.rest.git.updateRef({ owner, repo, ref: 'heads/dwf/effects-1', sha: other.commit }))
    expect(notFf.status).toBe(422)
    expect(notFf.response.data.message).toBe('Update is not a fast forward')
    expect(api.branchSha('dwf/effects-1')).toBe(base.commit)
    await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/dwf/effects-1', sha: other.commit, force: true })
    expect(api.branchSha('dwf/effects-1')).toBe(other.commit)

    expect((await octokit.rest.git.deleteRef({ owner, repo, ref: 'heads/dwf/effects-1' })).status).toBe(204)
    expect(api.branchSha('dwf/effects-1')).toBeUndefined()
  })
})

describe('GitHub REST fake: faults on the new writes', () => {
  it('answers 403 "Resource not accessible by integration" to a read-only token on every write, reads still served', async () => {
    api.setPullFiles(42, [{ filename: 'README.md', patch: '@@ -1 +1 @@\n-# Old\n+# Repo' }])
    api.seedBranch('feature', { 'README.md': '# Feature\n' }, { from: 'main' })
    api.setReadOnly(true)
    const octokit = client(api)
    const common = { owner, repo }
    const writes: Array<[GitHubRoute, () => Promise<unknown>]> = [
      ['createBlob', () => octokit.rest.git.createBlob({ ...common, content: 'x' })],
      ['createTree', () => octokit.rest.git.createTree({ ...common, tree: [{ path: 'a', mode: '100644', type: 'blob', content: 'a' }] })],
      ['createCommit', () => octokit.rest.git.createCommit({ ...common, message: 'm', tree: base.tree, parents: [] })],
      ['createRef', () => octokit.rest.git.createRef({ ...common, ref: 'refs/heads/x', sha: base.commit })],
      ['updateRef', () => octokit.rest.git.updateRef({ ...common, ref: 'heads/main', sha: base.commit })],
      ['deleteRef', () => octokit.rest.git.deleteRef({ ...common, ref: 'heads/feature' })],
      ['createPull', () => octokit.rest.pulls.create({ ...common, title: 't', head: 'feature', base: 'main' })],
      ['updatePull', () => octokit.rest.pulls.update({ ...common, pull_number: 42, title: 't' })],
      ['createReview', () => octokit.rest.pulls.createReview({ ...common, pull_number: 42, event: 'COMMENT', body: 'b' })],
      ['createReviewComment', () => octokit.rest.pulls.createReviewComment({ ...common, pull_number: 42, commit_id: base.commit, path: 'README.md', line: 1, body: 'b' })],
      ['addLabels', () => octokit.rest.issues.addLabels({ ...common, issue_number: 42, labels: ['x'] })],
      ['removeLabel', () => octokit.rest.issues.removeLabel({ ...common, issue_number: 42, name: 'x' })],
    ]
    for (const [route, call] of writes) {
      const error = await rejection(call())
      expect([route, error.status, error.response.data.message]).toEqual([route, 403, 'Resource not accessible by integration'])
    }
    // Every write route of the fake is refused (the comment and artifact ones are tested elsewhere).
    const tested = new Set<GitHubRoute>([...writes.map(([r]) => r), 'createComment', 'updateComment', 'deleteComment', 'deleteArtifact'])
    expect(api.writeRoutes.filter((r) => !tested.has(r))).toEqual([])
    expect(api.requests.map((r) => r.route)).toEqual(writes.map(([r]) => r))
    expect(api.branchSha('feature')).toBeDefined()
    expect((await octokit.rest.git.getRef({ ...common, ref: 'heads/main' })).status).toBe(200)
  })

  it('has the throttling plugin wait out a secondary rate limit on a review; the review lands once', async () => {
    api.setPullFiles(42, [{ filename: 'README.md', patch: '@@ -1 +1 @@\n-# Old\n+# Repo' }])
    api.secondaryRateLimit(1, { retryAfter: 1, routes: ['createReview', 'createRef'] })
    const events: LimitEvent[] = []
    const review = await client(api, events).rest.pulls.createReview({ owner, repo, pull_number: 42, event: 'COMMENT', body: 'b', comments: [{ path: 'README.md', line: 1, body: 'c' }] })
    expect(review.status).toBe(200)
    expect(events.map((e) => [e.kind, e.url])).toEqual([['secondary', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews']])
    expect(api.reviews(42)).toHaveLength(1)
    expect(api.reviewComments(42)).toHaveLength(1)
  })

  it('a 502 after a ref was created: the retry meets "Reference already exists" — a re-run must check before creating', async () => {
    api.serverError(1, { routes: ['createRef'], after: true })
    const error = await rejection(client(api).rest.git.createRef({ owner, repo, ref: 'refs/heads/dwf/x', sha: base.commit }))
    expect(error.status).toBe(422)
    expect(error.response.data.message).toBe('Reference already exists')
    expect(api.requests.filter((r) => r.route === 'createRef').map((r) => r.status)).toEqual([502, 422])
    expect(api.branchSha('dwf/x')).toBe(base.commit)
  })
})
