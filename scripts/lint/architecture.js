/**
 * The architecture as lint rules: which folder of src/ may import which, which packages each
 * folder may use, and no import cycles between files. docs/architecture.md draws the same
 * table (a test holds the two together); change both in one commit.
 */
import fs from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import ts from 'typescript'

/** For each folder of src/, the folders it may import (its own is always allowed). */
export const LAYERS = {
  core: [],
  util: [],
  structured: ['core', 'util'],
  journal: ['core', 'util'],
  script: ['core', 'util'],
  workspace: ['core', 'util'],
  edits: ['core', 'util'],
  report: ['core', 'util'],
  engine: ['core', 'util', 'structured', 'journal'],
  agents: ['core', 'util', 'structured'],
  runner: ['core', 'util', 'structured', 'journal', 'script', 'workspace', 'edits', 'report', 'engine', 'agents'],
  cli: ['core', 'util', 'report', 'runner'],
  action: ['core', 'util', 'report', 'journal', 'runner'],
}

/**
 * For each folder, the npm packages it may import. Node's built-ins are open to every folder
 * but core, which stays pure so that anything can depend on it.
 */
export const PACKAGES = {
  core: [],
  util: [],
  structured: ['ajv'],
  journal: [],
  script: ['@jitl/quickjs-singlefile-mjs-release-sync', 'quickjs-emscripten-core', 'acorn', 'acorn-walk'],
  workspace: ['picomatch'],
  edits: [],
  report: [],
  engine: [],
  agents: ['@anthropic-ai/sdk', 'openai'],
  runner: ['yaml'],
  cli: [],
  action: ['@actions/artifact', '@actions/cache', '@actions/core', '@octokit/plugin-retry', '@octokit/plugin-throttling', '@octokit/rest'],
}

/** The only files that may install signal handlers or call process.exit. */
export const ENTRY_POINTS = ['src/cli/bin.ts', 'src/action/main.ts', 'src/action/post.ts']

const BUILTINS = new Set(builtinModules)

/** `src/<folder>/...` relative to root, or undefined for a file outside src/. */
function folderOf(root, file) {
  const parts = path.relative(root, file).split(path.sep)
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined
}

function packageName(specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function isBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(packageName(specifier))
}

/** Every module specifier a file's AST names: imports, re-exports, import() and import types. */
function specifierNodes(context, onSpecifier) {
  const check = (node) => {
    if (node.source && typeof node.source.value === 'string') onSpecifier(node.source, node.source.value)
  }
  return {
    ImportDeclaration: check,
    ExportNamedDeclaration: check,
    ExportAllDeclaration: check,
    ImportExpression: check,
    TSImportType(node) {
      const literal = node.argument?.literal ?? node.argument
      if (literal && typeof literal.value === 'string') onSpecifier(literal, literal.value)
    },
  }
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'src/<folder> imports only the folders and packages docs/architecture.md allows' },
    schema: [],
    messages: {
      folder: 'src/{{from}} may not import src/{{to}}: {{from}} may import {{allowed}} (docs/architecture.md)',
      outside: 'src/{{from}} may not import from outside src/ ({{specifier}})',
      package: "src/{{from}} may not import the package '{{name}}'{{hint}} (docs/architecture.md)",
      builtin: "src/core may not import '{{specifier}}': core stays pure, without Node's built-ins (docs/architecture.md)",
      unknown: 'src/{{from}} is not in the architecture: add it to LAYERS and PACKAGES in scripts/lint/architecture.js and to docs/architecture.md',
    },
  },
  create(context) {
    const root = context.cwd
    const from = folderOf(root, context.filename)
    if (from === undefined) return {}
    if (!(from in LAYERS)) {
      return { Program: (node) => context.report({ node, messageId: 'unknown', data: { from } }) }
    }
    const allowed = LAYERS[from]
    return specifierNodes(context, (node, specifier) => {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(context.filename), specifier)
        const to = folderOf(root, target)
        if (to === undefined) context.report({ node, messageId: 'outside', data: { from, specifier } })
        else if (to !== from && !allowed.includes(to)) {
          const list = allowed.length === 0 ? 'nothing else of src/' : allowed.join(', ')
          context.report({ node, messageId: 'folder', data: { from, to, allowed: list } })
        }
        return
      }
      if (isBuiltin(specifier)) {
        if (from === 'core') context.report({ node, messageId: 'builtin', data: { specifier } })
        return
      }
      const name = packageName(specifier)
      if (PACKAGES[from].includes(name)) return
      const owners = Object.keys(PACKAGES).filter((folder) => PACKAGES[folder].includes(name))
      const hint = owners.length > 0 ? `: it belongs in src/${owners.join(', src/')}` : ''
      context.report({ node, messageId: 'package', data: { from, name, hint } })
    })
  },
}

/** Maps a relative specifier to the file it loads: `./x.js` is `./x.ts` in the sources. */
function resolveFile(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier)
  const candidates = specifier.endsWith('.js') ? [target.slice(0, -3) + '.ts', target] : [target, target + '.ts']
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile())
}

/** The relative imports of a file on disk, read with TypeScript's own pre-processor. */
const importsOnDisk = new Map()
function importsOf(file) {
  let found = importsOnDisk.get(file)
  if (found === undefined) {
    const text = fs.readFileSync(file, 'utf8')
    const { importedFiles } = ts.preProcessFile(text, true, true)
    found = importedFiles
      .map((entry) => entry.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveFile(file, specifier))
      .filter((target) => target !== undefined)
    importsOnDisk.set(file, found)
  }
  return found
}

/** A path of imports from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const seen = new Set()
  const walk = (file, trail) => {
    if (file === goal) return trail
    if (seen.has(file)) return undefined
    seen.add(file)
    for (const next of importsOf(file)) {
      const found = walk(next, [...trail, next])
      if (found) return found
    }
    return undefined
  }
  return walk(start, [start])
}

const noCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycle between files, type imports included' },
    schema: [],
    messages: { cycle: 'import cycle: {{cycle}}' },
  },
  create(context) {
    const root = context.cwd
    const file = context.filename
    if (folderOf(root, file) === undefined) return {}
    return specifierNodes(context, (node, specifier) => {
      if (!specifier.startsWith('.')) return
      const target = resolveFile(file, specifier)
      if (target === undefined || target === file) return
      const trail = pathBack(target, file)
      if (trail === undefined) return
      const cycle = [file, ...trail].map((step) => path.relative(root, step)).join(' → ')
      context.report({ node, messageId: 'cycle', data: { cycle } })
    })
  },
}

export default {
  meta: { name: 'dwf-architecture' },
  rules: { layers, 'no-cycles': noCycles },
}
