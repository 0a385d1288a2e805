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
import type { EditBase } from '../src/core/ports.js'
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
  const trees = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-edits-bench-trees-'))
  return new RunEdits({ root, storeDir: path.join(stateRoot, 'trees.git'), treesDir: () => trees, runDir, stateRoot, workflow: 'bench', hidden: () => undefined })
}

/**
 * The patches, made the way an editing call makes them (its copy of the tree, captured): one
 * copy, in which each package's 10 files are changed, captured, then put back.
 */
async function makePatches(source: string): Promise<EntryEdits[]> {
  const edits = runEdits(source)
  const tree = await edits.isolate(edits.begin())
  const made: EntryEdits[] = []
  for (let p = 0; p < PATCHES; p++) {
    const files = Array.from({ length: FILES_PER_PATCH }, (_, f) => path.join(tree.dir, `pkg${p}`, `file${f}.ts`))
    const originals = files.map((file) => fs.readFileSync(file, 'utf8'))
    files.forEach((file, f) => fs.writeFileSync(file, originals[f]!.replace('export const v7 = 7', `export const v7 = ${p * 100 + f}`).replace(/v40 = 40/, 'v40 = "changed"')))
    made.push(await tree.capture())
    files.forEach((file, f) => fs.writeFileSync(file, originals[f]!))
  }
  await tree.remove()
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

const ROUNDS = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/**
 * One timed landing of every patch in a fresh copy; checks the files against git's. `prepare`
 * (untimed) reads the tree, as a run's first editing call does before anything lands.
 */
async function timed<T>(source: string, expected: string | undefined, prepare: (copy: string) => T, land: (prepared: T) => Promise<void>): Promise<{ ms: number; prepareMs: number; files: string }> {
  const copy = copyOf(source)
  try {
    let start = performance.now()
    const prepared = prepare(copy)
    const prepareMs = performance.now() - start
    start = performance.now()
    await land(prepared)
    const ms = performance.now() - start
    const files = contents(copy)
    if (expected !== undefined && files !== expected) throw new Error('the runner and git apply ended with different files')
    return { ms, prepareMs, files }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true })
  }
}

export async function editsBenchmarks(): Promise<BenchRow[]> {
  const source = folderWithFiles()
  const patchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-edits-bench-patches-'))
  try {
    const patches = await makePatches(source)
    const patchFiles = patches.map((patch, i) => {
      const file = path.join(patchDir, `${i}.patch`)
      fs.writeFileSync(file, patch.patch)
      return file
    })
    const gitApply = async (copy: string) => {
      for (const file of patchFiles) execFileSync('git', ['apply', file], { cwd: copy })
    }
    // A replay of a fan-out: every call made together, landing in call order.
    const fanOut = async ({ edits, bases }: { edits: RunEdits; bases: EditBase[] }) => {
      await Promise.all(patches.map((patch, i) => edits.land(bases[i]!, patch, { label: `call ${i}` })))
    }
    // One call after another: each call's identity needs the tree with the last call's changes.
    const oneByOne = async (edits: RunEdits) => {
      for (const [i, patch] of patches.entries()) await edits.land(edits.begin(), patch, { label: `call ${i}` })
    }
    const times = { git: [] as number[], fanOut: [] as number[], oneByOne: [] as number[], read: [] as number[] }
    // Interleaved rounds, medians: this machine is shared, and its disk is the noise.
    for (let round = 0; round < ROUNDS; round++) {
      const reference = await timed(source, undefined, (copy) => copy, gitApply)
      times.git.push(reference.ms)
      const together = await timed(source, reference.files, (copy) => { const edits = runEdits(copy); return { edits, bases: patches.map(() => edits.begin()) } }, fanOut)
      times.fanOut.push(together.ms)
      times.read.push(together.prepareMs)
      times.oneByOne.push((await timed(source, reference.files, (copy) => { const edits = runEdits(copy); edits.drop(edits.begin()); return edits }, oneByOne)).ms)
    }
    const [git, ours, sequential, read] = [median(times.git), median(times.fanOut), median(times.oneByOne), median(times.read)]
    return [
      {
        name: 'landing patches vs git apply',
        value: ours / git,
        unit: 'x',
        goal: '<= 1.50',
        detail: `${PATCHES} patches of ${FILES_PER_PATCH} files from one fan-out, landed in call order: ${Math.round(ours)} ms vs git apply one by one ${Math.round(git)} ms (medians of ${ROUNDS})`,
      },
      {
        name: 'landing, one call after another, vs git apply',
        value: sequential / git,
        unit: 'x',
        goal: 'reported',
        detail: `the same patches from calls made one after another (each call's identity needs the tree after the last landing): ${Math.round(sequential)} ms`,
      },
      {
        name: 'reading the tree (first editing call) vs git apply',
        value: read / git,
        unit: 'x',
        goal: 'reported',
        detail: `${PATCHES * FILES_PER_PATCH} files read into the runner's own object store, once per run: ${Math.round(read)} ms`,
      },
    ]
  } finally {
    fs.rmSync(source, { recursive: true, force: true })
    fs.rmSync(patchDir, { recursive: true, force: true })
  }
}
