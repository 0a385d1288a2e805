// Drives the real @actions/artifact 6.2.1, unmodified, against the artifact service fake (and,
// for the findBy/REST paths, the GitHub REST fake). The client reads its environment when it is
// imported, so every scenario runs in a child Node process with the emulator's environment: a
// small ESM script importing the package from node_modules runs a list of client calls and
// writes what each returned or threw to a file.
//
// The client's own retry timing is real: the Twirp client waits 3 s, then about 4.5-6.8 s,
// 6.8-10 s and 10-15 s between its 5 attempts; the Azure SDK retries a blob 500/503 after 0, 4 and
// 12 s; a download that stalls costs 30 s before one of its 5 tries (5 s apart) is abandoned.
// The slow fault scenarios therefore start together in beforeAll, each on its own service, and
// run while the quick tests do.
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, cleanEnv } from '../cli.js'
import { startArtifactService, artifactEnv, type ArtifactService, type ArtifactServiceOptions, type RecordedArtifactRequest } from './artifact-service.js'
import { startGitHubApi, githubEnv, type GitHubApi } from './github-api.js'

const ARTIFACT_LIB = pathToFileURL(path.join(ROOT, 'node_modules/@actions/artifact/lib/artifact.js')).href

const CHILD_SCRIPT = `
import fs from 'node:fs'
const { DefaultArtifactClient } = await import(process.env.DWF_ARTIFACT_LIB)
const client = new DefaultArtifactClient()
const steps = JSON.parse(process.env.DWF_STEPS)
const results = []
for (const step of steps) {
  try {
    let value
    if (step.op === 'upload') value = await client.uploadArtifact(step.name, step.files, step.root, step.options)
    else if (step.op === 'list') value = await client.listArtifacts(step.options)
    else if (step.op === 'get') value = await client.getArtifact(step.name, step.options)
    else if (step.op === 'download') value = await client.downloadArtifact(step.id, step.options)
    else if (step.op === 'downloadByName') {
      const { artifact } = await client.getArtifact(step.name, step.options && step.options.findBy ? { findBy: step.options.findBy } : undefined)
      value = { artifact, ...(await client.downloadArtifact(artifact.id, step.options)) }
    } else if (step.op === 'delete') value = await client.deleteArtifact(step.name, step.options)
    else throw new Error('unknown step ' + step.op)
    results.push({ ok: true, value })
  } catch (error) {
    results.push({ ok: false, error: { name: error && error.name, message: String(error && error.message !== undefined ? error.message : error) } })
  }
}
fs.writeFileSync(process.env.DWF_RESULT_FILE, JSON.stringify(results))
`

interface FindBy {
  token: string
  workflowRunId: number
  repositoryOwner: string
  repositoryName: string
}
type Step =
  | { op: 'upload'; name: string; files: string[]; root: string; options?: { retentionDays?: number; compressionLevel?: number; skipArchive?: boolean } }
  | { op: 'list'; options?: { latest?: boolean; findBy?: FindBy } }
  | { op: 'get'; name: string; options?: { findBy?: FindBy } }
  | { op: 'download'; id: number; options?: { path?: string; expectedHash?: string; skipDecompress?: boolean; findBy?: FindBy } }
  | { op: 'downloadByName'; name: string; options?: { path?: string; expectedHash?: string; findBy?: FindBy } }
  | { op: 'delete'; name: string; options?: { findBy?: FindBy } }
interface StepResult {
  ok: boolean
  value?: any
  error?: { name: string; message: string }
}
interface ClientRun {
  results: StepResult[]
  stdout: string
  stderr: string
  code: number | null
}

let scriptDir: string
let scriptPath: string

/** Runs the steps with the real client in a child process with exactly `env` (plus PATH/HOME). */
function runClient(env: Record<string, string>, steps: Step[]): Promise<ClientRun> {
  const resultFile = path.join(scriptDir, `result-${crypto.randomUUID()}.json`)
  const child = spawn(process.execPath, [scriptPath], {
    env: cleanEnv({ ...env, DWF_ARTIFACT_LIB: ARTIFACT_LIB, DWF_STEPS: JSON.stringify(steps), DWF_RESULT_FILE: resultFile }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const results: StepResult[] = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : []
      resolve({ results, stdout, stderr, code })
    })
  })
}

/** Files under a fresh directory (removed with the service). */
function files(service: ArtifactService, contents: Record<string, string>): { root: string; paths: string[] } {
  const root = service.tempDir('dwf-artifact-files-')
  const paths = Object.entries(contents).map(([name, text]) => {
    const full = path.join(root, name)
    fs.mkdirSync(path.dirname(full), { recursive: true })
    fs.writeFileSync(full, text)
    return full
  })
  return { root, paths }
}

/** Every file under a directory, relative path -> text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8')
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return out
}

/** What a client run expects a step to have produced; fails with the child's output otherwise. */
function ok(run: ClientRun, index: number): any {
  const result = run.results[index]
  if (!result?.ok) throw new Error(`step ${index} failed: ${JSON.stringify(result?.error)}\nstderr: ${run.stderr}\nstdout: ${run.stdout.slice(-4000)}`)
  return result.value
}
function failed(run: ClientRun, index: number): { name: string; message: string } {
  const result = run.results[index]
  if (!result || result.ok) throw new Error(`step ${index} did not fail: ${JSON.stringify(result)}\nstderr: ${run.stderr}`)
  return result.error!
}

const ops = (requests: RecordedArtifactRequest[]) => requests.map((r) => r.op)
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex')

const JOURNAL = '{"v":1,"key":"abc#0","result":"ok"}\n'
const STATE_FILES = { 'journal/review.jsonl': JOURNAL, 'run.json': '{"status":"running"}', 'log.txt': 'line 1\nline 2\n' }

/** A fault scenario on its own service: upload STATE_FILES as 'state' and download it by name. */
async function faultScenario(options: ArtifactServiceOptions, inject: (service: ArtifactService) => void, download = false) {
  const service = await startArtifactService(options)
  inject(service)
  const env = artifactEnv(service)
  const { root, paths } = files(service, STATE_FILES)
  const steps: Step[] = [{ op: 'upload', name: 'state', files: paths, root }]
  if (download) steps.push({ op: 'downloadByName', name: 'state', options: { path: path.join(env.GITHUB_WORKSPACE!, 'restored') } })
  const run = await runClient(env, steps)
  return { service, env, run }
}
type FaultScenario = Awaited<ReturnType<typeof faultScenario>>

const services: ArtifactService[] = []
let slow: {
  createRetried: Promise<FaultScenario>
  blockFails: Promise<FaultScenario>
  finalizeFails: Promise<FaultScenario>
  droppedOnce: Promise<FaultScenario>
}

beforeAll(() => {
  scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-artifact-child-'))
  scriptPath = path.join(scriptDir, 'client.mjs')
  fs.writeFileSync(scriptPath, CHILD_SCRIPT)
  slow = {
    createRetried: faultScenario({}, (s) => s.fault('CreateArtifact', { status: 500, times: 1 })),
    blockFails: faultScenario({}, (s) => s.fault('PutBlock', { status: 500, times: Infinity })),
    finalizeFails: faultScenario({}, (s) => s.fault('FinalizeArtifact', { status: 503, retryAfter: 1, times: Infinity })),
    droppedOnce: faultScenario({}, (s) => s.fault('GetBlob', { truncate: 40, times: 1 }), true),
  }
})

afterAll(async () => {
  const settled = await Promise.allSettled(Object.values(slow ?? {}))
  for (const s of settled) if (s.status === 'fulfilled') services.push(s.value.service)
  await Promise.all(services.map((s) => s.close()))
  if (scriptDir) fs.rmSync(scriptDir, { recursive: true, force: true })
})

async function service(options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
  const s = await startArtifactService(options)
  services.push(s)
  return s
}

describe('artifact service fake: the real client in one run', () => {
  it('uploads a few files and downloads them by name, with the exact Twirp and blob calls', async () => {
    const svc = await service()
    const env = artifactEnv(svc)
    const { root, paths } = files(svc, STATE_FILES)
    const out = path.join(env.GITHUB_WORKSPACE!, 'restored')
    const run = await runClient(env, [
      { op: 'upload', name: 'dwf-state-a1', files: paths, root },
      { op: 'downloadByName', name: 'dwf-state-a1', options: { path: out } },
    ])
    const upload = ok(run, 0)
    const download = ok(run, 1)
    expect(tree(out)).toEqual(STATE_FILES)

    const [stored] = svc.artifacts()
    expect(svc.artifacts()).toHaveLength(1)
    expect(stored).toMatchObject({ name: 'dwf-state-a1', finalized: true, runAttempt: 1, mimeType: 'application/zip', fileName: 'dwf-state-a1.zip' })
    expect(upload).toEqual({ id: stored!.id, size: stored!.content!.length, digest: sha256(stored!.content!) })
    expect(stored!.digest).toBe(`sha256:${upload.digest}`)
    expect(stored!.content!.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])) // a zip
    expect(download).toMatchObject({ artifact: { id: upload.id, name: 'dwf-state-a1', size: upload.size, digest: `sha256:${upload.digest}` }, downloadPath: out, digestMismatch: false })

    // What the client really sends, in order.
    expect(ops(svc.requests)).toEqual(['CreateArtifact', 'PutBlock', 'PutBlockList', 'FinalizeArtifact', 'ListArtifacts', 'ListArtifacts', 'GetSignedArtifactURL', 'GetBlob'])
    const [create, block, blockList, finalize, byName, byId, sign, get] = svc.requests
    const job = svc.job() // the same default job artifactEnv registered
    const ids = { workflow_run_backend_id: job.workflowRunBackendId, workflow_job_run_backend_id: job.workflowJobRunBackendId }
    expect(create).toMatchObject({ method: 'POST', path: '/twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact', body: { ...ids, name: 'dwf-state-a1', version: 7, mime_type: 'application/zip' } })
    expect(create!.headers).toMatchObject({ 'content-type': 'application/json', authorization: `Bearer ${env.ACTIONS_RUNTIME_TOKEN}`, 'user-agent': '@actions/artifact-6.2.1' })
    expect(Object.keys(create!.body as object).sort()).toEqual(['mime_type', 'name', 'version', 'workflow_job_run_backend_id', 'workflow_run_backend_id'])
    expect(block).toMatchObject({ method: 'PUT', query: { comp: 'block' }, bodyBytes: upload.size })
    expect(block!.query.blockid).toBeTruthy()
    expect(block!.headers['x-ms-version']).toMatch(/^\d{4}-\d\d-\d\d$/)
    expect(blockList).toMatchObject({ method: 'PUT', query: { comp: 'blocklist' } })
    expect(blockList!.headers['x-ms-blob-content-type']).toBe('application/zip')
    expect(blockList!.body).toContain(`<Latest>${block!.query.blockid}</Latest>`)
    expect(finalize!.body).toEqual({ ...ids, name: 'dwf-state-a1', size: String(upload.size), hash: `sha256:${upload.digest}` })
    expect(byName!.body).toEqual({ ...ids, name_filter: 'dwf-state-a1' })
    expect(byId!.body).toEqual({ ...ids, id_filter: String(upload.id) })
    expect(sign!.body).toEqual({ ...ids, name: 'dwf-state-a1' })
    expect(get).toMatchObject({ method: 'GET', status: 200 })
    expect(get!.path).toMatch(/\/artifacts\/dwf-state-a1\.zip$/)
    expect(get!.headers.authorization).toBeUndefined()
    // The signed URLs' signatures are masked in the log.
    expect(run.stdout).toContain(`::add-mask::${get!.query.sig}`)
  })

  it('lists, keeps the newest per name with latest, deletes, and isolates other runs', async () => {
    const svc = await service()
    const env = artifactEnv(svc, { runId: 501 })
    const { root, paths } = files(svc, { 'a.txt': 'a', 'b.txt': 'b' })
    const run = await runClient(env, [
      { op: 'upload', name: 'first', files: [paths[0]!], root },
      { op: 'upload', name: 'second', files: [paths[1]!], root, options: { retentionDays: 5 } },
      { op: 'list' },
      { op: 'delete', name: 'first' },
      { op: 'list', options: { latest: true } },
    ])
    const listed = ok(run, 2).artifacts
    expect(listed.map((a: any) => a.name)).toEqual(['first', 'second'])
    expect(listed[0]).toMatchObject({ id: ok(run, 0).id, size: ok(run, 0).size, digest: `sha256:${ok(run, 0).digest}` })
    expect(Date.parse(listed[0].createdAt)).not.toBeNaN()
    expect(ok(run, 3)).toEqual({ id: ok(run, 0).id })
    expect(ok(run, 4).artifacts.map((a: any) => a.name)).toEqual(['second'])
    const second = svc.artifacts({ name: 'second' })[0]!
    expect(second.expiresAt.getTime() - second.createdAt.getTime()).toBeGreaterThan(4 * 86_400_000)
    expect(second.expiresAt.getTime() - second.createdAt.getTime()).toBeLessThan(6 * 86_400_000)
    const deleteCall = svc.requests.find((r) => r.op === 'DeleteArtifact')!
    expect(deleteCall.body).toMatchObject({ name: 'first' })

    const other = await runClient(artifactEnv(svc, { runId: 502 }), [{ op: 'list' }, { op: 'get', name: 'second' }])
    expect(ok(other, 0).artifacts).toEqual([])
    expect(failed(other, 1)).toMatchObject({ name: 'ArtifactNotFoundError' })
  })

  it('rejects a second upload of a name in the same attempt with 409 and keeps the first', async () => {
    const svc = await service()
    const env = artifactEnv(svc)
    const { root, paths } = files(svc, { 'a.txt': 'one' })
    const run = await runClient(env, [
      { op: 'upload', name: 'state', files: paths, root },
      { op: 'upload', name: 'state', files: paths, root },
    ])
    ok(run, 0)
    expect(failed(run, 1).message).toBe('Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run')
    expect(svc.artifacts()).toHaveLength(1)
    expect(svc.requests.filter((r) => r.op === 'CreateArtifact').map((r) => r.status)).toEqual([200, 409])
    // DefaultArtifactClient's try/catch returns the promise without awaiting it, so an async
    // failure skips its "Artifact upload failed" warning annotation: the caller must report it.
    expect(run.stdout).not.toContain('::warning::')
  })

  it('uploads a single file unzipped with skipArchive and downloads it raw under its name', async () => {
    const svc = await service()
    const env = artifactEnv(svc)
    const { root, paths } = files(svc, { 'journal.jsonl': JOURNAL })
    const out = path.join(env.GITHUB_WORKSPACE!, 'raw')
    const run = await runClient(env, [
      { op: 'upload', name: 'ignored', files: paths, root, options: { skipArchive: true } },
      { op: 'downloadByName', name: 'journal.jsonl', options: { path: out } },
    ])
    ok(run, 0)
    ok(run, 1)
    expect(svc.artifacts()[0]).toMatchObject({ name: 'journal.jsonl', mimeType: 'application/octet-stream', fileName: 'journal.jsonl' })
    expect(tree(out)).toEqual({ 'journal.jsonl': JOURNAL })
  })
})

describe('artifact service fake: re-runs (attempt 2 and attempt 1)', () => {
  let svc: ArtifactService
  let api: GitHubApi
  const runId = 9001
  beforeAll(async () => {
    svc = await service()
    api = await startGitHubApi({ artifacts: svc })
  })
  afterAll(async () => {
    await api.close()
  })
  const findBy = (): FindBy => ({ token: api.token, workflowRunId: runId, repositoryOwner: api.repository.split('/')[0]!, repositoryName: api.repository.split('/')[1]! })

  it('attempt 2 lists, finds by name and downloads attempt 1 artifact (internal API), and the REST API sees it too', async () => {
    const attempt1 = artifactEnv(svc, { runId, runAttempt: 1, env: githubEnv(api) })
    const { root, paths } = files(svc, STATE_FILES)
    const up = await runClient(attempt1, [{ op: 'upload', name: 'dwf-state-a1', files: paths, root }])
    const uploaded = ok(up, 0)

    const attempt2 = artifactEnv(svc, { runId, runAttempt: 2, env: githubEnv(api) })
    expect(attempt2.ACTIONS_RUNTIME_TOKEN).not.toBe(attempt1.ACTIONS_RUNTIME_TOKEN)
    const byName = path.join(attempt2.GITHUB_WORKSPACE!, 'by-name')
    const byId = path.join(attempt2.GITHUB_WORKSPACE!, 'by-id')
    const viaRest = path.join(attempt2.GITHUB_WORKSPACE!, 'rest')
    const run = await runClient(attempt2, [
      { op: 'list' },
      { op: 'downloadByName', name: 'dwf-state-a1', options: { path: byName } },
      { op: 'download', id: uploaded.id, options: { path: byId } },
      { op: 'list', options: { findBy: findBy() } },
      { op: 'downloadByName', name: 'dwf-state-a1', options: { path: viaRest, findBy: findBy() } },
    ])
    expect(ok(run, 0).artifacts.map((a: any) => [a.name, a.id])).toEqual([['dwf-state-a1', uploaded.id]])
    expect(ok(run, 1).artifact.id).toBe(uploaded.id)
    ok(run, 2)
    expect(ok(run, 3).artifacts).toEqual([expect.objectContaining({ name: 'dwf-state-a1', id: uploaded.id, size: uploaded.size, digest: `sha256:${uploaded.digest}` })])
    ok(run, 4)
    for (const dir of [byName, byId, viaRest]) expect(tree(dir)).toEqual(STATE_FILES)

    // The attempts have different run backend ids; the sign request names attempt 1's.
    const a1 = svc.job({ runId, runAttempt: 1 })
    const a2 = svc.job({ runId, runAttempt: 2 })
    expect(a1.workflowRunBackendId).not.toBe(a2.workflowRunBackendId)
    const sign = svc.requests.filter((r) => r.op === 'GetSignedArtifactURL').at(-1)!
    expect(sign.body).toMatchObject({ workflow_run_backend_id: a1.workflowRunBackendId, name: 'dwf-state-a1' })
    // The REST path: list with per_page 100, then the 302 redirect to the blob.
    expect(api.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['GET listRunArtifacts 200', 'GET listRunArtifacts 200', 'GET downloadArtifact 302'])
    expect(api.requests[0]!.query).toMatchObject({ per_page: '100', page: '1' })
    expect(api.requests[1]!.query).toEqual({ name: 'dwf-state-a1' })
  })

  it('keeps per-attempt names unique, while the same name again in attempt 2 makes two artifacts whose ids need not follow time', async () => {
    const id = 9002
    const { root, paths } = files(svc, { 'a.txt': 'attempt one' })
    const one = await runClient(artifactEnv(svc, { runId: id, runAttempt: 1 }), [
      { op: 'upload', name: 'dwf-state-a1', files: paths, root },
      { op: 'upload', name: 'state', files: paths, root },
    ])
    const firstState = ok(one, 1)
    fs.writeFileSync(paths[0]!, 'attempt two')
    svc.setNextArtifactId(firstState.id - 1000) // attempt 2's upload gets the lower id
    const two = await runClient(artifactEnv(svc, { runId: id, runAttempt: 2 }), [
      { op: 'upload', name: 'dwf-state-a2', files: paths, root },
      { op: 'upload', name: 'state', files: paths, root },
      { op: 'list' },
      { op: 'get', name: 'state' },
      { op: 'get', name: 'dwf-state-a2' },
    ])
    ok(two, 0)
    const secondState = ok(two, 1)
    expect(ok(two, 2).artifacts.map((a: any) => a.name).sort()).toEqual(['dwf-state-a1', 'dwf-state-a2', 'state', 'state'])
    // getArtifact picks the highest id: here attempt 1's older upload, not attempt 2's.
    expect(ok(two, 3).artifact.id).toBe(firstState.id)
    expect(ok(two, 3).artifact.id).not.toBe(secondState.id)
    expect(ok(two, 4).artifact.id).toBe(ok(two, 0).id)
    expect(svc.artifacts({ runId: id, name: 'state' }).map((a) => a.runAttempt)).toEqual([1, 2])
  })

  it("with previousAttempts 'listed-only', attempt 2 lists attempt 1's artifact but GetSignedArtifactURL is a 404; the REST path still downloads it", async () => {
    const strict = await service({ previousAttempts: 'listed-only' })
    const rest = await startGitHubApi({ artifacts: strict })
    try {
      const id = 9003
      const { root, paths } = files(strict, STATE_FILES)
      const up = await runClient(artifactEnv(strict, { runId: id, runAttempt: 1 }), [{ op: 'upload', name: 'dwf-state-a1', files: paths, root }])
      ok(up, 0)
      const env = artifactEnv(strict, { runId: id, runAttempt: 2, env: githubEnv(rest) })
      const out = path.join(env.GITHUB_WORKSPACE!, 'rest')
      const [owner, name] = rest.repository.split('/') as [string, string]
      const run = await runClient(env, [
        { op: 'list' },
        { op: 'downloadByName', name: 'dwf-state-a1', options: { path: path.join(env.GITHUB_WORKSPACE!, 'internal') } },
        { op: 'downloadByName', name: 'dwf-state-a1', options: { path: out, findBy: { token: rest.token, workflowRunId: id, repositoryOwner: owner, repositoryName: name } } },
      ])
      expect(ok(run, 0).artifacts.map((a: any) => a.name)).toEqual(['dwf-state-a1'])
      expect(failed(run, 1).message).toBe('Failed to GetSignedArtifactURL: Received non-retryable error: Failed request: (404) Not Found: workflow run not found')
      ok(run, 2)
      expect(tree(out)).toEqual(STATE_FILES)
    } finally {
      await rest.close()
    }
  })

  it("with sameNameAcrossAttempts 'conflict', attempt 2 cannot reuse attempt 1's name", async () => {
    const strict = await service({ sameNameAcrossAttempts: 'conflict' })
    const { root, paths } = files(strict, { 'a.txt': 'a' })
    ok(await runClient(artifactEnv(strict, { runId: 9004, runAttempt: 1 }), [{ op: 'upload', name: 'state', files: paths, root }]), 0)
    const two = await runClient(artifactEnv(strict, { runId: 9004, runAttempt: 2 }), [
      { op: 'upload', name: 'state', files: paths, root },
      { op: 'upload', name: 'dwf-state-a2', files: paths, root },
    ])
    expect(failed(two, 0).message).toContain('(409) Conflict: an artifact with this name already exists on the workflow run')
    ok(two, 1)
  })
})

describe('artifact service fake: faults', () => {
  it('a 403 from CreateArtifact fails the upload at once with an error the caller can catch', async () => {
    const svc = await service()
    svc.fault('CreateArtifact', { status: 403, message: 'artifact storage is read-only for this token' })
    const { root, paths } = files(svc, STATE_FILES)
    const run = await runClient(artifactEnv(svc), [{ op: 'upload', name: 'state', files: paths, root }])
    expect(run.code).toBe(0) // caught: the process did not crash
    expect(failed(run, 0)).toEqual({
      name: 'Error',
      message: 'Failed to CreateArtifact: Received non-retryable error: Failed request: (403) Forbidden: artifact storage is read-only for this token',
    })
    expect(ops(svc.requests)).toEqual(['CreateArtifact'])
    expect(svc.artifacts()).toEqual([])
  })

  it('a 403 from the blob store on Put Block fails the upload without retries and leaves nothing listed', async () => {
    const svc = await service()
    svc.fault('PutBlock', { status: 403, times: Infinity })
    const env = artifactEnv(svc)
    const { root, paths } = files(svc, STATE_FILES)
    const run = await runClient(env, [{ op: 'upload', name: 'state', files: paths, root }, { op: 'list' }])
    const error = failed(run, 0)
    expect(error.name).toBe('RestError')
    expect(error.message).toContain('This request is not authorized to perform this operation.')
    expect(ops(svc.requests)).toEqual(['CreateArtifact', 'PutBlock', 'ListArtifacts'])
    expect(ok(run, 1).artifacts).toEqual([])
    expect(svc.artifacts()).toMatchObject([{ name: 'state', finalized: false }])
  })

  it('a download cut short (complete response, short body) shows up as a digest mismatch', async () => {
    const svc = await service()
    svc.fault('GetBlob', { truncate: 10, truncateAs: 'short-body', times: Infinity })
    const env = artifactEnv(svc)
    const { root, paths } = files(svc, { 'journal.jsonl': JOURNAL })
    const out = path.join(env.GITHUB_WORKSPACE!, 'raw')
    const up = await runClient(env, [{ op: 'upload', name: 'j', files: paths, root, options: { skipArchive: true } }])
    const uploaded = ok(up, 0)
    const run = await runClient(env, [{ op: 'download', id: uploaded.id, options: { path: out, expectedHash: `sha256:${uploaded.digest}` } }])
    expect(ok(run, 0)).toMatchObject({ digestMismatch: true })
    expect(tree(out)).toEqual({ 'journal.jsonl': JOURNAL.slice(0, 10) })
  })

  it('a 500 from CreateArtifact is retried after about 3 s and the artifact lands once', async () => {
    const { service: svc, run } = await slow.createRetried
    ok(run, 0)
    expect(ops(svc.requests)).toEqual(['CreateArtifact', 'CreateArtifact', 'PutBlock', 'PutBlockList', 'FinalizeArtifact'])
    expect(svc.requests.filter((r) => r.op === 'CreateArtifact').map((r) => r.status)).toEqual([500, 200])
    expect(svc.artifacts()).toMatchObject([{ name: 'state', finalized: true }])
    expect(run.stdout).toContain('Attempt 1 of 5 failed with error: Failed request: (500) Internal Server Error: injected fault: 500. Retrying request in 3000 ms...')
  })

  it('a blob store that keeps answering 500 fails the upload after the Azure SDK 4 tries', async () => {
    const { service: svc, run } = await slow.blockFails
    const error = failed(run, 0)
    expect(error.name).toBe('RestError')
    expect(error.message).toContain('Server encountered an internal error.')
    expect(ops(svc.requests)).toEqual(['CreateArtifact', 'PutBlock', 'PutBlock', 'PutBlock', 'PutBlock'])
    expect(svc.artifacts()).toMatchObject([{ finalized: false }])
  })

  it('a FinalizeArtifact that keeps answering 503 fails the upload after 5 attempts; nothing is finalized', async () => {
    const { service: svc, run } = await slow.finalizeFails
    expect(failed(run, 0)).toEqual({
      name: 'Error',
      message: 'Failed to FinalizeArtifact: Failed to make request after 5 attempts: Failed request: (503) Service Unavailable: injected fault: 503',
    })
    expect(ops(svc.requests)).toEqual(['CreateArtifact', 'PutBlock', 'PutBlockList', ...Array(5).fill('FinalizeArtifact')])
    expect(svc.requests.at(-1)!.status).toBe(503)
    expect(svc.artifacts()).toMatchObject([{ name: 'state', finalized: false }])
  })

  it('a download whose connection drops mid-body stalls until the 30 s idle timeout, then the retry succeeds', async () => {
    const { service: svc, env, run } = await slow.droppedOnce
    ok(run, 0)
    expect(ok(run, 1)).toMatchObject({ digestMismatch: false })
    expect(tree(path.join(env.GITHUB_WORKSPACE!, 'restored'))).toEqual(STATE_FILES)
    expect(svc.requests.filter((r) => r.op === 'GetBlob').map((r) => [r.status, r.faulted ?? false])).toEqual([
      [200, true],
      [200, false],
    ])
    expect(run.stdout).toContain('Failed to download artifact after 1 retries due to Blob storage chunk did not respond in 30000ms. Retrying in 5 seconds...')
  })
})
