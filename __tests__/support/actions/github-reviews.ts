// Pull request reviews in the GitHub REST fake: create a review (COMMENT, APPROVE,
// REQUEST_CHANGES, or pending without an event) with inline comments placed on the PR files'
// patches (github-diff.ts) — all or nothing: one comment off the diff answers 422 and nothing is
// stored — list the reviews, a review's comments, the PR's review comments, and create a
// single review comment. Reviews are written as the token's identity.
import { isoSeconds } from './artifact-service.js'
import { DOCS, ApiError, nodeId, notFound, pagedList, unprocessable, type GitHubUser, type RepoContext, type RouteDef } from './github-common.js'
import { resolveComment, toSentence, type DiffSide } from './github-diff.js'

export interface PullReview {
  id: number
  node_id: string
  user: GitHubUser
  body: string
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING'
  html_url: string
  pull_request_url: string
  author_association: string
  _links: { html: { href: string }; pull_request: { href: string } }
  submitted_at?: string
  commit_id: string
}

export interface ReviewComment {
  id: number
  node_id: string
  pull_request_review_id: number
  url: string
  html_url: string
  pull_request_url: string
  diff_hunk: string
  path: string
  position: number
  original_position: number
  commit_id: string
  original_commit_id: string
  user: GitHubUser
  body: string
  created_at: string
  updated_at: string
  author_association: string
  start_line: number | null
  original_start_line: number | null
  start_side: DiffSide | null
  line: number | null
  original_line: number | null
  side: DiffSide
  subject_type: 'line'
  in_reply_to_id?: number
}

export interface ReviewsDeps {
  /** GET /pulls/{n}'s JSON (its head.sha and user.login). */
  pull(number: number): Record<string, any>
  /** The patch of a file of the PR (undefined when the PR does not touch it, or has no patch). */
  patchOf(number: number, path: string): string | undefined
}

const REVIEWS_DOCS = `${DOCS}/pulls/reviews`
const COMMENTS_DOCS = `${DOCS}/pulls/comments`
const STATES = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' } as const

export function createReviews(ctx: RepoContext, deps: ReviewsDeps) {
  const reviews = new Map<number, PullReview[]>()
  const comments = new Map<number, ReviewComment[]>()
  let nextReviewId = 1_800_000_001
  let nextCommentId = 1_700_000_001

  function newReview(number: number, state: PullReview['state'], body: string, commitId: string): PullReview {
    const id = nextReviewId++
    const html = `https://github.com/${ctx.repository}/pull/${number}#pullrequestreview-${id}`
    const pullUrl = `${ctx.repoApi()}/pulls/${number}`
    const review: PullReview = {
      id,
      node_id: nodeId('PRR', ctx, id),
      user: ctx.actor,
      body,
      state,
      html_url: html,
      pull_request_url: pullUrl,
      author_association: ctx.actor.type === 'Bot' ? 'NONE' : 'MEMBER',
      _links: { html: { href: html }, pull_request: { href: pullUrl } },
      ...(state === 'PENDING' ? {} : { submitted_at: isoSeconds(new Date()) }),
      commit_id: commitId,
    }
    reviews.set(number, [...(reviews.get(number) ?? []), review])
    return review
  }

  /** Places each comment (all must land, or the 422 GitHub answers), before anything is stored. */
  function placed(number: number, list: any[], invalid: (reasons: string[]) => ApiError) {
    return list.map((c) => {
      if (typeof c?.path !== 'string' || typeof c?.body !== 'string') throw invalid(['Pull request review thread path is invalid'])
      const where = resolveComment(deps.patchOf(number, c.path), c)
      if ('errors' in where) throw invalid(where.errors)
      return { path: c.path as string, body: c.body as string, where }
    })
  }

  function addComment(number: number, review: PullReview, c: ReturnType<typeof placed>[number], inReplyTo?: number): ReviewComment {
    const id = nextCommentId++
    const now = isoSeconds(new Date())
    const comment: ReviewComment = {
      id,
      node_id: nodeId('PRRC', ctx, id),
      pull_request_review_id: review.id,
      url: `${ctx.repoApi()}/pulls/comments/${id}`,
      html_url: `https://github.com/${ctx.repository}/pull/${number}#discussion_r${id}`,
      pull_request_url: `${ctx.repoApi()}/pulls/${number}`,
      diff_hunk: c.where.diffHunk,
      path: c.path,
      position: c.where.position,
      original_position: c.where.position,
      commit_id: review.commit_id,
      original_commit_id: review.commit_id,
      user: ctx.actor,
      body: c.body,
      created_at: now,
      updated_at: now,
      author_association: review.author_association,
      start_line: c.where.startLine,
      original_start_line: c.where.startLine,
      start_side: c.where.startSide,
      line: c.where.line,
      original_line: c.where.line,
      side: c.where.side,
      subject_type: 'line',
      ...(inReplyTo === undefined ? {} : { in_reply_to_id: inReplyTo }),
    }
    comments.set(number, [...(comments.get(number) ?? []), comment])
    return comment
  }

  function createReview(number: number, body: any): PullReview {
    const docs = `${REVIEWS_DOCS}#create-a-review-for-a-pull-request`
    const refuse = (errors: string[]) => unprocessable(docs, [toSentence(errors)], 'Unprocessable Entity')
    const event = body?.event
    if (event !== undefined && !(event in STATES)) throw unprocessable(docs, [{ resource: 'PullRequestReview', field: 'event', code: 'invalid' }])
    const list = body?.comments ?? []
    if (!Array.isArray(list)) throw refuse(['Invalid comments'])
    const text = typeof body?.body === 'string' ? body.body : ''
    const pull = deps.pull(number)
    if ((event === 'APPROVE' || event === 'REQUEST_CHANGES') && pull.user.login === ctx.actor.login) {
      throw refuse([`Review Can not ${event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`])
    }
    if ((event === 'REQUEST_CHANGES' || (event === 'COMMENT' && list.length === 0)) && text === '') throw refuse(["Body can't be blank"])
    if (event === undefined && (reviews.get(number) ?? []).some((r) => r.state === 'PENDING' && r.user.login === ctx.actor.login)) {
      throw refuse(['User can only have one pending review per pull request'])
    }
    const toStore = placed(number, list, refuse)
    const review = newReview(number, event === undefined ? 'PENDING' : STATES[event as keyof typeof STATES], text, typeof body?.commit_id === 'string' ? body.commit_id : pull.head.sha)
    for (const c of toStore) addComment(number, review, c)
    return review
  }

  function createReviewComment(number: number, body: any): ReviewComment {
    const docs = `${COMMENTS_DOCS}#create-a-review-comment-for-a-pull-request`
    const replyTo = typeof body?.in_reply_to === 'number' ? (comments.get(number) ?? []).find((c) => c.id === body.in_reply_to) : undefined
    if (body?.in_reply_to !== undefined && !replyTo) throw notFound(docs)
    const spec = replyTo ? { path: replyTo.path, body: body.body, line: replyTo.line ?? undefined, side: replyTo.side } : body
    const [c] = placed(number, [spec], (errors) =>
      unprocessable(docs, errors.map((e) => ({ resource: 'PullRequestReviewComment', code: 'custom', field: e.includes(' line ') ? 'pull_request_review_thread.line' : 'pull_request_review_thread.diff_hunk', message: e }))),
    )
    const review = newReview(number, 'COMMENTED', '', typeof body?.commit_id === 'string' ? body.commit_id : deps.pull(number).head.sha)
    return addComment(number, review, c!, replyTo?.id)
  }

  const PULLS_WRITE = 'pull_requests=write'
  const routes: RouteDef[] = [
    { method: 'GET', pattern: /^\/pulls\/(\d+)\/reviews$/, route: 'listReviews', read: 'pull_requests=read', run: ([n], query) => pagedList(ctx, reviews.get(Number(n)) ?? [], query, `/pulls/${n}/reviews`) },
    {
      method: 'POST',
      pattern: /^\/pulls\/(\d+)\/reviews$/,
      route: 'createReview',
      write: { permissions: PULLS_WRITE, docs: `${REVIEWS_DOCS}#create-a-review-for-a-pull-request` },
      run: ([n], _q, body) => ({ status: 200, body: createReview(Number(n), body) }),
    },
    {
      method: 'GET',
      pattern: /^\/pulls\/(\d+)\/reviews\/(\d+)\/comments$/,
      route: 'listReviewComments',
      read: 'pull_requests=read',
      run: ([n, id], query) => {
        if (!(reviews.get(Number(n)) ?? []).some((r) => r.id === Number(id))) throw notFound(`${REVIEWS_DOCS}#list-comments-for-a-pull-request-review`)
        return pagedList(ctx, (comments.get(Number(n)) ?? []).filter((c) => c.pull_request_review_id === Number(id)), query, `/pulls/${n}/reviews/${id}/comments`)
      },
    },
    { method: 'GET', pattern: /^\/pulls\/(\d+)\/comments$/, route: 'listPullReviewComments', read: 'pull_requests=read', run: ([n], query) => pagedList(ctx, comments.get(Number(n)) ?? [], query, `/pulls/${n}/comments`) },
    {
      method: 'POST',
      pattern: /^\/pulls\/(\d+)\/comments$/,
      route: 'createReviewComment',
      write: { permissions: PULLS_WRITE, docs: `${COMMENTS_DOCS}#create-a-review-comment-for-a-pull-request` },
      run: ([n], _q, body) => ({ status: 201, body: createReviewComment(Number(n), body) }),
    },
  ]

  return {
    routes,
    /** The reviews of a pull request, in the order they were made (copies). */
    reviews: (number: number) => structuredClone(reviews.get(number) ?? []),
    /** The review comments of a pull request, over all reviews (copies). */
    reviewComments: (number: number) => structuredClone(comments.get(number) ?? []),
  }
}
