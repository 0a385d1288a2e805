/**
 * Engine benchmarks, each a ratio measured in one run (machines are shared and noisy, so
 * absolute times mean little; ratios to an ideal or a baseline measured alongside do):
 *  - makespan of 1000 mock agents x 50 ms at concurrency 16 vs the ideal schedule;
 *  - replay throughput of a 10,000-entry journal, in calls per second.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMockProvider } from '../src/agents/mock.js'
import { runWorkflow } from '../src/engine/run-workflow.js'
import type { JournalPort, ProviderSet, WorkspacePort } from '../src/core/ports.js'
import { type JournalEntry } from '../src/core/journal-entry.js'
import { JournalFile } from '../src/journal/file-store.js'
import { writeJournalFile } from '../src/journal/compact.js'
import { createSandboxProgram } from '../src/script/sandbox.js'
import { loadScript } from '../src/script/load.js'

export interface BenchRow {
  name: string
  value: number
  unit: string
  goal: string
  detail: string
}

const workspace: WorkspacePort = { readFile: () => '', glob: () => [], hashFiles: () => ({}) }

function fanout(n: number): string {
  return `export const meta = { name: 'bench' }\nconst out = await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('Bench item ' + i)))\nreturn out.length\n`
}

function providers(latencyMs: number): ProviderSet {
  const mock = createMockProvider({ latencyMs })
  return { defaultProvider: 'mock', get: () => mock }
}

async function timeRun(source: string, journal: JournalPort, latencyMs: number, concurrency: number): Promise<{ ms: number; live: number; replayed: number }> {
  const script = loadScript(source, 'bench.workflow.js')
  let live = 0
  let replayed = 0
  const start = performance.now()
  const outcome = await runWorkflow({
    runId: 'bench',
    meta: script.meta,
    program: createSandboxProgram(script),
    providers: providers(latencyMs),
    journal,
    workspace,
    config: { concurrency, maxAgents: 20_000 },
    onEvent: (e) => {
      if (e.type === 'agent_succeeded') live++
      else if (e.type === 'agent_replayed') replayed++
    },
  })
  const ms = performance.now() - start
  if (outcome.status !== 'succeeded') throw new Error(`bench run ${outcome.status}: ${outcome.error?.message}`)
  return { ms, live, replayed }
}

class MemoryJournal implements JournalPort {
  readonly map = new Map<string, JournalEntry>()
  get(key: string) {
    return this.map.get(key)
  }
  async append(entry: JournalEntry) {
    this.map.set(entry.key, entry)
  }
  entries() {
    return this.map.values()
  }
}

export async function engineBenchmarks(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-bench-'))
  try {
    // Warm-up: the first QuickJS module of a process is compiled, later ones are not; the
    // engine's cost is what is measured here (CLI cold start is a benchmark of its own).
    await timeRun(fanout(50), new MemoryJournal(), 0, 4)

    // (b) makespan: 1000 x 50 ms at concurrency 16, journaled to a real file (fsync per entry).
    const agents = 1000
    const latency = 50
    const concurrency = 16
    const ideal = Math.ceil(agents / concurrency) * latency
    const journal = await JournalFile.open(path.join(dir, 'makespan.jsonl'))
    const makespan = await timeRun(fanout(agents), journal, latency, concurrency)
    await journal.close()

    // (c) replay: a 10,000-entry journal (made in memory, written once), loaded and replayed.
    const n = 10_000
    const memory = new MemoryJournal()
    await timeRun(fanout(n), memory, 0, 64)
    const file = path.join(dir, 'replay.jsonl')
    await writeJournalFile(file, memory.map.values())
    const loadStart = performance.now()
    const loaded = await JournalFile.open(file)
    const loadMs = performance.now() - loadStart
    const replay = await timeRun(fanout(n), loaded, 0, 16)
    await loaded.close()
    if (replay.replayed !== n) throw new Error(`expected ${n} replays, got ${replay.replayed}`)

    return [
      {
        name: 'engine makespan vs ideal',
        value: makespan.ms / ideal,
        unit: 'x',
        goal: '<= 1.10',
        detail: `${agents} agents x ${latency} ms at concurrency ${concurrency}: ${Math.round(makespan.ms)} ms vs ideal ${ideal} ms`,
      },
      {
        name: 'replay throughput',
        value: n / (replay.ms / 1000),
        unit: 'calls/s',
        goal: '>= 20,000',
        detail: `${n} journaled calls replayed in ${Math.round(replay.ms)} ms (+${Math.round(loadMs)} ms to load the journal)`,
      },
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
