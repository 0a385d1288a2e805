import { defangHtmlComments, unreachable } from './markdown-text.js'
import { escapeControls } from './safe-text.js'

/**
 * Markdown a script wrote (its `report()`, a string result), shown as Markdown in the PR
 * comment and the job summary: headings, lists, emphasis, tables, quotes and code keep their
 * shape. It often carries agents' words, and so a pull request's, so nothing in it may reach
 * beyond the text, as markdownText() ensures for plain text:
 * - no HTML and no entities: `<` and `&` become entities (no `<!--` marker, no `<img>`);
 * - no links or images: `[`, `]` and `!` are backslash-escaped;
 * - no autolinks, @mentions or issue references (a zero-width space breaks them);
 * - control characters are shown escaped;
 * - code spans and fenced blocks are left as they are (nothing renders there), but a `<!--`
 *   in them is broken too, and a block left open is closed, so what follows stays ours.
 */
export function scriptMarkdown(markdown: string): string {
  const out: string[] = []
  let fence: { char: string; length: number } | undefined
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = escapeControls(raw)
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (fence) {
      if (opener && opener[1]![0] === fence.char && opener[1]!.length >= fence.length && line.trim() === opener[1]) fence = undefined
      out.push(defangHtmlComments(line))
    } else if (opener) {
      fence = { char: opener[1]![0]!, length: opener[1]!.length }
      out.push(defangHtmlComments(line))
    } else out.push(inlineText(line))
  }
  if (fence) out.push(fence.char.repeat(fence.length))
  return out.join('\n')
}

/** One line outside code blocks: code spans kept, the rest made inert. */
function inlineText(line: string): string {
  let result = ''
  let rest = line
  for (;;) {
    const open = /`+/.exec(rest)
    if (!open) return result + inert(rest)
    const close = rest.indexOf(open[0], open.index + open[0].length)
    if (close < 0) return result + inert(rest)
    result += inert(rest.slice(0, open.index)) + defangHtmlComments(rest.slice(open.index, close + open[0].length))
    rest = rest.slice(close + open[0].length)
  }
}

function inert(text: string): string {
  return unreachable(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/[[\]!]/g, '\\$&'))
}
