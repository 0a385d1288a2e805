import Anthropic from '@anthropic-ai/sdk'
import { tooDeep } from '../util/json-depth.js'
import { AnswerMeter } from './limits.js'
import { sdkProvider } from './sdk-provider.js'
import type { AgentProvider } from '../core/provider.js'

export interface AnthropicOptions {
  apiKey: string
  /** ANTHROPIC_BASE_URL or a proxy; the SDK's default otherwise. */
  baseURL?: string
  defaultModel?: string
  maxTokens?: number
  secrets?: readonly string[]
}

const TOOL = 'respond'

/**
 * The Anthropic Messages API through the official SDK. Answers stream, so a hung request is
 * told from a slow one (every event counts as activity); structured output is native: a
 * single forced tool whose input is the answer.
 */
export function createAnthropicProvider(options: AnthropicOptions): AgentProvider {
  const client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 24 * 3600_000 })
  return sdkProvider('anthropic', options.defaultModel ?? 'claude-sonnet-4-6', [options.apiKey, ...(options.secrets ?? [])], async ({ request, prompt, structured, signal }) => {
    const stream = client.messages.stream(
      {
        model: request.model,
        max_tokens: options.maxTokens ?? 16_000,
        ...(request.system ? { system: request.system } : {}),
        // Shared context first, marked as a cache breakpoint: the calls after the first read it from the cache.
        messages: [{ role: 'user', content: request.context ? [{ type: 'text', text: request.context, cache_control: { type: 'ephemeral' } }, { type: 'text', text: prompt }] : prompt }],
        ...(structured
          ? { tools: [{ name: TOOL, description: 'Give your answer as the input of this tool.', input_schema: structured.schema as Anthropic.Tool.InputSchema }], tool_choice: { type: 'tool', name: TOOL } }
          : {}),
      },
      { signal },
    )
    const meter = new AnswerMeter('the anthropic agent')
    for await (const event of stream) {
      request.onActivity?.()
      if (event.type === 'content_block_delta') meter.add(deltaText(event.delta))
    }
    const message = await stream.finalMessage()
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
    const tool = message.content.find((block) => block.type === 'tool_use')
    const usage = message.usage
    return {
      // JSON.stringify recurses: a too-deep input is left for the engine to refuse by name.
      text: tool ? (tooDeep(tool.input) ? '' : JSON.stringify(tool.input)) : text,
      json: tool && structured ? structured.unwrap(tool.input) : undefined,
      usage: {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
      },
      model: message.model || request.model,
      sessionId: message.id,
    }
  })
}

/** What a streamed delta adds to the answer. */
function deltaText(delta: Anthropic.RawContentBlockDeltaEvent['delta']): string | undefined {
  switch (delta.type) {
    case 'text_delta':
      return delta.text
    case 'input_json_delta':
      return delta.partial_json
    case 'thinking_delta':
      return delta.thinking
    default:
      return undefined
  }
}
