import { describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { NoOperationTraceWriter } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { parse as parseYaml } from 'yaml'
import { Inputs, Outputs } from '../../src/action/inputs.js'
import { ROOT } from '../support/cli.js'

const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')

/** Errors of GitHub's own action.yml parser and schema (@actions/workflow-parser). */
function validate(name: string, content: string): string[] {
  return parseAction({ name, content }, new NoOperationTraceWriter()).context.errors.getErrors().map((e: { message: string }) => e.message)
}

describe('action.yml', () => {
  it("passes GitHub's action metadata parser", () => {
    expect(validate('action.yml', text)).toEqual([])
  })

  it('is checked for real: the parser rejects a broken copy', () => {
    expect(validate('broken.yml', text.replace('using: node24', 'using: node99')).length).toBeGreaterThan(0)
  })

  it('declares every input and output the code reads, each with a description, and runs main and post from dist/', () => {
    const action = parseYaml(text) as { inputs: Record<string, { description?: string }>; outputs: Record<string, { description?: string }>; runs: Record<string, string> }
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)]) expect(spec.description?.length).toBeGreaterThan(10)
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/main.js', post: 'dist/post.js', 'post-if': 'always()' })
    for (const file of ['dist/main.js', 'dist/post.js']) expect(fs.existsSync(path.join(ROOT, file))).toBe(true)
  })
})
