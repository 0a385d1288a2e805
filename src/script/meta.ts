import type { Node } from 'acorn'
import { WorkflowError } from '../core/errors.js'
import { MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_PHASE_TITLE_CHARS, MAX_PHASES, tooLong } from '../core/limits.js'
import type { PhaseMeta, WorkflowMeta } from '../core/ports.js'
import { isRecord } from '../util/objects.js'

/** Positions acorn gives with `locations: true`. */
interface Located {
  type: string
  loc?: { start: { line: number; column: number } } | null
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/
const META_KEYS = ['name', 'description', 'model', 'phases']
const PHASE_KEYS = ['title', 'detail', 'model']
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Evaluates the `meta` object literal without running anything. Only literals are allowed
 * (strings, numbers, booleans, null, arrays, plain objects): a script's identity must be
 * readable by `validate` and by the Action before any code runs.
 */
export function evaluateMetaLiteral(node: Node): unknown {
  return literal(node as unknown as AnyNode, 'meta')
}

type AnyNode = Located & Record<string, unknown>

function literal(node: AnyNode, path: string): unknown {
  switch (node.type) {
    case 'Literal':
      if (node.regex !== undefined || node.bigint !== undefined) break
      return node.value
    case 'TemplateLiteral': {
      const quasis = node.quasis as Array<{ value: { cooked: string } }>
      if ((node.expressions as unknown[]).length === 0) return quasis[0]!.value.cooked
      break
    }
    case 'UnaryExpression': {
      const argument = node.argument as AnyNode
      if (node.operator === '-' && argument.type === 'Literal' && typeof argument.value === 'number') return -argument.value
      break
    }
    case 'ArrayExpression':
      return (node.elements as Array<AnyNode | null>).map((element, i) => {
        if (!element) throw invalid(node, `${path}[${i}] is an empty slot`)
        if (element.type === 'SpreadElement') throw invalid(element, `${path}[${i}] uses a spread; meta must be a literal`)
        return literal(element, `${path}[${i}]`)
      })
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {}
      for (const property of node.properties as AnyNode[]) {
        if (property.type !== 'Property' || property.computed || property.method || property.kind !== 'init' || property.shorthand)
          throw invalid(property, `${path} may only contain plain 'key: value' members (no spreads, computed keys, methods or shorthand)`)
        const key = property.key as AnyNode
        const name = key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : undefined
        if (name === undefined || FORBIDDEN_KEYS.has(name)) throw invalid(key, `${path} has a key that is not allowed`)
        out[name] = literal(property.value as AnyNode, `${path}.${name}`)
      }
      return out
    }
  }
  throw invalid(node, `${path} must be a literal value (a string, number, boolean, null, array or object), not ${describeNode(node)}`)
}

/** Checks the evaluated literal against the meta contract of DESIGN.md. */
export function checkMeta(value: unknown, node: Node): WorkflowMeta {
  const at = node as unknown as AnyNode
  const fail = (message: string) => invalid(at, message)
  if (!isRecord(value)) throw fail('meta must be an object literal')
  const unknown = Object.keys(value).filter((k) => !META_KEYS.includes(k))
  if (unknown.length) throw fail(`meta has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${META_KEYS.join(', ')}`)
  if (value.name === undefined) throw fail("meta.name is required, e.g. name: 'pr-review'")
  if (typeof value.name !== 'string' || !NAME.test(value.name))
    throw fail(`meta.name must be 1-64 characters of a-z, 0-9, '-' and '_' (it names the journal and the cache keys), got ${JSON.stringify(value.name)}`)
  optionalString(value.description, 'meta.description', MAX_DESCRIPTION_CHARS, fail)
  optionalString(value.model, 'meta.model', MAX_NAME_CHARS, fail)
  const meta: WorkflowMeta = { name: value.name }
  if (value.description !== undefined) meta.description = value.description as string
  if (value.model !== undefined) meta.model = value.model as string
  if (value.phases !== undefined) meta.phases = checkPhases(value.phases, fail)
  return meta
}

function checkPhases(value: unknown, fail: (message: string) => WorkflowError): PhaseMeta[] {
  if (!Array.isArray(value)) throw fail("meta.phases must be an array like [{ title: 'Review' }]")
  if (value.length > MAX_PHASES) throw fail(`meta.phases has ${value.length} phases; a run may have at most ${MAX_PHASES}`)
  const titles = new Set<string>()
  return value.map((phase, i) => {
    const where = `meta.phases[${i}]`
    if (!isRecord(phase)) throw fail(`${where} must be an object like { title: 'Review' }`)
    const unknown = Object.keys(phase).filter((k) => !PHASE_KEYS.includes(k))
    if (unknown.length) throw fail(`${where} has unknown key '${unknown[0]}'; allowed: ${PHASE_KEYS.join(', ')}`)
    if (typeof phase.title !== 'string' || phase.title.trim() === '') throw fail(`${where}.title must be a non-empty string`)
    if (phase.title.length > MAX_PHASE_TITLE_CHARS) throw fail(`${where}.title ${tooLong(phase.title.length, MAX_PHASE_TITLE_CHARS)}; shorten it`)
    if (titles.has(phase.title)) throw fail(`${where}.title '${phase.title}' is used twice`)
    titles.add(phase.title)
    optionalString(phase.detail, `${where}.detail`, MAX_DESCRIPTION_CHARS, fail)
    optionalString(phase.model, `${where}.model`, MAX_NAME_CHARS, fail)
    return phase as unknown as PhaseMeta
  })
}

/** Absent, or a non-empty string of at most `max` characters (every view shows it, and every run's files hold it). */
function optionalString(value: unknown, name: string, max: number, fail: (message: string) => WorkflowError): void {
  if (value === undefined) return
  if (typeof value !== 'string' || value === '') throw fail(`${name} must be a non-empty string`)
  if (value.length > max) throw fail(`${name} ${tooLong(value.length, max)}; shorten it`)
}

/** An INVALID_SCRIPT error at the node's position. */
export function invalid(node: Located, message: string): WorkflowError {
  const start = node.loc?.start
  return new WorkflowError('INVALID_SCRIPT', message, { line: start?.line, column: start ? start.column + 1 : undefined })
}

function describeNode(node: AnyNode): string {
  const names: Record<string, string> = {
    Identifier: `a variable (${String(node.name)})`,
    CallExpression: 'a function call',
    TemplateLiteral: 'a template with ${...}',
    BinaryExpression: 'an expression',
    MemberExpression: 'a property access',
    ArrowFunctionExpression: 'a function',
    FunctionExpression: 'a function',
    ConditionalExpression: 'an expression',
    Literal: 'a regular expression or BigInt',
  }
  return names[node.type] ?? `a ${node.type}`
}
