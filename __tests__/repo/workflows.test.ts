import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../support/cli.js'
import { workflowErrors } from '../support/workflow-yaml.js'

// The repository's own automation, held to what GitHub itself accepts.
const DIR = path.join(ROOT, '.github', 'workflows')
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'))
const read = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8')

interface Step {
  uses?: string
  run?: string
  with?: Record<string, string>
}
const steps = (file: string): Step[] => Object.values((parseYaml(read(file)) as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((job) => job.steps)

describe('.github/workflows', () => {
  it.each(files)("%s passes GitHub's workflow parser", async (file) => {
    expect(await workflowErrors(file, read(file))).toEqual([])
  })

  it('the check is real: a broken workflow is rejected', async () => {
    expect((await workflowErrors('broken.yml', read('ci.yml').replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest'))).length).toBeGreaterThan(0)
    expect((await workflowErrors('broken.yml', read('ci.yml').replace('${{ matrix.node }}', '${{ matrix.node ')))).not.toEqual([])
  })

  it('CI installs, type-checks, tests and checks dist/', () => {
    const runs = steps('ci.yml').map((s) => s.run ?? '')
    for (const command of ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test', 'npm run bundle']) expect(runs.some((r) => r.includes(command))).toBe(true)
    expect(runs.join('\n')).toMatch(/git status --porcelain -- dist/)
  })

  it('E2E runs the Action from this checkout with the mock agent on pull requests, only with inputs action.yml declares', () => {
    const e2e = parseYaml(read('e2e.yml')) as { on: Record<string, unknown> }
    expect(Object.keys(e2e.on)).toEqual(['pull_request'])
    const own = steps('e2e.yml').filter((s) => s.uses === './')
    expect(own.length).toBeGreaterThanOrEqual(2)
    const inputs = Object.keys((parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: object }).inputs)
    for (const step of own) {
      expect(step.with?.agent).toBe('mock')
      for (const name of Object.keys(step.with ?? {})) expect(inputs).toContain(name)
      expect(fs.existsSync(path.join(ROOT, step.with!.script!))).toBe(true)
    }
  })

  it('Release moves the major tag to a published version', () => {
    const run = steps('release.yml').map((s) => s.run ?? '').join('\n')
    expect(run).toMatch(/MAJOR="\$\{TAG%%\.\*\}"/)
    expect(run).toMatch(/git push origin "refs\/tags\/\$MAJOR" --force/)
    expect(read('release.yml')).toMatch(/contents: write/)
  })
})
