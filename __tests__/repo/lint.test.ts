import { afterAll, describe, expect, it } from '@jest/globals'
import { ESLint } from 'eslint'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import tseslint from 'typescript-eslint'
import architecture, { LAYERS } from '../../scripts/lint/architecture.js'
import { ROOT } from '../support/cli.js'

/**
 * The architecture is checked, not only described: `npm run lint` (in .ci/run and in CI)
 * refuses an import that breaks docs/architecture.md's rules. These cases show that a wrong
 * import fails, with a message that says what to do, and that the repository passes.
 */
const eslint = new ESLint({ cwd: ROOT })

/** What ESLint says of `code` as if it were the file at `file` (relative to the root). */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) })
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

describe('the repository passes its own rules', () => {
  it('eslint reports nothing in src/, scripts/ and __tests__/', async () => {
    const results = await eslint.lintFiles(['src', 'scripts', '__tests__', 'eslint.config.js'])
    const found = results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`))
    expect(found).toEqual([])
    expect(results.length).toBeGreaterThan(100)
  }, 120_000)
})

describe('docs/architecture.md', () => {
  it("draws the linter's table of what each folder may import", () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8')
    const block = /<!-- architecture:layers -->([\s\S]*?)<!-- \/architecture:layers -->/.exec(text)![1]!
    const rows = [...block.matchAll(/^\| `(\w+)` \| ([^|]+) \|$/gm)].map(([, folder, allowed]) => [folder, allowed!.trim() === 'nothing' ? [] : allowed!.trim().split(', ')])
    expect(Object.fromEntries(rows)).toEqual(LAYERS)
    expect(rows.map(([folder]) => folder)).toEqual(Object.keys(LAYERS))
    expect(fs.readdirSync(path.join(ROOT, 'src')).sort()).toEqual(Object.keys(LAYERS).sort())
  })
})

describe('wrong imports fail', () => {
  it.each([
    ['src/engine/x.ts', "import { selectAgent } from '../agents/select.js'", 'src/engine may not import src/agents'],
    ['src/engine/x.ts', "import type { Invocation } from '../runner/invocation.js'", 'src/engine may not import src/runner'],
    ['src/engine/x.ts', "export { renderJson } from '../report/json.js'", 'src/engine may not import src/report'],
    ['src/core/x.ts', "import { closest } from '../util/closest.js'", 'src/core may not import src/util: core may import nothing else of src/'],
    ['src/journal/x.ts', "import { DEFAULT_CONFIG } from '../engine/config.js'", 'src/journal may not import src/engine'],
    ['src/agents/x.ts', "import { runWorkflow } from '../engine/run-workflow.js'", 'src/agents may not import src/engine'],
    ['src/script/x.ts', "import { Workspace } from '../workspace/workspace.js'", 'src/script may not import src/workspace'],
    ['src/cli/x.ts', "import { parseInputs } from '../action/inputs.js'", 'src/cli may not import src/action'],
    ['src/action/x.ts', "export * from '../cli/run-flags.js'", 'src/action may not import src/cli'],
    ['src/action/x.ts', "export const load = () => import('../cli/main.js')", 'src/action may not import src/cli'],
    ['src/report/x.ts', "import { compile } from '../../__tests__/support/cli.js'", 'src/report may not import from outside src/'],
    ['src/engine/x.ts', "import { RunEdits } from '../edits/run-edits.js'", 'src/engine may not import src/edits'],
    ['src/newfolder/x.ts', "export const x = 1", 'src/newfolder is not in the architecture: add it to LAYERS'],
  ])('%s: %s', async (file, code, message) => {
    const found = await problems(file, `${code}\n`)
    expect(found.filter((p) => p.startsWith('architecture/layers'))).toEqual([expect.stringContaining(message)])
  })

  it.each([
    ['src/engine/x.ts', "import * as core from '@actions/core'", "src/engine may not import the package '@actions/core': it belongs in src/action"],
    ['src/report/x.ts', "import OpenAI from 'openai'", "src/report may not import the package 'openai': it belongs in src/agents"],
    ['src/core/x.ts', "import fs from 'node:fs'", "src/core may not import 'node:fs': core stays pure, without Node's built-ins"],
    ['src/util/x.ts', "import left from 'left-pad'", "src/util may not import the package 'left-pad' (docs"],
  ])('packages stay in their folder: %s: %s', async (file, code, message) => {
    const found = await problems(file, `${code}\n`)
    expect(found.filter((p) => p.startsWith('architecture/layers'))).toEqual([expect.stringContaining(message)])
  })

  it.each([
    ['src/engine/x.ts', "import { closest } from '../util/closest.js'"],
    ['src/runner/x.ts', "import { RunEdits } from '../edits/run-edits.js'"],
    ['src/engine/x.ts', "import type { JournalEntry } from '../journal/entry.js'"],
    ['src/runner/x.ts', "import { runWorkflow } from '../engine/run-workflow.js'"],
    ['src/action/x.ts', "import * as core from '@actions/core'"],
    ['src/util/x.ts', "import fs from 'node:fs'"],
  ])('allowed: %s: %s', async (file, code) => {
    expect(await problems(file, `${code}\nexport const used = [${code.match(/import (?:type )?\{? ?(?:\* as )?(\w+)/)![1]}]\n`)).toEqual([])
  })
})

describe('only the entry points exit or handle signals', () => {
  const EXIT = 'export function stop(): void {\n  process.exit(1)\n}\n'
  const SIGNAL = "export function watch(stop: () => void): void {\n  process.on('SIGINT', stop)\n}\n"

  it.each([
    ['src/runner/x.ts', EXIT, 'no-restricted-properties'],
    ['src/cli/commands/x.ts', EXIT, 'no-restricted-properties'],
    ['src/runner/x.ts', SIGNAL, 'no-restricted-syntax'],
    ['src/action/main-impl.ts', SIGNAL, 'no-restricted-syntax'],
  ])('%s may not', async (file, code, rule) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(new RegExp(`^${rule}: .*only the entry points`))])
  })

  it.each(['src/cli/bin.ts', 'src/action/main.ts', 'src/action/post.ts'])('%s may', async (file) => {
    expect(await problems(file, EXIT + SIGNAL)).toEqual([])
  })
})

describe('size limits', () => {
  it('a function over 80 lines fails', async () => {
    const body = Array.from({ length: 81 }, (_, i) => `  total += ${i}`).join('\n')
    const found = await problems('src/util/x.ts', `export function long(): number {\n  let total = 0\n${body}\n  return total\n}\n`)
    expect(found).toEqual([expect.stringMatching(/^max-lines-per-function: Function 'long' has too many lines/)])
  })

  it('a file over 300 lines fails', async () => {
    const lines = Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i}`).join('\n')
    expect(await problems('src/util/x.ts', `${lines}\n`)).toEqual([expect.stringMatching(/^max-lines: File has too many lines/)])
  })
})

describe('no import cycles', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

  /** Lints a little tree of files with only the cycle rule. */
  async function cycles(files: Record<string, string>): Promise<string[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-cycles-'))
    dirs.push(root)
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
      fs.writeFileSync(path.join(root, file), text)
    }
    const linter = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as never }, plugins: { architecture }, rules: { 'architecture/no-cycles': 'error' } }],
    })
    const results = await linter.lintFiles(['src'])
    return results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}: ${m.message}`)).sort()
  }

  it('finds a cycle through three files, type imports included', async () => {
    const found = await cycles({
      'src/core/a.ts': "import { b } from './b.js'\nexport const a = b\n",
      'src/core/b.ts': "import { c } from './c.js'\nexport const b = c\n",
      'src/core/c.ts': "import type { A } from './a.js'\nexport const c = 1 as unknown as A\n",
    })
    expect(found).toEqual([
      'src/core/a.ts: import cycle: src/core/a.ts → src/core/b.ts → src/core/c.ts → src/core/a.ts',
      'src/core/b.ts: import cycle: src/core/b.ts → src/core/c.ts → src/core/a.ts → src/core/b.ts',
      'src/core/c.ts: import cycle: src/core/c.ts → src/core/a.ts → src/core/b.ts → src/core/c.ts',
    ])
  })

  it('a chain without a way back is fine', async () => {
    const found = await cycles({
      'src/core/a.ts': "import { b } from './b.js'\nexport const a = b\n",
      'src/core/b.ts': "export { c as b } from './c.js'\n",
      'src/core/c.ts': 'export const c = 1\n',
    })
    expect(found).toEqual([])
  })
})
