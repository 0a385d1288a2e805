#!/usr/bin/env node
// A stand-in for `claude -p --output-format json`. It records what it was given to
// $HOME/record.json and follows $HOME/scenario.json (all optional):
//   { result, isError, exitCode, stderr, stdout (printed instead of the result object),
//     noModelUsage, hang (ignore SIGTERM and never answer) }
import fs from 'node:fs'
import path from 'node:path'

const home = process.env.HOME ?? '.'
const scenarioFile = path.join(home, 'scenario.json')
const scenario = fs.existsSync(scenarioFile) ? JSON.parse(fs.readFileSync(scenarioFile, 'utf8')) : {}
const stdin = fs.readFileSync(0, 'utf8')
fs.writeFileSync(path.join(home, 'record.json'), JSON.stringify({ argv: process.argv.slice(2), env: process.env, stdin }))

if (scenario.hang) {
  process.on('SIGTERM', () => {})
  process.stderr.write('thinking...\n')
  setInterval(() => {}, 1000)
} else {
  const modelArg = process.argv[process.argv.indexOf('--model') + 1]
  const model = modelArg === 'sonnet' ? 'claude-sonnet-4-5-20250929' : modelArg
  const result = {
    type: 'result',
    subtype: scenario.isError ? 'error_during_execution' : 'success',
    is_error: Boolean(scenario.isError),
    duration_ms: 812,
    duration_api_ms: 640,
    num_turns: 1,
    result: scenario.result ?? 'Hello from the fake model.',
    stop_reason: 'end_turn',
    terminal_reason: 'completed',
    session_id: '4f1c2d3e-0000-4000-8000-000000000001',
    total_cost_usd: 0.000235,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 3,
      cache_read_input_tokens: 5,
      output_tokens: 7,
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: 'standard',
    },
    ...(scenario.noModelUsage
      ? {}
      : { modelUsage: { [model]: { inputTokens: 12, outputTokens: 7, cacheReadInputTokens: 5, cacheCreationInputTokens: 3, webSearchRequests: 0, costUSD: 0.000235, contextWindow: 200000 } } }),
    permission_denials: [],
    uuid: '9a8b7c6d-0000-4000-8000-000000000002',
  }
  if (scenario.stderr) process.stderr.write(scenario.stderr)
  process.stdout.write(scenario.stdout ?? JSON.stringify(result) + '\n')
  process.exitCode = scenario.exitCode ?? 0
}
