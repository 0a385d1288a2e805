import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { readTree, runCli, tempProject } from '../support/cli.js'

const CANARY = 'canary-7f3a9c1e-secret-value'

// Every way a script might reach the runner's environment; each must fail inside the sandbox.
const PROBE = `export const meta = { name: 'probe' }
const attempts = {
  processEnv: () => process.env,
  globalProcess: () => globalThis['process'].env,
  ctorChain: () => this.constructor.constructor('return process')().env,
  fnCtor: () => Function('return process.env')(),
  agentCtor: () => agent.constructor('return globalThis.process')(),
  evalEnv: () => eval('process.env'),
  require: () => globalThis['require']('node:process').env,
}
const found = {}
for (const [name, attempt] of Object.entries(attempts)) {
  try { found[name] = JSON.stringify(attempt()) ?? 'undefined' } catch (e) { found[name] = 'blocked: ' + e.message }
}
log(JSON.stringify(found))
const answer = await agent('Summarise what the probes found: ' + JSON.stringify(found))
return { found, answer }
`

let project: ReturnType<typeof tempProject>
let result: Awaited<ReturnType<typeof runCli>>
beforeAll(async () => {
  project = tempProject({ 'probe.js': PROBE })
  result = await runCli(['run', 'probe.js', '--agent', 'mock', '--json'], { cwd: project.dir, env: { MY_SERVICE_TOKEN: CANARY, ANTHROPIC_API_KEY: CANARY } })
})
afterAll(() => project.cleanup())

describe('a secret in the runner environment', () => {
  it('cannot be reached by any probe in the script', () => {
    expect(result.code).toBe(0)
    for (const [name, outcome] of Object.entries(result.json.result.found as Record<string, string>)) expect([name, outcome]).toEqual([name, expect.stringMatching(/^blocked: /)])
  })

  it('appears nowhere in stdout, stderr or the state directory', () => {
    expect(result.stdout).not.toContain(CANARY)
    expect(result.stderr).not.toContain(CANARY)
    const files = readTree(path.join(project.dir, '.dynamic-workflow'))
    expect(files.length).toBeGreaterThan(3)
    expect(files.filter((f) => f.text.includes(CANARY)).map((f) => f.file)).toEqual([])
  })
})
