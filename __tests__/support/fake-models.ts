// A local fake of the model APIs for tests: Anthropic Messages, OpenAI Chat Completions and
// OpenAI Responses, with the real paths, field names and SSE event shapes the official SDKs
// and the Claude Code / Codex CLIs expect. It listens on 127.0.0.1 only and never touches
// the network. Replies are scripted per test (text, structured JSON, HTTP errors, malformed
// bodies, stalls); every request is recorded.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  api: 'anthropic' | 'openai-chat' | 'openai-responses' | 'other'
  method: string
  /** The request path including the query string, e.g. `/v1/messages?beta=true`. */
  path: string
  /** Lowercased header names. */
  headers: Record<string, string>
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: any
  stream: boolean
  /** The usage reported in the successful answer to this request, once it has been sent. */
  usage?: { input: number; output: number }
}

export type FakeReply =
  | { text: string; usage?: { input: number; output: number } }
  | { json: unknown; usage?: { input: number; output: number } }
  /** Anthropic only: a `tool_use` block calling the client's own tool `name` (e.g. Claude Code's Edit). */
  | { tool: { name: string; input: unknown }; usage?: { input: number; output: number } }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { malformed: true }
  | { stall: true }
  | { stallAfterFirstChunk: true }

/** A reply, or a function of the request it answers (for replies that depend on what the client sent). */
export type ScriptedReply = FakeReply | ((request: RecordedRequest) => FakeReply)

export interface FakeModels {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string
  /** Every request, in order (health probes too, api 'other'). */
  requests: RecordedRequest[]
  /** Sum of the usage the server reported in successful model answers (what a client should count). */
  usage: { input: number; output: number }
  /** Replies used in order by the next model requests (any API); after them the default reply. */
  script(...replies: ScriptedReply[]): void
  /** Decides the reply when no scripted one is left; default: { text: 'Fake answer to: ' + first 60 chars of the last user message }. */
  setDefault(reply: (request: RecordedRequest) => FakeReply): void
  /**
   * Forgets the requests, the usage and any scripted reply left unused: a reply a test scripted
   * but its run never asked for (a client that gave up before sending) must not answer the next test.
   */
  reset(): void
  close(): Promise<void>
}

/** Input tokens include the cached part; cacheRead/cacheWrite say how much of it was read from or written to the prompt cache. */
type Usage = { input: number; output: number; cacheRead?: number; cacheWrite?: number }
/** What a successful answer says: plain text, or a tool call whose input is `json`. */
type Answer = { text: string; tool?: { name: string; input: unknown } }

const JSON_HEADERS = { 'content-type': 'application/json' }
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }

/** The text of a message content: a string, or an array of text / tool blocks (images ignored). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  const parts: string[] = []
  for (const part of content) {
    if (typeof part === 'string') parts.push(part)
    else if (part && typeof part === 'object') {
      const p = part as Record<string, unknown>
      if (typeof p.text === 'string') parts.push(p.text)
      if (p.type === 'tool_result' || p.type === 'function_call_output') parts.push(contentText(p.content ?? p.output))
      if (p.type === 'tool_use') parts.push(JSON.stringify(p.input ?? {}))
      if (p.type === 'function_call' && typeof p.arguments === 'string') parts.push(p.arguments)
    }
  }
  return parts.join('\n')
}

/** All message and system text of a model request, for the input token estimate. */
function requestText(api: RecordedRequest['api'], body: any): string {
  if (!body || typeof body !== 'object') return ''
  const parts: string[] = []
  if (api === 'anthropic') {
    parts.push(contentText(body.system))
    for (const m of Array.isArray(body.messages) ? body.messages : []) parts.push(contentText(m?.content))
  } else if (api === 'openai-chat') {
    for (const m of Array.isArray(body.messages) ? body.messages : []) {
      parts.push(contentText(m?.content))
      for (const call of Array.isArray(m?.tool_calls) ? m.tool_calls : []) parts.push(String(call?.function?.arguments ?? ''))
    }
  } else if (api === 'openai-responses') {
    if (typeof body.instructions === 'string') parts.push(body.instructions)
    if (typeof body.input === 'string') parts.push(body.input)
    else for (const item of Array.isArray(body.input) ? body.input : []) parts.push(contentText(item?.content ?? [item]))
  }
  return parts.filter((p) => p !== '').join('')
}

/** The text of the last user message of a model request. */
function lastUserText(request: RecordedRequest): string {
  const body = request.body
  if (!body || typeof body !== 'object') return ''
  if (request.api === 'openai-responses') {
    if (typeof body.input === 'string') return body.input
    const items = Array.isArray(body.input) ? body.input : []
    const last = [...items].reverse().find((i: any) => i?.role === 'user')
    return last ? contentText(last.content) : ''
  }
  const messages = Array.isArray(body.messages) ? body.messages : []
  const last = [...messages].reverse().find((m: any) => m?.role === 'user')
  return last ? contentText(last.content) : ''
}

const estimate = (chars: number) => Math.ceil(chars / 4)

/** Splits text into up to three pieces (by code point), as a stream would deliver it. */
function pieces(text: string): string[] {
  const chars = Array.from(text)
  if (chars.length === 0) return []
  const size = Math.ceil(chars.length / Math.min(3, chars.length))
  const out: string[] = []
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''))
  return out
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  }
  return types[status] ?? 'api_error'
}

function anthropicErrorMessage(status: number): string {
  const messages: Record<number, string> = {
    400: 'Invalid request.',
    401: 'invalid x-api-key',
    403: 'Your API key does not have permission to use the specified resource.',
    404: 'The requested resource could not be found.',
    429: 'Number of request tokens has exceeded your per-minute rate limit.',
    529: 'Overloaded',
  }
  return messages[status] ?? 'Internal server error'
}

function openaiError(status: number): { message: string; type: string; param: null; code: string | null } {
  if (status === 401)
    return { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
  if (status === 403) return { message: 'You are not allowed to sample from this model.', type: 'invalid_request_error', param: null, code: null }
  if (status === 404) return { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' }
  if (status === 429) return { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', param: null, code: 'rate_limit_exceeded' }
  if (status >= 400 && status < 500) return { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null }
  return { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
}

export async function startFakeModels(): Promise<FakeModels> {
  const requests: RecordedRequest[] = []
  const usage: Usage = { input: 0, output: 0 }
  const queue: ScriptedReply[] = []
  let fallback = (request: RecordedRequest): FakeReply => ({ text: 'Fake answer to: ' + lastUserText(request).slice(0, 60) })
  const sockets = new Set<Socket>()
  let counter = 0
  let closed = false

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => res.destroy())
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_err, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const method = req.method ?? 'GET'
    const fullPath = req.url ?? '/'
    const route = fullPath.split('?')[0]
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
    let body: any = undefined
    let bodyIsJson = raw === ''
    if (raw !== '') {
      try {
        body = JSON.parse(raw)
        bodyIsJson = true
      } catch {
        body = raw
      }
    }
    const api: RecordedRequest['api'] =
      method === 'POST' && (route === '/v1/messages' || route === '/v1/messages/count_tokens')
        ? 'anthropic'
        : method === 'POST' && route === '/v1/chat/completions'
          ? 'openai-chat'
          : method === 'POST' && route === '/v1/responses'
            ? 'openai-responses'
            : 'other'
    const record: RecordedRequest = { api, method, path: fullPath, headers, body, stream: !!body && typeof body === 'object' && body.stream === true }
    requests.push(record)
    const n = ++counter

    if (api === 'other') {
      if ((method === 'HEAD' && route === '/') || ((method === 'GET' || method === 'HEAD') && route === '/api/hello')) {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(method === 'HEAD' ? undefined : 'OK')
        return
      }
      res.writeHead(404, JSON_HEADERS)
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `Not found: ${method} ${route}` } }))
      return
    }

    const requestId = (api === 'anthropic' ? 'req_fake_' : 'req_') + n
    const idHeader: Record<string, string> = api === 'anthropic' ? { 'request-id': requestId } : { 'x-request-id': requestId }
    if (!bodyIsJson || !body || typeof body !== 'object') {
      res.writeHead(400, { ...JSON_HEADERS, ...idHeader })
      res.end(
        JSON.stringify(
          api === 'anthropic'
            ? { type: 'error', error: { type: 'invalid_request_error', message: 'The request body is not valid JSON.' }, request_id: requestId }
            : { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', param: null, code: null } },
        ),
      )
      return
    }

    if (route === '/v1/messages/count_tokens') {
      res.writeHead(200, { ...JSON_HEADERS, ...idHeader })
      res.end(JSON.stringify({ input_tokens: estimate(requestText('anthropic', body).length) }))
      return
    }

    const next = queue.length > 0 ? queue.shift()! : fallback
    const reply = typeof next === 'function' ? next(record) : next

    if ('status' in reply) {
      const replyHeaders: Record<string, string> = {}
      for (const [k, v] of Object.entries(reply.headers ?? {})) replyHeaders[k.toLowerCase()] = v
      let text: string
      let type = 'application/json'
      if (reply.body === undefined)
        text = JSON.stringify(
          api === 'anthropic'
            ? { type: 'error', error: { type: anthropicErrorType(reply.status), message: anthropicErrorMessage(reply.status) }, request_id: requestId }
            : { error: openaiError(reply.status) },
        )
      else if (typeof reply.body === 'string') {
        text = reply.body
        type = 'text/plain'
      } else text = JSON.stringify(reply.body)
      res.writeHead(reply.status, { 'content-type': type, ...idHeader, ...replyHeaders })
      res.end(text)
      return
    }
    if ('stall' in reply) return // never answer; close() or the client's abort ends the connection
    if ('malformed' in reply) {
      if (record.stream) {
        res.writeHead(200, { ...SSE_HEADERS, ...idHeader })
        res.end(
          api === 'openai-chat'
            ? 'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x\n\n'
            : api === 'openai-responses'
              ? 'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_broken",\n\n'
              : 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_broken",\n\n',
        )
      } else {
        res.writeHead(200, { ...JSON_HEADERS, ...idHeader })
        res.end('{"id":"msg_broken","type":"message","content":[{"type":"text","text":"unterminated')
      }
      return
    }

    const stallAfterFirst = 'stallAfterFirstChunk' in reply
    let answer: Answer
    let replyUsage: Usage | undefined
    if ('json' in reply) {
      const text = JSON.stringify(reply.json) ?? 'null'
      let toolName: string | undefined
      if (api === 'anthropic' && Array.isArray(body.tools) && body.tools.length > 0) {
        const choice = body.tool_choice
        toolName = choice && choice.type === 'tool' && typeof choice.name === 'string' ? choice.name : String(body.tools[0]?.name ?? 'tool')
      }
      answer = toolName ? { text, tool: { name: toolName, input: reply.json } } : { text }
      replyUsage = reply.usage
    } else if ('tool' in reply) {
      answer = { text: JSON.stringify(reply.tool.input) ?? '{}', tool: reply.tool }
      replyUsage = reply.usage
    } else if ('text' in reply) {
      answer = { text: reply.text }
      replyUsage = reply.usage
    } else answer = { text: 'partial answer that never finishes' }
    const used: Usage = replyUsage ?? { input: estimate(requestText(api, body).length), output: estimate(answer.text.length), ...cacheAccount(api, body) }
    const count = () => {
      usage.input += used.input
      usage.output += used.output
      record.usage = { ...used }
    }
    const model = typeof body.model === 'string' ? body.model : 'fake-model'
    const send = { anthropic: anthropicAnswer, 'openai-chat': chatAnswer, 'openai-responses': responsesAnswer }[api]
    send(res, { n, body, model, answer, used, stream: record.stream, stallAfterFirst, idHeader, count })
  }

  interface AnswerContext {
    n: number
    body: any
    model: string
    answer: Answer
    used: Usage
    stream: boolean
    stallAfterFirst: boolean
    idHeader: Record<string, string>
    count: () => void
  }

  /** Non-streaming stall after the first bytes: headers and the start of the JSON, then nothing. */
  function stallJson(res: http.ServerResponse, ctx: AnswerContext, text: string): void {
    res.writeHead(200, { ...JSON_HEADERS, ...ctx.idHeader })
    res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))))
  }

  /**
   * Anthropic's prompt cache: the text up to the last `cache_control` block of the messages is
   * written to the cache the first time it is seen and read from it after that.
   */
  const cached = new Set<string>()
  function cacheAccount(api: RecordedRequest['api'], body: any): Pick<Usage, 'cacheRead' | 'cacheWrite'> {
    if (api !== 'anthropic') return {}
    const blocks = (body.messages ?? []).flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
    const last = blocks.map((b: any) => Boolean(b?.cache_control)).lastIndexOf(true)
    if (last < 0) return {}
    const prefix = blocks.slice(0, last + 1).map((b: any) => String(b.text ?? '')).join('')
    const tokens = estimate(prefix.length)
    if (cached.has(prefix)) return { cacheRead: tokens }
    cached.add(prefix)
    return { cacheWrite: tokens }
  }

  function anthropicAnswer(res: http.ServerResponse, ctx: AnswerContext): void {
    const { n, model, answer, used } = ctx
    const id = `msg_fake_${String(n).padStart(4, '0')}`
    const cacheRead = used.cacheRead ?? 0
    const cacheWrite = used.cacheWrite ?? 0
    const usageOut = (output: number) => ({
      input_tokens: used.input - cacheRead - cacheWrite,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
      output_tokens: output,
      service_tier: 'standard',
    })
    const block = answer.tool
      ? { type: 'tool_use', id: `toolu_fake_${String(n).padStart(4, '0')}`, name: answer.tool.name, input: answer.tool.input }
      : { type: 'text', text: answer.text }
    const stopReason = answer.tool ? 'tool_use' : 'end_turn'
    const message = { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stopReason, stop_sequence: null, usage: usageOut(used.output) }
    if (!ctx.stream) {
      if (ctx.stallAfterFirst) return stallJson(res, ctx, JSON.stringify(message))
      ctx.count()
      res.writeHead(200, { ...JSON_HEADERS, ...ctx.idHeader })
      res.end(JSON.stringify(message))
      return
    }
    res.writeHead(200, { ...SSE_HEADERS, ...ctx.idHeader })
    const ev = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
    ev('message_start', { message: { ...message, content: [], stop_reason: null, usage: usageOut(Math.min(1, used.output)) } })
    ev('content_block_start', { index: 0, content_block: answer.tool ? { ...block, input: {} } : { type: 'text', text: '' } })
    ev('ping', {})
    const deltas = pieces(answer.text).map((p) => (answer.tool ? { type: 'input_json_delta', partial_json: p } : { type: 'text_delta', text: p }))
    if (ctx.stallAfterFirst) {
      if (deltas.length > 0) ev('content_block_delta', { index: 0, delta: deltas[0] })
      return
    }
    for (const delta of deltas) ev('content_block_delta', { index: 0, delta })
    ev('content_block_stop', { index: 0 })
    ev('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { input_tokens: used.input - cacheRead - cacheWrite, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: used.output },
    })
    ev('message_stop', {})
    ctx.count()
    res.end()
  }

  function chatUsage(used: Usage) {
    return {
      prompt_tokens: used.input,
      completion_tokens: used.output,
      total_tokens: used.input + used.output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    }
  }

  function chatAnswer(res: http.ServerResponse, ctx: AnswerContext): void {
    const { n, model, answer, used } = ctx
    const id = `chatcmpl-fake${String(n).padStart(4, '0')}`
    const created = Math.floor(Date.now() / 1000)
    if (!ctx.stream) {
      const completion = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
        usage: chatUsage(used),
        service_tier: 'default',
        system_fingerprint: null,
      }
      if (ctx.stallAfterFirst) return stallJson(res, ctx, JSON.stringify(completion))
      ctx.count()
      res.writeHead(200, { ...JSON_HEADERS, ...ctx.idHeader })
      res.end(JSON.stringify(completion))
      return
    }
    const includeUsage = ctx.body.stream_options?.include_usage === true
    res.writeHead(200, { ...SSE_HEADERS, ...ctx.idHeader })
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: null, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`,
      )
    const parts = pieces(answer.text)
    chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])
    if (ctx.stallAfterFirst) {
      if (parts.length > 0) chunk([{ index: 0, delta: { content: parts[0] }, logprobs: null, finish_reason: null }])
      return
    }
    for (const p of parts) chunk([{ index: 0, delta: { content: p }, logprobs: null, finish_reason: null }])
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])
    if (includeUsage) {
      chunk([], { usage: chatUsage(used) })
      ctx.count()
    }
    res.end('data: [DONE]\n\n')
  }

  function responsesAnswer(res: http.ServerResponse, ctx: AnswerContext): void {
    const { n, body, model, answer, used } = ctx
    const id = `resp_fake${String(n).padStart(4, '0')}`
    const itemId = `msg_fake${String(n).padStart(4, '0')}`
    const part = { type: 'output_text', text: answer.text, annotations: [], logprobs: [] }
    const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] }
    const done = {
      id,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: typeof body.instructions === 'string' ? body.instructions : null,
      max_output_tokens: body.max_output_tokens ?? null,
      metadata: body.metadata ?? {},
      model,
      output: [item],
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      service_tier: 'default',
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: 'text' } },
      tool_choice: body.tool_choice ?? 'auto',
      tools: Array.isArray(body.tools) ? body.tools : [],
      top_p: body.top_p ?? 1,
      truncation: 'disabled',
      usage: {
        input_tokens: used.input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: used.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: used.input + used.output,
      },
      user: null,
    }
    if (!ctx.stream) {
      if (ctx.stallAfterFirst) return stallJson(res, ctx, JSON.stringify(done))
      ctx.count()
      res.writeHead(200, { ...JSON_HEADERS, ...ctx.idHeader })
      res.end(JSON.stringify(done))
      return
    }
    res.writeHead(200, { ...SSE_HEADERS, ...ctx.idHeader })
    let seq = 0
    const ev = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`)
    const started = { ...done, status: 'in_progress', output: [], usage: null }
    ev('response.created', { response: started })
    ev('response.in_progress', { response: started })
    ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } })
    ev('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: '' } })
    const parts = pieces(answer.text)
    if (ctx.stallAfterFirst) {
      if (parts.length > 0) ev('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: parts[0], logprobs: [] })
      return
    }
    for (const p of parts) ev('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: p, logprobs: [] })
    ev('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text: answer.text, logprobs: [] })
    ev('response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part })
    ev('response.output_item.done', { output_index: 0, item })
    ev('response.completed', { response: done })
    ctx.count()
    res.end()
  }

  return {
    url,
    requests,
    usage,
    script: (...replies) => {
      queue.push(...replies)
    },
    setDefault: (reply) => {
      fallback = reply
    },
    reset: () => {
      requests.length = 0
      usage.input = 0
      usage.output = 0
      queue.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve()
        closed = true
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      }),
  }
}
