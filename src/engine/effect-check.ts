import { MAX_LABEL_NAME_CHARS, MAX_LABELS, MAX_REPORT_CHARS, MAX_REVIEW_COMMENTS, MAX_REVIEW_TEXT_CHARS, type DeclaredEffect, type DeclaredEffects, type ReviewComment } from '../core/effects.js'
import { WorkflowError } from '../core/errors.js'
import { tooLong } from '../core/limits.js'
import { isRecord } from '../util/objects.js'

/**
 * Checks one effect as the script declared it (`[kind, ...arguments]` from the sandbox) against
 * what is declared so far. Every mistake is one INVALID_CALL naming the function and the line.
 */
export function checkEffect(args: unknown[], declared: DeclaredEffects, line: number | undefined): DeclaredEffect {
  const [kind, ...rest] = args
  const named = NAMES[kind as Kind]
  if (!named) throw new WorkflowError('SCRIPT_ERROR', 'the sandbox sent a malformed effect')
  const fail = (message: string) => new WorkflowError('INVALID_CALL', `${named}: ${message}`, { line })
  switch (kind as Kind) {
    case 'report':
      return { kind: 'report', markdown: text(rest[0], 'the report', MAX_REPORT_CHARS, fail) }
    case 'reviewSummary':
      return { kind: 'reviewSummary', markdown: text(rest[0], 'the summary', MAX_REVIEW_TEXT_CHARS, fail) }
    case 'reviewComment':
      if (declared.review.comments.length >= MAX_REVIEW_COMMENTS) throw fail(`a run may declare at most ${MAX_REVIEW_COMMENTS} review comments; fold the rest into review.summary()`)
      return { kind: 'reviewComment', comment: reviewComment(rest, fail) }
    case 'labelAdd':
    case 'labelRemove': {
      const name = text(rest[0], 'the label', MAX_LABEL_NAME_CHARS, fail)
      if (declared.labels.add.length + declared.labels.remove.length >= MAX_LABELS) throw fail(`a run may change at most ${MAX_LABELS} labels`)
      return { kind: 'label', action: kind === 'labelAdd' ? 'add' : 'remove', name }
    }
  }
}

type Kind = 'report' | 'reviewSummary' | 'reviewComment' | 'labelAdd' | 'labelRemove'
const NAMES: Record<Kind, string> = { report: 'report()', reviewSummary: 'review.summary()', reviewComment: 'review.comment()', labelAdd: 'labels.add()', labelRemove: 'labels.remove()' }

function text(value: unknown, what: string, max: number, fail: (m: string) => WorkflowError): string {
  if (typeof value !== 'string' || value.trim() === '') throw fail(`${what} must be a non-empty string`)
  if (value.length > max) throw fail(`${what} ${tooLong(value.length, max)}`)
  return value
}

function reviewComment(args: unknown[], fail: (m: string) => WorkflowError): ReviewComment {
  const [path, line, body, options] = args
  if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.split('/').includes('..'))
    throw fail('the path must be a file of the repository, relative to its root (no leading / or ..)')
  if (!Number.isSafeInteger(line) || (line as number) < 1) throw fail('the line must be a positive integer')
  const comment: ReviewComment = { path, line: line as number, body: text(body, 'the body', MAX_REVIEW_TEXT_CHARS, fail) }
  if (options === null || options === undefined) return comment
  if (!isRecord(options)) throw fail('the options must be an object: { suggestion, startLine, side }')
  for (const key of Object.keys(options)) if (!['suggestion', 'startLine', 'side'].includes(key)) throw fail(`unknown option '${key}'; the options are suggestion, startLine, side`)
  if (options.suggestion !== undefined) {
    if (typeof options.suggestion !== 'string') throw fail('suggestion must be a string (the lines that replace the commented ones)')
    comment.suggestion = options.suggestion
  }
  if (options.startLine !== undefined) {
    if (!Number.isSafeInteger(options.startLine) || (options.startLine as number) < 1 || (options.startLine as number) >= comment.line)
      throw fail('startLine must be a positive integer below line')
    comment.startLine = options.startLine as number
  }
  if (options.side !== undefined) {
    if (options.side !== 'LEFT' && options.side !== 'RIGHT') throw fail("side must be 'LEFT' (the old lines) or 'RIGHT' (the new ones)")
    comment.side = options.side
  }
  return comment
}
