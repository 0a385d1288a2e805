/**
 * Every setting of a run, once: its name in each shell, its type, its default and what it
 * does. The CLI's flags and --help, the Action's inputs, action.yml, the docs tables and the
 * engine's defaults all come from this table (scripts/sync-settings.ts writes action.yml and
 * the docs tables; tests hold them to it). Adding a setting means a row here and the code that
 * uses its value.
 */

/** How a setting's text is read. */
export type SettingKind =
  /** Any non-empty text. */
  | 'text'
  /** A whole number from `min` up. */
  | 'count'
  /** "90s", "10m", "1500ms", "1h" (a bare number is seconds), held in milliseconds. */
  | 'duration'
  /** A whole number of seconds from `min` up, held in milliseconds. */
  | 'seconds'
  /** A positive number of US dollars ("$" allowed). */
  | 'usd'
  /** true or false (yes/no, on/off, 1/0). */
  | 'switch'
  /** One of `choices`. */
  | 'choice'
  /** The script's `args`: JSON, or @file (CLI) / YAML (Action). */
  | 'args'

/** Where a setting applies: every run (both shells), every CLI command, or the Action only. */
export type SettingGroup = 'run' | 'state' | 'action'

export interface SettingSpec {
  kind: SettingKind
  group: SettingGroup
  /** One sentence, for --help and action.yml. */
  help: string
  /** Markdown for the docs tables when it says more than `help` (links, examples); else `help`. */
  docs?: string
  /** The value when the setting is not given (milliseconds for durations and seconds). */
  default?: number | boolean | string | Record<string, never>
  /** How the default is written in action.yml, when it is an expression there. */
  actionDefault?: string
  min?: number
  choices?: readonly string[]
  /** The CLI flag (`--name`), and the placeholder of its value in --help. */
  flag?: string
  value?: string
  /** A flag that switches the setting off: `--no-replay` for `replay`. */
  negatedFlag?: string
  /** The Action input. */
  input?: string
  /** An environment variable that sets it when neither flag nor input does. */
  env?: string
  /** The Action input is required. */
  required?: boolean
}

export const SETTINGS = {
  // ---- the script (the Action's input; the CLI's argument) ----
  script: {
    kind: 'text',
    group: 'action',
    help: 'Path of the workflow script (relative to working-directory), e.g. .github/workflows/review.workflow.js.',
    docs: 'path of the workflow script, relative to `working-directory`',
    input: 'script',
    required: true,
  },
  // ---- a run, in both shells ----
  args: {
    kind: 'args',
    group: 'run',
    help: "The script's `args`, as JSON (also @file.json with the CLI, and YAML in the Action).",
    default: {},
    flag: 'args',
    value: 'JSON|@file',
    input: 'args',
  },
  agent: {
    kind: 'text',
    group: 'run',
    help: 'Who answers agent calls: auto, mock, command, claude-code, codex, anthropic or openai. auto picks from the credentials in the environment; in the Action it fails when there are none (CI never silently runs mock answers).',
    docs: '`auto`, `mock`, `command`, `claude-code`, `codex`, `anthropic` or `openai`; in the Action `auto` fails without credentials ([auto](providers.md#auto))',
    default: 'auto',
    flag: 'agent',
    value: 'NAME',
    input: 'agent',
  },
  model: {
    kind: 'text',
    group: 'run',
    help: "Default model for calls that choose none (a call's model, agent type, tier and phase come first).",
    flag: 'model',
    value: 'M',
    input: 'model',
  },
  command: {
    kind: 'text',
    group: 'run',
    help: 'The program of the command agent (prompt on stdin, answer on stdout).',
    flag: 'command',
    value: 'CMD',
    input: 'command',
  },
  config: {
    kind: 'text',
    group: 'run',
    help: 'Path of a JSON file with tiers, agent types and provider settings (default dynamic-workflow.json in the working directory, when present).',
    docs: 'tiers, agent types and provider settings; default `dynamic-workflow.json` when present ([config file](providers.md#the-config-file))',
    flag: 'config',
    value: 'FILE',
    input: 'config',
  },
  concurrency: { kind: 'count', group: 'run', help: 'Live agent calls at once.', default: 4, min: 1, flag: 'concurrency', value: 'N', input: 'concurrency' },
  maxAgents: {
    kind: 'count',
    group: 'run',
    help: 'Fail the run past this many agent calls.',
    docs: 'the run fails past this many agent calls (`this run reached its limit of 1000 agent calls (max-agents); ...`)',
    default: 1000,
    min: 1,
    flag: 'max-agents',
    value: 'N',
    input: 'max-agents',
  },
  agentTimeoutMs: { kind: 'duration', group: 'run', help: 'Wall-clock limit per agent attempt, e.g. 10m.', flag: 'agent-timeout', value: 'DUR', input: 'agent-timeout' },
  idleTimeoutMs: { kind: 'duration', group: 'run', help: 'Stop an agent that produces no output for this long, e.g. 5m.', flag: 'idle-timeout', value: 'DUR', input: 'idle-timeout' },
  agentRetries: {
    kind: 'count',
    group: 'run',
    help: 'Retries after a transient provider error (rate limit, 5xx, timeout).',
    docs: 'retries after a transient provider error ([retries and timeouts](providers.md#retries-and-timeouts))',
    default: 2,
    min: 0,
    flag: 'agent-retries',
    value: 'N',
    input: 'agent-retries',
  },
  tokenBudget: {
    kind: 'count',
    group: 'run',
    help: 'No new live call once this many tokens are spent; the run then fails saying spent vs limit.',
    docs: 'no new live call once this many tokens are spent (`token budget exhausted: spent 45 of 5 tokens; no new agent calls were started`); calls in flight finish',
    min: 1,
    flag: 'token-budget',
    value: 'N',
    input: 'token-budget',
  },
  costBudgetUsd: {
    kind: 'usd',
    group: 'run',
    help: 'No new live call once this many US dollars are spent.',
    docs: 'no new live call once this many US dollars are spent; calls in flight finish',
    flag: 'cost-budget',
    value: 'USD',
    input: 'cost-budget',
  },
  scriptCpuMs: {
    kind: 'duration',
    group: 'run',
    help: "Synchronous script time allowed in all, waiting for agents excluded; past it the run fails with CPU_LIMIT.",
    docs: 'synchronous script time allowed, waiting for agents excluded ([limits](script-api.md#cpu-and-memory-limits))',
    default: 30_000,
    flag: 'script-cpu-limit',
    value: 'DUR',
  },
  scriptMemoryMb: {
    kind: 'count',
    group: 'run',
    help: 'Memory of the script sandbox, in MB; past it the run fails with MEMORY_LIMIT.',
    docs: 'memory of the script sandbox in MB ([limits](script-api.md#cpu-and-memory-limits))',
    default: 256,
    min: 16,
    flag: 'script-memory-limit',
    value: 'MB',
  },
  replay: {
    kind: 'switch',
    group: 'run',
    help: 'Run every call live (answers are still journaled).',
    default: true,
    negatedFlag: 'no-replay',
  },
  // ---- every CLI command ----
  stateDir: {
    kind: 'text',
    group: 'state',
    help: 'Where journals and runs live.',
    docs: 'where journals and runs live',
    default: '.dynamic-workflow',
    flag: 'state-dir',
    value: 'DIR',
    env: 'DWF_STATE_DIR',
  },
  // ---- the Action only ----
  cache: { kind: 'switch', group: 'action', help: 'Keep the journal in the Actions cache (true or false).', default: true, input: 'cache' },
  cacheKey: {
    kind: 'text',
    group: 'action',
    help: 'Extra part of the cache keys, to keep matrix jobs running the same script apart (for example the matrix name).',
    docs: 'extra part of the cache slot, to keep [matrix jobs](action.md#matrix-jobs) apart',
    input: 'cache-key',
  },
  checkpointIntervalMs: {
    kind: 'seconds',
    group: 'action',
    help: 'Seconds between journal checkpoints to the cache while the run goes on (also at each phase end).',
    default: 30_000,
    min: 1,
    input: 'checkpoint-interval',
  },
  artifact: {
    kind: 'switch',
    group: 'action',
    help: 'Upload the run state (journal, snapshot, result, script, log) as an artifact; it survives cache eviction.',
    default: true,
    input: 'artifact',
  },
  comment: {
    kind: 'choice',
    group: 'action',
    help: 'The PR status comment: auto (on pull_request, pull_request_target and issue_comment events, or with pr-number), always (also on other events: the open PR of the pushed commit, with a notice when there is none), or never.',
    docs: 'the PR status comment: `auto`, `always` or `never` ([PR comment](action.md#the-pr-status-comment))',
    default: 'auto',
    choices: ['auto', 'always', 'never'],
    input: 'comment',
  },
  review: {
    kind: 'choice',
    group: 'action',
    help: "Posts the review the script declared (review.comment, review.summary) on the pull request, once across re-runs and pushes: auto (when there is a pull request) or never. Needs pull-requests: write; a token without it gets a notice.",
    docs: 'the review the script declared: `auto` or `never` ([effects](action.md#effects-reviews-and-labels))',
    default: 'auto',
    choices: ['auto', 'never'],
    input: 'review',
  },
  changes: {
    kind: 'choice',
    group: 'action',
    help: "Delivers the run's file changes, once across re-runs: none, commit (on the pull request's head branch, same repository; check out the head), pull-request (a branch dynamic-workflow/<name> and one pull request, opened or updated), or artifact (the patch only). commit and pull-request need contents: write (and pull-requests: write).",
    docs: "the run's file changes: `none`, `commit`, `pull-request` or `artifact` ([effects](action.md#effects-reviews-and-labels))",
    default: 'none',
    choices: ['none', 'commit', 'pull-request', 'artifact'],
    input: 'changes',
  },
  commentIntervalMs: {
    kind: 'seconds',
    group: 'action',
    help: 'Least seconds between live edits of the PR comment while the run goes on (the final state is always written).',
    default: 10_000,
    min: 1,
    input: 'comment-interval',
  },
  prNumber: { kind: 'count', group: 'action', help: 'The pull request to comment on, for events that carry none (workflow_dispatch).', min: 1, input: 'pr-number' },
  githubToken: {
    kind: 'text',
    group: 'action',
    help: 'Token for the PR status comment (and for finding the pull request of a pushed commit with comment: always).',
    actionDefault: '${{ github.token }}',
    input: 'github-token',
  },
  workingDirectory: {
    kind: 'text',
    group: 'action',
    help: 'Where the script runs and readFile() reads.',
    default: '.',
    input: 'working-directory',
  },
} as const satisfies Record<string, SettingSpec>

export type SettingKey = keyof typeof SETTINGS

/** The value a setting of this kind holds. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['kind'] extends 'count' | 'duration' | 'seconds' | 'usd'
  ? number
  : (typeof SETTINGS)[K]['kind'] extends 'switch'
    ? boolean
    : (typeof SETTINGS)[K]['kind'] extends 'args'
      ? unknown
      : string

/** Keys of the settings in a group, in table order. */
export function settingsOf(group: SettingGroup): SettingKey[] {
  return (Object.keys(SETTINGS) as SettingKey[]).filter((key) => SETTINGS[key].group === group)
}

/** A setting's default, typed. */
export function defaultOf<K extends SettingKey>(key: K): SettingValue<K> | undefined {
  return (SETTINGS[key] as SettingSpec).default as SettingValue<K> | undefined
}
