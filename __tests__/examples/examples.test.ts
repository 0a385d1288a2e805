import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT, journalLines, runCli, tempProject } from '../support/cli.js'
import { workflowErrors } from '../support/workflow-yaml.js'

const EXAMPLES = path.join(ROOT, 'workflows-examples')
const GITHUB = path.join(EXAMPLES, 'github')
const names = fs
  .readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.workflow.js'))
  .map((f) => f.replace(/\.workflow\.js$/, ''))
  .sort()
const yamls = fs.readdirSync(GITHUB).filter((f) => /\.ya?ml$/.test(f)).sort()

const fixture = (name: string) => `workflows-examples/fixtures/${name}`
const filesIn = (dir: string, ext: string) => fs.readdirSync(path.join(EXAMPLES, 'fixtures', dir)).filter((f) => f.endsWith(ext)).map((f) => fixture(`${dir}/${f}`)).sort()

/**
 * The offline run of each example: its args (fixtures only) and what its result must hold for
 * any schema-valid answer the mock gives. Every example needs an entry here.
 */
const RUNS: Record<string, { args: object; check(result: any): void }> = {
  'pr-review': {
    args: { diffFile: fixture('sample.diff'), angles: 'security,correctness,tests,performance' },
    check(result) {
      expect(result.files).toBe(2)
      for (const f of result.confirmed) expect(['src/auth/session.ts', 'test/session.test.ts']).toContain(f.file)
      expect(result.confirmed.length).toBeLessThanOrEqual(result.findings)
    },
  },
  'fix-failing-tests': {
    args: { logFile: fixture('ci-failure.txt'), sourceGlob: fixture('app/{src,test}/**/*.ts') },
    check(result) {
      expect(result.failures).toBeGreaterThan(0)
      for (const patch of result.patches) expect(fs.existsSync(path.join(ROOT, patch.file))).toBe(true)
      expect(result.accepted).toBe(result.patches.filter((p: { verdict: string }) => p.verdict === 'fixes').length)
    },
  },
  migration: {
    args: { pattern: fixture('app/src/legacy/*.js') },
    check(result) {
      const all = filesIn('app/src/legacy', '.js')
      expect(result.total).toBe(all.length)
      // money.js holds none of the forbidden strings: skipped before any agent runs.
      expect(result.alreadyDone).toEqual([fixture('app/src/legacy/money.js')])
      expect(result.changes.map((c: { file: string }) => c.file)).toEqual(all.filter((f) => !f.endsWith('money.js')))
      expect(result.migrated + result.needsReview).toBe(all.length - 1)
    },
  },
  'docs-audit': {
    args: { docs: fixture('app/docs/**/*.md'), code: fixture('app/src/**/*.{ts,js}') },
    check(result) {
      expect(result.docs).toBe(filesIn('app/docs', '.md').length)
      for (const issue of result.issues) expect(filesIn('app/docs', '.md')).toContain(issue.doc)
      expect(result.report).toMatch(/^## Docs audit: \d+ issues?/)
    },
  },
  'release-notes': {
    args: { commitsFile: fixture('commits.json'), version: 'v1.4.0', previousVersion: 'v1.3.0' },
    check(result) {
      const commits = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'fixtures/commits.json'), 'utf8'))
      expect(result.commits).toBe(commits.length)
      // Every commit lands in exactly one category, whatever the classifier answered.
      expect(Object.values(result.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(commits.length)
      expect(result.counts.breaking).toBeGreaterThanOrEqual(1) // feat(api)!: is breaking by its marker
      expect(result.markdown).toMatch(/^## v1\.4\.0\n\nChanges since v1\.3\.0\.\n\n### Breaking changes\n/)
    },
  },
}

describe('example workflow scripts', () => {
  let project: ReturnType<typeof tempProject>
  beforeAll(() => {
    // A copy, so validating and running write no state into the repository.
    project = tempProject()
    fs.cpSync(EXAMPLES, path.join(project.dir, 'workflows-examples'), { recursive: true })
  })
  afterAll(() => project.cleanup())

  it('there are at least five, each with an offline run below and a GitHub workflow', () => {
    expect(names.length).toBeGreaterThanOrEqual(5)
    expect(Object.keys(RUNS).sort()).toEqual(names)
    expect(yamls.map((f) => f.replace(/\.ya?ml$/, ''))).toEqual(expect.arrayContaining(names))
  })

  it.each(names)('%s starts with a header saying what it does, its args and how to run it locally with the mock', (name) => {
    const source = fs.readFileSync(path.join(EXAMPLES, `${name}.workflow.js`), 'utf8')
    const header = source.slice(0, source.indexOf('export const meta'))
    expect(header.split('\n').filter(Boolean).every((line) => line.startsWith('//'))).toBe(true)
    expect(header).toMatch(/Args:/)
    expect(header).toContain(`dwf run workflows-examples/${name}.workflow.js --agent mock`)
  })

  it.each(names)('%s passes dwf validate, and its meta is named after the file', async (name) => {
    const out = await runCli(['validate', `workflows-examples/${name}.workflow.js`, '--json'], { cwd: project.dir })
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(out.json.ok).toBe(true)
    expect(out.json.meta.name).toBe(name)
    expect(out.json.meta.description.length).toBeGreaterThan(10)
    expect(out.json.meta.phases.length).toBeGreaterThan(1)
  })

  it.each(names)('%s runs to success offline with the mock agent, and a second run replays every call', async (name) => {
    const run = () => runCli(['run', `workflows-examples/${name}.workflow.js`, '--agent', 'mock', '--json', '--args', JSON.stringify(RUNS[name]!.args)], { cwd: project.dir })
    const first = await run()
    expect(first.json?.error).toBeUndefined()
    expect(first.code).toBe(0)
    expect(first.json.status).toBe('succeeded')
    expect(first.json.agents.live).toBeGreaterThan(2)
    expect(first.json.agents.failed).toBe(0)
    RUNS[name]!.check(first.json.result)
    expect(journalLines(path.join(project.dir, '.dynamic-workflow'), name)).toHaveLength(first.json.agents.live)

    const second = await run()
    expect(second.code).toBe(0)
    expect(second.json.agents).toEqual({ total: first.json.agents.total, live: 0, replayed: first.json.agents.total, failed: 0 })
    expect(second.json.result).toEqual(first.json.result)
  })
})

interface Step {
  uses?: string
  with?: Record<string, string>
  env?: Record<string, string>
}
interface Job {
  permissions?: Record<string, string>
  concurrency?: unknown
  steps: Step[]
}
const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { required?: boolean }> }
const isOurAction = (step: Step) => /^[\w.-]+\/dynamic-workflow@/.test(step.uses ?? '')

describe('example GitHub workflows', () => {
  it('are checked for real: the parser rejects a broken copy', async () => {
    const text = fs.readFileSync(path.join(GITHUB, 'pr-review.yml'), 'utf8')
    expect(await workflowErrors('ok.yml', text)).toEqual([])
    expect((await workflowErrors('bad-permission.yml', text.replace('contents: read', 'contents: maybe'))).length).toBeGreaterThan(0)
    expect((await workflowErrors('bad-context.yml', text.replace('${{ github.token }}', '${{ nosuch.token }}'))).length).toBeGreaterThan(0)
  })

  it.each(yamls)("%s passes GitHub's workflow parser with zero errors", async (file) => {
    expect(await workflowErrors(file, fs.readFileSync(path.join(GITHUB, file), 'utf8'))).toEqual([])
  })

  it.each(yamls)('%s runs an example script with inputs action.yml declares, secrets via env, and the permissions the action needs', (file) => {
    const text = fs.readFileSync(path.join(GITHUB, file), 'utf8')
    expect(text.startsWith('#')).toBe(true)
    const workflow = parseYaml(text) as { permissions?: Record<string, string>; concurrency?: unknown; jobs: Record<string, Job> }
    expect(workflow.concurrency).toBeDefined()
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => ({ job, step })))
    const ours = steps.filter(({ step }) => isOurAction(step))
    expect(ours.length).toBeGreaterThan(0)
    for (const { step } of steps.filter(({ step }) => step.uses?.startsWith('actions/checkout@'))) expect(step.uses).toBe('actions/checkout@v5')

    const required = Object.entries(action.inputs).filter(([, spec]) => spec.required).map(([name]) => name)
    for (const { job, step } of ours) {
      const inputs = step.with ?? {}
      expect(Object.keys(inputs).filter((name) => !(name in action.inputs))).toEqual([])
      expect(required.filter((name) => !(name in inputs))).toEqual([])
      const script = path.posix.join(inputs['working-directory'] ?? '.', inputs.script!)
      expect(script).toMatch(/^workflows-examples\/[^/]+\.workflow\.js$/)
      expect(fs.existsSync(path.join(ROOT, script))).toBe(true)
      // Secrets go in env, never in `with:` (inputs are echoed in logs and the run state).
      expect(Object.values(inputs).filter((v) => String(v).includes('secrets.'))).toEqual([])
      expect(step.env?.ANTHROPIC_API_KEY).toBe('${{ secrets.ANTHROPIC_API_KEY }}')
      // Saving the journal to the Actions cache needs actions: write.
      const permissions = job.permissions ?? workflow.permissions
      if (inputs.cache !== 'false') expect(permissions?.actions).toBe('write')
    }
  })
})
