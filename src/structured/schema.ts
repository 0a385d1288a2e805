import { Ajv, type ValidateFunction } from 'ajv'
import { canonicalJson } from '../util/canonical-json.js'
import type { JsonSchema } from '../core/provider.js'

const ajv = new Ajv({ allErrors: true, strict: false })
const compiled = new Map<string, ValidateFunction>()

/** Compiles (once per distinct schema) or throws with ajv's reason when the schema itself is invalid. */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const id = canonicalJson(schema)
  let validate = compiled.get(id)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(id, validate)
  }
  return validate
}

/** Validation errors as short sentences ("/issues/0 must be object"); empty when valid. */
export function schemaErrors(schema: JsonSchema, value: unknown): string[] {
  const validate = compileSchema(schema)
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
}
