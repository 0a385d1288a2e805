/**
 * The review the Action posts for a run's declared review: inline comments on lines of the
 * diff, the others folded into the body with their file:line (GitHub refuses them inline), and
 * a hidden marker with the content's hash on the body's first line, by which a re-run finds
 * the review it already posted and does not post it again.
 */
import type { DeclaredEffects, ReviewComment } from '../../core/effects.js'
import { canonicalJson, sha256 } from '../../util/canonical-json.js'
import { scriptMarkdown } from '../../report/script-markdown.js'
import { markdownText } from '../../report/markdown-text.js'
import { inDiff, type CommentableLines } from './diff-lines.js'

export interface ReviewToPost {
  /** The marker that starts the body: workflow, job and the review's content hash. */
  marker: string
  hash: string
  body: string
  comments: Array<{ path: string; line: number; side: 'LEFT' | 'RIGHT'; start_line?: number; start_side?: 'LEFT' | 'RIGHT'; body: string }>
  /** Comments folded into the body because their lines are not in the diff. */
  folded: number
}

/** `<!-- dynamic-workflow-review:<name>:<job>:` — what every review of this workflow and job starts with. */
export function reviewMarkerPrefix(name: string, job: string): string {
  return `<!-- dynamic-workflow-review:${name}:${job}:`.replace(/-->/g, '')
}

/** The content hash: the same declared review always gives the same hash, whatever the diff. */
export function reviewHash(review: DeclaredEffects['review']): string {
  return sha256(canonicalJson({ summary: review.summary ?? null, comments: review.comments })).slice(0, 16)
}

export function buildReview(review: DeclaredEffects['review'], files: Map<string, CommentableLines>, who: { name: string; job: string; runUrl?: string }, changedFrom?: string): ReviewToPost {
  const hash = reviewHash(review)
  const marker = `${reviewMarkerPrefix(who.name, who.job)}${hash} -->`
  const inline = review.comments.filter((c) => inDiff(files, c))
  const outside = review.comments.filter((c) => !inDiff(files, c))
  const parts = [marker]
  if (review.summary !== undefined) parts.push(scriptMarkdown(review.summary))
  if (changedFrom) parts.push(`_This review replaces an earlier one from this workflow (${markdownText(changedFrom)}): the findings changed._`)
  if (outside.length > 0) {
    parts.push('**On lines outside this pull request\'s diff:**')
    parts.push(outside.map((c) => `- \`${codeText(c.path)}:${c.startLine ? `${c.startLine}-` : ''}${c.line}\`: ${commentBody(c).replace(/\n/g, '\n  ')}`).join('\n'))
  }
  parts.push(`<sub>Posted by dynamic-workflow for the workflow ${markdownText(who.name)}${who.runUrl ? ` ([run](${who.runUrl}))` : ''}.</sub>`)
  return {
    marker,
    hash,
    body: parts.join('\n\n'),
    folded: outside.length,
    comments: inline.map((c) => ({
      path: c.path,
      line: c.line,
      side: c.side ?? 'RIGHT',
      ...(c.startLine !== undefined ? { start_line: c.startLine, start_side: c.side ?? 'RIGHT' } : {}),
      body: commentBody(c),
    })),
  }
}

/** The comment's Markdown, then its suggestion block (the replacement lines, as written). */
function commentBody(comment: ReviewComment): string {
  const body = scriptMarkdown(comment.body)
  if (comment.suggestion === undefined) return body
  // A fence longer than any run of backticks in the suggestion, so it cannot close it.
  const fence = '`'.repeat(Math.max(3, ...Array.from(comment.suggestion.matchAll(/`+/g), (m) => m[0].length + 1)))
  return `${body}\n\n${fence}suggestion\n${comment.suggestion.replace(/<!--/g, '<!\u200b--')}\n${fence}`
}

/** A path inside a code span: no backtick can end it early. */
function codeText(text: string): string {
  return text.replace(/`/g, "'").replace(/[\r\n]/g, ' ')
}
