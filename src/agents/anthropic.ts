import Anthropic from '@anthropic-ai/sdk'
import { asObjectSchema } from './object-schema.js'
import { repairNote } from './repair.js'
import { fromSdkError } from './sdk-errors.js'
import type { AgentProvider, AgentRequest, AgentResponse } from './types.js'

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
  const secrets = [options.apiKey, ...(options.secrets ?? [])]
  return {
    name: 'anthropic',
    defaultModel: options.defaultModel ?? 'claude-sonnet-4-6',
    async run(request: AgentRequest, signal: AbortSignal): Promise<AgentResponse> {
      const structured = request.schema ? asObjectSchema(request.schema) : undefined
      const prompt = request.repair ? request.prompt + repairNote(request.repair) : request.prompt
      try {
        const stream = client.messages.stream(
          {
            model: request.model,
            max_tokens: options.maxTokens ?? 16_000,
            ...(request.system ? { system: request.system } : {}),
            messages: [{ role: 'user', content: prompt }],
            ...(structured
              ? { tools: [{ name: TOOL, description: 'Give your answer as the input of this tool.', input_schema: structured.schema as Anthropic.Tool.InputSchema }], tool_choice: { type: 'tool', name: TOOL } }
              : {}),
          },
          { signal },
        )
        for await (const _event of stream) request.onActivity?.()
        const message = await stream.finalMessage()
        const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
        const tool = message.content.find((block) => block.type === 'tool_use')
        const usage = message.usage
        return {
          text: tool ? JSON.stringify(tool.input) : text,
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
      } catch (error) {
        throw fromSdkError(error, signal, secrets)
      }
    },
  }
}
