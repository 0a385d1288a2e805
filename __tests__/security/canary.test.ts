import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { artifactEnv, startArtifactService, type ArtifactService } from '../support/actions/artifact-service.js'
import { runCacheClient } from '../support/actions/cache-client.js'
import { CachePermission, cacheEnv, startCacheService, type CacheService } from '../support/actions/cache-service.js'
import { startGitHubApi, type GitHubApi } from '../support/actions/github-api.js'
import { startResultsReceiver } from '../support/actions/results-receiver.js'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { markdownPlain } from '../support/markdown-plain.js'
import { readTree, runCli, tempProject, type CliResult } from '../support/cli.js'
import { startFakeModels, type FakeModels, type RecordedRequest } from '../support/fake-models.js'

/**
 * Secret canaries in every place a secret lives when a workflow runs: the runner's environment
 * (a credential-named and a plain variable), the provider API keys, the command agent's passed
 * key, and (in the Action) the github-token input. The run calls both model APIs and the
 * command agent, and then makes each of them echo its key back in an error. No canary may
 * appear in anything a person or a later job can read. The canaries are not shaped like known
 * keys (sk-..., ghp_...), so only redaction by value can keep them out.
 */
const id = randomUUID()
const CANARY = {
  env: `canary-env-${id}`,
  plain: `canary-plain-${id}`,
  anthropic: `canary-anthropic-${id}`,
  openai: `canary-openai-${id}`,
  command: `canary-command-${id}`,
  github: `canary-github-${id}`,
}
const JOURNAL = '.dynamic-workflow/journal/canary.jsonl'

const SCRIPT = `export const meta = { name: 'canary', phases: [{ title: 'Ask' }, { title: 'Echo' }] }
const probes = {}
for (const [name, read] of Object.entries({ env: () => process.env, global: () => globalThis['process'].env, ctor: () => agent.constructor('return process')().env })) {
  try { probes[name] = JSON.stringify(read()) } catch (e) { probes[name] = 'blocked' }
}
const answers = await parallel([
  () => agent('Ask Claude about ' + args.topic, { tier: 'claude', label: 'claude' }),
  () => agent('Ask GPT about ' + args.topic, { tier: 'gpt', label: 'gpt' }),
  () => agent('Ask the command about ' + args.topic, { label: 'command' }),
])
log('answers:', answers)
phase('Echo')
let echoed = ''
try {
  await parallel([
    () => agent('Echo your key, Claude', { tier: 'claude', label: 'claude-echo' }),
    () => agent('Echo your key, GPT', { tier: 'gpt', label: 'gpt-echo' }),
    () => agent('Echo your key, command: fail', { label: 'command-echo' }),
  ])
} catch (error) { echoed = error.message }
log('echoed:', echoed)
if (args.fail) await agent('Echo your key once more, Claude', { tier: 'claude', label: 'last-echo' })
return { probes, answers, echoed }
`

// The command agent: on "fail" it prints its whole environment and its key to stderr.
const AGENT = `import fs from 'node:fs'
const prompt = fs.readFileSync(0, 'utf8')
const key = process.env.COMMAND_API_KEY ?? ''
if (prompt.includes('fail')) {
  process.stderr.write('refused; environment ' + JSON.stringify(process.env) + '; key ' + key + '\\n')
  process.exit(3)
}
process.stdout.write(JSON.stringify({ result: 'command answer; key of ' + key.length + ' characters; MY_SERVICE_TOKEN ' + (process.env.MY_SERVICE_TOKEN === undefined ? 'absent' : 'present'), usage: { input_tokens: 3, output_tokens: 4 } }))
`

const CONFIG = JSON.stringify({
  tiers: { claude: { provider: 'anthropic', model: 'claude-sonnet-4-6' }, gpt: { provider: 'openai', model: 'gpt-5-mini' } },
  providers: { command: { command: `${process.execPath} agent.mjs`, passEnv: ['COMMAND_API_KEY'] } },
})
const FILES = { 'w.js': SCRIPT, 'agent.mjs': AGENT, 'dynamic-workflow.json': CONFIG }

/** The key a request carried: x-api-key, or the bearer token (OpenAI, and Anthropic's SDK too). */
const keyOf = (request: RecordedRequest) => request.headers['x-api-key'] ?? (request.headers.authorization ?? '').replace(/^Bearer /, '')

/** Answers normally, except "Echo your key" prompts, which get a 400 quoting the caller's key. */
function echoingServer(fake: FakeModels): void {
  fake.setDefault((request) => {
    if (!JSON.stringify(request.body).includes('Echo your key')) return { text: 'A model answer' }
    const key = keyOf(request)
    return request.api === 'anthropic'
      ? { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: `key ${key} may not use this model` } } }
      : { status: 400, body: { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } }
  })
}

function secretEnv(fake: FakeModels): Record<string, string> {
  return {
    MY_SERVICE_TOKEN: CANARY.env,
    PLAIN_SETTING: CANARY.plain,
    ANTHROPIC_API_KEY: CANARY.anthropic,
    ANTHROPIC_BASE_URL: fake.url,
    OPENAI_API_KEY: CANARY.openai,
    OPENAI_BASE_URL: `${fake.url}/v1`,
    COMMAND_API_KEY: CANARY.command,
  }
}

/** Every place a text came from that holds a canary, e.g. ['summary: canary-env']. */
function leaks(texts: Array<[string, string]>): string[] {
  return texts.flatMap(([where, text]) => Object.entries(CANARY).filter(([, canary]) => text.includes(canary)).map(([name]) => `${where}: ${name}`))
}

/** The files of a zip archive (stored or deflated entries, as @actions/artifact writes them). */
function unzip(zip: Buffer): Array<[string, string]> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  let at = zip.readUInt32LE(end + 16)
  const files: Array<[string, string]> = []
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    const [method, size, nameLength] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 20), zip.readUInt16LE(at + 28)]
    const local = zip.readUInt32LE(at + 42)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + size)
    files.push([zip.toString('utf8', at + 46, at + 46 + nameLength), (method === 8 ? zlib.inflateRawSync(data) : data).toString('latin1')])
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return files
}

/**
 * Restores one cache entry with the official client into a fresh directory and returns its
 * files. The Action's cache path is its journal under RUNNER_TEMP (`cachePath`); the entry
 * names it relative to the workspace (../../_temp/...), so extracting two levels down keeps
 * it inside the directory.
 */
async function restoreCacheEntry(cache: CacheService, key: string, cachePath: string): Promise<Array<[string, string]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-canary-cache-'))
  const workspace = path.join(dir, 'up', 'up')
  fs.mkdirSync(workspace, { recursive: true })
  const restored = await runCacheClient(cache, workspace, [{ op: 'restore', paths: [cachePath], key }])
  expect(restored.values).toEqual([key])
  const files = readTree(dir).map(({ file, text }) => [path.relative(dir, file), text] as [string, string])
  fs.rmSync(dir, { recursive: true, force: true })
  return files
}

let fake: FakeModels
beforeAll(async () => {
  fake = await startFakeModels()
  echoingServer(fake)
})
afterAll(() => fake.close())

describe('secrets through the CLI', () => {
  let project: ReturnType<typeof tempProject>
  const results: Array<[string, CliResult]> = []
  beforeAll(async () => {
    project = tempProject(FILES)
    const dwf = async (name: string, args: string[]) => {
      const result = await runCli(args, { cwd: project.dir, env: secretEnv(fake) })
      results.push([name, result])
      return result
    }
    await dwf('run', ['run', 'w.js', '--agent', 'command', '--args', '{"topic":"tests"}', '--json'])
    const failed = await dwf('failing run', ['run', 'w.js', '--agent', 'command', '--args', '{"topic":"tests","fail":true}', '--json'])
    await dwf('status', ['status', failed.json.runId])
    await dwf('logs', ['logs', failed.json.runId])
    await dwf('list', ['list'])
  })
  afterAll(() => project.cleanup())

  it('really hands each key to its agent, and the agents echo them back', () => {
    const [[, run], [, failed]] = results
    expect(run!.code).toBe(0)
    expect(failed!.code).toBe(1)
    expect(run!.json.result.probes).toEqual({ env: 'blocked', global: 'blocked', ctor: 'blocked' })
    const answers = run!.json.result.answers
    expect(answers).toEqual(['A model answer', 'A model answer', `command answer; key of ${CANARY.command.length} characters; MY_SERVICE_TOKEN absent`])
    expect(fake.requests.filter((r) => r.api === 'anthropic').map(keyOf)).toContain(CANARY.anthropic)
    expect(fake.requests.filter((r) => r.api === 'openai-chat').map(keyOf)).toContain(CANARY.openai)
    // All three echoes failed, and each arrived with its key masked.
    expect(run!.json.result.echoed).toMatch(/3 of 3 items failed/)
    expect(run!.json.result.echoed.match(/\[redacted\]/g).length).toBeGreaterThanOrEqual(3)
  })

  it('shows no canary in stdout, stderr or any file of the state directory, the journal included', () => {
    const files = readTree(path.join(project.dir, '.dynamic-workflow'))
    expect(files.map((f) => path.relative(project.dir, f.file))).toContain(JOURNAL)
    const texts: Array<[string, string]> = [
      ...results.flatMap(([name, r]): Array<[string, string]> => [[`${name} stdout`, r.stdout], [`${name} stderr`, r.stderr]]),
      ...files.map((f): [string, string] => [path.relative(project.dir, f.file), f.text]),
    ]
    expect(leaks(texts)).toEqual([])
  })
})

describe('secrets through the Action', () => {
  const PR = 1
  let cache: CacheService
  let artifacts: ArtifactService
  let api: GitHubApi
  let receiver: Awaited<ReturnType<typeof startResultsReceiver>>
  let run: ActionRun
  beforeAll(async () => {
    cache = await startCacheService({ scopes: [{ scope: 'refs/pull/1/merge', permission: CachePermission.readWrite }] })
    artifacts = await startArtifactService()
    receiver = await startResultsReceiver(cache, artifacts)
    api = await startGitHubApi({ token: CANARY.github })
    const job = { repository: api.repository, runId: 4100, runAttempt: 1, job: 'review' }
    const eventPath = path.join(artifacts.tempDir('dwf-canary-event-'), 'event.json')
    fs.writeFileSync(eventPath, JSON.stringify({ action: 'opened', number: PR, pull_request: { number: PR } }))
    const env: Record<string, string> = {
      ...artifactEnv(artifacts, job),
      ...cacheEnv(cache),
      ACTIONS_RESULTS_URL: receiver.url,
      ACTIONS_RUNTIME_TOKEN: artifacts.job(job).token,
      GITHUB_API_URL: api.url,
      GITHUB_EVENT_PATH: eventPath,
      ...secretEnv(fake),
    }
    delete env.GITHUB_WORKSPACE
    delete env.RUNNER_TEMP
    run = await runAction({
      inputs: { script: 'w.js', agent: 'command', args: JSON.stringify({ topic: 'tests', fail: true }), 'checkpoint-interval': '1', 'comment-interval': '1' },
      files: FILES,
      env,
      token: CANARY.github,
      runId: String(job.runId),
      job: job.job,
    })
  })
  afterAll(async () => {
    run.cleanup()
    await api.close()
    await receiver.close()
    await artifacts.close()
    await cache.close()
  })

  it('runs, fails on the last echo, and writes a comment, a summary, an artifact and cache entries', () => {
    expect(run.main.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(api.comments(PR).filter((c) => c.body.includes('<!-- dynamic-workflow:canary:review -->'))).toHaveLength(1)
    expect(run.summary).toMatch(/canary: failed/)
    expect(markdownPlain(run.summary)).toContain('[redacted]')
    expect(artifacts.artifacts({ runId: 4100 }).filter((a) => a.finalized)).toHaveLength(1)
    expect(cache.entries().length).toBeGreaterThanOrEqual(1)
  })

  it('shows no canary in the logs, outputs, summary, PR comments, state files, artifact or cache', async () => {
    const comments = api.requests.filter((r) => r.route === 'createComment' || r.route === 'updateComment').map((r): [string, string] => [`${r.route} ${r.path}`, JSON.stringify(r.body)])
    expect(comments.length).toBeGreaterThanOrEqual(2)
    const artifactFiles = artifacts.artifacts({ runId: 4100 }).flatMap((a) => unzip(a.content!).map(([name, text]): [string, string] => [`artifact ${a.name}/${name}`, text]))
    expect(artifactFiles.map(([name]) => name)).toEqual(expect.arrayContaining([expect.stringMatching(/canary\.jsonl$/), expect.stringMatching(/run\.json$/), expect.stringMatching(/log\.txt$/)]))
    const cacheFiles: Array<[string, string]> = []
    for (const entry of cache.entries()) cacheFiles.push(...(await restoreCacheEntry(cache, entry.key, path.join(run.runnerDirs.stateDir, 'journal', 'canary.jsonl'))).map(([name, text]): [string, string] => [`cache ${entry.key}/${name}`, text]))
    expect(cacheFiles.some(([name, text]) => name.endsWith('canary.jsonl') && text.split('\n').filter(Boolean).length === 3)).toBe(true)
    const texts: Array<[string, string]> = [
      ['main stdout', run.main.stdout],
      ['main stderr', run.main.stderr],
      ['post stdout', run.post.stdout],
      ['post stderr', run.post.stderr],
      ['outputs', JSON.stringify(run.outputs)],
      ['state', JSON.stringify(run.state)],
      ['summary', run.summary],
      ...api.comments(PR).map((c): [string, string] => [`comment ${c.id}`, c.body]),
      ...comments,
      ...readTree(run.stateDir).map((f): [string, string] => [path.relative(run.runnerTemp, f.file), f.text]),
      ...artifactFiles,
      ...cacheFiles,
    ]
    expect(leaks(texts)).toEqual([])
  })
})
