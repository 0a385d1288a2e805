import type { AgentProvider, AgentRequest, AgentResponse } from '../core/provider.js'
import { asObjectSchema } from '../structured/object-schema.js'
import { repairNote } from '../structured/repair.js'
import { fromSdkError } from './sdk-errors.js'

/** What an SDK provider is asked: the prompt with any repair note, and the schema as an object. */
export interface SdkAsk {
  request: AgentRequest
  prompt: string
  structured?: ReturnType<typeof asObjectSchema>
  signal: AbortSignal
}

/**
 * The part the SDK providers (anthropic, openai) share around their own API call: the
 * prompt with the repair note of a re-ask, a schema made an object for native structured
 * output, and the SDK's errors typed (and redacted of `secrets`).
 */
export function sdkProvider(name: string, defaultModel: string, secrets: readonly string[], ask: (asked: SdkAsk) => Promise<AgentResponse>): AgentProvider {
  return {
    name,
    defaultModel,
    // Both send `context` apart, first: Anthropic marks it for its cache, OpenAI caches prefixes.
    cachesContext: true,
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const structured = request.schema ? asObjectSchema(request.schema) : undefined
      const prompt = request.repair ? request.prompt + repairNote(request.repair) : request.prompt
      try {
        return await ask({ request, prompt, structured, signal })
      } catch (error) {
        throw fromSdkError(error, signal, secrets)
      }
    },
  }
}
