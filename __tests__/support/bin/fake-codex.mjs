#!/usr/bin/env node
// A stand-in for `codex exec --json`. It records what it was given to $HOME/record.json and
// follows $HOME/scenario.json (all optional):
//   { text, variant: "item_type" (the older event shape), error (an `error` event),
//     turnFailed (a `turn.failed` message), exitCode, stderr, hang }
import fs from 'node:fs'
import path from 'node:path'

const home = process.env.HOME ?? '.'
const scenarioFile = path.join(home, 'scenario.json')
const scenario = fs.existsSync(scenarioFile) ? JSON.parse(fs.readFileSync(scenarioFile, 'utf8')) : {}
const argv = process.argv.slice(2)
// `-` as the prompt means: read it from stdin.
const prompt = argv.at(-1) === '-' ? fs.readFileSync(0, 'utf8') : argv.at(-1)
fs.writeFileSync(path.join(home, 'record.json'), JSON.stringify({ argv, env: process.env, stdin: prompt }))

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const message = (id, text) =>
  scenario.variant === 'item_type' ? { id, item_type: 'assistant_message', text } : { id, type: 'agent_message', text }

if (scenario.hang) {
  emit({ type: 'thread.started', thread_id: '0199a213-81c0-7800-8aa1-bbab2a035a53' })
  setInterval(() => {}, 1000)
} else {
  if (scenario.stderr) process.stderr.write(scenario.stderr)
  emit({ type: 'thread.started', thread_id: '0199a213-81c0-7800-8aa1-bbab2a035a53' })
  emit({ type: 'item.completed', item: { id: 'item_0', type: 'error', message: 'Model metadata for fake-model not found. Defaulting to fallback metadata.' } })
  emit({ type: 'turn.started' })
  if (scenario.error) emit({ type: 'error', message: scenario.error })
  if (scenario.turnFailed) {
    emit({ type: 'turn.failed', error: { message: scenario.turnFailed } })
  } else if (!scenario.error) {
    emit({ type: 'item.completed', item: { id: 'item_1', type: 'reasoning', text: '**Thinking it over**' } })
    emit({ type: 'item.completed', item: message('item_2', 'A first draft.') })
    emit({ type: 'item.completed', item: message('item_3', scenario.text ?? 'Hello from the fake codex.') })
    emit({ type: 'turn.completed', usage: { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 42, reasoning_output_tokens: 10 } })
  }
  process.exitCode = scenario.exitCode ?? 0
}
