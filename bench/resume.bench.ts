/**
 * Resume waste: live calls a second run needs after a failure or a script edit, for this
 * project's engine (content-keyed journal) and for a position-keyed baseline, on one workflow
 * of N independent calls. dynamic-workflow's counts come from real runs of the engine (events,
 * cross-checked with journal appends); the baseline is driven through the same call sequence
 * (identity hashes in call order, taken from those runs' events). The ideal is the number of
 * calls of the second run with no completed twin in the first: work that must be paid for.
 */
import { MemoryJournal, runSource, workflow, type InProcessRun } from '../__tests__/support/in-process.js'
import type { BenchRow } from './engine.bench.js'
import { recordByPosition, replayByPosition, type PositionRule } from './position-keyed.js'

const N = 100

interface Scenario {
  name: string
  first: string[]
  /** Index of the call that fails in the first run (the provider errors on its prompt). */
  failAt?: number
  second: string[]
}

export interface ResumeResult {
  scenario: string
  ideal: number
  dynamicWorkflow: number
  positionKeyed: Record<PositionRule, number>
}

const prompts = Array.from({ length: N }, (_, i) => `Review src/module-${i}.ts for bugs.`)
const middle = N / 2

function scenarios(): Scenario[] {
  const fail = (k: number): Scenario => ({ name: `failure at call ${k} of ${N}, re-run`, first: prompts, failAt: k - 1, second: prompts })
  return [
    fail(10),
    fail(50),
    fail(90),
    { name: 'insert one new call at the top', first: prompts, second: ['Summarise the change log.', ...prompts] },
    { name: 'reorder (reverse) the calls', first: prompts, second: [...prompts].reverse() },
    { name: `edit one prompt in the middle (call ${middle + 1})`, first: prompts, second: prompts.map((p, i) => (i === middle ? p + ' Mind the tests.' : p)) },
  ]
}

/** N independent calls in one fan-out, the prompts a literal list in the script. */
const source = (list: string[]) => workflow(`const prompts = ${JSON.stringify(list)}\nreturn (await parallel(prompts.map((p) => () => agent(p)))).length`)

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The run's calls in call order (engine ids count `agent()` calls) and which of them succeeded. */
function callSequence(run: InProcessRun): { hashes: string[]; succeeded: (index: number) => boolean } {
  const hashes: string[] = []
  const done = new Set<number>()
  for (const e of run.events) {
    if (e.type === 'agent_queued') hashes[e.id - 1] = e.key.slice(0, e.key.indexOf('#'))
    else if (e.type === 'agent_succeeded' || e.type === 'agent_replayed') done.add(e.id - 1)
  }
  return { hashes, succeeded: (index) => done.has(index) }
}

/** Calls of `second` without a completed twin in `first` (a multiset difference). */
function idealLive(s: Scenario): number {
  const left = new Map<string, number>()
  for (const [i, p] of s.first.entries()) if (i !== s.failAt) left.set(p, (left.get(p) ?? 0) + 1)
  let live = 0
  for (const p of s.second) {
    const n = left.get(p) ?? 0
    if (n > 0) left.set(p, n - 1)
    else live++
  }
  return live
}

async function measure(s: Scenario): Promise<ResumeResult> {
  const config = { concurrency: 16, retries: 0 }
  const journal = new MemoryJournal()
  const failPattern = s.failAt === undefined ? undefined : new RegExp('^' + escapeRegExp(s.first[s.failAt]!) + '$')
  const first = await runSource(source(s.first), { journal, config, mock: { failPattern } })
  const expected = s.failAt === undefined ? 'succeeded' : 'failed'
  if (first.outcome.status !== expected) throw new Error(`${s.name}: first run ${first.outcome.status}, expected ${expected}`)
  const appendsBefore = journal.appended.length
  const second = await runSource(source(s.second), { journal, config })
  if (second.outcome.status !== 'succeeded') throw new Error(`${s.name}: second run ${second.outcome.status}: ${second.outcome.error?.message}`)
  const live = second.events.filter((e) => e.type === 'agent_succeeded').length
  if (journal.appended.length - appendsBefore !== live) throw new Error(`${s.name}: ${live} live calls but ${journal.appended.length - appendsBefore} journal appends`)

  const before = callSequence(first)
  const recorded = recordByPosition(before.hashes, before.succeeded)
  const after = callSequence(second).hashes
  return {
    scenario: s.name,
    ideal: idealLive(s),
    dynamicWorkflow: live,
    positionKeyed: { prefix: replayByPosition(recorded, after, 'prefix').live, perIndex: replayByPosition(recorded, after, 'perIndex').live },
  }
}

export async function resumeBenchmarks(): Promise<{ rows: BenchRow[]; results: ResumeResult[] }> {
  const results: ResumeResult[] = []
  for (const s of scenarios()) results.push(await measure(s))
  const sum = (pick: (r: ResumeResult) => number) => results.reduce((total, r) => total + pick(r), 0)
  const ideal = sum((r) => r.ideal)
  const ours = sum((r) => r.dynamicWorkflow)
  const baseline = sum((r) => r.positionKeyed.prefix)
  return {
    results,
    rows: [
      {
        name: 'resume: live calls vs ideal',
        value: ours / ideal,
        unit: 'x',
        goal: '= 1.000',
        detail: `${results.length} failure/edit scenarios on ${N} independent calls: ${ours} live calls vs ${ideal} needed (table below)`,
      },
      {
        name: 'resume: position-keyed vs ideal',
        value: baseline / ideal,
        unit: 'x',
        goal: 'reported',
        detail: `the same scenarios through a journal keyed by call position (longest unchanged prefix, as pi-dynamic-workflows): ${baseline} live calls`,
      },
    ],
  }
}

/** The per-scenario sub-table. Ratio = position-keyed live calls / dynamic-workflow live calls. */
export function resumeTable(results: ResumeResult[]): string[] {
  const head = ['resume scenario', 'ideal', 'dynamic-workflow', 'position-keyed', 'per-index', 'ratio']
  const ratio = (r: ResumeResult) => (r.dynamicWorkflow > 0 ? (r.positionKeyed.prefix / r.dynamicWorkflow).toFixed(1) + ' x' : r.positionKeyed.prefix > 0 ? '∞ (vs 0)' : '1.0 x')
  const cells = results.map((r) => [r.scenario, String(r.ideal), String(r.dynamicWorkflow), String(r.positionKeyed.prefix), String(r.positionKeyed.perIndex), ratio(r)])
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((text, i) => (i === 0 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ')
  return [
    line(head),
    ...cells.map(line),
    `(live calls in the second run; position-keyed = longest unchanged prefix by call index, as pi-dynamic-workflows; per-index = each index judged alone, no prefix rule; ratio = position-keyed / dynamic-workflow)`,
  ]
}
