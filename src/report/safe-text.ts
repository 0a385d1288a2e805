/**
 * Untrusted text (log lines, labels, phase titles, agent answers, error messages, files of a
 * checkout) made safe to print on a terminal and in a GitHub Actions log.
 *
 * The Actions runner reads a step's stdout and stderr line by line (`\n`, `\r` and `\r\n`
 * end a line) and runs as a workflow command every line whose first non-whitespace
 * characters are `::` (`::add-mask::`, `::error::`, `::stop-commands::`), and every line that
 * contains `##[` followed by a command name (the legacy form, anywhere in the line). A
 * terminal runs escape sequences (ESC, CSI, OSC) and shows bidi overrides reordered. So:
 * - control characters are shown escaped (`\x1b`, `\x9b`, `\u202e`), never written;
 * - a line that would start with `::` gets a backslash before it (`\::error::`);
 * - `##[` becomes `##\[`.
 * Every function here is idempotent: applying it to its own output changes nothing, so a
 * text sanitised when written to log.txt is not escaped again when `dwf logs` prints it.
 */

/**
 * Characters never written as they are: C0 controls other than tab and newline, DEL, C1
 * controls (U+0085 NEL and U+009B CSI among them), the line and paragraph separators, and
 * the bidi embeddings, overrides and isolates (the "Trojan Source" characters).
 */
// eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * A line the runner would take for a command: `::` after any whitespace .NET's TrimStart
 * removes (JavaScript's \s, plus U+0085 and U+180E for older Unicode tables), newline aside.
 */
const COMMAND_START = /^([^\S\n]|\u0085|\u180e)*(?=::)/gm
const LEGACY_COMMAND = /##\[/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

function escapeOne(char: string): string {
  const code = char.charCodeAt(0)
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
}

/**
 * Neutralises workflow commands in text that is otherwise ready to print (it may hold our own
 * colour codes): a backslash before a line-leading `::`, and `##\[` for `##[`. Renderers apply
 * it to the lines they compose, so two pieces that are harmless alone (`…#` and `#[…`) cannot
 * make a command together.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(COMMAND_START, '$&\\').replace(LEGACY_COMMAND, '##\\[')
}

/** Untrusted text of several lines (a log line, an error, a result): lines stay lines; `\r\n` counts as one newline. */
export function safeText(text: string): string {
  return neutraliseCommands(String(text).replace(/\r\n/g, '\n').replace(CONTROL, escapeOne))
}

/** Untrusted text of one line (a label, a phase title, a model): newlines are shown as `\n` too. */
export function safeLine(text: string): string {
  return neutraliseCommands(String(text).replace(CONTROL_OR_NEWLINE, escapeOne))
}

/** Control characters shown escaped, and nothing else changed (for Markdown, which has its own escaping). */
export function escapeControls(text: string): string {
  return String(text).replace(/\r\n/g, '\n').replace(CONTROL, escapeOne)
}

/**
 * A value as one line of JSON that parses back to exactly the same value and is safe in an
 * Actions log: JSON.stringify already escapes C0 controls (so no line break) and the text
 * starts with `{`, `[` or `"`; `##[` inside strings becomes `##\u005b`, and DEL, C1, the line
 * separators and bidi controls become \u escapes. These characters occur only inside JSON
 * strings and never inside an escape sequence, so the replacements keep the JSON exact.
 */
export function safeJsonLine(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(LEGACY_COMMAND, '##\\u005b')
}
