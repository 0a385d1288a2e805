import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunEvent } from '../../src/core/events.js'
import { renderComment, renderSummary } from '../../src/report/comment.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { CONTROL_CHARACTERS } from '../support/actions-log.js'
import { HOSTILE_AGENT, MARKDOWN_HOSTILE as H } from '../support/hostile-text.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'

/**
 * Issue 11, class 5: what a run carries (the description, phase titles, labels, warnings, a
 * provider's error, the script's error, the result) is shown in the PR comment and the job
 * summary as text, never as Markdown or HTML that does more: no `<!--` (a marker, or hidden
 * text), no HTML (`<img>`, `<details>`), no images or links loading from outside, no autolinked
 * URL, no @mention that pings, no line that turns into a heading, quote, list or table row.
 * The result stays in its fenced block. The Action runs from dist/ against the emulator; the
 * checks read the Markdown GitHub would render, by GitHub's rules (GFM).
 */
const lit = (value: unknown) => JSON.stringify(value)
const SUCCEEDS = `export const meta = { name: 'md', description: ${lit(H)}, phases: [{ title: ${lit('Review ' + H)} }] }
await agent('ask', { label: ${lit('label ' + H)}, tier: ${lit('tier ' + H)} })
try { await agent('FAIL-MD', { label: 'failing' }) } catch {}
return [${lit(H)}]
`
// report() is the script's Markdown: its structure renders (headings, lists), nothing reaches out.
const REPORTS = `export const meta = { name: 'mdreport' }
await agent('ask')
report(${lit('## Findings\n\n' + H + '\n\n- a real item')})
return ${lit(H)}
`
const STRUCTURE = /^(a heading|a list item|a rule|an indented code block|a table row)/
const FAILS = `export const meta = { name: 'mdfail', description: ${lit(H)} }
await agent('ask', { label: ${lit('label ' + H)} })
throw new Error(${lit('failed: ' + H)})
`

/** The Markdown outside fenced code blocks, and the contents of those blocks (GFM: ``` or ~~~, up to 3 spaces in). */
function splitFences(markdown: string): { outside: string; fenced: string[] } {
  const outside: string[] = []
  const fenced: string[] = []
  let fence: string | undefined
  let block: string[] = []
  for (const line of markdown.split('\n')) {
    const found = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)
    // A backtick fence's info string cannot hold a backtick (then it is no fence).
    const opener = found && !(found[1]![0] === '`' && found[2]!.includes('`')) ? found[1] : undefined
    const closes = fence !== undefined && found !== null && found[1]![0] === fence[0] && found[1]!.length >= fence.length && found[2]!.trim() === ''
    if (fence === undefined && opener) {
      fence = opener
      block = []
    } else if (closes) {
      fenced.push(block.join('\n'))
      fence = undefined
    } else if (fence !== undefined) block.push(line)
    else outside.push(line)
  }
  expect(fence).toBeUndefined() // every block is closed by its own fence
  return { outside: outside.join('\n'), fenced }
}

/** Characters at `index` escaped by an odd number of backslashes before them. */
function escaped(text: string, index: number): boolean {
  let count = 0
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) count++
  return count % 2 === 1
}

/** Our own HTML: the folds around the agent table, the warnings and the result. */
const OWN_HTML = /^<\/?(details|summary)( open)?>/

/** What GitHub would render from `markdown` beyond text, one finding per problem. */
function activeMarkdown(markdown: string, options: { firstLineIsMarker: boolean }): string[] {
  const found: string[] = []
  const lines = markdown.split('\n')
  const body = options.firstLineIsMarker ? lines.slice(1).join('\n') : markdown
  if (body.includes('<!--')) found.push('an HTML comment (a marker, or hidden text)')
  if (CONTROL_CHARACTERS.test(body)) found.push('a control character')
  const { outside, fenced } = splitFences(body)
  for (const block of fenced) if (block.includes('<!--')) found.push('an HTML comment in a code block')
  for (const [i, char] of [...outside].entries()) {
    if (char === '<' && !OWN_HTML.test(outside.slice(i))) found.push(`raw HTML: ${outside.slice(i, i + 30)}`)
    if ((char === '[' || char === ']' || char === '!') && !escaped(outside, i)) found.push(`link or image syntax: ${outside.slice(i, i + 30)}`)
  }
  if (/@[A-Za-z0-9]/.test(outside)) found.push('an @mention')
  if (/:\/\/|www\./i.test(outside)) found.push('an autolinked URL')
  if (/&#|&[a-z]+;/i.test(outside.replace(/&(amp|lt|gt);/g, ''))) found.push('an entity GitHub would decode')
  for (const line of outside.split('\n')) {
    // Our own structure: the title, the bold totals line, table rows of 7 or 5 columns, list items, quotes of the error.
    if (/^#/.test(line) && !/^### /.test(line)) found.push(`a heading: ${line.slice(0, 40)}`)
    if (/^\s*(-|\d+[.)])\s/.test(line) && /Heading|quote|item|list/.test(line.slice(2))) found.push(`a list item from the text: ${line.slice(0, 40)}`)
    if (/^\s*(---|===)\s*$/.test(line)) found.push('a rule or setext heading')
    if (/^ {4}code/.test(line)) found.push('an indented code block')
    if (line.startsWith('|') && !/^\|(---|:?-)/.test(line)) {
      const cells = [...line].filter((c, i) => c === '|' && !escaped(line, i)).length - 1
      if (cells !== 7 && cells !== 5) found.push(`a table row with ${cells} cells: ${line.slice(0, 40)}`)
    }
  }
  return found
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-md-'))
let api: GitHubApi
const runs: Record<string, ActionRun> = {}
beforeAll(async () => {
  api = await startGitHubApi()
  const event = path.join(tmp, 'event.json')
  fs.writeFileSync(event, JSON.stringify({ action: 'opened', number: 41, pull_request: { number: 41 } }))
  for (const [name, script] of [
    ['succeeds', SUCCEEDS],
    ['fails', FAILS],
    ['reports', REPORTS],
  ]) {
    runs[name!] = await runAction({
      inputs: { script: 'w.js', agent: 'command', command: `"${process.execPath}" agent.mjs`, 'agent-retries': '0', artifact: 'false' },
      files: { 'w.js': script!, 'agent.mjs': HOSTILE_AGENT },
      token: api.token,
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: api.repository },
    })
  }
}, 120_000)
afterAll(async () => {
  await api.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const commentOf = (name: string) => api.comments(41).find((c) => c.body.startsWith(`<!-- dynamic-workflow:${name}:review -->\n`))!.body

describe('hostile Markdown in a run that succeeds (description, title, label, warning, provider error, result)', () => {
  it('ran and reported', () => {
    expect(runs.succeeds!.outputs.status).toBe('succeeded')
    expect(commentOf('md')).toMatch(/### ✅ md: succeeded/)
  })

  it('the PR comment shows it as text only', () => {
    expect(activeMarkdown(commentOf('md'), { firstLineIsMarker: true })).toEqual([])
  })

  it('the job summary shows it as text only', () => {
    expect(activeMarkdown(runs.succeeds!.summary, { firstLineIsMarker: false })).toEqual([])
  })

  it('every part is still there to read: description, phase, label, warning, the error in the table, the result in its block', () => {
    const body = commentOf('md')
    const { outside, fenced } = splitFences(body)
    expect(outside).toContain('@\u200bsomeone') // the name, without the ping
    expect(outside).toContain('\\!\\[x\\](https:\u200b//evil.example/x.png)')
    expect(outside).toContain('&lt;img src="https:\u200b//evil.example/y.png"&gt;')
    const other = '&lt;\\!-- dynamic-workflow:other:review --&gt;'
    expect(outside).toContain(`\n${other} @\u200bsomeone`) // the description
    expect(outside).toContain(`✅ Review ${other}`) // the phase
    expect(outside).toContain(`| label ${other}`) // the label
    expect(outside).toContain(`- tier 'tier ${other}`) // the warning
    expect(outside).toContain(`| failing ⚠️ agent command \\\``) // the provider's error
    // The result (an array: JSON), whole, in one fenced block (no `<!--` in it: a zero-width space keeps it from being a marker).
    expect(fenced).toHaveLength(1)
    expect(fenced[0]).toContain('<!\u200b-- dynamic-workflow:other:review -->')
    expect(fenced[0]).toContain('![x](https://evil.example/x.png)')
    expect(fenced[0]).toContain('\\u001b[31m')
  })
})

describe("hostile Markdown in the script's report()", () => {
  it('renders as Markdown, visible, not folded: its structure shows, nothing in it reaches out', () => {
    expect(runs.reports!.outputs.status).toBe('succeeded')
    for (const [body, marker] of [
      [commentOf('mdreport'), true],
      [runs.reports!.summary, false],
    ] as const) {
      expect(body).toContain('\n## Findings\n')
      expect(body).toContain('\n- a real item')
      expect(body).toContain('@\u200bsomeone')
      expect(body).not.toContain('<summary>Result</summary>') // the report replaces the folded result
      expect(activeMarkdown(body, { firstLineIsMarker: marker }).filter((found) => !STRUCTURE.test(found))).toEqual([])
    }
  })
})

describe('hostile Markdown in a run that fails (the error quote)', () => {
  it('the comment and the summary show the error as text only, in its quote', () => {
    expect(runs.fails!.outputs.status).toBe('failed')
    const body = commentOf('mdfail')
    expect(body).toMatch(/^> \*\*Error:\*\* w\.js:3:\d+: failed: &lt;\\!-- dynamic-workflow:other:review --&gt;/m)
    expect(activeMarkdown(body, { firstLineIsMarker: true })).toEqual([])
    expect(activeMarkdown(runs.fails!.summary, { firstLineIsMarker: false })).toEqual([])
    // The error's own lines stay inside the quote: each starts with "> ".
    const quote = body.split('\n').filter((l) => /(Heading|quote|list|item)$/.test(l))
    expect(quote).toHaveLength(4)
    for (const line of quote) expect(line).toMatch(/^> (\\#|&gt;|\\-|1\\\.) /)
  })
})

describe('a snapshot read back from a forged run.json (post renders the run.json it finds when main died early)', () => {
  it('every field, numbers and states included, shows as text only', () => {
    const at = Date.UTC(2026, 0, 1)
    const snapshot = applyEvents(emptySnapshot(), [
      { type: 'run_started', at, runId: H, name: H, description: H, script: H, phases: [{ title: H }], provider: H, concurrency: 1, maxAgents: 1, budget: {} },
      { type: 'phase_started', at, title: H },
      { type: 'agent_queued', at, id: 1, key: 'k#0', label: H, phase: H, provider: H, model: H, line: 1 },
      { type: 'agent_failed', at, id: 1, error: { code: 'PROVIDER', message: H } },
      { type: 'warning', at, message: H },
      { type: 'run_finished', at: at + 1000, status: 'succeeded', result: [H] }, // an object: a string result is Markdown (checked with report() above)
    ] as RunEvent[])
    const forged = {
      ...snapshot,
      agents: snapshot.agents.map((a) => ({ ...a, usage: { inputTokens: H, outputTokens: H, costUsd: H }, miss: { kind: 'changed', components: [H] }, state: 'failed' })),
      totals: { ...snapshot.totals, agents: { total: H, live: H, replayed: H, failed: H }, unpricedCalls: H, costUsd: H },
    } as unknown as typeof snapshot
    const options = { marker: '<!-- dynamic-workflow:forged:review -->', resumeHint: 'Re-run the job.', notes: [H] }
    for (const shown of ['succeeded', 'interrupted'] as const) {
      expect(activeMarkdown(renderComment(forged, shown, options), { firstLineIsMarker: true })).toEqual([])
      expect(activeMarkdown(renderSummary(forged, shown, options), { firstLineIsMarker: false })).toEqual([])
    }
  })
})
