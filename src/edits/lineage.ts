/**
 * A workflow's lineage in one working folder: the tree its last run started from, and what
 * that run did to the folder since: a tree it had reached (`disk`), then the files it changed
 * after it, one line each, appended as each change lands (cheap enough to do every time, so a
 * kill never leaves the lineage behind the folder). When the next run finds the folder exactly
 * as the lineage says, it continues that run (see RunEdits.resume); any other change to the
 * folder starts a new lineage.
 */
import path from 'node:path'
import { readTextIfExists } from '../util/no-follow-read.js'
import { appendText, writeFileAtomically } from '../util/no-follow-write.js'

export interface Lineage {
  start: string
  disk: string
  /** Files changed after `disk`, in order: a mode and blob, or null when deleted. */
  changes: Array<{ path: string; entry: { mode: string; blob: string } | null }>
}

const TREE = /^[0-9a-f]{40}$/

export class LineageFile {
  readonly #file: string

  constructor(
    readonly stateRoot: string,
    storeDir: string,
    workflow: string,
  ) {
    this.#file = path.join(storeDir, 'lineage', `${encodeURIComponent(workflow)}.jsonl`)
  }

  read(): Lineage | undefined {
    try {
      const [head, ...rest] = (readTextIfExists(this.stateRoot, this.#file) ?? '').split('\n').filter(Boolean)
      const { start, disk } = JSON.parse(head ?? 'null') as { start?: unknown; disk?: unknown }
      if (!TREE.test(String(start)) || !TREE.test(String(disk))) return undefined
      const changes = rest.map((line) => JSON.parse(line) as Lineage['changes'][number])
      if (!changes.every((c) => typeof c.path === 'string' && (c.entry === null || (/^\d{6}$/.test(c.entry.mode) && TREE.test(c.entry.blob))))) return undefined
      return { start: start as string, disk: disk as string, changes }
    } catch {
      return undefined // damaged: a new lineage
    }
  }

  /** Starts the file again from a known tree (when the run's tree is computed anyway). */
  reset(start: string, disk: string): void {
    writeFileAtomically(this.stateRoot, this.#file, `${JSON.stringify({ start, disk })}\n`)
  }

  append(changes: Lineage['changes']): void {
    appendText(this.stateRoot, this.#file, changes.map((c) => `${JSON.stringify(c)}\n`).join(''))
  }
}
