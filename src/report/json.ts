import type { FileChanges, RunSnapshot } from './snapshot.js'
import { noEffects, type DeclaredEffects } from '../core/effects.js'
import { type RunOutcome } from '../core/events.js'

/** The `--json` object of the CLI contract (DESIGN.md), also the source of the Action's outputs. */
export interface JsonSummary {
  runId: string
  name: string
  status: RunOutcome['status']
  result: unknown
  agents: { total: number; live: number; replayed: number; failed: number }
  tokens: { input: number; output: number }
  costUsd: number
  /** Calls whose model has no known price: their cost is not in costUsd. */
  unpricedCalls?: number
  saved: { tokens: number; costUsd: number }
  durationMs: number
  /** The files the run changed (editing calls, writeFile, applyPatch); absent when none. */
  changes?: FileChanges
  /** What the script declared for the Action to do after the run (the CLI never does it). */
  effects: EffectsSummary
  error?: NonNullable<RunOutcome['error']>
}

export interface EffectsSummary {
  report: boolean
  review: { comments: number; summary: boolean }
  labels: { add: string[]; remove: string[] }
}

export function summarizeEffects(effects: DeclaredEffects | undefined): EffectsSummary {
  const e = effects ?? noEffects()
  return { report: e.report !== undefined, review: { comments: e.review.comments.length, summary: e.review.summary !== undefined }, labels: { add: e.labels.add, remove: e.labels.remove } }
}

/** The run as the JSON object of `dwf run --json`. Pure: an object from a snapshot and outcome. */
export function renderJson(snapshot: RunSnapshot, outcome: Pick<RunOutcome, 'status' | 'result' | 'error'>): JsonSummary {
  const t = snapshot.totals
  return {
    runId: snapshot.runId,
    name: snapshot.name,
    status: outcome.status,
    result: outcome.result ?? null,
    agents: { total: t.agents.total, live: t.agents.live, replayed: t.agents.replayed, failed: t.agents.failed },
    tokens: { input: t.tokens.input, output: t.tokens.output },
    costUsd: t.costUsd,
    ...(t.unpricedCalls ? { unpricedCalls: t.unpricedCalls } : {}),
    saved: { tokens: t.saved.tokens, costUsd: t.saved.costUsd },
    durationMs: (snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt,
    ...(snapshot.changes ? { changes: snapshot.changes } : {}),
    effects: summarizeEffects(snapshot.effects),
    ...(outcome.error ? { error: outcome.error } : {}),
  }
}
