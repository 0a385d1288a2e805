import { escapeControls } from './safe-text.js'

/**
 * Untrusted text (a description, a label, a phase title, a model name, a warning, a line of
 * an error) as inline Markdown that GitHub shows as the same plain text and nothing more:
 * - no HTML: `<`, `>` and `&` become entities, so no `<!--` (which could hide or fake a
 *   comment marker), no `<img>`, no `<details>`, and no `&#64;` that GitHub would decode;
 * - no links or images: `[`, `]` and `!` are backslash-escaped, and so are the other
 *   characters that format (`\`, backtick, `*`, `_`, `~`, `|` for tables, `$` for math);
 * - no autolinks: a zero-width space after `:` in `://` and after `www`, so no URL or host
 *   turns into a link or a loaded image;
 * - no @mentions that ping: a zero-width space after every `@` (what Renovate and Dependabot
 *   do; GitHub's mention filter needs a name right after the `@`), and none after `#` or
 *   `GH-` before a number, so no issue reference links (and so notifies) another thread;
 * - no line structure: newlines become spaces, and a leading `#`, `-`, `+`, `=` or `1.` is
 *   escaped, so the text cannot start a heading, a list, a quote or a table row.
 * Control characters are shown escaped (`\x1b`), as on the terminal.
 */
export function markdownText(text: string): string {
  const escaped = escapeControls(String(text).replace(/\r\n|\r|\n/g, ' '))
    .trimStart()
    .replace(/[\\`*_~[\]|$!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return unreachable(escaped)
    .replace(/^([#=+-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2')
}

/**
 * What would reach beyond the text, broken with a zero-width space: @mentions that ping,
 * autolinked URLs and hosts, and issue references (`#12`, `owner/repo#12`, `GH-12`): a comment
 * that links an issue adds an entry to its timeline, and untrusted text must not reach into
 * other threads.
 */
export function unreachable(text: string): string {
  return text
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\u200b.`)
    .replace(/#(?=\d)/g, '#\u200b')
    .replace(/\b(GH)-(?=\d)/gi, '$1-\u200b')
}

/** A marker-like `<!--` inside a code block, where entities do not work: a zero-width space keeps it from being one. */
export function defangHtmlComments(text: string): string {
  return text.replace(/<!--/g, '<!\u200b--')
}
