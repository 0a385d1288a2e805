/**
 * What a script asks the world to be changed, as data: the run's report, a pull-request review
 * with inline comments, labels. The sandbox never reaches the network: the Action performs
 * these after the run, once across re-runs; the CLI only records and shows them. A replay
 * declares the same effects again, because the script runs again.
 */

export interface ReviewComment {
  path: string
  /** The line it is about (the last one, with startLine). */
  line: number
  body: string
  /** Replacement text for the lines, shown as a GitHub suggestion a reviewer can apply. */
  suggestion?: string
  startLine?: number
  side?: 'LEFT' | 'RIGHT'
}

/** One declaration, as the run's events carry it. */
export type DeclaredEffect =
  | { kind: 'report'; markdown: string }
  | { kind: 'reviewSummary'; markdown: string }
  | { kind: 'reviewComment'; comment: ReviewComment }
  | { kind: 'label'; action: 'add' | 'remove'; name: string }

/** Everything a run declared. */
export interface DeclaredEffects {
  report?: string
  review: { summary?: string; comments: ReviewComment[] }
  labels: { add: string[]; remove: string[] }
}

export function noEffects(): DeclaredEffects {
  return { review: { comments: [] }, labels: { add: [], remove: [] } }
}

/** Folds one declaration in: a report or review summary replaces the last; labels are a set (a later add or remove wins). */
export function declare(effects: DeclaredEffects, effect: DeclaredEffect): void {
  if (effect.kind === 'report') effects.report = effect.markdown
  else if (effect.kind === 'reviewSummary') effects.review.summary = effect.markdown
  else if (effect.kind === 'reviewComment') effects.review.comments.push(effect.comment)
  else {
    const [into, from] = effect.action === 'add' ? [effects.labels.add, effects.labels.remove] : [effects.labels.remove, effects.labels.add]
    if (from.includes(effect.name)) from.splice(from.indexOf(effect.name), 1)
    if (!into.includes(effect.name)) into.push(effect.name)
  }
}

/** The PR comment holds 65,536 characters: the report must leave room for the run's status around it. */
export const MAX_REPORT_CHARS = 60_000
/** GitHub's limit for a review body and for one review comment. */
export const MAX_REVIEW_TEXT_CHARS = 65_536
/** Inline comments one run may declare. */
export const MAX_REVIEW_COMMENTS = 500
/** GitHub's limit for a label name, and labels one run may change. */
export const MAX_LABEL_NAME_CHARS = 50
export const MAX_LABELS = 100
