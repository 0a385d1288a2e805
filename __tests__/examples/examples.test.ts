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
      expect(result.mode).toBe('patches')
      for (const fix of result.fixes) expect(fs.existsSync(path.join(ROOT, fix.file))).toBe(true)
      // The mock's diffs are random text: an accepted one is tried with applyPatch() and does not apply.
      for (const fix of result.fixes) expect(fix.status).toBe(fix.verdict === 'fixes' ? 'does-not-apply' : 'rejected')
      expect(result.changed).toBe(0)
    },
  },
  migration: {
    args: { pattern: fixture('app/src/legacy/*.js') },
    check(result) {
      const all = filesIn('app/src/legacy', '.js')
      expect(result.total).toBe(all.length)
      // money.js holds none of the forbidden strings: skipped before any agent runs.
      expect(result.alreadyDone).toEqual([fixture('app/src/legacy/money.js')])
      expect(result.files.map((c: { file: string }) => c.file)).toEqual(all.filter((f) => !f.endsWith('money.js')))
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

  it('fix-failing-tests fixes with editing calls when args.edits is set (the config for Claude Code checks out)', async () => {
    const config = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'claude-code-edits.json'), 'utf8'))
    expect(config.providers['claude-code'].allowedTools).toEqual(expect.arrayContaining(['Edit', 'Write']))
    const args = { ...RUNS['fix-failing-tests']!.args, edits: true }
    const run = () =>
      runCli(['run', 'workflows-examples/fix-failing-tests.workflow.js', '--agent', 'mock', '--config', 'workflows-examples/claude-code-edits.json', '--json', '--args', JSON.stringify(args)], { cwd: project.dir })
    const first = await run()
    expect(first.code).toBe(0)
    expect(first.json.result.mode).toBe('edits')
    // The mock edits nothing: every fix call completes with its answer and no change.
    for (const fix of first.json.result.fixes) expect(fix.status).toBe('changed')
    expect(first.json.changes).toBeUndefined()
    const second = await run()
    expect(second.json.agents).toMatchObject({ live: 0, replayed: first.json.agents.total })
  })

  it('migration writes the migrated files with writeFile(): they are the run\'s changes', async () => {
    const fresh = tempProject()
    try {
      fs.cpSync(EXAMPLES, path.join(fresh.dir, 'workflows-examples'), { recursive: true })
      const result = await runCli(['run', 'workflows-examples/migration.workflow.js', '--agent', 'mock', '--json', '--args', JSON.stringify(RUNS.migration!.args)], { cwd: fresh.dir })
      expect(result.code).toBe(0)
      const migrated = result.json.result.files.map((f: { file: string }) => f.file)
      expect(result.json.changes).toEqual({ files: migrated, added: 0, modified: migrated.length, deleted: 0 })
      for (const file of migrated) expect(fs.readFileSync(path.join(fresh.dir, file), 'utf8')).not.toBe(fs.readFileSync(path.join(EXAMPLES, '..', file), 'utf8'))
    } finally {
      fresh.cleanup()
    }
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

  it.each(['fix-failing-tests.yml', 'migration.yml'])('%s needs no jq, git or gh glue: the run changes the files and the Action opens the pull request', (file) => {
    const text = fs.readFileSync(path.join(GITHUB, file), 'utf8')
    expect(text).not.toMatch(/git apply|git push|gh pr create|\bjq\b|result\.json/)
    const workflow = parseYaml(text) as { permissions: Record<string, string>; jobs: Record<string, Job> }
    const ours = Object.values(workflow.jobs).flatMap((job) => job.steps).find((step) => isOurAction(step))!
    expect(ours.with?.changes).toBe('pull-request')
    expect(workflow.permissions).toMatchObject({ contents: 'write', 'pull-requests': 'write' })
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
