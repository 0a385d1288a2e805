/**
 * Performs what the script declared (the review, the labels) after a run that succeeded, on
 * the pull request of the event (or `pr-number`), whatever the `comment` input says. A run
 * that failed or stopped performs nothing: its re-run, once it succeeds, declares them again.
 * Every failure here warns or notices; none fails the step.
 */
import type { DeclaredEffects } from '../../core/effects.js'
import type { GitHubClient } from '../github-client.js'
import type { ActionInputs } from '../inputs.js'
import type { Log } from '../log.js'
import { findPrTarget } from '../pr-target.js'
import type { CommentTarget } from '../sticky-comment.js'
import { tokenLogin } from '../token-login.js'
import { applyLabels } from './labels.js'
import { postReview, type ReviewOutcome } from './post-review.js'
import { checkedOutCommit } from './checked-out.js'
import { commitToPullRequest, openPullRequest, type Delivered, type DeliveryContext } from './deliver-changes.js'
import { scriptMarkdown } from '../../report/script-markdown.js'

export interface Performed {
  review?: ReviewOutcome
  delivered?: Delivered
}

export interface EffectsContext {
  env: NodeJS.ProcessEnv
  inputs: ActionInputs
  github?: (token: string) => GitHubClient
  name: string
  job: string
  succeeded: boolean
  /** The run's working directory and changed paths, and its report (the pull request's text). */
  cwd: string
  changed: string[]
  report?: string
  description?: string
  /** Uploads the run's changes.patch as an artifact of its own (changes: artifact). */
  uploadPatch: () => Promise<void>
}

/** What both kinds of effect act through, found once: the pull request of the event, and one client. */
interface Reach {
  target: CommentTarget | undefined
  github: GitHubClient | undefined
}

export async function performEffects(effects: DeclaredEffects | undefined, context: EffectsContext, log: Log & { notice(message: string): void }): Promise<Performed> {
  const { inputs, env } = context
  const declared = effects !== undefined && (effects.review.comments.length > 0 || effects.review.summary !== undefined || effects.labels.add.length + effects.labels.remove.length > 0)
  if (!declared && (inputs.changes === 'none' || context.changed.length === 0)) return {}
  const reach: Reach = {
    target: await findPrTarget(env, { comment: 'auto', prNumber: inputs.prNumber }, undefined, log),
    github: inputs.githubToken && context.github ? context.github(inputs.githubToken) : undefined,
  }
  const performed = await performDeclared(effects, context, reach, log)
  const delivered = await deliverChanges(context, reach, log)
  return { ...performed, ...(delivered ? { delivered } : {}) }
}

async function performDeclared(effects: DeclaredEffects | undefined, context: EffectsContext, { target, github }: Reach, log: Log & { notice(message: string): void }): Promise<Performed> {
  const wantsReview = effects !== undefined && context.inputs.review === 'auto' && (effects.review.comments.length > 0 || effects.review.summary !== undefined)
  const wantsLabels = effects !== undefined && effects.labels.add.length + effects.labels.remove.length > 0
  if (!wantsReview && !wantsLabels) return {}
  if (!context.succeeded) {
    log.notice('The review and labels the script declared were not posted: the run did not succeed (a re-run that succeeds posts them).')
    return {}
  }
  const { env } = context
  if (!target) {
    log.notice('The script declared a review or labels, but this run has no pull request (pass pr-number on other events): nothing was posted.')
    return {}
  }
  if (!github) {
    log.notice('The script declared a review or labels, but there is no github-token: nothing was posted.')
    return {}
  }
  const pull = { owner: target.owner, repo: target.repo, number: target.issueNumber }
  const performed: Performed = {}
  if (wantsReview) {
    const login = await tokenLogin(github, log)
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
    performed.review = await postReview(github, pull, effects!.review, { name: context.name, job: context.job, login, runUrl }, log)
  }
  if (wantsLabels) await applyLabels(github, pull, effects!.labels, log)
  return performed
}

/** The run's file changes, as the `changes` input says. */
async function deliverChanges(context: EffectsContext, { target, github }: Reach, log: Log & { notice(message: string): void }): Promise<Delivered | undefined> {
  const { inputs, env } = context
  if (inputs.changes === 'none' || context.changed.length === 0) return undefined
  if (!context.succeeded) {
    log.notice(`changes: ${inputs.changes}: the run did not succeed, so its changes were not delivered (a re-run that succeeds delivers them).`)
    return undefined
  }
  if (inputs.changes === 'artifact') {
    await context.uploadPatch()
    return undefined
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || !github) {
    log.notice(`changes: ${inputs.changes}: there is no repository or github-token here; the changes were not delivered.`)
    return undefined
  }
  const firstLine = (context.report ?? '').split('\n').find((line) => line.trim() !== '')?.replace(/^#+\s*/, '').trim()
  const title = (firstLine || context.description || `${context.name}: changes`).slice(0, 200)
  const delivery: DeliveryContext = { github, owner, repo, cwd: context.cwd, files: context.changed, name: context.name, runId: env.GITHUB_RUN_ID ?? 'local', title, body: scriptMarkdown(context.report ?? `The changes of the workflow ${context.name}.`), log }
  const startedFrom = checkedOutCommit(context.cwd)
  try {
    if (inputs.changes === 'commit') {
      if (!target) {
        log.notice('changes: commit needs a pull request (a pull_request event, or pr-number): the changes were not committed.')
        return undefined
      }
      return await commitToPullRequest(delivery, target.issueNumber, startedFrom)
    }
    if (!startedFrom) {
      log.notice('changes: pull-request needs a git checkout (actions/checkout): the changes were not delivered.')
      return undefined
    }
    return await openPullRequest(delivery, { ref: env.GITHUB_BASE_REF || env.GITHUB_REF_NAME || 'main', sha: startedFrom })
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 403 || status === 404) log.notice(`changes: ${inputs.changes}: the token cannot write to this repository (it needs contents: write, and pull-requests: write for a pull request); the changes were not delivered.`)
    else log.warning(`changes: ${inputs.changes}: the changes were not delivered: ${(error as Error).message}`)
    return undefined
  }
}
