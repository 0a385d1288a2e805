/**
 * A workflow's lineage in one working folder: the tree its last run started from, and the
 * tree it left on disk. When the next run finds the folder exactly as that run left it, it is
 * a resume: it starts from the same tree, so its editing calls keep their identities and
 * replay. Any other change to the folder starts a new lineage.
 */
import path from 'node:path'
import { readTextIfExists } from '../util/no-follow-read.js'
import { writeFileAtomically } from '../util/no-follow-write.js'

export interface Lineage {
  start: string
  disk: string
}

const TREE = /^[0-9a-f]{40}$/

function lineageFile(storeDir: string, workflow: string): string {
  return path.join(storeDir, 'lineage', `${encodeURIComponent(workflow)}.json`)
}

export function readLineage(stateRoot: string, storeDir: string, workflow: string): Lineage | undefined {
  try {
    const value = JSON.parse(readTextIfExists(stateRoot, lineageFile(storeDir, workflow)) ?? 'null') as Partial<Lineage> | null
    return value && TREE.test(String(value.start)) && TREE.test(String(value.disk)) ? { start: value.start!, disk: value.disk! } : undefined
  } catch {
    return undefined // damaged: a new lineage
  }
}

export function writeLineage(stateRoot: string, storeDir: string, workflow: string, lineage: Lineage): void {
  writeFileAtomically(stateRoot, lineageFile(storeDir, workflow), JSON.stringify(lineage), { durable: true })
}
