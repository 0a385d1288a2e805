import { describe, expect, it } from '@jest/globals'
import type { RunEvent } from '../../src/core/events.js'
import { COMMENT_LIMIT, renderComment, renderSummary } from '../../src/report/comment.js'
import { renderJson } from '../../src/report/json.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'
import { formatChanges, renderStatus } from '../../src/report/terminal.js'
import { CONTROL_SEQUENCES, MARKDOWN_HOSTILE } from '../support/hostile-text.js'
import { markdownPlain } from '../support/markdown-plain.js'

/** What a run changed, as every view shows it: counted, listed, folded at size, and escaped (paths come from agents). */
function runThatChanged(files: string[], added = 0, modified = files.length - added, deleted = 0) {
  const events: RunEvent[] = [
    { type: 'run_started', at: 0, runId: 'r1', name: 'fix', phases: [], provider: 'command', concurrency: 4, maxAgents: 100, budget: {} },
    { type: 'files_changed', at: 5, files, added, modified, deleted },
    { type: 'run_finished', at: 10, status: 'succeeded', result: 'ok' },
  ]
  return applyEvents(emptySnapshot(), events)
}

describe("a run's changes", () => {
  it('--json has changes: the sorted paths and the counts; absent when nothing changed', () => {
    const snapshot = runThatChanged(['a.txt', 'b/c.ts', 'd.bin'], 1, 1, 1)
    expect(renderJson(snapshot, { status: 'succeeded', result: 'ok' }).changes).toEqual({ files: ['a.txt', 'b/c.ts', 'd.bin'], added: 1, modified: 1, deleted: 1 })
    expect(renderJson(applyEvents(emptySnapshot(), []), { status: 'succeeded' })).not.toHaveProperty('changes')
  })

  it('the terminal says how many files changed and lists the first ones', () => {
    const snapshot = runThatChanged(Array.from({ length: 12 }, (_, i) => `f${i}.txt`), 2)
    expect(formatChanges(snapshot)).toBe('12 files changed (2 added, 10 modified): f0.txt, f1.txt, f2.txt, f3.txt, f4.txt, f5.txt, f6.txt, f7.txt, f8.txt, f9.txt and 2 more')
    expect(renderStatus(snapshot, 'succeeded', { color: false })).toContain('12 files changed (2 added, 10 modified)')
  })

  it('the job summary and the PR comment say "N files changed" and list them', () => {
    const snapshot = runThatChanged(['src/a.ts', 'src/b.ts'])
    for (const body of [renderSummary(snapshot, 'succeeded'), renderComment(snapshot, 'succeeded', { marker: '<!-- m -->' })]) {
      expect(body).toContain('**2 files changed (2 modified)**')
      expect(body).toContain('- src/a.ts\n- src/b.ts')
    }
  })

  it('a path from an agent never escapes: no escape sequence in the terminal, no HTML, comment, heading or mention in Markdown', () => {
    const hostile = [...CONTROL_SEQUENCES.map((c) => `x${c}.txt`), `docs/${MARKDOWN_HOSTILE}.md`]
    const snapshot = runThatChanged(hostile)
    const line = formatChanges(snapshot, hostile.length)!
    expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    const body = renderSummary(snapshot, 'succeeded')
    expect(body).not.toContain('<img src=')
    expect(body).not.toContain('<!-- dynamic-workflow:other')
    expect(body).not.toMatch(/^# Heading/m)
    expect(body).not.toMatch(/(^|\s)@someone/)
    expect(markdownPlain(body)).toContain('@someone') // still readable as text
  })

  it('ten thousand changed files fold to fit the PR comment', () => {
    const snapshot = runThatChanged(Array.from({ length: 10_000 }, (_, i) => `src/module-${i}/index.ts`))
    const body = renderComment(snapshot, 'succeeded', { marker: '<!-- m -->' })
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toMatch(/\*\*10,?000 files changed \(10,?000 modified\)\*\*/)
    expect(body).toMatch(/and [\d,]+ more \(the run's changes.patch has them all\)/)
  })
})
