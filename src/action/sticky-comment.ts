import type { GitHubClient } from './github-client.js'
import type { Log } from './log.js'
import { sameLogin, tokenLogin } from './token-login.js'

export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

export type UpsertResult = 'created' | 'updated' | 'forbidden' | 'failed'

/**
 * One comment per workflow and job, found among all of the PR's comments (paginated),
 * created once and then edited. Ours is a comment written by the token's own account whose
 * first line is the marker: anyone can post a comment that holds the marker (a PR author, a
 * result quoted by another workflow), and the runner must never edit theirs or report where
 * they can edit. A token that may not write (fork PRs) gives 'forbidden', said once as a
 * notice; no failure here ever fails the run.
 */
export class StickyComment {
  #id: number | undefined
  #forbidden = false

  /** `author`: the token's login when already known (main hands it to post); otherwise asked once. */
  constructor(
    private readonly github: GitHubClient,
    private readonly target: CommentTarget,
    private readonly marker: string,
    private readonly log: Log & { notice?(message: string): void },
    private author?: string,
  ) {}

  async upsert(body: string): Promise<UpsertResult> {
    if (this.#forbidden) return 'forbidden'
    const { owner, repo, issueNumber } = this.target
    try {
      this.#id ??= await this.#find()
      if (this.#id !== undefined) {
        await this.github.rest.issues.updateComment({ owner, repo, comment_id: this.#id, body })
        return 'updated'
      }
      const created = await this.github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
      this.#id = created.data.id
      return 'created'
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === 403 || status === 404) {
        this.#forbidden = true
        ;(this.log.notice ?? this.log.warning)(`No PR comment: the token may not write comments here (${status}); the job summary has the run instead.`)
        return 'forbidden'
      }
      this.log.warning(`Could not update the PR comment: ${(error as Error).message}`)
      return 'failed'
    }
  }

  async #find(): Promise<number | undefined> {
    const { owner, repo, issueNumber } = this.target
    const author = (this.author ??= await tokenLogin(this.github, { notice: (m) => (this.log.notice ?? this.log.warning)(m) }))
    const comments = await this.github.paginate(this.github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })
    return comments.find((c) => sameLogin(c.user?.login, author) && isMarkedBy(c.body, this.marker))?.id
  }
}

/** The marker is the body's whole first line; a marker anywhere else is someone else's text. */
export function isMarkedBy(body: string | undefined | null, marker: string): boolean {
  return typeof body === 'string' && body.split(/\r?\n/, 1)[0] === marker
}
