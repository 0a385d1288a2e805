import { describe, expect, it } from '@jest/globals'
import { commentableLines, inDiff } from '../../../src/action/effects/diff-lines.js'
import { buildReview, reviewHash, reviewMarkerPrefix } from '../../../src/action/effects/review-body.js'
import type { DeclaredEffects } from '../../../src/core/effects.js'

/** A PR file's patch as GET /pulls/{n}/files gives it: lines 10-13 old, 10-14 new. */
const PATCH = ['@@ -10,4 +10,5 @@ function f() {', ' context ten', '-removed eleven', '+added eleven', '+added twelve', ' context', ' context end', '\\ No newline at end of file'].join('\n')

describe('lines a review comment may be on', () => {
  it('RIGHT: added and context lines by their new numbers; LEFT: removed and context lines by their old numbers', () => {
    const lines = commentableLines(PATCH)
    expect([...lines.right].sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14])
    expect([...lines.left].sort((a, b) => a - b)).toEqual([10, 11, 12, 13])
    const files = new Map([['src/a.ts', lines]])
    expect(inDiff(files, { path: 'src/a.ts', line: 12 })).toBe(true)
    expect(inDiff(files, { path: 'src/a.ts', line: 15 })).toBe(false)
    expect(inDiff(files, { path: 'src/a.ts', line: 11, side: 'LEFT' })).toBe(true)
    expect(inDiff(files, { path: 'src/a.ts', line: 14, startLine: 9 })).toBe(false) // line 9 is not in a hunk
    expect(inDiff(files, { path: 'src/other.ts', line: 1 })).toBe(false)
    expect(commentableLines(undefined).right.size).toBe(0) // a binary file has no patch
  })
})

describe('the review to post', () => {
  const review: DeclaredEffects['review'] = {
    summary: 'Two things. See @octocat and [x](https://evil.example).',
    comments: [
      { path: 'src/a.ts', line: 12, body: 'Use const.', suggestion: 'const added = 12 // ```', startLine: 11 },
      { path: 'src/a.ts', line: 40, body: 'Far away.\nSecond line.' },
    ],
  }
  const files = new Map([['src/a.ts', commentableLines(PATCH)]])
  const built = buildReview(review, files, { name: 'pr-review', job: 'review' })

  it('starts with a marker naming the workflow, the job and the content hash', () => {
    expect(built.body.split('\n')[0]).toBe(`${reviewMarkerPrefix('pr-review', 'review')}${reviewHash(review)} -->`)
    expect(reviewHash(review)).toBe(reviewHash(JSON.parse(JSON.stringify(review))))
    expect(reviewHash({ ...review, summary: 'changed' })).not.toBe(reviewHash(review))
  })

  it('puts comments on diff lines inline (with their range and a suggestion block that cannot be broken) and folds the others into the body with file:line', () => {
    expect(built.comments).toEqual([
      { path: 'src/a.ts', line: 12, side: 'RIGHT', start_line: 11, start_side: 'RIGHT', body: 'Use const.\n\n````suggestion\nconst added = 12 // ```\n````' },
    ])
    expect(built.folded).toBe(1)
    expect(built.body).toContain("**On lines outside this pull request's diff:**\n\n- `src/a.ts:40`: Far away.\n  Second line.")
  })

  it('shows the summary as Markdown with nothing that reaches out', () => {
    expect(built.body).toContain('Two things. See @\u200boctocat and \\[x\\](https:\u200b//evil.example).')
    expect(built.body.match(/<!--/g)).toHaveLength(1) // the marker only
  })
})
