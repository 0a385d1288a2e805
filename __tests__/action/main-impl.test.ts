import { afterEach, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { CacheClient } from '../../src/action/journal-cache.js'
import { runMain } from '../../src/action/main-impl.js'
import { runPost } from '../../src/action/post-impl.js'
import type { ArtifactClient } from '../../src/action/run-artifacts.js'
import { MemoryState, State } from '../../src/action/state.js'
import { type ActionCore } from '../../src/action/core-port.js'

const SCRIPT = `export const meta = { name: 'review', phases: [{ title: 'Review' }, { title: 'Summary' }] }
const angles = ['security', 'tests', 'style']
const notes = await parallel(angles.map((a) => () => agent('Review for ' + a, { label: a })))
phase('Summary')
return await agent('Summarise: ' + notes.join(' / '), { label: 'summary' })
`

/**
 * A cache that keeps copies of the saved files by key, with the service's prefix matching.
 * Paths are relative to the workspace (`root`), and a restore extracts where it is told, as
 * @actions/cache does with GITHUB_WORKSPACE.
 */
class FileCache implements CacheClient {
  readonly entries: Array<{ key: string; files: Map<string, Buffer> }> = []
  constructor(public root: () => string) {}
  async saveCache(paths: string[], key: string): Promise<number> {
    if (this.entries.some((e) => e.key === key)) return -1
    // Stored by their path relative to the workspace, as tar's member names.
    const files = new Map(paths.filter((p) => fs.existsSync(path.resolve(this.root(), p))).map((p) => [path.relative(this.root(), path.resolve(this.root(), p)), fs.readFileSync(path.resolve(this.root(), p))] as const))
    this.entries.push({ key, files })
    return this.entries.length
  }
  async restoreCache(_paths: string[], primary: string, fallbacks: string[], extractInto: string): Promise<string | undefined> {
    for (const prefix of [primary, ...fallbacks]) {
      const hit = [...this.entries].reverse().find((e) => e.key.startsWith(prefix))
      if (!hit) continue
      for (const [p, data] of hit.files) {
        fs.mkdirSync(path.dirname(path.resolve(extractInto, p)), { recursive: true })
        fs.writeFileSync(path.resolve(extractInto, p), data)
      }
      return hit.key
    }
    return undefined
  }
}

function recordingCore(inputs: Record<string, string>) {
  const seen = { outputs: {} as Record<string, string>, failed: [] as string[], warnings: [] as string[], notices: [] as string[], errors: [] as Array<{ message: string; properties?: object }>, summaries: [] as string[], warningAnnotations: [] as Array<{ message: string; properties: object }> }
  const core: ActionCore = {
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => void (seen.outputs[name] = value),
    setFailed: (message) => void seen.failed.push(message),
    info: () => {},
    warning: (message, properties) => void (seen.warnings.push(message), properties && seen.warningAnnotations.push({ message, properties })),
    notice: (message) => void seen.notices.push(message),
    error: (message, properties) => void seen.errors.push({ message, properties }),
    summary: async (markdown) => void seen.summaries.push(markdown),
  }
  return { core, seen }
}

const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream
const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/**
 * A fresh workspace per attempt, laid out as a runner's (`_work/<repo>/<repo>`, with RUNNER_TEMP
 * at `_work/_temp`); the cache and artifacts outlive it.
 */
function workspace(files: Record<string, string>): string {
  const job = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-action-'))
  dirs.push(job)
  const dir = path.join(job, '_work', 'widgets', 'widgets')
  fs.mkdirSync(runnerTemp(dir), { recursive: true })
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), text)
  }
  return dir
}

const runnerTemp = (dir: string) => path.join(dir, '..', '..', '_temp')

function artifactStore(): ArtifactClient & { uploads: Array<{ name: string; files: string[] }> } {
  const uploads: Array<{ name: string; files: string[] }> = []
  return {
    uploads,
    async uploadArtifact(name, files) {
      uploads.push({ name, files })
      return { id: uploads.length, size: 1 }
    },
    async listArtifacts() {
      return { artifacts: uploads.map((u, i) => ({ name: u.name, id: i + 1, size: 1 })) }
    },
    async downloadArtifact() {
      return {}
    },
  }
}

async function attempt(attemptNumber: number, cache: FileCache, inputs: Record<string, string>, files: Record<string, string> = { 'review.workflow.js': SCRIPT }, env: Record<string, string> = {}) {
  const dir = workspace(files)
  cache.root = () => dir
  const { core, seen } = recordingCore({ script: 'review.workflow.js', agent: 'mock', ...inputs })
  const state = new MemoryState()
  const artifacts = artifactStore()
  const result = await runMain({
    core,
    state,
    env: { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: String(attemptNumber), GITHUB_JOB: 'review', RUNNER_TEMP: runnerTemp(dir), ...env },
    cache,
    artifacts,
    io: { stderr: sink(), env: { ...env }, cwd: dir },
  })
  return { result, seen, state, artifacts, dir }
}

describe('the main step', () => {
  it('runs, saves the journal, uploads the run state and sets every output', async () => {
    const cache = new FileCache(() => '')
    const { result, seen, state, artifacts } = await attempt(1, cache, {})
    expect(result.status).toBe('succeeded')
    expect(seen.failed).toEqual([])
    expect(seen.outputs).toMatchObject({ status: 'succeeded', 'agents-total': '4', 'agents-live': '4', 'agents-replayed': '0', 'agents-failed': '0', 'run-id': '4242-1-review' })
    expect(Number(seen.outputs.tokens)).toBeGreaterThan(0)
    expect(cache.entries.length).toBeGreaterThanOrEqual(1)
    expect(artifacts.uploads[0]!.name).toMatch(/^dynamic-workflow-review-review-[0-9a-f]{8}-attempt-1$/)
    expect(artifacts.uploads[0]!.files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['review.jsonl', 'run.json', 'result.json', 'log.txt']))
    expect(state.get(State.finalSaved)).toBe('true')
    expect(seen.summaries[0]).toMatch(/### ✅ review: succeeded/)
  })

  it('a re-run in a fresh workspace restores the journal and replays every completed call', async () => {
    const cache = new FileCache(() => '')
    await attempt(1, cache, {})
    const second = await attempt(2, cache, {})
    expect(second.seen.outputs).toMatchObject({ 'agents-live': '0', 'agents-replayed': '4' })
    expect(Number(second.seen.outputs['saved-cost-usd'])).toBeGreaterThan(0)
  })

  it('a failed workflow fails the step with the script line and how to resume; the re-run pays only for the rest', async () => {
    const cache = new FileCache(() => '')
    const first = await attempt(1, cache, {}, undefined, { DWF_MOCK_FAIL: 'style' })
    expect(first.result.status).toBe('failed')
    expect(first.seen.failed[0]).toMatch(/review failed: review\.workflow\.js:3: [\s\S]*style[\s\S]*re-run the failed jobs to resume/i)
    expect(first.seen.errors[0]).toMatchObject({ properties: { file: 'review.workflow.js', startLine: 3 } })
    const second = await attempt(2, cache, {})
    expect(second.seen.outputs).toMatchObject({ status: 'succeeded', 'agents-live': '2', 'agents-replayed': '2' })
  })

  it('names the input when one is wrong, runs nothing, and says so in the job summary', async () => {
    const { result, seen } = await attempt(1, new FileCache(() => ''), { concurrency: 'lots' })
    expect(result.status).toBe('invalid')
    expect(seen.failed).toEqual([expect.stringMatching(/^input 'concurrency': must be a whole number/)])
    expect(seen.summaries).toEqual([expect.stringMatching(/did not start[\s\S]*input 'concurrency'[\s\S]*no journaled work was touched/)])
  })

  it('each failed call is an ::error on its line; the parallel() error made of them is not repeated', async () => {
    const { seen } = await attempt(1, new FileCache(() => ''), {}, undefined, { DWF_MOCK_FAIL: 'security|style' })
    expect(seen.errors.map((e) => e.properties)).toEqual([
      { file: 'review.workflow.js', startLine: 3, title: "agent 'security' failed" },
      { file: 'review.workflow.js', startLine: 3, title: "agent 'style' failed" },
    ])
    expect(seen.errors[0]!.message).toMatch(/^PROVIDER: mock provider error/)
  })

  it('a budget stop is a warning annotation on the refused call, and the summary shows the budget', async () => {
    const { result, seen } = await attempt(1, new FileCache(() => ''), { 'token-budget': '40' })
    expect(result.status).toBe('failed')
    expect(seen.errors).toEqual([])
    expect(seen.warningAnnotations).toEqual([
      { message: expect.stringMatching(/^BUDGET_EXHAUSTED: token budget exhausted/), properties: expect.objectContaining({ file: 'review.workflow.js', title: 'Budget or agent limit reached' }) },
    ])
    expect(seen.summaries[0]).toMatch(/Budget: [\d.k]+ of 40 tokens\./)
    expect(seen.failed[0]).toMatch(/re-run the failed jobs to resume/i)
  })

  it('cache trouble is a warning in the log and in the job summary, and the run still succeeds', async () => {
    const broken: CacheClient = {
      restoreCache: async () => {
        throw new Error('cache service unreachable')
      },
      saveCache: async () => -1,
    }
    const dir = workspace({ 'review.workflow.js': SCRIPT })
    const { core, seen } = recordingCore({ script: 'review.workflow.js', agent: 'mock' })
    const result = await runMain({ core, state: new MemoryState(), env: { GITHUB_RUN_ID: '1', RUNNER_TEMP: runnerTemp(dir) }, cache: broken, artifacts: undefined, io: { stderr: sink(), env: {}, cwd: dir } })
    expect(result.status).toBe('succeeded')
    expect(seen.warnings.join('\n')).toMatch(/Could not restore the journal from the cache \(cache service unreachable\)/)
    expect(seen.summaries[0]).toMatch(/<summary>⚠️ \d+ warnings?<\/summary>[\s\S]*Could not restore the journal from the cache[\s\S]*was not saved to the cache/)
  })

  it('never falls back to mock answers in CI: auto without credentials fails naming the secrets', async () => {
    const { result, seen } = await attempt(1, new FileCache(() => ''), { agent: 'auto' })
    expect(result.status).toBe('invalid')
    expect(seen.failed[0]).toMatch(/ANTHROPIC_API_KEY or OPENAI_API_KEY/)
  })

  it('keeps going without a cache service, with a notice', async () => {
    const dir = workspace({ 'review.workflow.js': SCRIPT })
    const { core, seen } = recordingCore({ script: 'review.workflow.js', agent: 'mock' })
    const result = await runMain({ core, state: new MemoryState(), env: { RUNNER_TEMP: runnerTemp(dir) }, cache: undefined, artifacts: undefined, io: { stderr: sink(), env: {}, cwd: dir } })
    expect(result.status).toBe('succeeded')
    expect(seen.notices.join()).toMatch(/cache is not available/)
  })
})

describe('the post step', () => {
  it('does nothing when main finished its final save', async () => {
    const { core } = recordingCore({})
    const state = new MemoryState()
    state.set(State.finalSaved, 'true')
    expect(await runPost({ core, state, cache: new FileCache(() => ''), artifacts: artifactStore() })).toBe('done-by-main')
  })

  it('saves the journal main left under a new key, uploads the run state and reports the run interrupted', async () => {
    const cache = new FileCache(() => '')
    const main = await attempt(1, cache, {})
    main.state.values.delete(State.finalSaved) // as if main had been killed before its final save
    const before = cache.entries.length
    const { core, seen } = recordingCore({})
    const artifacts = artifactStore()
    expect(await runPost({ core, state: main.state, cache, artifacts })).toBe('saved')
    expect(cache.entries.length).toBe(before + 1)
    expect(artifacts.uploads).toHaveLength(1)
    expect(seen.summaries[0]).toMatch(/interrupted/)
    expect(seen.warnings[0]).toMatch(/did not finish/)
  })

  it('writes the job summary even when main was killed before the run wrote its first snapshot', async () => {
    const cache = new FileCache(() => '')
    const main = await attempt(1, cache, {})
    main.state.values.delete(State.finalSaved)
    fs.rmSync(path.join(runnerTemp(main.dir), 'dynamic-workflow', 'runs'), { recursive: true, force: true })
    const { core, seen } = recordingCore({})
    expect(await runPost({ core, state: main.state, cache, artifacts: artifactStore() })).toBe('saved')
    expect(seen.summaries).toEqual([expect.stringMatching(/^### ⚠️ review: interrupted — re-run the job to resume/)])
  })
})

describe('a script error of its own', () => {
  it('is one ::error with its line and column', async () => {
    const script = "export const meta = { name: 'review' }\nconst a = await agent('x')\nnull.boom\n"
    const { seen } = await attempt(1, new FileCache(() => ''), {}, { 'review.workflow.js': script })
    expect(seen.errors).toEqual([{ message: expect.stringMatching(/^SCRIPT_ERROR: /), properties: expect.objectContaining({ file: 'review.workflow.js', startLine: 3, title: 'review failed' }) }])
  })
})

describe('annotations with a working-directory', () => {
  it('name the script by its path from the repository root, where GitHub looks for it', async () => {
    const { seen } = await attempt(1, new FileCache(() => ''), { 'working-directory': 'sub' }, { 'sub/review.workflow.js': SCRIPT }, { DWF_MOCK_FAIL: 'style' })
    expect(seen.errors.map((e) => e.properties)).toEqual([expect.objectContaining({ file: 'sub/review.workflow.js', startLine: 3 })])
  })
})
