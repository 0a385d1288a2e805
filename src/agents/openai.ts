import OpenAI from 'openai'
import { AnswerMeter } from './limits.js'
import { asObjectSchema } from '../structured/object-schema.js'
import { repairNote } from '../structured/repair.js'
import { fromSdkError } from './sdk-errors.js'
import type { AgentProvider, AgentRequest, AgentResponse } from '../core/provider.js'

export interface OpenAIOptions {
  apiKey: string
  /** Any OpenAI-compatible endpoint (vLLM, Ollama, a gateway); the SDK's default otherwise. */
  baseURL?: string
  defaultModel?: string
  secrets?: readonly string[]
}

/**
 * OpenAI Chat Completions through the official SDK: the API every OpenAI-compatible server
 * speaks. Answers stream (with usage in the last chunk); structured output asks for a
 * json_schema response format, and the engine validates and repairs whatever comes back.
 */
export function createOpenAIProvider(options: OpenAIOptions): AgentProvider {
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 24 * 3600_000 })
  const secrets = [options.apiKey, ...(options.secrets ?? [])]
  return {
    name: 'openai',
    defaultModel: options.defaultModel ?? 'gpt-5-mini',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const structured = request.schema ? asObjectSchema(request.schema) : undefined
      const prompt = request.repair ? request.prompt + repairNote(request.repair) : request.prompt
      try {
        const stream = await client.chat.completions.create(
          {
            model: request.model,
            messages: [...(request.system ? [{ role: 'system' as const, content: request.system }] : []), { role: 'user', content: prompt }],
            stream: true,
            stream_options: { include_usage: true },
            ...(structured ? { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: structured.schema, strict: false } } } : {}),
          },
          { signal },
        )
        let text = ''
        let model = request.model
        let usage: OpenAI.CompletionUsage | undefined
        const meter = new AnswerMeter('the openai agent')
        for await (const chunk of stream) {
          request.onActivity?.()
          const piece = chunk.choices[0]?.delta?.content ?? ''
          meter.add(piece)
          text += piece
          if (chunk.model) model = chunk.model
          if (chunk.usage) usage = chunk.usage
        }
        const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0
        return {
          text,
          json: structured ? parseJson(text, structured.unwrap) : undefined,
          usage: {
            inputTokens: (usage?.prompt_tokens ?? estimate(prompt)) - cached,
            outputTokens: usage?.completion_tokens ?? estimate(text),
            cacheReadTokens: cached,
          },
          model,
        }
      } catch (error) {
        throw fromSdkError(error, signal, secrets)
      }
    },
  }
}

/** The structured value when the text is JSON; otherwise undefined, and the engine extracts and repairs. */
function parseJson(text: string, unwrap: (value: unknown) => unknown): unknown {
  try {
    return unwrap(JSON.parse(text))
  } catch {
    return undefined
  }
}

/** Some OpenAI-compatible servers send no usage: count roughly rather than report zero. */
function estimate(text: string): number {
  return Math.ceil(text.length / 4)
}
