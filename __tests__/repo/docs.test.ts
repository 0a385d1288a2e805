import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ROOT, runCli, tempProject, type CliResult } from '../support/cli.js'
import { workflowErrors } from '../support/workflow-yaml.js'
import { loadScript } from '../../src/script/load.js'

// The reference docs are checked against the code, so they cannot drift from it silently.
const DOCS = path.join(ROOT, 'docs')
const pages = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => path.join(DOCS, f))
const read = (file: string) => fs.readFileSync(file, 'utf8')
const page = (name: string) => read(path.join(DOCS, name))
const action = parseYaml(read(path.join(ROOT, 'action.yml'))) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> }

interface Block {
  lang: string
  text: string
}

/** Fenced code blocks, and the prose around them (where links and headings count). */
function split(markdown: string): { prose: string[]; blocks: Block[] } {
  const prose: string[] = []
  const blocks: Block[] = []
  let open: Block | undefined
  for (const line of markdown.split('\n')) {
    const fence = /^\s*```(\w*)\s*$/.exec(line)
    if (fence && !open) open = { lang: fence[1]!, text: '' }
    else if (fence && open) {
      blocks.push(open)
      open = undefined
    } else if (open) open.text += line + '\n'
    else prose.push(line)
  }
  return { prose, blocks }
}

/** GitHub's heading anchors (github-slugger): lowercase, punctuation dropped, spaces to '-', repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of split(markdown).prose) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1]
    if (!heading) continue
    const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '')
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** Relative link targets in the prose of a Markdown file (inline code is not a link). */
function relativeLinks(markdown: string): string[] {
  const prose = split(markdown).prose.join('\n').replace(/``[^`]*``|`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
}

describe('links in docs/*.md and README.md', () => {
  const files = [...pages, path.join(ROOT, 'README.md')]
  it.each(files.map((f) => [path.relative(ROOT, f), f]))('%s: every relative link and #anchor resolves', (_, file) => {
    const broken: string[] = []
    for (const link of relativeLinks(read(file))) {
      const [target, anchor] = link.split('#') as [string, string | undefined]
      const resolved = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file
      if (!fs.existsSync(resolved)) broken.push(`${link}: no such file`)
      else if (anchor !== undefined && !anchors(read(resolved)).has(anchor)) broken.push(`${link}: no heading #${anchor}`)
    }
    expect(broken).toEqual([])
  })

  it('the check is real: it computes GitHub anchors and finds links', () => {
    expect([...anchors('# A `b` c: d?\n## A `b` c: d?\n```\n# not a heading\n```\n')]).toEqual(['a-b-c-d', 'a-b-c-d-1'])
    expect(relativeLinks('[x](a.md#b) [y](https://e.com) `[z](c.md)`\n```\n[w](d.md)\n```\n')).toEqual(['a.md#b'])
  })
})

describe('docs/action.md', () => {
  const doc = page('action.md')

  it('lists every input of action.yml in its table, with the default action.yml gives', () => {
    const table = doc.slice(doc.indexOf('## Inputs'), doc.indexOf('\n## ', doc.indexOf('## Inputs') + 1))
    const rows = new Map(table.split('\n').flatMap((line) => {
      const cells = /^\| `([a-z-]+)` \|([^|]*)\|/.exec(line)
      return cells ? [[cells[1]!, cells[2]!] as const] : []
    }))
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect([name, rows.has(name)]).toEqual([name, true])
      if (spec.default !== undefined) expect([name, rows.get(name)]).toEqual([name, expect.stringContaining('`' + spec.default + '`')])
    }
  })

  it('names every output of action.yml', () => {
    for (const name of Object.keys(action.outputs)) expect([name, doc.includes('`' + name + '`')]).toEqual([name, true])
  })

  const examples = split(doc).blocks.filter((b) => b.lang === 'yaml' && /^jobs:/m.test(b.text))
  it('has three complete workflow examples', () => expect(examples).toHaveLength(3))

  it.each(examples.map((b, i) => [i + 1, b.text] as const))("example %d passes GitHub's workflow parser and uses only what action.yml declares", async (_, text) => {
    expect(await workflowErrors('example.yml', text)).toEqual([])
    const workflow = parseYaml(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> }
    expect(workflow.permissions.actions).toBe('write')
    const ours = Object.values(workflow.jobs).flatMap((job) => job.steps).filter((step) => step.uses?.includes('dynamic-workflow@'))
    expect(ours.length).toBeGreaterThan(0)
    for (const step of ours) {
      expect(step.with?.script).toBeTruthy()
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name)
    }
    for (const [, output] of text.matchAll(/steps\.\w+\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(output)
  })
})

describe('every `dwf run` flag is documented', () => {
  let help: CliResult
  beforeAll(async () => {
    help = await runCli(['run', '--help'], { cwd: ROOT })
  })

  it('appears somewhere in docs/', () => {
    expect(help.code).toBe(0)
    const flags = [...new Set([...help.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!))]
    expect(flags).toEqual(expect.arrayContaining(['--args', '--agent', '--no-replay', '--state-dir', '--help']))
    const all = pages.map(read).join('\n')
    // Whole flags only: `--json-lines` on a page must not count as `--json`.
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![a-z-])`).test(all))).toEqual([])
  })
})

describe('examples in the docs run as written', () => {
  it('every script example loads (meta and sandbox rules)', () => {
    const scripts = pages.flatMap((file) => split(read(file)).blocks.filter((b) => b.lang === 'js' && b.text.startsWith('export const meta')).map((b) => [path.basename(file), b.text] as const))
    expect(scripts.length).toBeGreaterThanOrEqual(2)
    for (const [file, text] of scripts) expect(() => loadScript(text, file)).not.toThrow()
  })

  // providers.md shows a config file, a routing script and the lines it printed.
  const { blocks } = split(page('providers.md'))
  const config = blocks.find((b) => b.lang === 'json')!
  const script = blocks.find((b) => b.lang === 'js')!
  const printed = blocks.find((b) => b.lang === '' && b.text.includes('started (mock/'))!
  let project: ReturnType<typeof tempProject>
  let run: CliResult
  beforeAll(async () => {
    project = tempProject({ 'dynamic-workflow.json': config.text, 'route.workflow.js': script.text })
    run = await runCli(['run', 'route.workflow.js', '--agent', 'mock', '--model', 'flag-model'], { cwd: project.dir })
  })
  afterAll(() => project.cleanup())

  it('the config file of providers.md is accepted, and the routing example prints what the page shows', () => {
    expect(run.code).toBe(0)
    const lines = printed.text.trim().split('\n')
    expect(lines).toHaveLength(5)
    for (const line of lines) expect(run.stderr).toContain(line)
  })
})
