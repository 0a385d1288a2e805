/**
 * How the GitHub Actions runner reads a step's output (actions/runner: the step's stdout and
 * stderr are read with .NET's ReadLine, then each line goes through ActionCommand.TryParseV2
 * and, when that fails, the legacy ActionCommand.TryParse):
 * - `\n`, `\r` and `\r\n` end a line;
 * - V2: `message.TrimStart()` starts with `::` (TrimStart removes every char.IsWhiteSpace);
 * - legacy: `message.IndexOf("##[")` anywhere in the line.
 * Tests scan output with these rules to find every line the runner would take as a command.
 */

/** char.IsWhiteSpace in .NET: Unicode Zs/Zl/Zp, U+0009–U+000D and U+0085 (plus U+180E and U+FEFF, to be strict). */
const DOTNET_WHITESPACE = /^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/

export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/)
}

export interface CommandLine {
  form: 'v2' | 'legacy'
  line: string
}

/** Every line of `output` the runner would try to run as a workflow command. */
export function commandLines(output: string): CommandLine[] {
  const found: CommandLine[] = []
  for (const line of runnerLines(output)) {
    if (line.replace(DOTNET_WHITESPACE, '').startsWith('::')) found.push({ form: 'v2', line })
    else if (line.includes('##[')) found.push({ form: 'legacy', line })
  }
  return found
}

/**
 * Characters a terminal acts on or shows reordered: C0 controls other than tab and newline
 * (ESC starts CSI and OSC sequences, CR rewrites the line), DEL, C1 controls (U+009B is a
 * one-byte CSI, U+009D OSC, U+0085 NEL), the line separators and the bidi overrides.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/** The lines of `output` holding such a character, each with the characters as \u escapes (so a failure message is readable). */
export function linesWithControls(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => CONTROL_CHARACTERS.test(line))
    .map((line) => line.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), (c) => `<U+${c.charCodeAt(0).toString(16).padStart(4, '0')}>`))
}
