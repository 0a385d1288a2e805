import { describe, expect, it } from '@jest/globals'
import { parseExpressionAt, type Node } from 'acorn'
import { WorkflowError } from '../../src/core/errors.js'
import { loadScript } from '../../src/script/load.js'
import { evaluateMetaLiteral } from '../../src/script/meta.js'
import { runSource } from '../support/in-process.js'

const FILE = 'review.workflow.js'

/** The error loadScript throws for `source`; fails the test when it loads. */
function loadError(source: string): WorkflowError {
  try {
    loadScript(source, FILE)
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError)
    expect((error as WorkflowError).code).toBe('INVALID_SCRIPT')
    return error as WorkflowError
  }
  throw new Error(`expected loadScript to reject:\n${source}`)
}

/** 1-based line and column of the `occurrence`-th (0-based) `needle` in `source`. */
function at(source: string, needle: string, occurrence = 0): { line: number; column: number } {
  let index = -1
  for (let i = 0; i <= occurrence; i++) {
    index = source.indexOf(needle, index + 1)
    if (index < 0) throw new Error(`'${needle}' is not in the source`)
  }
  const before = source.slice(0, index).split('\n')
  return { line: before.length, column: before[before.length - 1]!.length + 1 }
}

const META = "export const meta = { name: 'test' }\n"

describe('loadScript: syntax errors', () => {
  it.each([
    ['reports a syntax error as INVALID_SCRIPT at its line and 1-based column', `${META}const a = 1\nconst b = 1 +* 2\n`, '*', /^syntax error: /],
    ['reports an unterminated string where it starts', `${META}\n  const s = 'never closed\n`, "'never", /^syntax error: unterminated string/i],
  ])('%s', (_, source, needle, message) => {
    const error = loadError(source)
    expect(error.message).toMatch(message)
    expect({ line: error.line, column: error.column }).toEqual(at(source, needle))
  })

  it('drops acorn’s own "(line:column)" suffix from the message', () => {
    const error = loadError(`${META}const x = (\n`)
    expect(error.message).toMatch(/^syntax error: /)
    expect(error.message).not.toMatch(/\(\d+:\d+\)\s*$/)
  })

  it.each([
    ['reports a syntax error inside the meta too', "export const meta = {\n  name: 'test'\n  description: 'missing comma',\n}\n", { line: 3, column: 3 }],
    ['rejects a module syntax error such as a duplicate declaration', `${META}const a = 1\nconst a = 2\n`, { line: 3 }],
  ])('%s', (_, source, position) => {
    const error = loadError(source)
    expect(error.message).toMatch(/^syntax error: /)
    expect({ line: error.line, column: error.column }).toMatchObject(position)
  })
})

describe('loadScript: the meta statement', () => {
  const START = /must start with `export const meta = \{/

  it.each([
    ['an empty file', ''],
    ['a file with only comments', '// a workflow\n/* nothing here */\n'],
    ['a script without meta', "const x = 1\nreturn x\n"],
    ['meta declared with let', "export let meta = { name: 'test' }\n"],
    ['meta declared with var', "export var meta = { name: 'test' }\n"],
    ['meta that is not exported', "const meta = { name: 'test' }\n"],
    ['meta that is a string', "export const meta = 'test'\n"],
    ['meta that is an array', "export const meta = [{ name: 'test' }]\n"],
    ['meta that is a function call', "export const meta = makeMeta()\n"],
    ['meta declared next to another constant', "export const meta = { name: 'test' }, other = 1\n"],
    ['an export of another name', "export const info = { name: 'test' }\n"],
    ['an export list', "const meta = { name: 'test' }\nexport { meta }\n"],
  ])('rejects %s with the expected form of the first statement', (_, source) => {
    const error = loadError(source)
    expect(error.message).toMatch(START)
    expect(error.line).toBe(1)
    expect(error.column).toBe(1)
  })

  it('rejects meta that is not the first statement, pointing at the statement that comes first', () => {
    const source = "// setup\n\n  const prefix = 'x'\nexport const meta = { name: 'test' }\n"
    const error = loadError(source)
    expect(error.message).toMatch(START)
    expect({ line: error.line, column: error.column }).toEqual(at(source, 'const prefix'))
  })

  it('accepts comments and a shebang before meta', () => {
    const loaded = loadScript("#!/usr/bin/env dwf\n// Reviews a PR.\n/* more */\nexport const meta = { name: 'test' }\nreturn 1\n", FILE)
    expect(loaded.meta).toEqual({ name: 'test' })
  })
})

describe('loadScript: meta must be literal', () => {
  it.each([
    [
      'names the path of a variable used as a value, at the variable',
      "export const meta = {\n  name: 'test',\n  phases: [{ title: 'Review' }, { title: 'Verify', model: fastModel }],\n}\n",
      'fastModel',
      ['meta.phases[1].model must be a literal value', 'a variable (fastModel)'],
    ],
    [
      'names the path of a function call, at the call',
      "export const meta = {\n  name: 'test',\n  description: describeIt('x'),\n}\n",
      'describeIt',
      ['meta.description must be a literal value', 'a function call'],
    ],
    ['rejects a template with ${...}', "export const meta = { name: 'test', description: `built ${'at'} runtime` }\n", '`', ['meta.description', 'a template with ${...}']],
    ['rejects a spread inside an array, naming the element', "export const meta = { name: 'test', phases: [{ title: 'A' }, ...rest] }\n", '...rest', ['meta.phases[1] uses a spread']],
  ])('%s', (_, source, needle, parts) => {
    const error = loadError(source)
    for (const part of parts) expect(error.message).toContain(part)
    expect({ line: error.line, column: error.column }).toEqual(at(source, needle))
  })

  it.each([
    ['a binary expression', "'a' + 'b'", 'an expression'],
    ['a property access', 'defaults.description', 'a property access'],
    ['an arrow function', "() => 'x'", 'a function'],
    ['a conditional', "true ? 'a' : 'b'", 'an expression'],
    ['a regular expression', '/x/', 'a regular expression'],
    ['a BigInt', '1n', 'BigInt'],
    ['a unary plus', '+1', 'UnaryExpression'],
    ['a negated variable', '-offset', 'UnaryExpression'],
  ])('rejects %s as a value', (_, value, description) => {
    const source = `export const meta = { name: 'test', description: ${value} }\n`
    const error = loadError(source)
    expect(error.message).toContain('meta.description must be a literal value')
    expect(error.message).toContain(description)
    expect({ line: error.line, column: error.column }).toEqual(at(source, value))
  })

  it.each([
    ['a spread member', "{ name: 'test', ...extra }", '...extra', 'meta may only contain'],
    ['a computed key', "{ name: 'test', ['description']: 'x' }", "['description']", 'meta may only contain'],
    ['a method', "{ name: 'test', description() { return 'x' } }", 'description()', 'meta may only contain'],
    ['a getter', "{ name: 'test', get description() { return 'x' } }", 'get description', 'meta may only contain'],
    ['shorthand', '{ name }', 'name', 'meta may only contain'],
    ['a spread inside a phase', "{ name: 'test', phases: [{ title: 'A', ...more }] }", '...more', 'meta.phases[0] may only contain'],
    ['a computed key inside a phase', "{ name: 'test', phases: [{ title: 'A' }, { [key]: 'B' }] }", '[key]', 'meta.phases[1] may only contain'],
    ['shorthand inside a phase', "{ name: 'test', phases: [{ title }] }", 'title', 'meta.phases[0] may only contain'],
  ])('rejects %s, naming the object it is in', (_, literal, needle, message) => {
    const source = `export const meta = ${literal}\n`
    const error = loadError(source)
    expect(error.message).toContain(message)
    expect(error.message).toMatch(/no spreads, computed keys, methods or shorthand/)
    expect({ line: error.line, column: error.column }).toEqual(at(source, needle))
  })

  it('rejects an empty array slot, naming it', () => {
    const error = loadError("export const meta = { name: 'test', phases: [{ title: 'A' }, , { title: 'B' }] }\n")
    expect(error.message).toContain('meta.phases[1] is an empty slot')
  })

  it.each([['__proto__'], ["'__proto__'"], ['constructor'], ['prototype']])('rejects the key %s', (key) => {
    const source = `export const meta = { name: 'test', ${key}: {} }\n`
    const error = loadError(source)
    expect(error.message).toContain('has a key that is not allowed')
    expect({ line: error.line, column: error.column }).toEqual(at(source, key))
  })

  it('accepts negative numbers and plain templates as literal values', () => {
    const node = parseExpressionAt("{ a: -1, b: -0.5, c: `plain`, d: `two\nlines`, e: [null, true, 'x', 3], f: { g: {} }, 'h-i': 1 }", 0, { ecmaVersion: 'latest' })
    expect(evaluateMetaLiteral(node as Node)).toEqual({ a: -1, b: -0.5, c: 'plain', d: 'two\nlines', e: [null, true, 'x', 3], f: { g: {} }, 'h-i': 1 })
  })

  it('reads plain templates in meta as strings', () => {
    const loaded = loadScript("export const meta = { name: `test`, description: `Review\nthe PR`, phases: [{ title: `Review`, model: `m-1` }] }\nreturn 1\n", FILE)
    expect(loaded.meta).toEqual({ name: 'test', description: 'Review\nthe PR', phases: [{ title: 'Review', model: 'm-1' }] })
  })

  it('treats a negative number as a literal, so the error is about its type, not its form', () => {
    const error = loadError("export const meta = { name: 'test', phases: [{ title: 'A', model: -1 }] }\n")
    expect(error.message).toBe('meta.phases[0].model must be a non-empty string')
  })
})

describe('loadScript: the meta contract', () => {
  const metaAt = (source: string) => at(source, '{')

  it('returns the checked meta', () => {
    const loaded = loadScript(
      "export const meta = {\n  name: 'pr-review_2',\n  description: 'Review the PR',\n  model: 'claude-sonnet-4-6',\n  phases: [{ title: 'Review', detail: 'three angles', model: 'm1' }, { title: 'Verify' }],\n}\nreturn 1\n",
      FILE,
    )
    expect(loaded.meta).toEqual({
      name: 'pr-review_2',
      description: 'Review the PR',
      model: 'claude-sonnet-4-6',
      phases: [{ title: 'Review', detail: 'three angles', model: 'm1' }, { title: 'Verify' }],
    })
    expect(loaded.file).toBe(FILE)
  })

  it.each([
    ['with a space', "'PR Review'", '"PR Review"'],
    ['that is empty', "''", '""'],
    ['of 65 characters', `'${'a'.repeat(65)}'`, `"${'a'.repeat(65)}"`],
    ['with capitals', "'Review'", '"Review"'],
    ['starting with a dash', "'-review'", '"-review"'],
    ['with a dot', "'pr.review'", '"pr.review"'],
    ['with a slash', "'a/b'", '"a/b"'],
    ['that is a number', '42', '42'],
  ])('rejects a name %s, quoting it', (_, name, quoted) => {
    const source = `export const meta = { name: ${name} }\n`
    const error = loadError(source)
    expect(error.message).toContain("meta.name must be 1-64 characters of a-z, 0-9, '-' and '_'")
    expect(error.message).toContain(`got ${quoted}`)
    expect({ line: error.line, column: error.column }).toEqual(metaAt(source))
  })

  it.each([
    ['accepts a name of 64 characters', 'a'.repeat(64)],
    ['accepts digits, dashes and underscores in a name', '0-review_x'],
  ])('%s', (_, name) => {
    expect(loadScript(`export const meta = { name: '${name}' }\n`, FILE).meta.name).toBe(name)
  })

  it.each([
    ['requires a name', "export const meta = {\n  description: 'no name',\n}\n", [/^meta\.name is required/]],
    ['rejects an unknown key, naming it and the allowed keys', "export const meta = { name: 'test', version: 2 }\n", ["unknown key 'version'", 'allowed: name, description, model, phases']],
  ])('%s', (_, source, parts) => {
    const error = loadError(source)
    for (const part of parts) expect(error.message).toMatch(part)
    expect({ line: error.line, column: error.column }).toEqual(metaAt(source))
  })

  it('names every unknown key', () => {
    expect(loadError("export const meta = { name: 'test', version: 2, author: 'me' }\n").message).toContain("unknown keys 'version', 'author'")
  })

  it.each([
    ['description', "''"],
    ['description', '3'],
    ['model', "''"],
    ['model', 'null'],
  ])('requires meta.%s to be a non-empty string when present (%s)', (key, value) => {
    expect(loadError(`export const meta = { name: 'test', ${key}: ${value} }\n`).message).toBe(`meta.${key} must be a non-empty string`)
  })

  it.each([
    ['a string', "'Review'"],
    ['an object', "{ title: 'Review' }"],
    ['null', 'null'],
  ])('rejects phases that are %s instead of an array', (_, value) => {
    const source = `export const meta = { name: 'test', phases: ${value} }\n`
    const error = loadError(source)
    expect(error.message).toMatch(/^meta\.phases must be an array/)
    expect({ line: error.line, column: error.column }).toEqual(metaAt(source))
  })

  it.each([
    ['without a title', "[{ detail: 'x' }]", 'meta.phases[0].title must be a non-empty string'],
    ['with a blank title', "[{ title: 'A' }, { title: '   ' }]", 'meta.phases[1].title must be a non-empty string'],
    ['with a title that is not a string', '[{ title: 1 }]', 'meta.phases[0].title must be a non-empty string'],
    ['that is not an object', "[{ title: 'A' }, 'B']", 'meta.phases[1] must be an object'],
    ['with a duplicate title', "[{ title: 'Review' }, { title: 'Verify' }, { title: 'Review' }]", "meta.phases[2].title 'Review' is used twice"],
    ['with an unknown key', "[{ title: 'A', budget: 100 }]", "meta.phases[0] has unknown key 'budget'"],
    ['with an empty model', "[{ title: 'A', model: '' }]", 'meta.phases[0].model must be a non-empty string'],
    ['with an empty detail', "[{ title: 'A', detail: '' }]", 'meta.phases[0].detail must be a non-empty string'],
  ])('rejects a phase %s', (_, phases, message) => {
    const source = `export const meta = {\n  name: 'test',\n  phases: ${phases},\n}\n`
    const error = loadError(source)
    expect(error.message).toContain(message)
    expect(error.line).toBe(1)
  })

  it('accepts an empty phases array', () => {
    expect(loadScript("export const meta = { name: 'test', phases: [] }\n", FILE).meta.phases).toEqual([])
  })
})

describe('loadScript: what the sandbox could never allow is rejected before anything runs', () => {
  const SANDBOX = /workflow scripts run in a sandbox/
  const DETERMINISM = /a replayed run must make the same calls/

  it.each([
    ['an import declaration', "import fs from 'node:fs'", 'import fs', /^import is not available/],
    ['a side-effect import', "import 'node:fs'", "import 'node:fs'", /^import is not available/],
    ['a dynamic import()', "const fs = await import('node:fs')", "import('node:fs')", /^import is not available/],
    ['import.meta', 'const here = import.meta.url', 'import.meta', /^import is not available/],
    ['require()', "  const fs = require('node:fs')", "require('node:fs')", /^require\(\) is not available/],
  ])('rejects %s at its line and column', (_, statement, needle, message) => {
    const source = `${META}const a = 1\n${statement}\n`
    const error = loadError(source)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(SANDBOX)
    expect({ line: error.line, column: error.column }).toEqual(at(source, needle))
  })

  it.each([
    ['export const', 'export const other = 1'],
    ['export default', 'export default 42'],
    ['export function', 'export function helper() {}'],
    ['export *', "export * from './other.js'"],
    ['export {}', 'const x = 1\nexport { x }'],
  ])('rejects any other export (%s)', (_, statement) => {
    const source = `${META}${statement}\n`
    const error = loadError(source)
    expect(error.message).toMatch(/^only `export const meta` may be exported/)
    expect({ line: error.line, column: error.column }).toEqual(at(source, 'export', 1))
  })

  it.each([
    ['Date.now()', 'const t =   Date.now()', 'Date.now', /^Date\.now\(\) is not available/],
    ['Math.random()', 'const r = 1 + Math.random()', 'Math.random', /^Math\.random\(\) is not available/],
    ['Math.random passed as a value', 'const pick = [1, 2].map(Math.random)', 'Math.random', /^Math\.random\(\) is not available/],
    ['new Date()', 'const d = new Date()', 'new Date()', /^new Date\(\) is not available/],
    ['new Date without parentheses', 'const d = new Date', 'new Date', /^new Date\(\) is not available/],
  ])('rejects %s at its line and column', (_, statement, needle, message) => {
    const source = `${META}\n\n${statement}\n`
    const error = loadError(source)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(DETERMINISM)
    expect({ line: error.line, column: error.column }).toEqual(at(source, needle))
  })

  it('finds a rejected call nested deep inside functions', () => {
    const source = `${META}async function later() {\n  return [1].map(() => {\n    return { at: Date.now() }\n  })\n}\nreturn 1\n`
    const error = loadError(source)
    expect({ line: error.line, column: error.column }).toEqual(at(source, 'Date.now'))
  })

  it('rejects a call even in code that would never run', () => {
    expect(loadError(`${META}if (false) require('x')\n`).line).toBe(2)
  })

  it.each([
    ['new Date(0)', 'const d = new Date(0).toISOString()'],
    ['Date.UTC', 'const t = Date.UTC(2024, 0, 1)'],
    ['Date.parse', "const t = Date.parse('2024-01-01')"],
    ['a method named require', "const o = { require: (x) => x }\nconst y = o.require('fs')"],
    ['a property named now on another object', 'const clock = { now: () => 1 }\nconst t = clock.now()'],
    ['Math functions other than random', 'const m = Math.max(1, Math.floor(2.5))'],
    ['the words in a string', "const prompt = 'do not call Date.now() or require(\"x\") or import(\"y\")'"],
  ])('allows %s', (_, statement) => {
    expect(() => loadScript(`${META}${statement}\nreturn 1\n`, FILE)).not.toThrow()
  })
})

describe('loadScript: the rewrite keeps every line and column', () => {
  const SOURCE = [
    '#!/usr/bin/env dwf',
    '// Review a PR from three angles.',
    'export const meta = {',
    "  name: 'pr-review',",
    "  phases: [{ title: 'Review' }, { title: 'Verify' }],",
    '}',
    '',
    "phase('Review')",
    "const angles = ['security', 'tests']",
    'const prompt = `multi',
    'line ${angles.length} template`',
    "return await agent(prompt, { label: 'x' })",
    '',
  ].join('\n')

  it('gives the meta and code with the same lines, then the closing of the wrapper', () => {
    const loaded = loadScript(SOURCE, FILE)
    expect(loaded.meta).toEqual({ name: 'pr-review', phases: [{ title: 'Review' }, { title: 'Verify' }] })
    expect(loaded.source).toBe(SOURCE)
    const source = SOURCE.split('\n')
    const code = loaded.code.split('\n')
    // one extra line closes the async wrapper after the last line of the script
    expect(code).toHaveLength(source.length + 1)
    expect(code[code.length - 1]).toMatch(/^\}\)\s*;?$/)
    // the lines after meta are the user's, unchanged and at the same numbers
    for (let i = 6; i < source.length; i++) expect(code[i]).toBe(source[i])
    // the lines inside meta keep their text
    for (let i = 3; i < 5; i++) expect(code[i]).toBe(source[i])
  })

  it('replaces `export` by spaces of the same width and the shebang by a comment of the same width', () => {
    const code = loadScript(SOURCE, FILE).code.split('\n')
    expect(code[0]).toBe('//' + SOURCE.split('\n')[0]!.slice(2))
    expect(code[2]).toBe('       const meta = {')
    expect(loadScript(SOURCE, FILE).code).not.toMatch(/\bexport\b/)
  })

  it('opens the wrapper on the last line of meta, after the meta text', () => {
    const code = loadScript(SOURCE, FILE).code.split('\n')
    expect(code[5]!.startsWith('}')).toBe(true)
    expect(code[5]).toContain('async')
  })

  it('keeps the line count when the script does not end with a newline', () => {
    const source = `${META}return 1`
    expect(loadScript(source, FILE).code.split('\n')).toHaveLength(source.split('\n').length + 1)
  })

  it('keeps Windows line endings on every line', () => {
    const source = "export const meta = { name: 'test' }\r\nconst a = 1\r\nreturn a\r\n"
    const code = loadScript(source, FILE).code
    expect(code.split('\n').slice(1, 3)).toEqual(['const a = 1\r', 'return a\r'])
  })
})

describe('running a loaded script: errors point at the line and column in the user’s file', () => {
  /** Runs `source` and returns the failure's position; the message must match `message`. */
  async function failureAt(source: string, message: RegExp) {
    const { outcome } = await runSource(source, { file: FILE })
    expect(outcome.status).toBe('failed')
    expect(outcome.error?.message).toMatch(message)
    return { line: outcome.error?.line, column: outcome.error?.column }
  }

  it.each([
    ['reports a ReferenceError on line N at line N and the column of the name', `${META}const a = 1\nconst b = 2\n\n  // a comment\nconst c = a +   missingName\nreturn c\n`, 'missingName'],
    [
      'reports it correctly after a multi-line meta, comments and a shebang',
      [
      '#!/usr/bin/env dwf',
      '/* header',
      '   comment */',
      'export const meta = {',
      "  name: 'test',",
      "  description: 'spans lines',",
      "  phases: [{ title: 'A' }],",
      '}',
      'const items = [',
      '  1,',
      '  2,',
      ']',
      '    items.forEach((i) => undefinedHelper(i))',
      '',
    ].join('\n'),
      'undefinedHelper',
    ],
    ['reports it correctly after a multi-line template literal', `${META}const text = \`one\ntwo \${1 + 1}\nthree\`\n\tnotDefinedHere()\n`, 'notDefinedHere'],
    ['reports it correctly inside a nested function called later', `${META}function inner() {\n  return 1 + alsoMissing\n}\nfunction outer() { return inner() }\nreturn outer()\n`, 'alsoMissing'],
    ['reports it correctly after an awaited agent call', `${META}const first = await agent('first')\n\nreturn first + missingAfterAwait\n`, 'missingAfterAwait'],
    ['reports an error on the same line as the end of meta at the column in the file', "export const meta = { name: 'test' }; const v = 1 + missingOnMetaLine\n", 'missingOnMetaLine'],
  ])('%s', async (_, source, name) => {
    expect(await failureAt(source, new RegExp(name))).toEqual(at(source, name))
  })

  it('reports a thrown Error at the line it is thrown on', async () => {
    const source = `${META}const x = 1\n\n\n  throw new Error('stop here')\n`
    const position = await failureAt(source, /^stop here$/)
    expect(position.line).toBe(5)
  })

  it.each([
    ['can read meta from the script body', "export const meta = { name: 'test', description: 'd' }\nreturn meta.name + ':' + meta.description\n", 'test:d'],
    ['runs a script that starts with a shebang', "#!/usr/bin/env dwf\nexport const meta = { name: 'test' }\nreturn 'ran'\n", 'ran'],
  ])('%s', async (_, source, result) => {
    const { outcome } = await runSource(source)
    expect(outcome).toMatchObject({ status: 'succeeded', result })
  })
})
