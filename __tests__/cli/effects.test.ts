import { afterEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { runCli, tempProject } from '../support/cli.js'

/**
 * Effects are data: a script declares its report, a review and labels; `dwf` records and shows
 * them (the Action performs them), and a replay declares the same again.
 */
let project: ReturnType<typeof tempProject>
afterEach(() => project?.cleanup())

const DECLARES = `export const meta = { name: 'declares' }
const answer = await agent('review this')
report('## Review\\n\\nAll good: ' + answer.length + ' characters read.')
review.summary('Two small things.')
review.comment('src/a.ts', 12, 'Use const here.', { suggestion: 'const x = 1', startLine: 11, side: 'RIGHT' })
review.comment('src/b.ts', 3, 'Typo.')
labels.add('needs-work')
labels.add('ai-reviewed')
labels.remove('needs-work')
return 'done'
`

describe('declared effects', () => {
  it('--json counts them, the run state keeps them, the terminal says what the Action would do, and a replay declares the same', async () => {
    project = tempProject({ 'w.js': DECLARES })
    const first = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(first.code).toBe(0)
    expect(first.json.effects).toEqual({ report: true, review: { comments: 2, summary: true }, labels: { add: ['ai-reviewed'], remove: ['needs-work'] } })
    expect(first.stderr).toContain('in GitHub Actions this run would post the report, post a review with 2 comments, add 1 label (ai-reviewed), remove 1 label (needs-work)')
    const run = JSON.parse(fs.readFileSync(path.join(project.dir, '.dynamic-workflow/runs', first.json.runId, 'run.json'), 'utf8'))
    expect(run.effects.review.comments[0]).toEqual({ path: 'src/a.ts', line: 12, body: 'Use const here.', suggestion: 'const x = 1', startLine: 11, side: 'RIGHT' })
    expect(run.effects.report).toMatch(/^## Review\n\nAll good: \d+ characters read\.$/)
    const again = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(again.json.agents).toMatchObject({ live: 0, replayed: 1 })
    expect(again.json.effects).toEqual(first.json.effects)
    const status = await runCli(['status', first.json.runId], { cwd: project.dir })
    expect(status.stdout).toContain('would post the report, post a review with 2 comments')
    expect(status.stdout).toContain('  src/a.ts:11-12 Use const here. (suggestion)')
  })

  it('a run that declares nothing says so in --json', async () => {
    project = tempProject({ 'w.js': `export const meta = { name: 'quiet' }\nreturn await agent('hi')\n` })
    const run = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(run.json.effects).toEqual({ report: false, review: { comments: 0, summary: false }, labels: { add: [], remove: [] } })
    expect(run.stderr).not.toContain('would post')
  })

  it.each([
    ["report(42)", 'report(): the report must be a non-empty string'],
    ["review.comment('../etc/passwd', 1, 'x')", 'review.comment(): the path must be a file of the repository'],
    ["review.comment('a.ts', 0, 'x')", 'review.comment(): the line must be a positive integer'],
    ["review.comment('a.ts', 3, 'x', { startLine: 5 })", 'review.comment(): startLine must be a positive integer below line'],
    ["review.comment('a.ts', 3, 'x', { side: 'MIDDLE' })", "review.comment(): side must be 'LEFT'"],
    ["review.comment('a.ts', 3, 'x', { sugestion: 'y' })", "review.comment(): unknown option 'sugestion'"],
    ["labels.add('x'.repeat(51))", 'labels.add(): the label is 51 characters'],
    ["report('x'.repeat(60001))", 'report(): the report is 60,001 characters'],
  ])('%s fails at its line: %s', async (call, message) => {
    project = tempProject({ 'w.js': `export const meta = { name: 'bad' }\n\n${call}\n` })
    const run = await runCli(['run', 'w.js', '--agent', 'mock', '--json'], { cwd: project.dir })
    expect(run.code).toBe(1)
    expect(run.json.error).toMatchObject({ code: 'INVALID_CALL', line: 3 })
    expect(run.json.error.message).toContain(message)
  })
})
