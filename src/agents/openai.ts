import OpenAI from 'openai'
import { AnswerMeter } from './limits.js'
import { sdkProvider } from './sdk-provider.js'
import type { AgentProvider } from '../core/provider.js'
import { estimateTokens } from '../core/usage.js'

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
  return sdkProvider('openai', options.defaultModel ?? 'gpt-5-mini', [options.apiKey, ...(options.secrets ?? [])], async ({ request, prompt, structured, signal }) => {
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        // Shared context first: OpenAI caches a request's prefix by itself.
        messages: [...(request.system ? [{ role: 'system' as const, content: request.system }] : []), { role: 'user', content: request.context ? `${request.context}\n\n${prompt}` : prompt }],
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
        inputTokens: (usage?.prompt_tokens ?? estimateTokens(prompt)) - cached,
        outputTokens: usage?.completion_tokens ?? estimateTokens(text),
        cacheReadTokens: cached,
      },
      model,
    }
  })
}

/** The structured value when the text is JSON; otherwise undefined, and the engine extracts and repairs. */
function parseJson(text: string, unwrap: (value: unknown) => unknown): unknown {
  try {
    return unwrap(JSON.parse(text))
  } catch {
    return undefined
  }
}
