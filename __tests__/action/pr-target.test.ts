import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findPrTarget, pullsForCommit } from '../../src/action/pr-target.js'
import type { CommentMode } from '../../src/action/inputs.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { createGitHubClient } from '../../src/action/github-client.js'

let api: GitHubApi
let dir: string
beforeAll(async () => {
  api = await startGitHubApi()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-events-'))
})
afterAll(async () => {
  await api.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
let events = 0
/** The runner's environment for an event, with its payload written where GITHUB_EVENT_PATH says. */
function env(eventName: string, payload: object = {}): NodeJS.ProcessEnv {
  const file = path.join(dir, `event-${++events}.json`)
  fs.writeFileSync(file, JSON.stringify(payload))
  return { GITHUB_REPOSITORY: api.repository, GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, GITHUB_SHA: HEAD }
}

async function target(e: NodeJS.ProcessEnv, comment: CommentMode, prNumber?: number) {
  const notices: string[] = []
  const warnings: string[] = []
  const github = createGitHubClient({ token: api.token, baseUrl: api.url, retryAfterBaseValue: 5, throttleId: `pr-target-${events}` })
  const log = { info: () => {}, warning: (m: string) => void warnings.push(m), notice: (m: string) => void notices.push(m) }
  const found = await findPrTarget(e, { comment, prNumber }, pullsForCommit(github, log), log)
  return { issue: found?.issueNumber, notices, warnings }
}

const prEvent = { number: 12, pull_request: { number: 12 } }

describe('which pull request the comment goes to', () => {
  it.each([
    ['pull_request', prEvent, 12],
    ['pull_request_target', prEvent, 12],
    ['issue_comment on a PR', { issue: { number: 31, pull_request: { url: 'x' } } }, 31],
    ['issue_comment on an issue', { issue: { number: 32 } }, undefined],
    ['push', { ref: 'refs/heads/main' }, undefined],
    ['workflow_dispatch', { inputs: {} }, undefined],
  ])('auto on %s', async (event, payload, expected) => {
    const { issue, notices } = await target(env(event.split(' ')[0]!, payload), 'auto')
    expect(issue).toBe(expected)
    expect(notices).toEqual([])
  })

  it('auto on workflow_dispatch with pr-number: that PR', async () => {
    expect((await target(env('workflow_dispatch', { inputs: { pr: '44' } }), 'auto', 44)).issue).toBe(44)
  })

  it('never: no comment, whatever the event', async () => {
    expect((await target(env('pull_request', prEvent), 'never')).issue).toBeUndefined()
    expect((await target(env('workflow_dispatch'), 'never', 44)).issue).toBeUndefined()
  })

  it('always on a push: the open PR whose head is this commit, found through the API', async () => {
    api.setPull(51, { state: 'closed', head: { sha: HEAD, ref: 'old' } })
    api.setPull(52, { state: 'open', head: { sha: HEAD, ref: 'feature' } })
    const { issue, notices } = await target(env('push', { ref: 'refs/heads/feature' }), 'always')
    expect(issue).toBe(52)
    expect(notices).toEqual([])
    expect(api.requests.some((r) => r.route === 'listPullsForCommit' && r.path.endsWith(`/commits/${HEAD}/pulls`))).toBe(true)
  })

  it('always with no PR to be found: one notice naming the commit, and no comment', async () => {
    const e = { ...env('schedule'), GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff' }
    const { issue, notices } = await target(e, 'always')
    expect(issue).toBeUndefined()
    expect(notices).toEqual([expect.stringMatching(/comment: always, but this schedule has no pull request .*fffffff/)])
  })

  it('always on an issue_comment of a plain issue still comments on that thread; a failing lookup only warns', async () => {
    expect((await target(env('issue_comment', { issue: { number: 33 } }), 'always')).issue).toBe(33)
    api.serverError(4, { status: 500, routes: ['listPullsForCommit'] })
    const { issue, warnings } = await target(env('push'), 'always')
    expect(issue).toBeUndefined()
    expect(warnings.join()).toMatch(/Could not look up the pull request of commit a1b2c3d/)
  })
})
