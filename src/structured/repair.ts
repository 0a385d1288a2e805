import type { AgentRequest } from '../core/provider.js'

/**
 * The prompt of a call, as providers without a native structured mode send it: the schema
 * and, on a repair re-ask, the rejected answer and what was wrong with it.
 */
export function promptWithSchema(request: AgentRequest): string {
  if (!request.schema) return request.prompt
  let prompt = `${request.prompt}\n\nAnswer with one JSON value only (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(request.schema)}`
  if (request.repair) prompt += repairNote(request.repair)
  return prompt
}

/** The part of a repair re-ask that explains the problem. */
export function repairNote(repair: NonNullable<AgentRequest['repair']>): string {
  return `\n\nYour previous answer did not match the schema:\n${repair.errors.map((e) => `- ${e}`).join('\n')}\nPrevious answer:\n${repair.output.slice(0, 4000)}\nAnswer again with corrected JSON only.`
}
