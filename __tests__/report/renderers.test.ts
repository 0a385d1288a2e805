import { beforeAll, describe, expect, it } from '@jest/globals'
import { annotationsOf } from '../../src/report/annotations.js'
import { COMMENT_LIMIT, renderComment, renderSummary, SUMMARY_LIMIT } from '../../src/report/comment.js'
import { renderJson } from '../../src/report/json.js'
import { formatEventLine, renderLive, renderStatus } from '../../src/report/terminal.js'
import { scenarios, type Scenario } from '../support/report-scenarios.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'

/**
 * Every renderer against every run of issue 6's list. The snapshots under __snapshots__ are
 * what users read; a change to them is a change to the product and is reviewed as one.
 */
let all: Record<string, Scenario>
beforeAll(async () => {
  all = await scenarios()
}, 120_000)

const NAMES = ['running', 'succeeded', 'failed', 'interrupted', 'all-replayed', 'edited', 'schema failure', 'budget stop', '1000 agents'] as const
const where = { marker: '<!-- dynamic-workflow:wf:review -->', resumeHint: 'Completed agent calls are journaled: re-run the failed jobs to resume.' }

/** The plain (non-TTY) progress: one line per event, each formatted against the snapshot of its moment. */
function plainLog(scenario: Scenario, color = false): string {
  let snapshot = emptySnapshot()
  const lines: string[] = []
  for (const event of scenario.events) {
    snapshot = applyEvents(snapshot, [event])
    const line = formatEventLine(event, snapshot, { color })
    if (line !== undefined) lines.push(line)
  }
  return lines.join('\n')
}

describe.each(NAMES)('the %s run', (name) => {
  const scenario = () => all[name]!

  it('as the job summary (Markdown)', () => {
    expect(name === '1000 agents' ? renderSummary(scenario().snapshot, scenario().shown, where).slice(0, 3000) : renderSummary(scenario().snapshot, scenario().shown, where)).toMatchSnapshot()
  })

  it('as the PR comment', () => {
    const body = renderComment(scenario().snapshot, scenario().shown, where)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toMatchSnapshot()
  })

  it('as plain terminal lines (no TTY, no colour)', () => {
    const log = plainLog(scenario())
    expect(log).not.toMatch(/\x1b\[/)
    expect(name === '1000 agents' ? log.split('\n').slice(0, 12).join('\n') : log).toMatchSnapshot()
  })

  it('as the live TTY table', () => {
    const s = scenario().snapshot
    expect(renderLive(s, { color: true, width: 100, height: 16, now: s.updatedAt })).toMatchSnapshot()
  })

  it('as `dwf status`', () => {
    const s = scenario().snapshot
    const text = renderStatus(s, scenario().shown, { color: false }, 100)
    expect(name === '1000 agents' ? text.split('\n').slice(0, 10).join('\n') : text).toMatchSnapshot()
  })

  it('as JSON (dwf run --json, the Action outputs)', () => {
    expect(renderJson(scenario().snapshot, scenario().outcome)).toMatchSnapshot()
  })

  it('as annotations', () => {
    expect(annotationsOf(scenario().snapshot)).toMatchSnapshot()
  })
})

describe('what the renderers say, beyond the snapshots', () => {
  it('a running run shows phase progress and no resume hint', () => {
    const md = renderSummary(all.running!.snapshot, 'running', where)
    expect(md).toMatch(/🔄 Review \(\d\/3\) → ⬜ Verify → ⬜ Report/)
    expect(md).not.toMatch(/re-run the failed jobs/)
  })

  it('an interrupted run says so in its title and says how to resume', () => {
    const md = renderSummary(all.interrupted!.snapshot, 'interrupted', where)
    expect(md).toMatch(/^### ⚠️ pr-review: interrupted — re-run the job to resume/)
    expect(md).toMatch(/re-run the failed jobs to resume/)
  })

  it('a succeeded run shows its result, folded', () => {
    const md = renderSummary(all.succeeded!.snapshot, 'succeeded', where)
    expect(md).toMatch(/<details><summary>Result<\/summary>\n\n```json\n\{\n {2}"summary":/)
  })

  it('a failed run names each failed call and the script line of the error', () => {
    const md = renderSummary(all.failed!.snapshot, 'failed', where)
    expect(md).toMatch(/\*\*Error:\*\* review\.workflow\.js:\d+: /)
    expect(md).toMatch(/\| tests ⚠️ mock provider error/)
    expect(annotationsOf(all.failed!.snapshot).filter((a) => a.level === 'error').map((a) => a.title)).toEqual(["agent 'tests' failed", "agent 'verify' failed"])
  })

  it('a replayed run shows what replay saved; an edited one says which part of the call changed', () => {
    expect(renderSummary(all['all-replayed']!.snapshot, 'succeeded', where)).toMatch(/5 agents\*\*: 0 live, 5 replayed[\s\S]*Replay saved \*\*[\d.k]+ tokens\*\* and \*\*\$[\d.]+\*\*/)
    const edited = renderSummary(all.edited!.snapshot, 'succeeded', where)
    expect(edited).toMatch(/\| security \| Review \| mock\/mock \| live \(prompt changed\) \|/)
    expect(edited).toMatch(/\| verify \| Verify \| mock\/mock \| live \(prompt changed\) \|/)
  })

  it('a schema failure names the code, and a budget stop is a warning with its line, not a script error', () => {
    expect(renderSummary(all['schema failure']!.snapshot, 'failed', where)).toMatch(/SCHEMA_NONCOMPLIANCE|did not match the schema/)
    const budget = annotationsOf(all['budget stop']!.snapshot)
    expect(budget).toEqual([expect.objectContaining({ level: 'warning', title: 'Budget or agent limit reached', line: 3 })])
    expect(renderSummary(all['budget stop']!.snapshot, 'failed', where)).toMatch(/Budget: [\d.k]+ of 150 tokens\./)
  })

  it('1000 agents stay under both limits, and each limit folds rather than fails', () => {
    const s = all['1000 agents']!.snapshot
    expect(renderComment(s, 'failed', where).length).toBeLessThanOrEqual(COMMENT_LIMIT)
    const summary = renderSummary(s, 'failed', where)
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT)
    // Under the real limit every row fits; under a tighter one the table folds into per-phase counts.
    expect(summary.match(/\| src\/module-\d+\.ts/g)).toHaveLength(1000)
    const folded = renderSummary(s, 'failed', where, 20_000)
    expect(Buffer.byteLength(folded)).toBeLessThanOrEqual(20_000)
    expect(folded).toMatch(/\| Scan \| 1000 \| 997 \| 0 \| 3 \|/)
    expect(folded).toMatch(/… and \d+ more calls not listed/)
    // Even a limit nothing fits in gives a valid, cut body rather than an error.
    expect(Buffer.byteLength(renderSummary(s, 'failed', where, 300))).toBeLessThanOrEqual(300)
  })

  it('annotations stay within what GitHub shows: 10 per level, the last says how many more', () => {
    const snapshot = { ...all.failed!.snapshot, warnings: Array.from({ length: 25 }, (_, i) => `torn journal line ${i}`) }
    const warnings = annotationsOf(snapshot).filter((a) => a.level === 'warning')
    expect(warnings).toHaveLength(10)
    expect(warnings[9]!.message).toBe('and 16 more warnings: see the job summary and the run\'s log')
  })

  it('NO_COLOR output carries no escape codes; colour output does', () => {
    const s = all.failed!.snapshot
    expect(renderLive(s, { color: false, width: 80, height: 20, now: s.updatedAt })).not.toMatch(/\x1b\[/)
    expect(renderLive(s, { color: true, width: 80, height: 20, now: s.updatedAt })).toMatch(/\x1b\[31m✗/)
    expect(plainLog(all.failed!, true)).toMatch(/\x1b\[/)
  })
})
