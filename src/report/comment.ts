import type { RunSnapshot } from '../engine/snapshot.js'
import { renderMarkdown, type ShownStatus } from './markdown.js'

/** GitHub's limit on an issue comment body. */
export const COMMENT_LIMIT = 65_536
/** GitHub's limit on one step summary. */
export const SUMMARY_LIMIT = 1024 * 1024

/** The hidden marker that finds a workflow's sticky comment among all of a PR's comments. */
export function commentMarker(name: string, job: string): string {
  return `<!-- dynamic-workflow:${name}:${job} -->`
}

/**
 * The PR status comment: the marker, then the run as Markdown. When it would pass GitHub's
 * limit, the agent table is folded harder (fewer rows, then per-phase counts only), never
 * cut in the middle of Markdown and never failing.
 */
export function renderComment(snapshot: RunSnapshot, shown: ShownStatus, where: { name: string; job: string; resumeHint?: string }, limit = COMMENT_LIMIT): string {
  const marker = commentMarker(where.name, where.job)
  for (const maxRows of [50, 20, 5, 0]) {
    const body = `${marker}\n${renderMarkdown(snapshot, shown, { maxRows, resumeHint: where.resumeHint })}`
    if (body.length <= limit) return body
  }
  // Only a pathological description or error message gets here: keep the head and say it was cut.
  const body = `${marker}\n${renderMarkdown(snapshot, shown, { maxRows: 0, resumeHint: where.resumeHint })}`
  return body.slice(0, limit - 80) + '\n\n… (cut to fit GitHub\'s comment limit)\n'
}
