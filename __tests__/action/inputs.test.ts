import { describe, expect, it } from '@jest/globals'
import { Inputs, readInputs } from '../../src/action/inputs.js'
import { BadInputError } from '../../src/runner/bad-input.js'

const from = (values: Record<string, string>) => (name: string) => values[name] ?? ''

describe('readInputs', () => {
  it('gives the defaults of the settings table (and action.yml) when only the script is set', () => {
    expect(readInputs(from({ script: 'review.workflow.js' }))).toEqual({
      script: 'review.workflow.js',
      args: {},
      flags: { replay: true, agent: 'auto', concurrency: 4, maxAgents: 1000, agentRetries: 2 },
      cache: true,
      checkpointIntervalMs: 30_000,
      artifact: true,
      comment: 'auto',
      review: 'auto',
      changes: 'none',
      commentIntervalMs: 10_000,
      workingDirectory: '.',
    })
  })

  it('reads args as JSON or as a YAML block', () => {
    expect(readInputs(from({ script: 's', args: '{"diffFile":"pr.diff"}' })).args).toEqual({ diffFile: 'pr.diff' })
    expect(readInputs(from({ script: 's', args: 'diffFile: pr.diff\nangles:\n  - security\n  - tests\n' })).args).toEqual({ diffFile: 'pr.diff', angles: ['security', 'tests'] })
  })

  it('parses numbers, durations, booleans and the comment mode', () => {
    const inputs = readInputs(
      from({ script: 's', concurrency: '8', 'agent-timeout': '10m', 'idle-timeout': '90', 'token-budget': '50000', 'cost-budget': '$2.50', cache: 'false', artifact: 'no', comment: 'always', 'pr-number': '42', 'checkpoint-interval': '5' }),
    )
    expect(inputs).toMatchObject({ cache: false, artifact: false, comment: 'always', prNumber: 42, checkpointIntervalMs: 5000 })
    expect(inputs.flags).toMatchObject({ concurrency: 8, agentTimeoutMs: 600_000, idleTimeoutMs: 90_000, tokenBudget: 50_000, costBudgetUsd: 2.5 })
  })

  it.each([
    [{}, Inputs.script, /is required/],
    [{ script: 's', concurrency: '0' }, Inputs.concurrency, /whole number from 1/],
    [{ script: 's', 'max-agents': 'many' }, Inputs.maxAgents, /whole number/],
    [{ script: 's', 'agent-timeout': 'soon' }, Inputs.agentTimeoutMs, /duration/],
    [{ script: 's', cache: 'maybe' }, Inputs.cache, /true or false/],
    [{ script: 's', comment: 'sometimes' }, Inputs.comment, /auto, always or never/],
    [{ script: 's', 'cost-budget': '-1' }, Inputs.costBudgetUsd, /positive number/],
    [{ script: 's', args: '{ a: [' }, Inputs.args, /neither JSON nor YAML/],
  ])('names the input in one clear error: %j', (values, input, message) => {
    let error: unknown
    try {
      readInputs(from(values as Record<string, string>))
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(BadInputError)
    expect((error as Error).message).toMatch(new RegExp(`^input '${input}': `))
    expect((error as Error).message).toMatch(message)
  })
})
