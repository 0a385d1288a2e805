import { describe, expect, it } from '@jest/globals'
import { markdownText } from '../../src/report/markdown-text.js'
import { escapeControls, neutraliseCommands, safeJsonLine, safeLine, safeText } from '../../src/report/safe-text.js'
import { commandLines, linesWithControls } from '../support/actions-log.js'
import { MARKDOWN_HOSTILE, TERMINAL_ALL, TERMINAL_VARIANTS } from '../support/hostile-text.js'

const SAMPLES = [...TERMINAL_VARIANTS, TERMINAL_ALL, MARKDOWN_HOSTILE, 'plain text', '', 'C:\\path\\x1b literal', '###[', '\\::already', '\r\n']
/** Each sample with a test name that is itself safe to print (JSON leaves C1 and bidi characters raw). */
const CASES = SAMPLES.map((s) => [JSON.stringify(s).slice(0, 50).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), s])

describe('safeText and safeLine', () => {
  it.each(CASES)('%s: nothing for the runner to run, no control character, and idempotent', (_, text) => {
    for (const safe of [safeText, safeLine]) {
      const once = safe(text)
      expect(commandLines(once)).toEqual([])
      expect(linesWithControls(once)).toEqual([])
      expect(safe(once)).toBe(once)
    }
    expect(safeLine(text)).not.toContain('\n')
  })

  it('shows what it escapes, in a form a reader recognises', () => {
    expect(safeText('a\n::add-mask::x')).toBe('a\n\\::add-mask::x')
    expect(safeText('a\r\n  ::error::x')).toBe('a\n  \\::error::x')
    expect(safeText('x\r::error::y')).toBe('x\\r::error::y')
    expect(safeText('k ##[add-mask]v')).toBe('k ##\\[add-mask]v')
    expect(safeText('\x1b[2J \x9b \x85 \u202e \u2028 \x7f')).toBe('\\x1b[2J \\x9b \\x85 \\u202e \\u2028 \\x7f')
    expect(safeLine('a\nb\tc')).toBe('a\\nb\tc')
    expect(safeText('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay')
  })

  it('neutraliseCommands leaves our own colour codes alone', () => {
    const coloured = '\x1b[1m# title\x1b[0m\n\x1b[2mlog\x1b[0m ::x'
    expect(neutraliseCommands(coloured)).toBe(coloured)
    expect(neutraliseCommands('\x1b[1mok\x1b[0m\n::error::x #')).toBe('\x1b[1mok\x1b[0m\n\\::error::x #')
  })

  it('escapeControls only escapes controls', () => {
    expect(escapeControls('::error:: ##[x] \x1b')).toBe('::error:: ##[x] \\x1b')
  })
})

describe('safeJsonLine', () => {
  it.each(CASES)('%s: one line that parses back to the same value, nothing for the runner', (_, text) => {
    const value = { text, nested: [text, { [text]: text }] }
    const line = safeJsonLine(value)
    expect(line).not.toMatch(/[\r\n]/)
    expect(JSON.parse(line)).toEqual(value)
    expect(commandLines(line)).toEqual([])
    expect(linesWithControls(line)).toEqual([])
  })
})

describe('markdownText', () => {
  it('escapes what would format, link, load, mention or structure', () => {
    expect(markdownText('<!-- x --> <img src=a>')).toBe('&lt;\\!-- x --&gt; &lt;img src=a&gt;')
    expect(markdownText('![i](https://e/x.png) [l](http://e)')).toBe('\\!\\[i\\](https:\u200b//e/x.png) \\[l\\](http:\u200b//e)')
    expect(markdownText('@someone www.evil.example &#64;x')).toBe('@\u200bsomeone www\u200b.evil.example &amp;#64;x')
    expect(markdownText('  # h\n> q')).toBe('\\# h &gt; q')
    expect(markdownText('1. item')).toBe('1\\. item')
    expect(markdownText('- item')).toBe('\\- item')
    expect(markdownText('a | b `c` *d* _e_ ~f~ $g$ \\')).toBe('a \\| b \\`c\\` \\*d\\* \\_e\\_ \\~f\\~ \\$g\\$ \\\\')
    expect(markdownText('\x1b[31m\u202e')).toBe('\\\\x1b\\[31m\\\\u202e')
  })
})
