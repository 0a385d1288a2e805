import { createHash } from 'node:crypto'

/**
 * JSON with object keys sorted at every depth, so equal values always give equal text.
 * `undefined` members are dropped (as JSON.stringify does); non-JSON values are rejected
 * because they would make two different calls look alike.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, which JSON cannot hold`)
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v, i) => (v === undefined ? 'null' : write(v, `${path}[${i}]`))).join(',') + ']'
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + write(record[k], `${path}.${k}`)).join(',') + '}'
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`)
  }
}

/** Hex sha256 of a string. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}
