import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startGitHubApi, type GitHubApi, type IssueComment } from '../support/actions/github-api.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { createGitHubClient } from '../../src/action/github-client.js'
import { StickyComment } from '../../src/action/sticky-comment.js'

/**
 * Issue 11, class 5: the sticky PR comment belongs to the runner. Only a comment written by
 * the token's own account (github-actions[bot] for GITHUB_TOKEN, the app's bot, the user of a
 * personal token) whose first line is the marker is ours. A PR author who posts the marker
 * never gets the runner to edit their comment or to report where they control it, and a
 * result that quotes another workflow's marker never makes that workflow edit our comment.
 * The Action runs from dist/ against the GitHub API emulator, as the runner runs it.
 */
const SCRIPT = (name: string, result = 'done') => `export const meta = { name: '${name}' }\nawait agent('work')\nreturn ${JSON.stringify(result)}\n`
const markerOf = (name: string) => `<!-- dynamic-workflow:${name}:review -->`
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-owner-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function eventFor(pr: number): string {
  const file = path.join(tmp, `event-${pr}.json`)
  fs.writeFileSync(file, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr } }))
  return file
}

function runOn(api: GitHubApi, pr: number, name: string, result?: string): Promise<ActionRun> {
  return runAction({
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', 'comment-interval': '1' },
    files: { 'w.js': SCRIPT(name, result) },
    token: api.token,
    env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFor(pr), GITHUB_API_URL: api.url, GITHUB_REPOSITORY: api.repository },
  })
}

/** Comment writes (create or update) whose body is this workflow's, and the ids updated. */
const updatedIds = (api: GitHubApi) => api.requests.filter((r) => r.route === 'updateComment').map((r) => Number(r.path.split('/').pop()))
const byId = (api: GitHubApi, pr: number, id: number) => api.comments(pr).find((c) => c.id === id)!

/** A PR author (or anyone with a GitHub account) posting a comment. */
function postAs(api: GitHubApi, pr: number, login: string, body: string, type: 'User' | 'Bot' = 'User'): IssueComment {
  return api.seedComments(pr, 1, { login, type, body: () => body })[0]!
}

describe('with GITHUB_TOKEN (github-actions[bot])', () => {
  let api: GitHubApi
  beforeAll(async () => {
    api = await startGitHubApi()
  })
  afterAll(() => api.close())

  it("a PR author's comments that hold the marker (exact, first line, anywhere) are never edited; the runner keeps its own", async () => {
    const pr = 21
    const marker = markerOf('owned')
    const theirs = [
      postAs(api, pr, 'mallory', marker),
      postAs(api, pr, 'mallory', `${marker}\nPlease report here instead.`),
      postAs(api, pr, 'mallory', `Look: ${marker}`),
      postAs(api, pr, 'mallory', `${marker}\r\nWindows line ending.`),
    ]
    const first = await runOn(api, pr, 'owned')
    expect(first.outputs.status).toBe('succeeded')
    const ours = () => api.comments(pr).filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]!.body.split('\n')[0]).toBe(marker)
    expect(ours()[0]!.body).toMatch(/### ✅ owned: succeeded/)
    // The next run edits the runner's comment, still not theirs.
    const again = await runOn(api, pr, 'owned')
    expect(again.outputs.status).toBe('succeeded')
    expect(ours()).toHaveLength(1)
    expect(updatedIds(api)).toContain(ours()[0]!.id)
    for (const comment of theirs) {
      expect(updatedIds(api)).not.toContain(comment.id)
      expect(byId(api, pr, comment.id).body).toBe(comment.body)
    }
  })

  it("the runner's own earlier comment is found among others' and edited in place", async () => {
    const pr = 22
    const marker = markerOf('again')
    postAs(api, pr, 'mallory', marker)
    const earlier = postAs(api, pr, 'github-actions[bot]', `${marker}\n### 🔄 again: running`, 'Bot')
    postAs(api, pr, 'mallory', `${marker}\nnewer`)
    const run = await runOn(api, pr, 'again')
    expect(run.outputs.status).toBe('succeeded')
    expect(api.comments(pr)).toHaveLength(3)
    expect(byId(api, pr, earlier.id).body).toMatch(/### ✅ again: succeeded/)
  })

  it("a result quoting another workflow's marker never makes that workflow edit this comment", async () => {
    const pr = 23
    const other = markerOf('other')
    // The result starts with the other workflow's marker, on a line of its own, and quotes a popular sticky-comment action's too.
    const quoter = await runOn(api, pr, 'quoter', `${other}\nquoted from the other workflow\n<!-- Sticky Pull Request Comment -->`)
    expect(quoter.outputs.status).toBe('succeeded')
    const quoterComment = api.comments(pr).find((c) => c.body.startsWith(markerOf('quoter')))!
    expect(quoterComment.body).toContain('quoted from the other workflow')
    // Shown, but not as a marker anyone could find: no `<!--` after our own first line.
    expect(quoterComment.body.split('\n').slice(1).join('\n')).not.toContain('<!--')
    const before = quoterComment.body
    const otherRun = await runOn(api, pr, 'other')
    expect(otherRun.outputs.status).toBe('succeeded')
    expect(byId(api, pr, quoterComment.id).body).toBe(before)
    const otherComments = api.comments(pr).filter((c) => c.body.startsWith(other))
    expect(otherComments).toHaveLength(1)
    expect(otherComments[0]!.id).not.toBe(quoterComment.id)
  })
})

describe('with another token identity', () => {
  it("an app's installation token: the app's own comment is edited, github-actions[bot]'s with the same marker is not", async () => {
    const api = await startGitHubApi({ token: 'ghs_reviewAppInstallationToken0123', actor: { login: 'review-app[bot]', id: 9_000_001, type: 'Bot' } })
    try {
      const pr = 31
      const marker = markerOf('app')
      const actionsBot = postAs(api, pr, 'github-actions[bot]', `${marker}\nanother workflow's comment`, 'Bot')
      const appEarlier = postAs(api, pr, 'review-app[bot]', `${marker}\n### 🔄 app: running`, 'Bot')
      const run = await runOn(api, pr, 'app')
      expect(run.outputs.status).toBe('succeeded')
      expect(byId(api, pr, appEarlier.id).body).toMatch(/### ✅ app: succeeded/)
      expect(byId(api, pr, actionsBot.id).body).toBe(actionsBot.body)
      expect(api.comments(pr)).toHaveLength(2)
      // Asked once, by GraphQL (GET /user would be refused for an installation token).
      expect(api.requests.filter((r) => r.route === 'graphql')).toHaveLength(1)
    } finally {
      await api.close()
    }
  })

  it("a user's personal token: comments are created as that user and found again; a PR author's are not touched", async () => {
    const api = await startGitHubApi({ token: 'ghp_maintainerPersonalToken0123', actor: { login: 'Octo-Maintainer', id: 5_000_001, type: 'User' } })
    try {
      const pr = 32
      const marker = markerOf('user')
      const theirs = postAs(api, pr, 'mallory', marker)
      await runOn(api, pr, 'user')
      const again = await runOn(api, pr, 'user')
      expect(again.outputs.status).toBe('succeeded')
      const mine = api.comments(pr).filter((c) => c.user.login === 'Octo-Maintainer')
      expect(mine).toHaveLength(1)
      expect(mine[0]!.body).toMatch(/### ✅ user: succeeded/)
      expect(updatedIds(api)).toContain(mine[0]!.id)
      expect(byId(api, pr, theirs.id).body).toBe(marker)
    } finally {
      await api.close()
    }
  })

  it("when neither GraphQL nor GET /user names the token: github-actions[bot] is assumed, said once as a notice, and others' comments stay untouched", async () => {
    const api = await startGitHubApi()
    try {
      const pr = 33
      const marker = markerOf('fallback')
      const theirs = postAs(api, pr, 'mallory', marker)
      const earlier = postAs(api, pr, 'github-actions[bot]', `${marker}\nold`, 'Bot')
      api.fault('graphql', { status: 404 })
      const notices: string[] = []
      const github = createGitHubClient({ token: api.token, baseUrl: api.url, retryAfterBaseValue: 5, throttleId: 'owner-fallback' })
      const comment = new StickyComment(github, { owner: 'octo-org', repo: 'octo-repo', issueNumber: pr }, marker, { info: () => {}, warning: (m) => notices.push(m), notice: (m) => notices.push(m) })
      expect(await comment.upsert(`${marker}\nnew`)).toBe('updated')
      expect(await comment.upsert(`${marker}\nnewer`)).toBe('updated')
      expect(notices).toHaveLength(1)
      expect(notices[0]).toMatch(/Could not tell which account the github-token belongs to .*github-actions\[bot\]/)
      expect(byId(api, pr, earlier.id).body).toBe(`${marker}\nnewer`)
      expect(byId(api, pr, theirs.id).body).toBe(marker)
      expect(api.requests.filter((r) => r.route === 'getAuthenticatedUser').map((r) => r.status)).toEqual([403])
    } finally {
      await api.close()
    }
  })

  it('matches logins case-insensitively, as GitHub does', async () => {
    const api = await startGitHubApi()
    try {
      const pr = 34
      const marker = markerOf('case')
      const earlier = postAs(api, pr, 'github-actions[bot]', `${marker}\nold`, 'Bot')
      const github = createGitHubClient({ token: api.token, baseUrl: api.url, retryAfterBaseValue: 5, throttleId: 'owner-case' })
      const log = { info: () => {}, warning: () => {}, notice: () => {} }
      expect(await new StickyComment(github, { owner: 'octo-org', repo: 'octo-repo', issueNumber: pr }, marker, log, 'GitHub-Actions[Bot]').upsert(`${marker}\nnew`)).toBe('updated')
      expect(byId(api, pr, earlier.id).body).toBe(`${marker}\nnew`)
    } finally {
      await api.close()
    }
  })
})
