import { SETTINGS, settingsOf, type SettingKey, type SettingValue } from '../core/settings.js'
import { BadInputError } from '../runner/bad-input.js'
import type { RunFlags } from '../runner/invocation.js'
import { parseSetting } from '../runner/settings-parse.js'

/** Input names, from the settings table: action.yml, the code and the tests use these. */
export const Inputs = Object.fromEntries(
  (Object.keys(SETTINGS) as SettingKey[]).flatMap((key) => {
    const input = (SETTINGS[key] as { input?: string }).input
    return input ? [[key, input]] : []
  }),
) as { readonly [K in SettingKey as (typeof SETTINGS)[K] extends { input: string } ? K : never]: (typeof SETTINGS)[K] extends { input: infer N } ? N : never }

export const Outputs = {
  status: 'status',
  result: 'result',
  runId: 'run-id',
  agentsTotal: 'agents-total',
  agentsLive: 'agents-live',
  agentsReplayed: 'agents-replayed',
  agentsFailed: 'agents-failed',
  tokens: 'tokens',
  costUsd: 'cost-usd',
  savedCostUsd: 'saved-cost-usd',
  changedFiles: 'changed-files',
  reviewId: 'review-id',
  commitSha: 'commit-sha',
  pullRequestNumber: 'pull-request-number',
  pullRequestUrl: 'pull-request-url',
} as const

export type CommentMode = 'auto' | 'always' | 'never'

/** Every input, parsed and checked once; the rest of the Action never reads an input. */
export interface ActionInputs {
  script: string
  args: unknown
  /** The run's settings, as the CLI's flags would give them. */
  flags: RunFlags
  cache: boolean
  cacheKey?: string
  checkpointIntervalMs: number
  artifact: boolean
  comment: CommentMode
  /** Whether to post the review the script declared. */
  review: 'auto' | 'never'
  /** How to deliver the run's file changes. */
  changes: 'none' | 'commit' | 'pull-request' | 'artifact'
  /** Least time between live edits of the PR comment. */
  commentIntervalMs: number
  prNumber?: number
  githubToken?: string
  workingDirectory: string
}

/** A bad input: the message names the input, the Action fails with it before anything runs. */
export class InputError extends BadInputError {
  constructor(input: string, message: string) {
    super(`input '${input}': ${message}`)
    this.name = 'InputError'
  }
}

/** Reads one input; '' means not given (the runner passes unset inputs as empty strings). */
export type GetInput = (name: string) => string

/**
 * Parses every input with the settings table's parsers (the same as the CLI's flags).
 * Defaults are the table's: action.yml gives the same ones, and a caller that skips the
 * runner (a test) gets them too.
 */
export function readInputs(get: GetInput): ActionInputs {
  const value = <K extends SettingKey>(key: K): SettingValue<K> | undefined => {
    const raw = get((SETTINGS[key] as { input: string }).input).trim()
    return raw === '' ? ((SETTINGS[key] as { default?: unknown }).default as SettingValue<K> | undefined) : parseSetting(key, raw, { from: 'input' })
  }
  const script = value('script')
  if (!script) throw new InputError(Inputs.script, 'is required: the path of the workflow script, e.g. .github/workflows/review.workflow.js')
  const flags: Record<string, unknown> = { replay: true }
  for (const key of settingsOf('run')) if (key !== 'args' && (SETTINGS[key] as { input?: string }).input) flags[key] = value(key)
  return {
    script,
    args: value('args') ?? {},
    flags: flags as unknown as RunFlags,
    cache: value('cache')!,
    cacheKey: value('cacheKey'),
    checkpointIntervalMs: value('checkpointIntervalMs')!,
    artifact: value('artifact')!,
    comment: value('comment') as CommentMode,
    review: value('review') as 'auto' | 'never',
    changes: value('changes') as ActionInputs['changes'],
    commentIntervalMs: value('commentIntervalMs')!,
    prNumber: value('prNumber'),
    githubToken: value('githubToken'),
    workingDirectory: value('workingDirectory')!,
  }
}
