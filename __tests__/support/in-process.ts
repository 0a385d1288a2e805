import { createMockProvider, type MockOptions } from '../../src/agents/mock.js'
import type { AgentProvider } from '../../src/core/provider.js'
import { runWorkflow, type RunWorkflowOptions } from '../../src/engine/run-workflow.js'
import { type RunSnapshot } from '../../src/report/snapshot.js'
import { type RunEvent, type RunOutcome } from '../../src/core/events.js'
import type { JournalPort, ProviderSet, WorkspacePort } from '../../src/core/ports.js'
import { type JournalEntry } from '../../src/core/journal-entry.js'
import { createSandboxProgram, type SandboxLimits } from '../../src/script/sandbox.js'
import { loadScript } from '../../src/script/load.js'
import { applyEvents, emptySnapshot } from '../../src/report/snapshot-reduce.js'

/** A journal kept in memory, for engine tests that do not test the file store. */
export class MemoryJournal implements JournalPort {
  readonly map = new Map<string, JournalEntry>()
  appended: JournalEntry[] = []
  constructor(entries: Iterable<JournalEntry> = []) {
    for (const e of entries) this.map.set(e.key, e)
  }
  get(key: string) {
    return this.map.get(key)
  }
  async append(entry: JournalEntry) {
    this.map.set(entry.key, entry)
    this.appended.push(entry)
  }
  entries() {
    return this.map.values()
  }
}

export const noWorkspace: WorkspacePort = {
  readFile: () => {
    throw new Error('no workspace in this test')
  },
  glob: () => [],
  hashFiles: () => ({}),
}

export function providerSet(...providers: AgentProvider[]): ProviderSet {
  const map = new Map(providers.map((p) => [p.name, p]))
  return { defaultProvider: providers[0]!.name, get: (name) => map.get(name) }
}

export interface InProcessRun {
  outcome: RunOutcome
  snapshot: RunSnapshot
  events: RunEvent[]
  journal: MemoryJournal
}

/** Runs workflow source text in the real sandbox and engine, in this process. */
export async function runSource(
  source: string,
  options: Partial<Omit<RunWorkflowOptions, 'program' | 'meta' | 'journal'>> & { journal?: MemoryJournal; mock?: MockOptions; limits?: SandboxLimits; file?: string } = {},
): Promise<InProcessRun> {
  const script = loadScript(source, options.file ?? 'test.workflow.js')
  const journal = options.journal ?? new MemoryJournal()
  const events: RunEvent[] = []
  const outcome = await runWorkflow({
    runId: 'test-run',
    providers: providerSet(createMockProvider(options.mock)),
    workspace: noWorkspace,
    ...options,
    meta: script.meta,
    script: script.file,
    program: createSandboxProgram(script, options.limits),
    journal,
    onEvent: (e) => {
      events.push(e)
      options.onEvent?.(e)
    },
  })
  return { outcome, snapshot: applyEvents(emptySnapshot(), events), events, journal }
}

/** Source of a workflow with a literal meta and the given body. */
export function workflow(body: string, meta = "{ name: 'test' }"): string {
  return `export const meta = ${meta}\n${body}\n`
}
