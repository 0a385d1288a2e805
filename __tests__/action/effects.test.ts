import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'

/**
 * Effects through the Action's dist/, on the GitHub API emulator: the script's review is posted
 * once with its inline comments (a comment off the diff goes into the body), its labels are
 * applied, a re-run posts nothing new, a changed review is posted as a new one, a read-only token
 * gets a notice and the step succeeds, and the PR comment shows report()'s Markdown.
 */
const PATCH = ['@@ -1,3 +1,4 @@', ' export function add(a, b) {', '-  return a - b', '+  return a + b', '+  // fixed', ' }'].join('\n')
const SCRIPT = (extra = '') => `export const meta = { name: 'reviewer' }
const answer = await agent('review')
report('## Findings\\n\\n- the sign was wrong in **add**')
review.summary('One fix, one note.' + ${JSON.stringify(extra)})
review.comment('src/math.js', 2, 'Good catch.', { suggestion: '  return a + b // checked' })
review.comment('src/math.js', 40, 'Far from the diff.')
labels.add('ai-reviewed')
return answer.length
`
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-effects-'))
let api: GitHubApi
beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(async () => {
  await api.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function eventFor(pr: number): string {
  const file = path.join(tmp, `event-${pr}.json`)
  fs.writeFileSync(file, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr } }))
  return file
}

function runOn(pr: number, script: string, options: { attempt?: number; token?: string; inputs?: Record<string, string> } = {}): Promise<ActionRun> {
  return runAction({
    inputs: { script: 'w.js', agent: 'mock', artifact: 'false', cache: 'false', ...options.inputs },
    files: { 'w.js': script },
    token: options.token ?? api.token,
    env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFor(pr), GITHUB_API_URL: api.url, GITHUB_REPOSITORY: api.repository, GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1) },
  })
}

describe('the review and labels a script declares', () => {
  const pr = 7
  let first: ActionRun
  beforeAll(async () => {
    api.setPullFiles(pr, [{ filename: 'src/math.js', patch: PATCH, status: 'modified' }])
    first = await runOn(pr, SCRIPT())
  }, 120_000)

  it('posts one review: the comment on a diff line inline with its suggestion, the other in the body with file:line; review-id is set', () => {
    expect(first.outputs.status).toBe('succeeded')
    const reviews = api.reviews(pr)
    expect(reviews).toHaveLength(1)
    expect(first.outputs['review-id']).toBe(String(reviews[0]!.id))
    expect(reviews[0]!.body).toMatch(/^<!-- dynamic-workflow-review:reviewer:[^:]+:[0-9a-f]{16} -->/)
    expect(reviews[0]!.body).toContain('One fix, one note.')
    expect(reviews[0]!.body).toContain('- `src/math.js:40`: Far from the diff.')
    const inline = api.reviewComments(pr)
    expect(inline).toHaveLength(1)
    expect(inline[0]).toMatchObject({ path: 'src/math.js', line: 2 })
    expect(inline[0]!.body).toContain('```suggestion\n  return a + b // checked\n```')
  })

  it('applies the labels', () => {
    expect(api.labels(pr)).toContain('ai-reviewed')
  })

  it("shows report()'s Markdown in the PR comment, rendered and visible", () => {
    const comment = api.comments(pr).find((c) => c.body.startsWith('<!-- dynamic-workflow:reviewer:'))!
    expect(comment.body).toContain('\n## Findings\n\n- the sign was wrong in **add**\n')
    expect(comment.body).not.toContain('<summary>Result</summary>')
  })

  it('a re-run attempt posts no second review', async () => {
    const again = await runOn(pr, SCRIPT(), { attempt: 2 })
    expect(again.outputs.status).toBe('succeeded')
    expect(api.reviews(pr)).toHaveLength(1)
    expect(again.outputs['review-id']).toBe(first.outputs['review-id'])
  }, 120_000)

  it('a changed review is posted as a new one, which says it replaces the earlier one', async () => {
    const changed = await runOn(pr, SCRIPT(' And one more thing.'), { attempt: 3 })
    expect(changed.outputs.status).toBe('succeeded')
    const reviews = api.reviews(pr)
    expect(reviews).toHaveLength(2)
    expect(reviews[1]!.body).toContain('This review replaces an earlier one from this workflow')
  }, 120_000)

  it('review: never posts nothing', async () => {
    api.setPullFiles(8, [{ filename: 'src/math.js', patch: PATCH, status: 'modified' }])
    const run = await runOn(8, SCRIPT(), { inputs: { review: 'never' } })
    expect(run.outputs.status).toBe('succeeded')
    expect(api.reviews(8)).toHaveLength(0)
  }, 120_000)
})

describe('a read-only token (a pull request from a fork)', () => {
  it('gets one notice per effect, the summary lists what was not done, and the step succeeds', async () => {
    const pr = 9
    api.setPullFiles(pr, [{ filename: 'src/math.js', patch: PATCH, status: 'modified' }])
    api.setReadOnly(true)
    try {
      const run = await runOn(pr, SCRIPT())
      expect(run.outputs.status).toBe('succeeded')
      expect(run.main.code).toBe(0)
      expect(api.reviews(pr)).toHaveLength(0)
      expect(run.summary).toContain('The review was not posted: the token cannot write to pull request #\u200b9')
      expect(run.summary).toContain('The labels were not changed')
    } finally {
      api.setReadOnly(false)
    }
  }, 120_000)
})

describe("the run's file changes, delivered once", () => {
  const SCRIPT = `export const meta = { name: 'deliver', description: 'Fix the a file' }
writeFile('src/a.txt', 'A, fixed\\n')
report('# Fix src/a.txt\\n\\nIt said a.')
return 'ok'
`
  const files = { 'w.js': SCRIPT, 'src/a.txt': 'a\n', 'src/b.txt': 'b\n' }

  /** The job's checkout: the files, and a .git whose HEAD is the commit (as actions/checkout leaves it). */
  function deliver(commit: string, env: Record<string, string>, inputs: Record<string, string>, attempt = 1): Promise<ActionRun> {
    return runAction({
      inputs: { script: 'w.js', agent: 'mock', artifact: 'false', cache: 'false', ...inputs },
      files: { ...files, '.git/HEAD': `${commit}\n` },
      token: api.token,
      env: { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: api.repository, GITHUB_RUN_ATTEMPT: String(attempt), ...env },
    })
  }

  it('pull-request: one branch, one commit, one pull request; a re-run and a later run that replays make no new commit or pull request', async () => {
    const { commit } = api.seedBranch('main', files)
    const dispatch = { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REF_NAME: 'main', GITHUB_RUN_ID: '500' }
    const first = await deliver(commit, dispatch, { changes: 'pull-request' })
    expect(first.outputs.status).toBe('succeeded')
    expect(first.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(api.branchSha('dynamic-workflow/deliver')).toBe(first.outputs['commit-sha'])
    expect(api.files(first.outputs['commit-sha']!)).toMatchObject({ 'src/a.txt': 'A, fixed\n', 'src/b.txt': 'b\n', 'w.js': SCRIPT })
    expect(api.gitCommit(first.outputs['commit-sha']!)!.message).toBe('Fix src/a.txt\n\nDynamic-Workflow-Run: deliver 500')
    const opened = api.pulls().filter((p) => p.head.ref === 'dynamic-workflow/deliver')
    expect(opened).toHaveLength(1)
    expect(opened[0]).toMatchObject({ number: Number(first.outputs['pull-request-number']), title: 'Fix src/a.txt', base: { ref: 'main' } })
    expect(first.outputs['pull-request-url']).toBe(opened[0]!.html_url)

    const rerun = await deliver(commit, dispatch, { changes: 'pull-request' }, 2)
    const later = await deliver(commit, { ...dispatch, GITHUB_RUN_ID: '501' }, { changes: 'pull-request' })
    for (const run of [rerun, later]) {
      expect(run.outputs.status).toBe('succeeded')
      expect(run.outputs['commit-sha']).toBe('')
      expect(run.outputs['pull-request-number']).toBe(first.outputs['pull-request-number'])
    }
    expect(api.branchSha('dynamic-workflow/deliver')).toBe(first.outputs['commit-sha'])
    expect(api.pulls().filter((p) => p.head.ref === 'dynamic-workflow/deliver')).toHaveLength(1)
  }, 180_000)

  it("commit: one commit on the pull request's head branch; a re-run makes none; a branch someone pushed to meanwhile is left alone", async () => {
    const { commit } = api.seedBranch('feature', files)
    const pr = 31
    api.setPull(pr, { head: { ref: 'feature', sha: commit, label: `owner:feature`, repo: { full_name: api.repository } } })
    const event = path.join(tmp, 'event-31.json')
    fs.writeFileSync(event, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr } }))
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_RUN_ID: '600' }
    const first = await deliver(commit, env, { changes: 'commit' })
    expect(first.outputs.status).toBe('succeeded')
    expect(api.branchSha('feature')).toBe(first.outputs['commit-sha'])
    expect(api.gitCommit(first.outputs['commit-sha']!)!.parents).toEqual([commit])
    expect(api.files('feature')).toMatchObject({ 'src/a.txt': 'A, fixed\n' })

    const rerun = await deliver(commit, env, { changes: 'commit' }, 2)
    expect(rerun.outputs['commit-sha']).toBe('')
    expect(api.branchSha('feature')).toBe(first.outputs['commit-sha'])

    // Someone pushes; a run that started from the old head must not write over their work.
    const pushed = api.seedBranch('feature', { ...files, 'src/a.txt': 'theirs\n' }, { from: 'feature' }).commit
    const stale = await deliver(commit, { ...env, GITHUB_RUN_ID: '601' }, { changes: 'commit' })
    expect(stale.outputs.status).toBe('succeeded')
    expect(stale.outputs['commit-sha']).toBe('')
    expect(api.branchSha('feature')).toBe(pushed)
    expect(stale.summary).toContain('the changes were not committed')
  }, 180_000)
})
