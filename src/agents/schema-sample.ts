import { WorkflowError } from '../core/errors.js'
import { MAX_JSON_DEPTH } from '../util/json-depth.js'
import { MAX_ANSWER_BYTES } from './limits.js'
import type { JsonSchema } from '../core/provider.js'

/**
 * Most values one sampled answer holds. A schema comes from the script: minItems and
 * minLength in the millions, nested, or a required member that refers to its own schema,
 * would otherwise make the mock build an answer that exhausts the runner's memory or stack.
 */
const MAX_SAMPLED_VALUES = 100_000

/**
 * A value that satisfies a JSON Schema, chosen deterministically from `seed` (hex), so the
 * mock agent gives schema-valid answers that differ from call to call but never between runs.
 * Covers what workflow schemas use: types, properties/required, items, enum/const, bounds,
 * formats, anyOf/oneOf/allOf and local $refs. `pattern` is not solved.
 */
export function sampleFromSchema(schema: JsonSchema, seed: string): unknown {
  return new Sampler(schema, seed).sample(schema, 'value', 0)
}

class Sampler {
  #counter = 0
  #values = 0
  constructor(
    readonly root: JsonSchema,
    readonly seed: string,
  ) {}

  /** A small deterministic number for this position in the walk. */
  #pick(modulo: number): number {
    const at = (this.#counter++ * 2) % (this.seed.length - 2)
    return parseInt(this.seed.slice(at, at + 2), 16) % modulo
  }

  sample(schema: unknown, name: string, depth: number): unknown {
    if (depth > MAX_JSON_DEPTH) throw unsampleable(`it requires values nested more than ${MAX_JSON_DEPTH} levels deep (a required member that refers back to its own schema?)`)
    if (++this.#values > MAX_SAMPLED_VALUES) throw unsampleable(`it requires more than ${MAX_SAMPLED_VALUES.toLocaleString('en-US')} values (minItems?)`)
    if (schema === true || schema === undefined) return `mock ${name}`
    if (!isObject(schema)) return null
    if (typeof schema.$ref === 'string') return this.sample(this.resolve(schema.$ref), name, depth + 1)
    if ('const' in schema) return schema.const
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[this.#pick(schema.enum.length)]
    const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      const chosen = alternatives.find((a) => !(isObject(a) && a.type === 'null')) ?? alternatives[0]
      return this.sample(chosen, name, depth + 1)
    }
    if (Array.isArray(schema.allOf)) return this.sample(mergeAll(schema, (ref) => this.resolve(ref)), name, depth + 1)
    switch (typeOf(schema)) {
      case 'object':
        return this.object(schema, depth)
      case 'array':
        return this.array(schema, name, depth)
      case 'string':
        return this.string(schema, name)
      case 'integer':
        return this.number(schema, true)
      case 'number':
        return this.number(schema, false)
      case 'boolean':
        return this.#pick(2) === 1
      case 'null':
        return null
      default:
        return `mock ${name}`
    }
  }

  object(schema: JsonSchema, depth: number): Record<string, unknown> {
    const properties = isObject(schema.properties) ? schema.properties : {}
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
    const out: Record<string, unknown> = {}
    // Deep optional branches are left out so recursive schemas terminate.
    const names = depth > 4 ? required : [...new Set([...Object.keys(properties), ...required])]
    // defineProperty, not assignment: a property named "__proto__" must be a member, not a prototype.
    for (const key of names) Object.defineProperty(out, key, { value: this.sample(properties[key], key, depth + 1), enumerable: true, writable: true, configurable: true })
    return out
  }

  array(schema: JsonSchema, name: string, depth: number): unknown[] {
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity
    const count = Math.max(min, Math.min(max, depth > 4 ? 0 : 2))
    if (count > MAX_SAMPLED_VALUES) throw unsampleable(`it requires an array of ${count.toLocaleString('en-US')} items (minItems)`)
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : []
    const items = Array.from({ length: count }, (_, i) => this.sample(prefix[i] ?? schema.items, singular(name), depth + 1))
    return schema.uniqueItems === true ? this.distinct(items, isObject(schema.items) ? schema.items : {}) : items
  }

  /**
   * Makes array items distinct (uniqueItems): other enum values, numbered strings, stepped
   * numbers. Items that cannot be made distinct (a one-value enum, a const) are left out.
   */
  distinct(items: unknown[], itemSchema: JsonSchema): unknown[] {
    const options = Array.isArray(itemSchema.enum) ? itemSchema.enum : 'const' in itemSchema ? [itemSchema.const] : undefined
    const seen = new Set<string>()
    const made = items.map((item, i) => {
      let value = item
      for (let attempt = 0; seen.has(JSON.stringify(value)) && attempt < 1000; attempt++) {
        if (options) value = options[(options.indexOf(item) + attempt + 1) % options.length]
        else if (typeof item === 'string') value = `${item} ${i + attempt}`
        else if (typeof item === 'number') value = item + (i + attempt) * (typeof itemSchema.multipleOf === 'number' ? itemSchema.multipleOf : 1)
        else if (typeof item === 'boolean') value = !item
        else break
      }
      const fresh = !seen.has(JSON.stringify(value))
      seen.add(JSON.stringify(value))
      return fresh ? [value] : []
    })
    return made.flat(1)
  }

  string(schema: JsonSchema, name: string): string {
    const byFormat: Record<string, string> = {
      'date-time': '2026-01-01T00:00:00Z',
      date: '2026-01-01',
      time: '00:00:00Z',
      email: 'mock@example.com',
      uri: 'https://example.com/mock',
      url: 'https://example.com/mock',
      uuid: `${this.seed.slice(0, 8)}-${this.seed.slice(8, 12)}-4${this.seed.slice(13, 16)}-8${this.seed.slice(17, 20)}-${this.seed.slice(20, 32)}`,
    }
    const at = this.#pick(56)
    let text = (typeof schema.format === 'string' && byFormat[schema.format]) || `mock ${name} ${this.seed.slice(at, at + 6)}`
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
    if (min > MAX_ANSWER_BYTES) throw unsampleable(`it requires a string of ${min.toLocaleString('en-US')} characters (minLength), longer than one answer may be`)
    if (text.length < min) text = text.padEnd(min, '.')
    return text.slice(0, max)
  }

  number(schema: JsonSchema, integer: boolean): number {
    let low = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : 0
    const high = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : low + 10
    if (integer) low = Math.ceil(low)
    let value = low + this.#pick(Math.max(1, Math.floor(high - low) + 1))
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) value = Math.ceil(low / schema.multipleOf) * schema.multipleOf
    return Math.min(value, high)
  }

  resolve(ref: string): unknown {
    if (!ref.startsWith('#')) return undefined
    return ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((node, part) => (isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.root)
  }
}

function unsampleable(why: string): WorkflowError {
  return new WorkflowError('PROVIDER', `the mock agent cannot answer this schema: ${why}`)
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? schema.type[0] : schema.type
  if (typeof type === 'string') return type
  if (isObject(schema.properties) || Array.isArray(schema.required)) return 'object'
  if (schema.items !== undefined) return 'array'
  return undefined
}

function mergeAll(schema: JsonSchema, resolve: (ref: string) => unknown): JsonSchema {
  const merged: JsonSchema = { ...schema, allOf: undefined }
  for (const raw of schema.allOf as unknown[]) {
    const part = isObject(raw) && typeof raw.$ref === 'string' ? { ...(resolve(raw.$ref) as JsonSchema), ...raw, $ref: undefined } : raw
    if (!isObject(part)) continue
    Object.assign(merged, part, {
      properties: { ...(isObject(merged.properties) ? merged.properties : {}), ...(isObject(part.properties) ? part.properties : {}) },
      required: [...(Array.isArray(merged.required) ? merged.required : []), ...(Array.isArray(part.required) ? part.required : [])],
    })
  }
  delete merged.allOf
  delete merged.$ref
  return merged
}

function singular(name: string): string {
  return name.endsWith('s') && name.length > 1 ? name.slice(0, -1) : name
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
