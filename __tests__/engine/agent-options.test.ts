import { describe, expect, it } from '@jest/globals'
import { checkAgentCall } from '../../src/engine/agent-options.js'
import { WorkflowError } from '../../src/core/errors.js'
import { closest } from '../../src/util/closest.js'

/** The WorkflowError a call to `check` throws (fails the test when nothing is thrown). */
function thrownBy(check: () => unknown): WorkflowError {
  try {
    check()
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError)
    return error as WorkflowError
  }
  throw new Error('expected checkAgentCall to throw')
}

describe('checkAgentCall', () => {
  it('accepts a prompt without options', () => {
    expect(checkAgentCall('Review this', undefined, 1)).toEqual({ prompt: 'Review this', options: {} })
    expect(checkAgentCall('Review this', null, 1)).toEqual({ prompt: 'Review this', options: {} })
  })

  it('accepts every known option with a value of the right type', () => {
    const options = {
      label: 'security',
      phase: 'Review',
      model: 'm1',
      tier: 'fast',
      agentType: 'reviewer',
      schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      system: '',
      timeoutMs: 1500,
      retries: 0,
      cacheKey: 'v2',
      files: ['src/**/*.ts'],
    }
    expect(checkAgentCall('p', options, 3)).toEqual({ prompt: 'p', options })
  })

  it('turns a single files pattern into a list', () => {
    expect(checkAgentCall('p', { files: 'README.md' }, 1).options.files).toEqual(['README.md'])
  })

  it('skips options whose value is undefined', () => {
    expect(checkAgentCall('p', { label: undefined, model: 'm' }, 1).options).toMatchObject({ model: 'm' })
  })

  it.each([
    ['a number', 42, /the prompt must be a non-empty string, got number 42/],
    ['undefined', undefined, /the prompt must be a non-empty string, got undefined/],
    ['null', null, /got null/],
    ['an object', { text: 'hi' }, /got an object/],
    ['an array', ['hi'], /got an array/],
    ['an empty string', '', /got an empty string/],
    ['only whitespace', '  \n ', /the prompt must be a non-empty string/],
  ])('rejects a prompt that is %s with INVALID_CALL at the given line', (_, prompt, message) => {
    const error = thrownBy(() => checkAgentCall(prompt, undefined, 12))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.line).toBe(12)
    expect(error.message).toMatch(/^agent\(\): /)
    expect(error.message).toMatch(message)
  })

  it.each([
    ['a string', 'fast'],
    ['an array', ['label']],
    ['a number', 3],
  ])('rejects options that are %s', (_, options) => {
    const error = thrownBy(() => checkAgentCall('p', options, 4))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.line).toBe(4)
    expect(error.message).toMatch(/the options must be an object/)
  })

  it('names an unknown option, suggests the closest known one and lists them all', () => {
    const error = thrownBy(() => checkAgentCall('p', { lable: 'x' }, 9))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.line).toBe(9)
    expect(error.message).toContain("unknown option 'lable'")
    expect(error.message).toContain("(did you mean 'label'?)")
    for (const name of ['label', 'phase', 'model', 'tier', 'agentType', 'schema', 'system', 'timeoutMs', 'retries', 'cacheKey', 'files'])
      expect(error.message).toContain(name)
  })

  it('suggests nothing when an unknown option is far from every known one', () => {
    const error = thrownBy(() => checkAgentCall('p', { temperature: 0.2 }, 2))
    expect(error.message).toContain("unknown option 'temperature'")
    expect(error.message).not.toContain('did you mean')
  })

  it('suggests regardless of letter case', () => {
    expect(thrownBy(() => checkAgentCall('p', { timeoutms: 5 }, 2)).message).toContain("(did you mean 'timeoutMs'?)")
  })

  it.each([
    ['label', ''],
    ['label', 3],
    ['phase', true],
    ['model', null],
    ['tier', ''],
    ['agentType', {}],
    ['system', 1],
    ['cacheKey', []],
    ['schema', 'object'],
    ['schema', [{ type: 'string' }]],
    ['timeoutMs', 0],
    ['timeoutMs', -5],
    ['timeoutMs', Number.POSITIVE_INFINITY],
    ['timeoutMs', '100'],
    ['retries', -1],
    ['retries', 1.5],
    ['retries', 11],
    ['files', 5],
    ['files', ['a.ts', '']],
    ['files', ['a.ts', 3]],
    // Options reach agent programs as arguments and variables, which cannot hold a NUL.
    ['label', 'a\0b'],
    ['model', 'm\0'],
    ['system', 'be\0brief'],
    ['cacheKey', '\0'],
    ['files', ['a\0.ts']],
  ])('rejects option %s = %p with INVALID_CALL naming the option', (name, value) => {
    const error = thrownBy(() => checkAgentCall('p', { [name]: value }, 21))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.line).toBe(21)
    expect(error.message).toContain(`option '${name}'`)
  })

  it('accepts the boundaries of retries (0 and 10)', () => {
    expect(checkAgentCall('p', { retries: 0 }, 1).options.retries).toBe(0)
    expect(checkAgentCall('p', { retries: 10 }, 1).options.retries).toBe(10)
  })

  it('rejects a schema that is not a valid JSON Schema, with the reason', () => {
    const error = thrownBy(() => checkAgentCall('p', { schema: { type: 'not-a-type' } }, 30))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.line).toBe(30)
    expect(error.message).toMatch(/option 'schema' is not a valid JSON Schema: .+/)
  })

  it('rejects a schema with a malformed keyword value', () => {
    const error = thrownBy(() => checkAgentCall('p', { schema: { type: 'object', required: 'name' } }, 31))
    expect(error.code).toBe('INVALID_CALL')
    expect(error.message).toContain("option 'schema' is not a valid JSON Schema")
  })

  it('leaves the line undefined when none is given', () => {
    expect(thrownBy(() => checkAgentCall(1, undefined, undefined)).line).toBeUndefined()
  })

  it('does not change the options object it was given', () => {
    const options = { files: 'a.ts' }
    checkAgentCall('p', options, 1)
    expect(options).toEqual({ files: 'a.ts' })
  })
})

describe('closest', () => {
  const names = ['label', 'phase', 'model', 'timeoutMs', 'retries']

  it('finds the name one typo away', () => {
    expect(closest('modle', names)).toBe('model')
    expect(closest('retrie', names)).toBe('retries')
    expect(closest('phases', names)).toBe('phase')
  })

  it('accepts up to two edits and no more', () => {
    expect(closest('lbl', names)).toBe('label')
    expect(closest('labxx', names)).toBe('label')
    expect(closest('lb', names)).toBeUndefined()
    expect(closest('lxbxx', names)).toBeUndefined()
    expect(closest('retry', names)).toBeUndefined()
  })

  it('ignores letter case', () => {
    expect(closest('TIMEOUTMS', names)).toBe('timeoutMs')
    expect(closest('Label', names)).toBe('label')
  })

  it('prefers the nearest of several candidates', () => {
    expect(closest('mode', ['node', 'model', 'modes'])).toBe('node')
    expect(closest('models', ['mode', 'model'])).toBe('model')
  })

  it('returns undefined for no candidates', () => {
    expect(closest('label', [])).toBeUndefined()
  })
})
