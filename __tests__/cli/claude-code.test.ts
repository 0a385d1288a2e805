import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, readTree, runCli, tempProject } from '../support/cli.js'
import { startFakeModels, type FakeModels } from '../support/fake-models.js'

// The real Claude Code CLI (a dev dependency) against the fake Anthropic server, through dwf.
const CLAUDE = path.join(ROOT, 'node_modules/.bin/claude')
const KEY = 'sk-ant-claude-canary-0123456789abcdef'

let fake: FakeModels
let project: ReturnType<typeof tempProject>
beforeAll(async () => {
  fake = await startFakeModels()
  project = tempProject({
    'w.js': "export const meta = { name: 'cc' }\nconst a = await agent('Summarise the repository in one line')\nreturn a\n",
    'dynamic-workflow.json': JSON.stringify({ providers: { 'claude-code': { command: CLAUDE, maxRetries: 0 } } }),
  })
  // Claude Code keeps settings and sessions under HOME: a fresh one per test run.
  fs.mkdirSync(path.join(project.dir, 'home'))
})
afterAll(async () => {
  project.cleanup()
  await fake.close()
})

const env = () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, HOME: path.join(project.dir, 'home') })

describe('claude-code through dwf run', () => {
  it("reports Claude Code's own usage and cost, journals the answer and replays it", async () => {
    fake.script({ text: 'A runner for agent workflows.' })
    const first = await runCli(['run', 'w.js', '--agent', 'claude-code', '--json'], { cwd: project.dir, env: env() })
    expect(first.code).toBe(0)
    expect(first.json.result).toBe('A runner for agent workflows.')
    const answered = fake.requests.filter((r) => r.api === 'anthropic')
    expect(answered).toHaveLength(1)
    expect(answered[0]!.headers['x-api-key']).toBe(KEY)
    // The tokens are what the server reported; the dollars are Claude Code's total_cost_usd.
    expect(first.json.tokens).toEqual({ input: fake.usage.input, output: fake.usage.output })
    expect(first.json.costUsd).toBeGreaterThan(0)
    const again = await runCli(['run', 'w.js', '--agent', 'claude-code', '--json'], { cwd: project.dir, env: env() })
    expect(again.json.agents).toMatchObject({ live: 0, replayed: 1 })
    expect(fake.requests.filter((r) => r.api === 'anthropic')).toHaveLength(1)
  })

  it('types an API failure from the status Claude Code reports, and leaks no key', async () => {
    project.write('w.js', "export const meta = { name: 'cc2' }\nreturn await agent('This one is refused')\n")
    fake.script({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } })
    const result = await runCli(['run', 'w.js', '--agent', 'claude-code', '--json', '--agent-retries', '0'], { cwd: project.dir, env: env() })
    expect(result.code).toBe(1)
    expect(result.json.error.message).toMatch(/authentication failed \(401\)/)
    expect(result.stdout + result.stderr).not.toContain(KEY)
    expect(readTree(path.join(project.dir, '.dynamic-workflow')).filter((f) => f.text.includes(KEY))).toEqual([])
  })
})
