import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { SETTINGS, type SettingKey } from '../../src/core/settings.js'
import { parseSetting } from '../../src/runner/settings-parse.js'
import { GENERATED, withActionInputs, withBlock } from '../../scripts/settings-docs.js'
import { ROOT } from '../support/cli.js'

/**
 * The settings table (src/core/settings.ts) is the one place a setting is written: action.yml's
 * inputs and the docs tables are generated from it (`npm run sync-settings`), and both shells
 * read values with one parser.
 */
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8')

describe('files generated from the settings table', () => {
  it("action.yml's inputs are the table's: names, descriptions, defaults, required (run npm run sync-settings)", () => {
    const text = read('action.yml')
    expect(text).toBe(withActionInputs(text))
  })

  it.each(GENERATED.map((g) => [g.file, g] as const))('%s holds the table (run npm run sync-settings)', (file, g) => {
    const text = read(file)
    expect(text).toBe(withBlock(text, g.marker, g.render()))
  })
})

describe('one parser for flags and inputs', () => {
  const SAMPLES: Array<[SettingKey, string, unknown]> = [
    ['concurrency', '8', 8],
    ['maxAgents', ' 12 ', 12],
    ['agentTimeoutMs', '10m', 600_000],
    ['idleTimeoutMs', '90', 90_000],
    ['agentRetries', '0', 0],
    ['tokenBudget', '50000', 50_000],
    ['costBudgetUsd', '$2.50', 2.5],
    ['args', '{"a":[1,2]}', { a: [1, 2] }],
  ]
  it.each(SAMPLES)('%s = %j reads the same from a flag and from an input', (key, raw, value) => {
    expect(parseSetting(key, raw, { from: 'flag', cwd: ROOT })).toEqual(value)
    expect(parseSetting(key, raw, { from: 'input' })).toEqual(value)
  })

  it.each([
    ['concurrency', '0', "--concurrency must be a whole number from 1 up, got '0'", "input 'concurrency': must be a whole number from 1 up, got '0'"],
    ['agentTimeoutMs', 'soon', "--agent-timeout must be a duration like 90s, 10m or 1500ms, got 'soon'", "input 'agent-timeout': must be a duration like 90s, 10m or 1500ms, got 'soon'"],
    ['costBudgetUsd', '-1', "--cost-budget must be a positive number, got '-1'", "input 'cost-budget': must be a positive number, got '-1'"],
  ] as Array<[SettingKey, string, string, string]>)('%s = %j is refused with one message naming the flag or the input', (key, raw, flag, input) => {
    expect(() => parseSetting(key, raw, { from: 'flag', cwd: ROOT })).toThrow(flag)
    expect(() => parseSetting(key, raw, { from: 'input' })).toThrow(input)
  })

  it('every setting names where it is read: a flag, an input or a variable', () => {
    for (const [key, spec] of Object.entries(SETTINGS)) expect([key, 'flag' in spec || 'negatedFlag' in spec || 'input' in spec || 'env' in spec]).toEqual([key, true])
  })
})
