import { parse, type AnyNode, type Node, type Program, type Token } from 'acorn'
import { ancestor, full } from 'acorn-walk'
import { WorkflowError } from '../core/errors.js'
import type { WorkflowMeta } from '../core/ports.js'
import { checkMeta, evaluateMetaLiteral, invalid } from './meta.js'
import { rewrittenColumn, type Insertion, type ScriptPositions } from './positions.js'

/** A parsed, checked workflow script, ready for the sandbox. */
export interface LoadedScript {
  /** The name errors and stack frames use (the path as the user gave it). */
  file: string
  source: string
  meta: WorkflowMeta
  /** The source rewritten to run in the sandbox; every line keeps its number. */
  code: string
  /** What the rewrite inserted, to map reported columns back. */
  positions: ScriptPositions
}

/** The function the rewritten body is handed to (defined by the sandbox prelude). */
export const MAIN_HOOK = '__dwf_main'
/** Wraps each `throw` argument: it notes the line, so a thrown string still has a place. */
export const THROW_HOOK = '__dwf_throw'

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
  const tokens: Token[] = []
  try {
    program = parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
      locations: true,
      onToken: tokens,
    })
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
  checkOneGrammar(source, tokens)
  checkBody(program, first)
  return { file, source, meta, ...rewrite(source, program, first as Node & { declaration: Node }) }
}

/** The `meta` declarator when `node` is `export const meta = {...}`. */
function metaDeclarator(node: Node | undefined): { init: Node | null } | undefined {
  const n = node as AnyNode | undefined
  if (n?.type !== 'ExportNamedDeclaration' || n.declaration?.type !== 'VariableDeclaration' || n.declaration.kind !== 'const') return undefined
  const declarations = n.declaration.declarations
  const only = declarations[0]
  if (declarations.length !== 1 || only!.id.type !== 'Identifier' || only!.id.name !== 'meta' || only!.init?.type !== 'ObjectExpression') return undefined
  return only as { init: Node | null }
}

/** Rejects, before anything runs, what the sandbox could never allow. */
function checkBody(program: Program, metaNode: Node): void {
  for (const statement of program.body) {
    if (statement === metaNode) continue
    if (statement.type === 'ImportDeclaration') throw invalid(statement, `import is not available: ${SANDBOX_HINT}`)
    if (statement.type.startsWith('Export')) throw invalid(statement, 'only `export const meta` may be exported from a workflow script; return the result instead')
  }
  full(program, (node) => {
    const n = node as AnyNode
    if (n.type === 'ImportExpression' || (n.type === 'MetaProperty' && n.meta.name === 'import')) throw invalid(n, `import is not available: ${SANDBOX_HINT}`)
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require') throw invalid(n, `require() is not available: ${SANDBOX_HINT}`)
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Date' && n.arguments.length === 0)
      throw invalid(n, `new Date() is not available: ${DETERMINISM_HINT}`)
    if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier') {
      const name = `${n.object.name}.${n.property.type === 'Identifier' ? n.property.name : ''}`
      if (name === 'Date.now' || name === 'Math.random') throw invalid(n, `${name}() is not available: ${DETERMINISM_HINT}`)
    }
  })
}

/**
 * The checker reads the script as a module; QuickJS runs the rewritten code as a classic
 * script. The two grammars differ only in Annex B's HTML-like comments, which scripts have
 * and modules do not: `a <!--b` is `a < !(--b)` in a module and `a` then a comment in a
 * script. Such code is refused, so both always read the same program. (A `-->` opening a
 * line, the other HTML-like comment, is never valid module code: the parser refuses it.)
 */
function checkOneGrammar(source: string, tokens: Token[]): void {
  for (const token of tokens)
    if (token.type.label === '</>/<=/>=' && source.startsWith('<!--', token.start))
      throw invalid({ type: 'Token', loc: token.loc }, "'<!--' reads as a comment in some JavaScript parsers and as '< !--' in others; add spaces: 'a < !--b'")
}

type Located = Node & { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }

/** Inserts text at offsets of the source; `at` is the 1-based line and column there. */
interface Edit {
  offset: number
  text: string
  at: { line: number; column: number }
}

function rewrite(source: string, program: Program, metaExport: Node & { declaration: Node }): { code: string; positions: ScriptPositions } {
  const meta = metaExport as Located
  const wrapper: Edit = { offset: meta.end, text: `;${MAIN_HOOK}(async () => {'use strict';`, at: { line: meta.loc.end.line, column: meta.loc.end.column + 1 } }
  const edits: Edit[] = [wrapper]
  full(program, (node) => {
    if (node.type !== 'ThrowStatement') return
    const argument = (node as Node & { argument: Located }).argument
    edits.push({ offset: argument.start, text: `${THROW_HOOK}(`, at: { line: argument.loc.start.line, column: argument.loc.start.column + 1 } })
    edits.push({ offset: argument.end, text: ')', at: { line: argument.loc.end.line, column: argument.loc.end.column + 1 } })
  })
  edits.sort((a, b) => a.offset - b.offset)
  let code = source.slice(0, metaExport.start).replace(/^#!/, '//') + ' '.repeat(metaExport.declaration.start - metaExport.start)
  let from = metaExport.declaration.start
  for (const edit of edits) {
    code += source.slice(from, edit.offset) + edit.text
    from = edit.offset
  }
  code += source.slice(from) + '\n})'
  const insertions: Insertion[] = edits.map((e) => ({ line: e.at.line, column: e.at.column, length: e.text.length }))
  return { code, positions: { insertions, wrapper: insertions[edits.indexOf(wrapper)]!, loops: loopsByFunction(program, insertions) } }
}

const LOOPS = ['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement'] as const
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'])

/** Each loop under the position QuickJS reports for its innermost function (or 'top'). */
function loopsByFunction(program: Program, insertions: Insertion[]): ScriptPositions['loops'] {
  const loops: ScriptPositions['loops'] = {}
  const visit = (node: Node, _state: unknown, ancestors: Node[]) => {
    const fn = [...ancestors].reverse().find((a) => a !== node && FUNCTIONS.has(a.type)) as Located | undefined
    const key = fn ? `${fn.loc.start.line}:${rewrittenColumn(insertions, fn.loc.start.line, fn.loc.start.column + 1)}` : 'top'
    const { line, column } = (node as Located).loc.start
    ;(loops[key] ??= []).push({ line, column: column + 1 })
  }
  ancestor(program, Object.fromEntries(LOOPS.map((type) => [type, visit])))
  return loops
}
