import { afterEach, describe, expect, it } from '@jest/globals'
import { runCli, tempProject } from '../support/cli.js'

/**
 * A script that wants its calls to differ between runs must not find a way: the host's time
 * zone, the budget it reads, the order in which agents answer, and a second grammar are all
 * closed. Each case runs dist/cli.js twice (or under two environments) and compares.
 */
const projects: Array<ReturnType<typeof tempProject>> = []
afterEach(() => projects.splice(0).forEach((p) => p.cleanup()))

function project(body: string, name = 'det'): ReturnType<typeof tempProject> {
  const p = tempProject({ 'w.js': `export const meta = { name: '${name}' }\n${body}\n` })
  projects.push(p)
  return p
}

const run = (p: ReturnType<typeof tempProject>, env: Record<string, string> = {}, ...flags: string[]) => runCli(['run', 'w.js', '--agent', 'mock', '--json', ...flags], { cwd: p.dir, env })

describe('the sandbox runs in UTC whatever the host time zone', () => {
  const LOCAL_TIME = `const d = new Date(2024, 0, 1, 12, 30)
const copy = new Date(d.getTime()); copy.setHours(5)
return {
  text: d.toString(), date: d.toDateString(), time: d.toTimeString(), locale: d.toLocaleString(),
  offset: d.getTimezoneOffset(), hours: new Date(Date.UTC(2024, 6, 1, 22)).getHours(),
  day: new Date(Date.UTC(2024, 6, 1, 22)).getDay(), parts: d.getTime(), set: copy.toISOString(),
  parsed: Date.parse('2024-06-01T10:00'), parsedLoose: Date.parse('2024/06/01 10:00:00'),
  constructed: new Date('2024-06-01T10:00').getTime(), summer: new Date(2024, 6, 1).getTimezoneOffset(),
}`

  it.each(['America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Europe/London'])('reads local time as UTC under TZ=%s', async (tz) => {
    const result = await run(project(LOCAL_TIME), { TZ: tz })
    expect(result.code).toBe(0)
    expect(result.json.result).toEqual({
      text: 'Mon Jan 01 2024 12:30:00 GMT+0000',
      date: 'Mon Jan 01 2024',
      time: '12:30:00 GMT+0000',
      locale: expect.stringMatching(/^01\/01\/2024, 12:30:00 PM$/),
      offset: 0,
      hours: 22,
      day: 1,
      parts: Date.UTC(2024, 0, 1, 12, 30),
      set: '2024-01-01T05:30:00.000Z',
      parsed: Date.UTC(2024, 5, 1, 10),
      parsedLoose: Date.UTC(2024, 5, 1, 10),
      constructed: Date.UTC(2024, 5, 1, 10),
      summer: 0,
    })
  })

  it('gives a call built from local time the same identity on a laptop and a runner', async () => {
    const p = project("return await agent('Plan the week of ' + new Date(2024, 0, 1).toString() + ' (offset ' + new Date(2024, 0, 1).getTimezoneOffset() + ')')")
    const laptop = await run(p, { TZ: 'Asia/Tokyo' })
    expect(laptop.json.agents).toMatchObject({ live: 1, replayed: 0 })
    const runner = await run(p, { TZ: 'America/Los_Angeles' })
    expect(runner.json.agents).toMatchObject({ live: 0, replayed: 1 })
    expect(runner.json.result).toBe(laptop.json.result)
  })
})

describe('what a script reads about spending is the same in a replay', () => {
  it('replays a prompt that mentions budget.spent(), spentUsd() and remaining()', async () => {
    const p = project(`const first = await agent('Count the files')
const second = await agent('Summarise; so far ' + budget.spent() + ' tokens, $' + budget.spentUsd() + ', ' + budget.remaining() + ' left')
const both = await parallel([() => agent('a'), () => agent('b')])
await agent('Last, after ' + budget.spent())
return [budget.spent(), budget.spentUsd(), budget.remaining()]`)
    const first = await run(p, {}, '--token-budget', '100000')
    expect(first.code).toBe(0)
    expect(first.json.agents).toMatchObject({ live: 5, replayed: 0 })
    const spent = first.json.tokens.input + first.json.tokens.output
    expect(first.json.result).toEqual([spent, first.json.costUsd, 100000 - spent])
    const second = await run(p, {}, '--token-budget', '100000')
    expect(second.json.agents).toMatchObject({ live: 0, replayed: 5 })
    expect(second.json.tokens).toEqual({ input: 0, output: 0 })
    expect(second.json.result).toEqual(first.json.result)
  })

  it('counts only live spending against the hard limits: a replay under a smaller budget still succeeds', async () => {
    const p = project("const answers = await parallel([1, 2, 3, 4].map((i) => () => agent('Item ' + i + ' '.repeat(400))))\nreturn budget.spent()")
    const first = await run(p)
    const spent = first.json.result as number
    expect(spent).toBeGreaterThan(100)
    const replayed = await run(p, {}, '--token-budget', String(Math.floor(spent / 4)))
    expect(replayed.code).toBe(0)
    expect(replayed.json).toMatchObject({ status: 'succeeded', result: spent, agents: { live: 0, replayed: 4 } })
  })
})

describe('which agent answers first is not something a script can build on', () => {
  it.each([
    ['Promise.race', "return await Promise.race([agent('a'), agent('b')])", 'Promise.race'],
    ['Promise.any', "return await Promise.any([agent('a'), agent('b')])", 'Promise.any'],
    ['Promise["race"]', "return await Promise['race']([agent('a'), agent('b')])", 'Promise.race'],
    ['a subclass', "class P extends Promise {}\nreturn await P.race([agent('a'), agent('b')])", 'Promise.race'],
    ['a saved reference', "const race = Object.getOwnPropertyDescriptor(Promise, 'race').value\nreturn await race.call(Promise, [agent('a')])", 'Promise.race'],
    ['the constructor of a promise', "const p = agent('a')\nreturn await p.constructor.any([p])", 'Promise.any'],
  ])('refuses %s at its line with a hint to use parallel()', async (_name, body, what) => {
    const result = await run(project(body))
    expect(result.code).toBe(1)
    expect(result.json.error).toMatchObject({ code: 'DETERMINISM', line: body.split('\n').length + 1 })
    expect(result.json.error.message).toContain(`${what}() is not available in workflow scripts`)
    expect(result.json.error.message).toContain('use parallel()')
    expect(result.stderr).not.toMatch(/^\s+at /m)
  })

  it('cannot put a race back', async () => {
    const result = await run(project("Promise.race = (items) => items[0]\nreturn 1"))
    expect(result.code).toBe(1)
    expect(result.json.error.message).toMatch(/read-only|not writable/)
  })
})

describe('the checker and the sandbox read one grammar', () => {
  const CASES: Array<[string, string, number, number]> = [
    ['after an identifier', 'let a = 3\nconst x = a <!--a\nreturn [x, a]', 3, 13],
    ['without spaces', 'let a = 3\nreturn a<!--a', 3, 9],
    ['in a template expression', 'let a = 3\nreturn `${a <!--a}`', 3, 13],
    ['in a nested function', 'const f = (a) => {\n  return a <!--a\n}\nreturn f(2)', 3, 12],
  ]

  it.each(CASES)('refuses an HTML-like comment %s, when run and when validated', async (_name, body, line, column) => {
    const p = project(body)
    for (const args of [['run', 'w.js', '--agent', 'mock'], ['validate', 'w.js']]) {
      const result = await runCli(args, { cwd: p.dir })
      expect(result.code).toBe(2)
      expect(result.stderr.trim()).toBe(`error: w.js:${line}:${column}: '<!--' reads as a comment in some JavaScript parsers and as '< !--' in others; add spaces: 'a < !--b'`)
    }
  })

  it('accepts <!-- and --> in strings, templates, comments and regular expressions, and spaced operators', async () => {
    const result = await run(project("const s = '<!-- a -->' + `-->` // <!-- comment -->\n/* <!-- */ const r = /<!--/.test(s)\nlet a = 2\nconst y = a-- > 1\nreturn [s, r, y, a < ! --a]"))
    expect(result.code).toBe(0)
    expect(result.json.result).toEqual(['<!-- a -->-->', true, true, false])
  })
})
