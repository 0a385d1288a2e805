import { parse, type Node, type Program } from 'acorn'
import { full } from 'acorn-walk'
import { WorkflowError } from '../engine/errors.js'
import type { WorkflowMeta } from '../engine/ports.js'
import { checkMeta, evaluateMetaLiteral, invalid } from './meta.js'

/** A parsed, checked workflow script, ready for the sandbox. */
export interface LoadedScript {
  /** The name errors and stack frames use (the path as the user gave it). */
  file: string
  source: string
  meta: WorkflowMeta
  /** The source rewritten to run in the sandbox; every line keeps its number. */
  code: string
}

/** The function the rewritten body is handed to (defined by the sandbox prelude). */
export const MAIN_HOOK = '__dwf_main'

const SANDBOX_HINT = 'workflow scripts run in a sandbox: use `args` for inputs, readFile()/glob() to read the workspace, and agent() for the rest'
const DETERMINISM_HINT = 'a replayed run must make the same calls; pass the value in through `args`, or compute it inside an agent'

/**
 * Parses a workflow script (acorn), reads its literal `meta`, rejects what cannot work in
 * the sandbox, and rewrites it by position: the `export` before `meta` becomes spaces and
 * the body is wrapped in an async function opened on the same line, so top-level `await`
 * and `return` work and every line and column stays the user's.
 */
export function loadScript(source: string, file: string): LoadedScript {
  let program: Program
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, allowHashBang: true, locations: true })
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '')
    throw new WorkflowError('INVALID_SCRIPT', `syntax error: ${message}`, { line: loc?.line, column: loc ? loc.column + 1 : undefined })
  }
  const first = program.body[0]
  const declarator = metaDeclarator(first)
  if (!first || !declarator)
    throw invalid(first ?? { type: 'Program', loc: { start: { line: 1, column: 0 } } }, "the script must start with `export const meta = { name: 'my-workflow', description: '...' }`")
  const meta = checkMeta(evaluateMetaLiteral(declarator.init!), declarator.init!)
  checkBody(program, first)
  return { file, source, meta, code: rewrite(source, first as Node & { declaration: Node }) }
}

/** The `meta` declarator when `node` is `export const meta = {...}`. */
function metaDeclarator(node: Node | undefined): { init: Node | null } | undefined {
  const n = node as (Node & Record<string, any>) | undefined
  if (n?.type !== 'ExportNamedDeclaration' || n.declaration?.type !== 'VariableDeclaration' || n.declaration.kind !== 'const') return undefined
  const declarations = n.declaration.declarations as Array<{ id: { type: string; name?: string }; init: Node | null }>
  if (declarations.length !== 1 || declarations[0]!.id.name !== 'meta' || declarations[0]!.init?.type !== 'ObjectExpression') return undefined
  return declarations[0]
}

/** Rejects, before anything runs, what the sandbox could never allow. */
function checkBody(program: Program, metaNode: Node): void {
  for (const statement of program.body) {
    if (statement === metaNode) continue
    if (statement.type === 'ImportDeclaration') throw invalid(statement, `import is not available: ${SANDBOX_HINT}`)
    if (statement.type.startsWith('Export')) throw invalid(statement, 'only `export const meta` may be exported from a workflow script; return the result instead')
  }
  full(program, (node) => {
    const n = node as Node & Record<string, any>
    if (n.type === 'ImportExpression' || (n.type === 'MetaProperty' && n.meta?.name === 'import')) throw invalid(n, `import is not available: ${SANDBOX_HINT}`)
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require') throw invalid(n, `require() is not available: ${SANDBOX_HINT}`)
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Date' && n.arguments.length === 0)
      throw invalid(n, `new Date() is not available: ${DETERMINISM_HINT}`)
    if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier') {
      const name = `${n.object.name}.${n.property.name}`
      if (name === 'Date.now' || name === 'Math.random') throw invalid(n, `${name}() is not available: ${DETERMINISM_HINT}`)
    }
  })
}

function rewrite(source: string, metaExport: Node & { declaration: Node }): string {
  const head = source.slice(0, metaExport.start).replace(/^#!/, '//')
  const exportKeyword = ' '.repeat(metaExport.declaration.start - metaExport.start)
  const metaDeclaration = source.slice(metaExport.declaration.start, metaExport.end)
  const body = source.slice(metaExport.end)
  return `${head}${exportKeyword}${metaDeclaration};${MAIN_HOOK}(async () => {'use strict';${body}\n})`
}
