import type { JsonSchema } from '../core/provider.js'

/**
 * Native structured output (Anthropic tool input, OpenAI json_schema) wants an object at
 * the root. Other schemas are wrapped as `{ value: <schema> }` and unwrapped on the way back.
 */
export function asObjectSchema(schema: JsonSchema): { schema: JsonSchema; unwrap: (value: unknown) => unknown } {
  if (schema.type === 'object') return { schema, unwrap: (value) => value }
  return {
    schema: { type: 'object', properties: { value: schema }, required: ['value'] },
    unwrap: (value) => (value !== null && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value),
  }
}
