/**
 * Posts the run's declared review on the pull request, once: a review of this workflow and
 * job with the same content hash (its marker, on the body's first line) is already there after
 * a re-run, a cancelled attempt, or a second push that replays the run; then nothing is posted.
 * A changed review is posted as a new one, which says so. Only the token's own reviews count,
 * so nobody else's review can stand in for ours.
 */
import type { DeclaredEffects } from '../../core/effects.js'
import type { GitHubClient } from '../github-client.js'
import type { Log } from '../log.js'
import { sameLogin } from '../token-login.js'
import { commentableLines, type CommentableLines } from './diff-lines.js'
import { buildReview, reviewHash, reviewMarkerPrefix } from './review-body.js'

export interface PullRequest {
  owner: string
  repo: string
  number: number
}

export type ReviewOutcome =
  | { posted: true; id: number; url?: string; comments: number; folded: number }
  | { posted: false; id?: number; why: 'unchanged' | 'forbidden' | 'failed' }

export async function postReview(
  github: GitHubClient,
  pull: PullRequest,
  review: DeclaredEffects['review'],
  who: { name: string; job: string; login?: string; runUrl?: string },
  log: Log & { notice(message: string): void },
): Promise<ReviewOutcome> {
  const where = { owner: pull.owner, repo: pull.repo, pull_number: pull.number }
  try {
    const prefix = reviewMarkerPrefix(who.name, who.job)
    const reviews = await github.paginate(github.rest.pulls.listReviews, { ...where, per_page: 100 })
    const ours = reviews.filter((r) => r.body?.startsWith(prefix) && (who.login === undefined || sameLogin(r.user?.login, who.login)))
    const last = ours[ours.length - 1]
    const hash = reviewHash(review)
    if (last && last.body!.startsWith(`${prefix}${hash} -->`)) {
      log.info(`The review is already posted (review ${last.id}): not posting it again.`)
      return { posted: false, id: last.id, why: 'unchanged' }
    }
    const files = await diffLines(github, where)
    const changedFrom = last?.submitted_at ? `posted ${last.submitted_at}` : undefined
    let toPost = buildReview(review, files, who, changedFrom)
    let created
    try {
      created = await github.rest.pulls.createReview({ ...where, event: 'COMMENT', body: toPost.body, comments: toPost.comments })
    } catch (error) {
      // The diff moved (a push during the run): every comment goes into the body instead.
      if ((error as { status?: number }).status !== 422 || toPost.comments.length === 0) throw error
      log.warning(`GitHub refused an inline comment (${(error as Error).message}): the review is posted with every comment in its body.`)
      toPost = buildReview(review, new Map(), who, changedFrom)
      created = await github.rest.pulls.createReview({ ...where, event: 'COMMENT', body: toPost.body, comments: [] })
    }
    log.info(`Posted the review (${toPost.comments.length} inline comments${toPost.folded ? `, ${toPost.folded} in its body` : ''}): ${created.data.html_url}`)
    return { posted: true, id: created.data.id, url: created.data.html_url, comments: toPost.comments.length, folded: toPost.folded }
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 403 || status === 404) {
      log.notice(`The review was not posted: the token cannot write to pull request #${pull.number} (it needs pull-requests: write; pull requests from forks get a read-only token).`)
      return { posted: false, why: 'forbidden' }
    }
    log.warning(`The review was not posted: ${(error as Error).message}`)
    return { posted: false, why: 'failed' }
  }
}

/** Each file's commentable lines, from the pull request's files. */
async function diffLines(github: GitHubClient, where: { owner: string; repo: string; pull_number: number }): Promise<Map<string, CommentableLines>> {
  const files = await github.paginate(github.rest.pulls.listFiles, { ...where, per_page: 100 })
  return new Map(files.map((file) => [file.filename, commentableLines(file.patch)]))
}
