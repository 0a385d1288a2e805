/**
 * Landing editing calls' patches: 100 journaled patches of 10 files each landed by the runner
 * (as a replay of a fan-out lands them: in call order, each from the tree the calls started
 * from), as a ratio to `git apply` of the same patches one after the other in a copy of the
 * same folder. Both end with the same files (checked), so the ratio is what the runner's
 * bookkeeping (call order, three-way merges, atomic landing, trees for identities) costs.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { EntryEdits } from '../src/core/journal-entry.js'
import { RunEdits } from '../src/edits/run-edits.js'
import type { BenchRow } from './engine.bench.js'

const PATCHES = 100
const FILES_PER_PATCH = 10

function folderWithFiles(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-edits-bench-'))
  for (let p = 0; p < PATCHES; p++)
    for (let f = 0; f < FILES_PER_PATCH; f++) {
      const file = path.join(root, `pkg${p}`, `file${f}.ts`)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, Array.from({ length: 60 }, (_, i) => `export const v${i} = ${i} // pkg ${p} file ${f}`).join('\n') + '\n')
    }
  return root
}

function runEdits(root: string): RunEdits {
  const stateRoot = path.join(root, '.dynamic-workflow')
  const runDir = path.join(stateRoot, 'runs', 'bench')
  fs.mkdirSync(runDir, { recursive: true })
  return new RunEdits({ root, storeDir: path.join(stateRoot, 'trees.git'), treesDir: fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-edits-bench-trees-')), runDir, stateRoot, workflow: 'bench', hidden: () => undefined })
}

/** The patches, made the way editing calls make them: each call changes 10 files of its package in its own copy. */
async function makePatches(source: string): Promise<EntryEdits[]> {
  const edits = runEdits(source)
  const base = edits.begin()
  const made: EntryEdits[] = []
  for (let p = 0; p < PATCHES; p++) {
    const tree = await edits.isolate({ ...base, ticket: p + 1 })
    for (let f = 0; f < FILES_PER_PATCH; f++) {
      const file = path.join(tree.dir, `pkg${p}`, `file${f}.ts`)
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('export const v7 = 7', `export const v7 = ${p * 100 + f}`).replace(/v40 = 40/, 'v40 = "changed"'))
    }
    made.push(await tree.capture())
    await tree.remove()
  }
  return made
}

function copyOf(source: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-edits-bench-copy-'))
  fs.cpSync(source, copy, { recursive: true, filter: (from) => !from.includes('.dynamic-workflow') })
  return copy
}

function contents(root: string): string {
  return Array.from({ length: PATCHES }, (_, p) => Array.from({ length: FILES_PER_PATCH }, (_, f) => fs.readFileSync(path.join(root, `pkg${p}`, `file${f}.ts`), 'utf8')).join('')).join('')
}

export async function editsBenchmarks(): Promise<BenchRow[]> {
  const source = folderWithFiles()
  const dirs = [source]
  try {
    const patches = await makePatches(source)
    const gitCopy = copyOf(source)
    const ourCopy = copyOf(source)
    dirs.push(gitCopy, ourCopy)

    const patchFiles = patches.map((patch, i) => {
      const file = path.join(gitCopy, '..', `${path.basename(gitCopy)}-${i}.patch`)
      fs.writeFileSync(file, patch.patch)
      dirs.push(file)
      return file
    })
    let start = performance.now()
    for (const file of patchFiles) execFileSync('git', ['apply', file], { cwd: gitCopy })
    const gitMs = performance.now() - start

    start = performance.now()
    const edits = runEdits(ourCopy)
    const bases = patches.map(() => edits.begin())
    await Promise.all(patches.map((patch, i) => edits.land(bases[i]!, patch, { label: `call ${i}` })))
    const oursMs = performance.now() - start

    if (contents(ourCopy) !== contents(gitCopy)) throw new Error('the runner and git apply ended with different files')
    return [
      {
        name: 'landing patches vs git apply',
        value: oursMs / gitMs,
        unit: 'x',
        goal: '<= 1.50',
        detail: `${PATCHES} patches of ${FILES_PER_PATCH} files: landed in call order in ${Math.round(oursMs)} ms vs git apply one by one ${Math.round(gitMs)} ms`,
      },
    ]
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
  }
}
