import fs from 'node:fs'
import type { ActionInputs } from './inputs.js'
import type { CommentTarget } from './pr-comment.js'

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'issue_comment'])

/**
 * The pull request the status comment goes to, or undefined: `comment: never`; no PR in
 * the event and no `pr-number`; or (`auto`) an event that is not about a PR. Works on
 * pull_request, pull_request_target, issue_comment on a PR, and workflow_dispatch with pr-number.
 */
export function prTarget(env: NodeJS.ProcessEnv, inputs: Pick<ActionInputs, 'comment' | 'prNumber'>): CommentTarget | undefined {
  if (inputs.comment === 'never') return undefined
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) return undefined
  const event = readEvent(env.GITHUB_EVENT_PATH)
  const fromEvent = event?.pull_request?.number ?? (event?.issue?.pull_request ? event.issue.number : undefined)
  const issueNumber = inputs.prNumber ?? fromEvent
  if (issueNumber === undefined) return undefined
  if (inputs.comment === 'auto' && inputs.prNumber === undefined && !PR_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return undefined
  return { owner, repo, issueNumber }
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
