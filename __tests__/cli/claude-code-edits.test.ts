import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, runCli, tempProject } from '../support/cli.js'
import { startFakeModels, type FakeModels, type RecordedRequest } from '../support/fake-models.js'

/**
 * Editing calls made by the real Claude Code CLI (the dev dependency) through dwf run, against
 * the fake Anthropic server: the "model" asks Claude Code to Read and then Edit a file, Claude
 * Code's own tools change the private copy it was started in, and the runner lands the change.
 */
const CLAUDE = path.join(ROOT, 'node_modules/.bin/claude')
const KEY = 'sk-ant-claude-canary-0123456789abcdef'
const WORKFLOW = "export const meta = { name: 'cc-edit' }\nreturn await agent('Change the colour in notes.txt to blue', { edits: true })\n"
const BEFORE = 'colour: red\nsize: large\n'
const AFTER = 'colour: blue\nsize: large\n'

let fake: FakeModels
let home: string
const projects: Array<ReturnType<typeof tempProject>> = []
beforeAll(async () => {
  fake = await startFakeModels()
  // Claude Code keeps settings and sessions under HOME: a fresh one, outside the projects so the
  // sessions it writes are no change to their trees (a changed tree would not replay).
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cc-home-'))
})
afterEach(() => projects.splice(0).forEach((p) => p.cleanup()))
afterAll(async () => {
  fs.rmSync(home, { recursive: true, force: true })
  await fake.close()
})

/** A project with notes.txt, the workflow, and this Claude Code config. */
function project(claudeCode: Record<string, unknown>) {
  const made = tempProject({
    'notes.txt': BEFORE,
    'w.js': WORKFLOW,
    'dynamic-workflow.json': JSON.stringify({ providers: { 'claude-code': { command: CLAUDE, maxRetries: 0, ...claudeCode } } }),
  })
  projects.push(made)
  return made
}

const run = (dir: string) =>
  runCli(['run', 'w.js', '--agent', 'claude-code', '--json'], { cwd: dir, env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, HOME: home }, timeoutMs: 90_000 })

/** The folder Claude Code works in: the environment section of its system prompt names it. */
function workingDirectory(request: RecordedRequest): string {
  const system = request.body.system
  const text = Array.isArray(system) ? system.map((block: { text?: string }) => block.text ?? '').join('\n') : String(system)
  const found = /Primary working directory: (\S+)/.exec(text)
  if (!found) throw new Error('Claude Code sent no working directory')
  return found[1]!
}

/** The tool_result blocks Claude Code sent back in a request's last message. */
function toolResults(request: RecordedRequest): Array<{ is_error?: boolean; content: unknown }> {
  const last = request.body.messages.at(-1)
  return Array.isArray(last?.content) ? last.content.filter((block: { type?: string }) => block.type === 'tool_result') : []
}

/** The model requests so far (not token counts or health probes). */
const modelCalls = () => fake.requests.filter((r) => r.api === 'anthropic' && r.path.split('?')[0] === '/v1/messages')

/**
 * Scripts the model's side: Read notes.txt, Edit it, then answer. Claude Code expects absolute
 * paths, and its folder (the call's private copy) is only known from its request.
 * Returns the working directories Claude Code reported.
 */
function scriptReadThenEdit(): string[] {
  const cwds: string[] = []
  const notes = (request: RecordedRequest) => {
    cwds.push(workingDirectory(request))
    return path.join(workingDirectory(request), 'notes.txt')
  }
  fake.script(
    (request) => ({ tool: { name: 'Read', input: { file_path: notes(request) } } }),
    (request) => ({ tool: { name: 'Edit', input: { file_path: notes(request), old_string: 'colour: red', new_string: 'colour: blue' } } }),
    { text: 'Changed the colour to blue.' },
  )
  return cwds
}

describe('claude-code editing calls through dwf run', () => {
  it("with the default acceptEdits, Claude Code's Read and Edit change its private copy; the change lands and replays without the CLI", async () => {
    const p = project({})
    const cwds = scriptReadThenEdit()
    const callsBefore = modelCalls().length
    const first = await run(p.dir)
    expect(first.code).toBe(0)
    expect(first.json.result).toBe('Changed the colour to blue.')
    const calls = modelCalls().slice(callsBefore)
    expect(calls).toHaveLength(3)
    // Claude Code ran both tools itself, without an error (an Edit needs the file read first).
    const [read, edit] = [toolResults(calls[1]!), toolResults(calls[2]!)]
    expect(read).toEqual([expect.objectContaining({ content: expect.stringContaining('colour: red') })])
    expect(read[0]!.is_error).toBeFalsy()
    expect(edit).toHaveLength(1)
    expect(edit[0]!.is_error).toBeFalsy()
    // It worked in one copy outside the project, removed when the call ended; the runner applied the change.
    const copy = cwds[0]!
    expect(new Set(cwds)).toEqual(new Set([copy]))
    expect(path.relative(p.dir, copy).startsWith('..')).toBe(true)
    expect(fs.existsSync(copy)).toBe(false)
    expect(p.read('notes.txt')).toBe(AFTER)
    expect(first.json.changes).toEqual({ files: ['notes.txt'], added: 0, modified: 1, deleted: 0 })
    expect(first.json.agents).toMatchObject({ live: 1, replayed: 0 })

    // The folder as the run left it: the call replays from the journal, Claude Code is not started.
    const requestsBefore = fake.requests.length
    const again = await run(p.dir)
    expect(again.code).toBe(0)
    expect(again.json.agents).toMatchObject({ live: 0, replayed: 1 })
    expect(again.json.result).toBe('Changed the colour to blue.')
    expect(p.read('notes.txt')).toBe(AFTER)
    expect(fake.requests).toHaveLength(requestsBefore)
  }, 180_000)

  it('with permissionMode "default" from the config, print mode cannot ask: Claude Code refuses the Edit and nothing lands', async () => {
    const p = project({ permissionMode: 'default' })
    scriptReadThenEdit()
    const callsBefore = modelCalls().length
    const result = await run(p.dir)
    expect(result.code).toBe(0)
    const calls = modelCalls().slice(callsBefore)
    expect(calls).toHaveLength(3)
    const edit = toolResults(calls[2]!)
    expect(edit).toEqual([expect.objectContaining({ is_error: true, content: expect.stringMatching(/requested permissions to write to .*notes\.txt/) })])
    expect(p.read('notes.txt')).toBe(BEFORE)
    expect(result.json.changes).toBeUndefined() // no change, so no changes.patch either
  }, 180_000)
})
