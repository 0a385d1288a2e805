import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { CacheClient } from '../../src/action/journal-cache.js'
import { runMain } from '../../src/action/main-impl.js'
import { MemoryState } from '../../src/action/state.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { type ActionCore } from '../../src/action/core-port.js'

/**
 * Bounds of what the Action reads (issue 11, class 6; the CLI side is bounds.test.ts): the
 * `args` input nested too deeply, as JSON or YAML, through dist/main.js and dist/post.js as
 * the runner runs them; and a restored journal too large to load, through the main step's
 * code with a cache that hands back such a journal.
 */
const SCRIPT = "export const meta = { name: 'bounded' }\nreturn await agent('hello')\n"
const deepJson = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
const deepFlowYaml = (n: number) => '{a: '.repeat(n) + '1' + '}'.repeat(n)
const deepBlockYaml = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1'

describe("the Action's args input, nested too deeply, fails the step with one clear error naming the input and the limit", () => {
  const CASES: Array<[string, string]> = [
    ['JSON 5,000 levels deep', deepJson(5000)],
    ['YAML flow mappings 5,000 levels deep', deepFlowYaml(5000)],
    ['YAML block mappings 400 levels deep', deepBlockYaml(400)],
    ['YAML 300 levels deep (parsed, then refused)', deepFlowYaml(300)],
  ]
  const runs = new Map<string, ActionRun>()
  beforeAll(async () => {
    for (const [name, args] of CASES) runs.set(name, await runAction({ inputs: { script: 'w.js', agent: 'mock', args }, files: { 'w.js': SCRIPT } }))
  }, 120_000)
  afterAll(() => runs.forEach((run) => fs.rmSync(run.workspace, { recursive: true, force: true })))

  it.each(CASES.map(([name]) => [name]))('%s', (name) => {
    const run = runs.get(name)!
    const errors = run.main.stdout.split('\n').filter((line) => line.startsWith('::error'))
    expect(errors).toEqual(["::error::input 'args': nests more than 256 levels deep, the most the runner reads; flatten it"])
    expect(run.main.stdout + run.main.stderr).not.toMatch(/^\s+at |RangeError|Maximum call stack/m)
    expect(run.main.code).toBe(1)
    expect(run.post.code).toBe(0)
    expect(run.post.stdout).toMatch(/did not start a run; nothing to save/)
  })
})

/** A cache whose one entry is a journal of `bytes` (sparse), extracted where @actions/cache would put it. */
class OversizedJournalCache implements CacheClient {
  constructor(
    private readonly workspace: string,
    private readonly bytes: number,
  ) {}
  async restoreCache(paths: string[], primary: string, _fallbacks: string[], extractInto: string): Promise<string | undefined> {
    // The entry names its file relative to the workspace, as tar does; a restore extracts where it is told.
    const file = path.resolve(extractInto, path.relative(this.workspace, path.resolve(this.workspace, paths[0]!)))
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, '')
    fs.truncateSync(file, this.bytes)
    return `${primary}1`
  }
  async saveCache(): Promise<number> {
    return 1
  }
}

describe('a restored journal too large to load', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

  it('is not used, with a warning naming the limit, and the run goes on from an empty journal', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-bounds-action-'))
    dirs.push(root)
    const [dir, temp] = [path.join(root, 'work'), path.join(root, 'temp')]
    fs.mkdirSync(dir)
    fs.mkdirSync(temp)
    fs.writeFileSync(path.join(dir, 'w.js'), SCRIPT)
    const seen = { warnings: [] as string[], failed: [] as string[], outputs: {} as Record<string, string> }
    const core: ActionCore = {
      getInput: (name) => ({ script: 'w.js', agent: 'mock', artifact: 'false' })[name] ?? '',
      setOutput: (name, value) => void (seen.outputs[name] = value),
      setFailed: (message) => void seen.failed.push(message),
      info: () => {},
      warning: (message) => void seen.warnings.push(message),
      notice: () => {},
      error: () => {},
      summary: async () => {},
    }
    const sink = Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false }) as unknown as NodeJS.WriteStream
    const result = await runMain({
      core,
      state: new MemoryState(),
      env: { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'bounds', GITHUB_WORKSPACE: dir, RUNNER_TEMP: temp },
      cache: new OversizedJournalCache(dir, 600 * 1024 * 1024),
      artifacts: undefined,
      io: { stderr: sink, env: {}, cwd: dir },
    })
    expect(seen.failed).toEqual([])
    expect(result.status).toBe('succeeded')
    expect(seen.outputs).toMatchObject({ status: 'succeeded', 'agents-live': '1', 'agents-replayed': '0' })
    expect(seen.warnings).toEqual([expect.stringMatching(/^The journal in the cache entry \S+ was not used: its journal is 600 MB, more than the 256 MB a run loads\. The run starts from an empty journal\.$/)])
  })
})

describe('a result larger than a step output may hold', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await runAction({ inputs: { script: 'w.js', agent: 'mock' }, files: { 'w.js': "export const meta = { name: 'big' }\nreturn 'x'.repeat(2 * 1024 * 1024)\n" } })
  }, 120_000)
  afterAll(() => fs.rmSync(run.workspace, { recursive: true, force: true }))

  it('sets the result output to null with a warning, and the run still succeeds', () => {
    expect(run.main.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.result).toBe('null')
    expect(run.main.stdout).toMatch(/^::warning::The result is 2\.0 MB of JSON, more than a step output may hold \(1 MB\)/m)
    expect(run.summary).toMatch(/more than a step output may hold/)
  })
})
