// Drives the real @anthropic-ai/sdk, the real openai SDK and the real Claude Code CLI against
// the local fake model server, so the fake stays faithful to what real clients accept.
import { describe, expect, it, beforeEach, afterEach } from '@jest/globals'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, waitFor } from './cli.js'
import { startFakeModels, type FakeModels } from './fake-models.js'

let fake: FakeModels
beforeEach(async () => {
  fake = await startFakeModels()
})
afterEach(async () => {
  await fake.close()
})

const anthropic = (options: { logLevel?: 'off' } = {}) => new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0, ...options })
const openai = (options: { logLevel?: 'off' } = {}) => new OpenAI({ apiKey: 'test-key', baseURL: fake.url + '/v1', maxRetries: 0, ...options })
const MODEL = 'claude-fake-1'
const ask = (text: string) => ({ model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: text }] })

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected the promise to reject')
}

describe('fake models: Anthropic Messages with the real SDK', () => {
  it('answers a non-streaming request with the scripted text and usage, and records it', async () => {
    fake.script({ text: 'Hello there.', usage: { input: 11, output: 3 } })
    const message = await anthropic().messages.create({ ...ask('Say hello'), system: 'Be brief.' })
    expect(message.type).toBe('message')
    expect(message.role).toBe('assistant')
    expect(message.model).toBe(MODEL)
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there.' }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 })
    expect(fake.usage).toEqual({ input: 11, output: 3 })

    expect(fake.requests).toHaveLength(1)
    const [request] = fake.requests
    expect(request).toMatchObject({ api: 'anthropic', method: 'POST', path: '/v1/messages', stream: false, usage: { input: 11, output: 3 } })
    // @anthropic-ai/sdk 1.x sends the key as a bearer token (the claude CLI sends x-api-key).
    expect(request.headers.authorization).toBe('Bearer test-key')
    expect(request.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(request.body).toMatchObject({ model: MODEL, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello' }] })
  })

  it('forgets on reset() the requests, the usage and the scripted replies left unused', async () => {
    fake.script({ text: 'used', usage: { input: 5, output: 1 } }, { stall: true })
    await anthropic().messages.create(ask('First'))
    fake.reset()
    expect(fake.requests).toEqual([])
    expect(fake.usage).toEqual({ input: 0, output: 0 })
    // The stall scripted for a request that never came is gone: the next one gets the default answer.
    const message = await anthropic().messages.create(ask('Second'))
    expect(message.content).toEqual([{ type: 'text', text: expect.stringContaining('Second') }])
  })

  it('streams text deltas that messages.stream().finalMessage() assembles, with usage estimated from the text', async () => {
    const prompt = 'Tell me something about the weather in a long enough sentence to be cut at sixty characters.'
    const stream = anthropic().messages.stream({ ...ask(prompt), system: [{ type: 'text', text: 'System text.' }] })
    const deltas: string[] = []
    stream.on('text', (delta) => deltas.push(delta))
    const message = await stream.finalMessage()

    const expected = 'Fake answer to: ' + prompt.slice(0, 60)
    expect(message.content).toEqual([{ type: 'text', text: expected }])
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe(expected)
    expect(message.stop_reason).toBe('end_turn')
    const input = Math.ceil(('System text.'.length + prompt.length) / 4)
    const output = Math.ceil(expected.length / 4)
    expect(message.usage).toMatchObject({ input_tokens: input, output_tokens: output })
    expect(fake.usage).toEqual({ input, output })
    expect(fake.requests[0]).toMatchObject({ api: 'anthropic', path: '/v1/messages', stream: true, usage: { input, output } })
    expect(fake.requests[0].body.stream).toBe(true)
  })

  it('answers {json} with a tool_use block named by tool_choice, streaming or not', async () => {
    const tools = [
      { name: 'other_tool', description: 'not this one', input_schema: { type: 'object' as const, properties: {} } },
      { name: 'record_verdict', description: 'Record the verdict', input_schema: { type: 'object' as const, properties: { verdict: { type: 'string' }, score: { type: 'number' } } } },
    ]
    const verdict = { verdict: 'approve', score: 3, notes: ['a', 'b'] }
    fake.script({ json: verdict }, { json: verdict })
    const params = { ...ask('Judge this'), tools, tool_choice: { type: 'tool' as const, name: 'record_verdict' } }

    const message = await anthropic().messages.create(params)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toHaveLength(1)
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'record_verdict', input: verdict })

    const streamed = await anthropic().messages.stream(params).finalMessage()
    expect(streamed.stop_reason).toBe('tool_use')
    expect(streamed.content[0]).toMatchObject({ type: 'tool_use', name: 'record_verdict', input: verdict })

    const output = Math.ceil(JSON.stringify(verdict).length / 4)
    expect(message.usage.output_tokens).toBe(output)
    expect(streamed.usage.output_tokens).toBe(output)
  })

  it('answers {json} as JSON text when the request has no tools', async () => {
    fake.script({ json: { ok: true } })
    const message = await anthropic().messages.create(ask('Give JSON'))
    expect(message.content).toEqual([{ type: 'text', text: '{"ok":true}' }])
    expect(message.stop_reason).toBe('end_turn')
  })

  it('answers {tool} with a tool_use block for the named tool, and a scripted function with the reply it computes from the request', async () => {
    const tools = [{ name: 'Edit', description: 'Edit a file', input_schema: { type: 'object' as const, properties: { file_path: { type: 'string' } } } }]
    const seen: string[] = []
    fake.script((request) => {
      seen.push(request.body.system)
      return { tool: { name: 'Edit', input: { file_path: `${request.body.system}/a.txt` } } }
    })
    const message = await anthropic().messages.stream({ ...ask('Edit a.txt'), tools, system: '/work/copy' }).finalMessage()
    expect(seen).toEqual(['/work/copy'])
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^toolu_fake_/), name: 'Edit', input: { file_path: '/work/copy/a.txt' } }])
  })

  it('serves count_tokens and the ?beta=true path without consuming scripted replies for the count', async () => {
    fake.script({ text: 'from the beta path' })
    const count = await anthropic().messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: '12345678' }] })
    expect(count.input_tokens).toBe(2)
    // The claude CLI posts to /v1/messages?beta=true (this SDK's beta.messages does not add it).
    const message = await anthropic().messages.create(ask('hi'), { query: { beta: true } })
    expect(message.content).toEqual([{ type: 'text', text: 'from the beta path' }])
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens', '/v1/messages?beta=true'])
    expect(fake.usage).toEqual({ input: 1, output: Math.ceil('from the beta path'.length / 4) })
  })

  it('surfaces 429 as RateLimitError with a readable retry-after, and 500 and 401 with their status', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 }, { status: 401 })
    const limited = await rejection(anthropic().messages.create(ask('a')))
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })

    const server = await rejection(anthropic().messages.create(ask('b')))
    expect(server).toBeInstanceOf(Anthropic.InternalServerError)
    expect(server.status).toBe(500)
    expect(server.error).toMatchObject({ type: 'error', error: { type: 'api_error' } })

    const auth = await rejection(anthropic().messages.stream(ask('c')).finalMessage())
    expect(auth).toBeInstanceOf(Anthropic.AuthenticationError)
    expect(auth.status).toBe(401)
    expect(auth.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })

  it('makes the SDK throw on a malformed body and on a broken stream', async () => {
    fake.script({ malformed: true }, { malformed: true })
    const client = anthropic({ logLevel: 'off' })
    await expect(client.messages.create(ask('a'))).rejects.toThrow()
    await expect(client.messages.stream(ask('b')).finalMessage()).rejects.toThrow()
    expect(fake.requests.map((r) => r.stream)).toEqual([false, true])
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })

  it('lets an AbortSignal end a stall and a stream that stalls after its first events', async () => {
    fake.script({ stall: true }, { stallAfterFirstChunk: true })
    const first = new AbortController()
    const stalled = anthropic().messages.create(ask('a'), { signal: first.signal })
    await waitFor(() => fake.requests.length === 1, 5_000, 'the stalled request')
    first.abort()
    expect(await rejection(stalled)).toBeInstanceOf(Anthropic.APIUserAbortError)

    const second = new AbortController()
    const stream = anthropic().messages.stream(ask('b'), { signal: second.signal })
    const deltas: string[] = []
    stream.on('text', (d) => deltas.push(d))
    const final = stream.finalMessage()
    await waitFor(() => deltas.length === 1, 5_000, 'the first delta')
    second.abort()
    expect(await rejection(final)).toBeInstanceOf(Anthropic.APIUserAbortError)
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })
})

describe('fake models: OpenAI with the real SDK', () => {
  it('answers chat.completions.create with content, usage and the recorded bearer token', async () => {
    fake.script({ text: 'Chat answer.', usage: { input: 20, output: 4 } })
    const completion = await openai().chat.completions.create({
      model: 'gpt-fake',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    })
    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe('gpt-fake')
    expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'Chat answer.' })
    expect(completion.choices[0].finish_reason).toBe('stop')
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 4, total_tokens: 24, prompt_tokens_details: { cached_tokens: 0 } })
    expect(fake.usage).toEqual({ input: 20, output: 4 })
    expect(fake.requests[0]).toMatchObject({ api: 'openai-chat', method: 'POST', path: '/v1/chat/completions', stream: false })
    expect(fake.requests[0].headers.authorization).toBe('Bearer test-key')
    expect(fake.requests[0].body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ])
  })

  it('streams chat chunks ending with a usage chunk when include_usage is set', async () => {
    const prompt = 'Stream me a reply'
    const stream = await openai().chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: prompt }], stream: true, stream_options: { include_usage: true } })
    let text = ''
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const chunk of stream) {
      chunks.push(chunk)
      text += chunk.choices[0]?.delta?.content ?? ''
    }
    const expected = 'Fake answer to: ' + prompt
    expect(text).toBe(expected)
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true)
    const last = chunks[chunks.length - 1]
    expect(last.choices).toEqual([])
    const usage = { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.ceil(expected.length / 4) }
    expect(last.usage).toMatchObject({ ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens })
    expect(fake.usage).toEqual({ input: usage.prompt_tokens, output: usage.completion_tokens })
    expect(fake.requests[0]).toMatchObject({ api: 'openai-chat', stream: true })
  })

  it('streams chat chunks without usage when include_usage is not set, and counts none', async () => {
    fake.script({ text: 'no usage here' })
    const stream = await openai().chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'x' }], stream: true })
    let text = ''
    for await (const chunk of stream) {
      expect(chunk.usage ?? null).toBeNull()
      text += chunk.choices[0]?.delta?.content ?? ''
    }
    expect(text).toBe('no usage here')
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })

  it('answers {json} as the message text for response_format json_schema', async () => {
    const value = { title: 'Fix the bug', labels: ['bug'] }
    fake.script({ json: value })
    const completion = await openai().chat.completions.create({
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'Make an issue' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'issue', strict: true, schema: { type: 'object', properties: { title: { type: 'string' }, labels: { type: 'array', items: { type: 'string' } } }, required: ['title', 'labels'], additionalProperties: false } },
      },
    })
    expect(JSON.parse(completion.choices[0].message.content!)).toEqual(value)
    expect(fake.requests[0].body.response_format.type).toBe('json_schema')
  })

  it('answers responses.create as JSON and as a stream, with usage', async () => {
    fake.script({ text: 'Responses answer.', usage: { input: 9, output: 5 } }, { json: { done: true }, usage: { input: 7, output: 2 } })
    const response = await openai().responses.create({ model: 'gpt-fake', instructions: 'Be brief.', input: 'Hi' })
    expect(response.object).toBe('response')
    expect(response.status).toBe('completed')
    expect(response.output_text).toBe('Responses answer.')
    expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 5, total_tokens: 14, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } })

    const stream = await openai().responses.create({ model: 'gpt-fake', input: [{ role: 'user', content: 'Give JSON' }], stream: true })
    const types: string[] = []
    let text = ''
    let completed: OpenAI.Responses.Response | undefined
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'response.output_text.delta') text += event.delta
      if (event.type === 'response.completed') completed = event.response
    }
    expect(types[0]).toBe('response.created')
    expect(types[types.length - 1]).toBe('response.completed')
    expect(JSON.parse(text)).toEqual({ done: true })
    expect(completed?.usage).toMatchObject({ input_tokens: 7, output_tokens: 2, total_tokens: 9 })
    expect(fake.usage).toEqual({ input: 16, output: 7 })
    expect(fake.requests.map((r) => [r.api, r.path, r.stream])).toEqual([
      ['openai-responses', '/v1/responses', false],
      ['openai-responses', '/v1/responses', true],
    ])
  })

  it('assembles a streamed response with responses.stream().finalResponse()', async () => {
    fake.script({ text: 'assembled by the SDK' })
    const final = await openai().responses.stream({ model: 'gpt-fake', input: 'Hello' }).finalResponse()
    expect(final.output_text).toBe('assembled by the SDK')
    expect(final.usage?.output_tokens).toBe(Math.ceil('assembled by the SDK'.length / 4))
  })

  it('surfaces 429 as RateLimitError with retry-after, 500 and 401 with their status, in the OpenAI error shape', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' } }, { status: 500 }, { status: 401 })
    const client = openai()
    const limited = await rejection(client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'a' }] }))
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.code).toBe('rate_limit_exceeded')

    const server = await rejection(client.responses.create({ model: 'gpt-fake', input: 'b' }))
    expect(server).toBeInstanceOf(OpenAI.InternalServerError)
    expect(server.status).toBe(500)
    expect(server.type).toBe('server_error')

    const auth = await rejection(client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'c' }], stream: true }))
    expect(auth).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(auth.status).toBe(401)
    expect(auth.code).toBe('invalid_api_key')
  })

  it('makes the SDK throw on a malformed body and on a broken stream', async () => {
    fake.script({ malformed: true }, { malformed: true }, { malformed: true })
    const client = openai({ logLevel: 'off' })
    await expect(client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'a' }] })).rejects.toThrow()
    const consume = async (iterable: AsyncIterable<unknown>) => {
      for await (const _ of iterable) void _
    }
    await expect(consume(await client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'b' }], stream: true }))).rejects.toThrow()
    await expect(consume(await client.responses.create({ model: 'gpt-fake', input: 'c', stream: true }))).rejects.toThrow()
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })

  it('lets an AbortSignal end a stall; a stream stalled after its first chunk never finishes', async () => {
    fake.script({ stall: true }, { stallAfterFirstChunk: true })
    const first = new AbortController()
    const stalled = openai().responses.create({ model: 'gpt-fake', input: 'a' }, { signal: first.signal })
    await waitFor(() => fake.requests.length === 1, 5_000, 'the stalled request')
    first.abort()
    expect(await rejection(stalled)).toBeInstanceOf(OpenAI.APIUserAbortError)

    const second = new AbortController()
    const stream = await openai().chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'b' }], stream: true }, { signal: second.signal })
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    const consumed = (async () => {
      for await (const chunk of stream) chunks.push(chunk)
    })().then(
      () => undefined,
      (e: unknown) => e,
    )
    await waitFor(() => chunks.length >= 2, 5_000, 'the first chunks')
    second.abort()
    // The openai SDK ends an aborted stream's iteration quietly (or with an abort error).
    const failure = await consumed
    if (failure !== undefined) expect(failure).toBeInstanceOf(OpenAI.APIUserAbortError)
    // The role chunk and the first content chunk, never the rest of the answer.
    expect(chunks).toHaveLength(2)
    expect(chunks[1].choices[0].delta.content).toEqual(expect.stringMatching(/./))
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false)
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })
})

describe('fake models: scripting, defaults, usage and close', () => {
  it('consumes scripted replies in order across APIs, then uses the default; fake.usage is the sum the SDKs saw', async () => {
    fake.script({ text: 'one' }, { status: 429 }, { text: 'two', usage: { input: 100, output: 10 } }, { text: 'three' })
    const a = anthropic()
    const o = openai()
    const r1 = await a.messages.create(ask('first'))
    const e2 = await rejection(o.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'second' }] }))
    const r3 = await o.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'third' }] })
    const r4 = await o.responses.create({ model: 'gpt-fake', input: 'fourth' })
    const r5 = await a.messages.create(ask('fifth and default'))
    expect(r1.content).toEqual([{ type: 'text', text: 'one' }])
    expect(e2.status).toBe(429)
    expect(r3.choices[0].message.content).toBe('two')
    expect(r4.output_text).toBe('three')
    expect(r5.content).toEqual([{ type: 'text', text: 'Fake answer to: fifth and default' }])

    const input = r1.usage.input_tokens + r3.usage!.prompt_tokens + r4.usage!.input_tokens + r5.usage.input_tokens
    const output = r1.usage.output_tokens + r3.usage!.completion_tokens + r4.usage!.output_tokens + r5.usage.output_tokens
    expect(fake.usage).toEqual({ input, output })
    expect(r3.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 10 })
    expect(fake.requests.map((r) => r.api)).toEqual(['anthropic', 'openai-chat', 'openai-chat', 'openai-responses', 'anthropic'])
    expect(fake.requests[1].usage).toBeUndefined()
  })

  it('uses setDefault for every request without a scripted reply', async () => {
    fake.setDefault((request) => ({ text: `${request.api} saw ${request.body.model}` }))
    fake.script({ text: 'scripted first' })
    const first = await anthropic().messages.create(ask('x'))
    const second = await anthropic().messages.create(ask('y'))
    const third = await openai().responses.create({ model: 'gpt-fake', input: 'z' })
    expect(first.content).toEqual([{ type: 'text', text: 'scripted first' }])
    expect(second.content).toEqual([{ type: 'text', text: `anthropic saw ${MODEL}` }])
    expect(third.output_text).toBe('openai-responses saw gpt-fake')
  })

  it('answers the probes the claude CLI sends and records them as other', async () => {
    const head = await fetch(fake.url + '/', { method: 'HEAD' })
    const hello = await fetch(fake.url + '/api/hello')
    const missing = await fetch(fake.url + '/v1/nothing-here')
    expect([head.status, hello.status, missing.status]).toEqual([200, 200, 404])
    await missing.text()
    expect(fake.requests.map((r) => [r.api, r.method, r.path])).toEqual([
      ['other', 'HEAD', '/'],
      ['other', 'GET', '/api/hello'],
      ['other', 'GET', '/v1/nothing-here'],
    ])
  })

  it('close() ends stalled connections and the SDK sees a connection error', async () => {
    fake.script({ stall: true })
    const pending = rejection(anthropic().messages.create(ask('never answered')))
    await waitFor(() => fake.requests.length === 1, 5_000, 'the stalled request')
    await fake.close()
    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError)
  })
})

describe('fake models: the real Claude Code CLI', () => {
  const claude = path.join(ROOT, 'node_modules/.bin/claude')

  function runClaude(prompt: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; json: any }> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-claude-'))
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'test-key',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ...extraEnv,
    }
    return new Promise((resolve, reject) => {
      const child = spawn(claude, ['-p', '--output-format', 'json'], { cwd: home, env, stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(timer)
        fs.rmSync(home, { recursive: true, force: true })
        let json: any
        try {
          json = JSON.parse(stdout)
        } catch {
          json = undefined
        }
        resolve({ code, stdout, stderr, json })
      })
      child.stdin.end(prompt)
    })
  }

  // What claude 2.1.197 sent: `HEAD /` (probe), then one `POST /v1/messages?beta=true` with
  // `stream: true` (~76 KB body, 24 tools, max_tokens 64000, model claude-opus-4-8), headers
  // x-api-key, anthropic-version 2023-06-01, anthropic-beta, x-claude-code-session-id.
  // It printed { type:'result', subtype:'success', is_error:false, api_error_status:null,
  // result, stop_reason:'end_turn', num_turns:1, session_id, total_cost_usd, usage{input_tokens,
  // output_tokens, cache_*…}, modelUsage{'claude-opus-4-8[1m]':{costUSD…}}, terminal_reason:'completed' }.
  it('runs claude -p against the fake and reports the scripted result and the usage the fake reported', async () => {
    fake.script({ text: 'Hello from the fake model.' })
    const run = await runClaude('Say hello')
    expect(run.code).toBe(0)
    expect(run.json).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: 'Hello from the fake model.' })
    expect(typeof run.json.total_cost_usd).toBe('number')

    const answered = fake.requests.filter((r) => r.usage)
    expect(answered).toHaveLength(1)
    expect(answered[0]).toMatchObject({ api: 'anthropic', method: 'POST', path: '/v1/messages?beta=true', stream: true })
    expect(answered[0].headers['x-api-key']).toBe('test-key')
    // Claude Code marks cache breakpoints itself: the fake reports that part as cache tokens.
    const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = run.json.usage
    expect(input_tokens + (cache_creation_input_tokens ?? 0) + (cache_read_input_tokens ?? 0)).toBe(answered[0].usage!.input)
    expect(run.json.usage.output_tokens).toBe(answered[0].usage!.output)
    expect(fake.usage).toEqual({ input: answered[0].usage!.input, output: answered[0].usage!.output })
  })

  // With the default retries claude retries a 401 (and a 500) ten more times with backoff,
  // about 3 minutes in all; CLAUDE_CODE_MAX_RETRIES=0 makes it give up at once.
  // What claude 2.1.197 printed (stdout, exit code 1, stderr empty):
  //   401: { type:'result', subtype:'success', is_error:true, api_error_status:401,
  //          result:'Invalid API key · Fix external API key', stop_reason:'stop_sequence', total_cost_usd:0 }
  //   500: { …, is_error:true, api_error_status:500, result:'API Error: 500 Internal server error. This is a
  //          server-side issue, usually temporary — try again in a moment. If it persists, check your
  //          inference gateway (127.0.0.1:PORT).' }
  //   Also seen: 429 'API Error: Request rejected (429) · <error.message>', 529 'API Error: 529 Overloaded. …',
  //   400 'API Error: 400 <error.message>', 403 'Failed to authenticate. API Error: 403 <error.message>'.
  it('reports a 401 and a 500 from the fake as errors with their status', async () => {
    fake.setDefault(() => ({ status: 401 }))
    const unauthorized = await runClaude('Say hello', { CLAUDE_CODE_MAX_RETRIES: '0' })
    expect(unauthorized.code).not.toBe(0)
    expect(unauthorized.json).toMatchObject({ type: 'result', is_error: true, api_error_status: 401 })
    expect(unauthorized.json.result).toMatch(/API key/i)

    fake.setDefault(() => ({ status: 500 }))
    const failed = await runClaude('Say hello', { CLAUDE_CODE_MAX_RETRIES: '0' })
    expect(failed.code).not.toBe(0)
    expect(failed.json).toMatchObject({ type: 'result', is_error: true, api_error_status: 500 })
    expect(failed.json.result).toMatch(/500/)
    expect(fake.usage).toEqual({ input: 0, output: 0 })
  })
})
