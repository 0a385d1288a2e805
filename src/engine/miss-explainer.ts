import { changedComponents } from '../journal/identity.js'
import type { MissReason } from '../core/events.js'
import { type ComponentHashes, type JournalEntry } from '../core/journal-entry.js'

/**
 * Says why a call missed the journal: finds the journaled call it most likely is an edit of
 * (same label, or same script line, not already used by this run) and names the identity
 * components that differ ("prompt", "model", ...).
 */
export class MissExplainer {
  #byLabel?: Map<string, JournalEntry[]>
  #byLine?: Map<number, JournalEntry[]>

  constructor(private readonly entries: () => Iterable<JournalEntry>) {}

  explain(call: { label: string; line?: number; components: ComponentHashes }, used: ReadonlySet<string>): MissReason {
    this.#index()
    const candidates = [...(this.#byLabel!.get(call.label) ?? []), ...(call.line === undefined ? [] : (this.#byLine!.get(call.line) ?? []))]
    let best: { entry: JournalEntry; changed: ReturnType<typeof changedComponents> } | undefined
    for (const entry of candidates) {
      if (used.has(entry.key)) continue
      const changed = changedComponents(call.components, entry.components)
      if (changed.length > 0 && (!best || changed.length < best.changed.length)) best = { entry, changed }
    }
    return best ? { kind: 'changed', components: best.changed, label: best.entry.label } : { kind: 'new' }
  }

  /** Built on the first miss only: a fully replayed run never pays for it. */
  #index(): void {
    if (this.#byLabel) return
    this.#byLabel = new Map()
    this.#byLine = new Map()
    for (const entry of this.entries()) {
      if (entry.label !== undefined) push(this.#byLabel, entry.label, entry)
      if (entry.line !== undefined) push(this.#byLine, entry.line, entry)
    }
  }
}

function push<K>(map: Map<K, JournalEntry[]>, key: K, entry: JournalEntry): void {
  const list = map.get(key)
  if (list) list.push(entry)
  else map.set(key, [entry])
}
