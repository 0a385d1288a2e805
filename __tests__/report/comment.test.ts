import { describe, expect, it } from '@jest/globals'
import { commentMarker, COMMENT_LIMIT, renderComment } from '../../src/report/comment.js'
import { MemoryJournal, runSource, workflow } from '../support/in-process.js'

/** A clock that moves one second per reading: durations in the output never depend on the machine. */
const clock = () => {
  let t = Date.UTC(2026, 10, 23, 12, 0, 0)
  return () => (t += 1000)
}
const where = { marker: commentMarker('test', 'review'), resumeHint: 'Re-run the failed jobs to resume.' }

describe('the PR status comment', () => {
  it('starts with the hidden marker of its workflow and job', async () => {
    const { snapshot } = await runSource(workflow("return await agent('hello')"), { now: clock() })
    const body = renderComment(snapshot, 'succeeded', where)
    expect(body.startsWith(commentMarker('test', 'review') + '\n')).toBe(true)
    expect(commentMarker('test', 'review')).toBe('<!-- dynamic-workflow:test:review -->')
    // Matrix legs share the job name: each cache-key keeps its own comment, never found by another's marker.
    const legs = ['linux', 'windows'].map((key) => commentMarker('test', 'review', key))
    expect(legs).toEqual(['<!-- dynamic-workflow:test:review:linux -->', '<!-- dynamic-workflow:test:review:windows -->'])
    expect(legs[0]!.includes(commentMarker('test', 'review'))).toBe(false)
    expect(commentMarker('test', 'review', 'a-->b')).toBe('<!-- dynamic-workflow:test:review:ab -->')
    expect(body).toMatch(/### ✅ test: succeeded/)
  })

  it('stays under GitHub’s limit with 1000 agents by folding the table into per-phase counts', async () => {
    const source = workflow(
      "phase('Scan')\nconst out = await parallel(Array.from({ length: 1000 }, (_, i) => () => agent('Look at file ' + i + ' ' + 'x'.repeat(100), { label: 'file-' + i + '-' + 'y'.repeat(50) })))\nreturn out.length",
      "{ name: 'test', phases: [{ title: 'Scan' }] }",
    )
    const { snapshot } = await runSource(source, { now: clock(), config: { concurrency: 64 } })
    const body = renderComment(snapshot, 'succeeded', where)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toMatch(/summarised per phase/)
    expect(body).toMatch(/\| Scan \| 1000 \| 1000 \| 0 \| 0 \|/)
    // A smaller limit folds further rather than failing.
    expect(renderComment(snapshot, 'succeeded', where, 3000).length).toBeLessThanOrEqual(3000)
  })

  it('for a failed run, names the error with its line and says how to resume', async () => {
    const { snapshot } = await runSource(workflow("await agent('ok')\nawait agent('boom please')"), { now: clock(), mock: { failPattern: /boom/ } })
    const body = renderComment(snapshot, 'failed', where)
    expect(body).toMatch(/### ❌ test: failed/)
    expect(body).toMatch(/\*\*Error:\*\* test\.workflow\.js:3: agent 'boom please' failed: mock provider error/)
    expect(body).toMatch(/Re-run the failed jobs to resume\./)
  })

  it('for a replayed run, shows what replay saved; for an interrupted one, says so', async () => {
    const journal = new MemoryJournal()
    await runSource(workflow("return await parallel(['a', 'b'].map((x) => () => agent('item ' + x)))"), { journal, now: clock() })
    const { snapshot } = await runSource(workflow("return await parallel(['a', 'b'].map((x) => () => agent('item ' + x)))"), { journal, now: clock() })
    expect(renderComment(snapshot, 'succeeded', where)).toMatch(/Replay saved \*\*\d+ tokens\*\* and \*\*\$0\.\d+\*\*/)
    expect(renderComment(snapshot, 'interrupted', where)).toMatch(/### ⚠️ test: interrupted[\s\S]*Re-run the failed jobs to resume/)
  })

  it('keeps table cells intact when labels hold pipes or newlines', async () => {
    const { snapshot } = await runSource(workflow("return await agent('a', { label: 'left | right\\nnext' })"), { now: clock() })
    expect(renderComment(snapshot, 'succeeded', where)).toMatch(/\| left \\\| right next \|/)
  })
})
