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
import { tokenLogin } from '../token-login.js'
import { applyLabels } from './labels.js'
import { postReview, type ReviewOutcome } from './post-review.js'

export interface Performed {
  review?: ReviewOutcome
}

export async function performEffects(
  effects: DeclaredEffects | undefined,
  context: { env: NodeJS.ProcessEnv; inputs: ActionInputs; github?: (token: string) => GitHubClient; name: string; job: string; succeeded: boolean },
  log: Log & { notice(message: string): void },
): Promise<Performed> {
  const wantsReview = effects !== undefined && context.inputs.review === 'auto' && (effects.review.comments.length > 0 || effects.review.summary !== undefined)
  const wantsLabels = effects !== undefined && effects.labels.add.length + effects.labels.remove.length > 0
  if (!wantsReview && !wantsLabels) return {}
  if (!context.succeeded) {
    log.notice('The review and labels the script declared were not posted: the run did not succeed (a re-run that succeeds posts them).')
    return {}
  }
  const { inputs, env } = context
  const target = await findPrTarget(env, { comment: 'auto', prNumber: inputs.prNumber }, undefined, log)
  if (!target) {
    log.notice('The script declared a review or labels, but this run has no pull request (pass pr-number on other events): nothing was posted.')
    return {}
  }
  if (!inputs.githubToken || !context.github) {
    log.notice('The script declared a review or labels, but there is no github-token: nothing was posted.')
    return {}
  }
  const github = context.github(inputs.githubToken)
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
