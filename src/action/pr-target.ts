import fs from 'node:fs'
import type { ActionInputs } from './inputs.js'
import type { GitHubClient } from './github-client.js'
import type { Log } from './log.js'
import type { CommentTarget } from './sticky-comment.js'

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'issue_comment'])

/** Open pull requests whose head is a commit (GitHub's "list pull requests associated with a commit"). */
export type PullsForCommit = (owner: string, repo: string, sha: string) => Promise<number | undefined>

/**
 * The pull request the status comment goes to, or undefined (job summary only).
 * - `never`: none.
 * - `auto`: the PR of a pull_request, pull_request_target or issue_comment (on a PR) event,
 *   or the `pr-number` input on any event (workflow_dispatch).
 * - `always`: as auto on any event, also an issue_comment's plain issue, and otherwise (a
 *   push, a schedule) the open PR whose head is this commit; finding none is a notice.
 */
export async function findPrTarget(
  env: NodeJS.ProcessEnv,
  inputs: Pick<ActionInputs, 'comment' | 'prNumber'>,
  pullsForCommit: PullsForCommit | undefined,
  log: { notice(message: string): void },
): Promise<CommentTarget | undefined> {
  if (inputs.comment === 'never') return undefined
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) return undefined
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const fromEvent = event?.pull_request?.number ?? (event?.issue?.pull_request ? event.issue.number : undefined)
  if (inputs.prNumber !== undefined) return { owner, repo, issueNumber: inputs.prNumber }
  if (inputs.comment !== 'always') return fromEvent !== undefined && PR_EVENTS.has(eventName) ? { owner, repo, issueNumber: fromEvent } : undefined
  // always: also the thread of an issue_comment on a plain issue, where the run was asked for.
  const thread = fromEvent ?? event?.issue?.number
  if (thread !== undefined) return { owner, repo, issueNumber: thread }
  const sha = env.GITHUB_SHA
  const found = sha && pullsForCommit ? await pullsForCommit(owner, repo, sha) : undefined
  if (found === undefined) log.notice(`comment: always, but this ${eventName || 'run'} has no pull request (none given as pr-number, none open for ${sha?.slice(0, 7) ?? 'this commit'}): the job summary has the run.`)
  return found === undefined ? undefined : { owner, repo, issueNumber: found }
}

interface EventPayload {
  pull_request?: { number?: number }
  issue?: { number?: number; pull_request?: unknown }
}

function readEvent(file: string | undefined): EventPayload | undefined {
  if (!file) return undefined
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as EventPayload
  } catch {
    return undefined
  }
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
