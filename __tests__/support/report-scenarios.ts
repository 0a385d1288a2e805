import type { AgentProvider } from '../../src/core/provider.js'
import { type RunSnapshot } from '../../src/report/snapshot.js'
import { type RunEvent, type RunOutcome } from '../../src/core/events.js'
import type { ShownStatus } from '../../src/report/markdown.js'
import { MemoryJournal, providerSet, runSource, workflow } from './in-process.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'

/**
 * The runs every renderer is shown against (issue 6's list): real runs of the real engine
 * and sandbox with the mock agent and a clock that moves one second per reading, so the
 * output is the same on every machine and a snapshot test can pin it.
 */
export interface Scenario {
  snapshot: RunSnapshot
  shown: ShownStatus
  outcome: Pick<RunOutcome, 'status' | 'result' | 'error'>
  events: RunEvent[]
}

export function fixedClock(): () => number {
  let t = Date.UTC(2026, 10, 23, 12, 0, 0)
  return () => (t += 1000)
}

const REVIEW_META = "{ name: 'pr-review', description: 'Reviews a pull request from three angles, then verifies the findings.', phases: [{ title: 'Review' }, { title: 'Verify' }, { title: 'Report' }] }"
const REVIEW = `const angles = ['security', 'tests', 'style']
const findings = await parallel(angles.map((a) => () => agent('Review the diff for ' + a + ' problems', { label: a })))
phase('Verify')
const checked = await agent('Verify these findings: ' + findings.join(' | '), { label: 'verify' })
phase('Report')
return { summary: await agent('Write the report: ' + checked, { label: 'report' }), angles }`

/** A run cut off after `count` of its events: what a live view shows mid-run. */
function prefix(run: { events: RunEvent[] }, count: number): RunSnapshot {
  return applyEvents(emptySnapshot(), run.events.slice(0, count))
}

/** A provider whose answers never match the schema: repairs run out, SCHEMA_NONCOMPLIANCE. */
const sloppy: AgentProvider = {
  name: 'mock',
  defaultModel: 'mock',
  async run(request) {
    return { text: 'Sure! Here are the findings: none.', usage: { inputTokens: Math.ceil(request.prompt.length / 4), outputTokens: 9, costUsd: 0.0002 }, model: request.model }
  },
}

export async function scenarios(): Promise<Record<string, Scenario>> {
  const source = workflow(REVIEW, REVIEW_META)
  const succeeded = await runSource(source, { now: fixedClock(), file: 'review.workflow.js', config: { concurrency: 2 } })
  // Running: the three reviews are done or going, the verification not yet started.
  const cut = succeeded.events.findIndex((e) => e.type === 'phase_started' && e.title === 'Verify')
  const running = prefix(succeeded, cut - 1)

  const failed = await runSource(
    workflow(
      `const angles = ['security', 'tests', 'style']
// A review that fails is noted and the run goes on; the verification failing ends it.
const findings = await parallel(angles.map((a) => () => agent('Review the diff for ' + a + ' problems', { label: a }).catch((e) => 'no ' + a + ' review: ' + e.code)))
phase('Verify')
return await agent('Verify these findings: ' + JSON.stringify(findings), { label: 'verify' })`,
      REVIEW_META,
    ),
    { now: fixedClock(), file: 'review.workflow.js', mock: { failPattern: /tests|Verify/ } },
  )

  // All replayed: the same run again on the journal of the first.
  const journal = new MemoryJournal()
  await runSource(source, { now: fixedClock(), file: 'review.workflow.js', journal })
  const replayed = await runSource(source, { now: fixedClock(), file: 'review.workflow.js', journal })
  // Edited: one prompt changed since the journaled run: that call and its consumers run live, and say why.
  const edited = await runSource(source.replace("' problems'", "' issues'"), { now: fixedClock(), file: 'review.workflow.js', journal })

  const schema = await runSource(
    workflow("return await agent('List the findings', { label: 'findings', schema: { type: 'object', properties: { findings: { type: 'array' } }, required: ['findings'] } })", "{ name: 'findings' }"),
    { now: fixedClock(), file: 'findings.workflow.js', providers: providerSet(sloppy) },
  )

  const budget = await runSource(
    workflow("const out = []\nfor (const f of ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']) out.push(await agent('Migrate ' + f + ' '.repeat(200), { label: f }))\nreturn out", "{ name: 'migrate' }"),
    { now: fixedClock(), file: 'migrate.workflow.js', config: { tokenBudget: 150 } },
  )

  const many = await runSource(
    workflow(
      "phase('Scan')\nconst out = await parallel(Array.from({ length: 1000 }, (_, i) => () => agent('Look at file ' + i, { label: 'src/module-' + i + '.ts' })))\nphase('Sum')\nreturn await agent('Sum up ' + out.length)",
      "{ name: 'scan', phases: [{ title: 'Scan' }, { title: 'Sum' }] }",
    ),
    { now: fixedClock(), file: 'scan.workflow.js', config: { concurrency: 16 }, mock: { failPattern: /file (13|500|999)$/ } },
  )

  const finished = (run: Awaited<ReturnType<typeof runSource>>): Scenario => ({ snapshot: run.snapshot, shown: run.outcome.status, outcome: run.outcome, events: run.events })
  return {
    running: { snapshot: running, shown: 'running', outcome: { status: 'stopped' }, events: succeeded.events.slice(0, cut - 1) },
    succeeded: finished(succeeded),
    failed: finished(failed),
    interrupted: { snapshot: running, shown: 'interrupted', outcome: { status: 'stopped', error: { code: 'STOPPED', message: 'the run was stopped' } }, events: succeeded.events.slice(0, cut - 1) },
    'all-replayed': finished(replayed),
    edited: finished(edited),
    'schema failure': finished(schema),
    'budget stop': finished(budget),
    '1000 agents': finished(many),
  }
}
