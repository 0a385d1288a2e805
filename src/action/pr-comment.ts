import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import type { Log } from './journal-cache.js'

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

export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

export type UpsertResult = 'created' | 'updated' | 'forbidden' | 'failed'

/**
 * One comment per workflow and job, found by its hidden marker among all of the PR's
 * comments (paginated), created once and then edited. A token that may not write (fork
 * PRs) gives 'forbidden', said once as a notice; no failure here ever fails the run.
 */
export class StickyComment {
  #id: number | undefined
  #forbidden = false

  constructor(
    private readonly github: GitHubClient,
    private readonly target: CommentTarget,
    private readonly marker: string,
    private readonly log: Log & { notice?(message: string): void },
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
    const comments = await this.github.paginate(this.github.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })
    return comments.find((c) => c.body?.includes(this.marker))?.id
  }
}

/**
 * Live updates of a sticky comment while the run goes on: at most one write in flight, the
 * newest body wins (older ones are dropped), at most one write per `intervalMs`; `final`
 * waits for the write in flight and then always writes.
 */
export class LiveComment {
  #pending: string | undefined
  #writing: Promise<void> | undefined
  #last = 0

  constructor(
    private readonly comment: StickyComment,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  update(body: string): void {
    this.#pending = body
    if (!this.#writing && this.now() - this.#last >= this.intervalMs) this.#writing = this.#flush()
  }

  async final(body: string): Promise<UpsertResult> {
    this.#pending = undefined
    while (this.#writing) await this.#writing
    return this.comment.upsert(body)
  }

  async #flush(): Promise<void> {
    while (this.#pending !== undefined) {
      const body = this.#pending
      this.#pending = undefined
      this.#last = this.now()
      await this.comment.upsert(body)
    }
    this.#writing = undefined
  }
}
