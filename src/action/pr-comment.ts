import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import type { Log } from './journal-cache.js'
import type { PullsForCommit } from './pr-target.js'
import { sameLogin, tokenLogin } from './token-login.js'

const GitHub = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof GitHub>

/**
 * Octokit with retries and throttling. A secondary rate limit (a 403 GitHub sends when a
 * job writes too fast) is waited out and retried a few times, so the final comment lands.
 */
export function createGitHubClient(options: { token: string; baseUrl?: string; retryAfterBaseValue?: number; throttleId?: string }): GitHubClient {
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retryAfterBaseValue: options.retryAfterBaseValue },
    throttle: {
      id: options.throttleId,
      retryAfterBaseValue: options.retryAfterBaseValue,
      onRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 3,
      onSecondaryRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 3,
    },
  })
}

/** GitHub's "pull requests associated with a commit", the open one: where a push's run comments with `comment: always`. */
export function pullsForCommit(github: GitHubClient, log: Log): PullsForCommit {
  return async (owner, repo, sha) => {
    try {
      const { data } = await github.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha })
      return data.find((pull) => pull.state === 'open')?.number
    } catch (error) {
      log.warning(`Could not look up the pull request of commit ${sha.slice(0, 7)}: ${(error as Error).message}`)
      return undefined
    }
  }
}

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

/**
 * Live updates of a sticky comment while the run goes on: at most one write in flight, the
 * newest body wins (older ones are never sent), at most one write per `intervalMs`, and a
 * body that arrives inside the interval is written when it ends. Bodies may be functions,
 * rendered only when a write happens (a 10,000-agent snapshot is not rendered per event).
 * `final` drops what is pending, waits for the write in flight, and then always writes.
 */
export class LiveComment {
  #pending: (() => string) | undefined
  #writing: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #last = -Infinity
  #closed = false

  constructor(
    private readonly comment: StickyComment,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  update(body: string | (() => string)): void {
    if (this.#closed) return
    this.#pending = typeof body === 'string' ? () => body : body
    this.#schedule()
  }

  async final(body: string): Promise<UpsertResult> {
    this.#closed = true
    this.#pending = undefined
    clearTimeout(this.#timer)
    while (this.#writing) await this.#writing
    return this.comment.upsert(body)
  }

  #schedule(): void {
    if (this.#writing || this.#timer || this.#pending === undefined) return
    const wait = this.#last + this.intervalMs - this.now()
    // A render that throws must not become an unhandled rejection; the final write still lands.
    if (wait <= 0) this.#writing = this.#write().catch(() => {})
    else
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        this.#schedule()
      }, wait).unref()
  }

  async #write(): Promise<void> {
    const render = this.#pending!
    this.#pending = undefined
    this.#last = this.now()
    try {
      await this.comment.upsert(render())
    } finally {
      this.#writing = undefined
      this.#schedule()
    }
  }
}
