import type { RunSnapshot } from './snapshot.js'
import { renderMarkdown, type MarkdownOptions, type ShownStatus } from './markdown.js'

/** GitHub's limit on an issue comment body. */
export const COMMENT_LIMIT = 65_536
/** GitHub's limit on one step summary. */
export const SUMMARY_LIMIT = 1024 * 1024

/**
 * The hidden marker that finds a workflow's sticky comment among all of a PR's comments:
 * one per workflow and job, and per `cache-key` when one is set (matrix legs share the job
 * name, and each keeps a comment of its own).
 */
export function commentMarker(name: string, job: string, cacheKey?: string): string {
  // One line that closes only at its end: the sticky comment is found by its first line.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return `<!-- dynamic-workflow:${name}:${job}${cacheKey ? `:${cacheKey.replace(/-->|[\u0000-\u001f\u007f]/g, '')}` : ''} -->`
}

/** Ever smaller views of a run: fewer agent rows and less of the result, down to counts only. */
interface Fold {
  maxRows: number
  maxResultChars: number
}
const COMMENT_FOLDS: Fold[] = [
  { maxRows: 50, maxResultChars: 3000 },
  { maxRows: 20, maxResultChars: 1000 },
  { maxRows: 5, maxResultChars: 300 },
  { maxRows: 0, maxResultChars: 0 },
]
const SUMMARY_FOLDS: Fold[] = [
  { maxRows: 1000, maxResultChars: 50_000 },
  { maxRows: 200, maxResultChars: 10_000 },
  { maxRows: 20, maxResultChars: 1000 },
  { maxRows: 0, maxResultChars: 0 },
]

/**
 * The PR status comment: the marker, then the run as Markdown. When it would pass GitHub's
 * limit, the agent table is folded harder (fewer rows, then per-phase counts only), never
 * cut in the middle of Markdown and never failing.
 */
export function renderComment(snapshot: RunSnapshot, shown: ShownStatus, options: { marker: string } & Pick<MarkdownOptions, 'resumeHint' | 'notes'>, limit = COMMENT_LIMIT): string {
  return fit(`${options.marker}\n`, snapshot, shown, options, COMMENT_FOLDS, limit)
}

/** The job summary: the same Markdown, folded to stay under the 1 MiB step summary limit. */
export function renderSummary(snapshot: RunSnapshot, shown: ShownStatus, options: Pick<MarkdownOptions, 'resumeHint' | 'notes'> = {}, limit = SUMMARY_LIMIT): string {
  return fit('', snapshot, shown, options, SUMMARY_FOLDS, limit)
}

function fit(head: string, snapshot: RunSnapshot, shown: ShownStatus, options: Pick<MarkdownOptions, 'resumeHint' | 'notes'>, folds: Fold[], limit: number): string {
  let body = ''
  for (const fold of folds) {
    body = head + renderMarkdown(snapshot, shown, { ...fold, resumeHint: options.resumeHint, notes: options.notes })
    // GitHub counts characters for comments and bytes for summaries; bytes bound both.
    if (Buffer.byteLength(body) <= limit) return body
  }
  // Only a pathological description or error message gets here: keep the head and say it was cut.
  const tail = "\n\n… (cut to fit GitHub's size limit)\n"
  return cutToBytes(body, limit - Buffer.byteLength(tail)) + tail
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text)
  if (buffer.length <= bytes) return text
  let end = Math.max(0, bytes)
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--
  return buffer.subarray(0, end).toString()
}
