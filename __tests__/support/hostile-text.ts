/**
 * Text an attacker controls (a PR's files, an agent's answer, a script from a PR) in the shapes
 * that matter to the places a run is shown. Security tests put it everywhere a run can carry
 * it and check each view.
 */

/** Lines the Actions runner would run as workflow commands: every way a line can start with `::`, and the legacy `##[`. */
export const FORGED_COMMANDS = [
  'a\n::add-mask::MASKED-VALUE',
  'b\r::error::FORGED-CR',
  'c\r\n::warning::FORGED-CRLF',
  'd\n   ::error::FORGED-SPACES',
  'e\n\t\t::error::FORGED-TABS',
  'f\n\u00a0::error::FORGED-NBSP',
  'g\n\u2003\u3000::notice::FORGED-UNICODE-SPACES',
  'h\u2028::error::FORGED-LINE-SEPARATOR',
  'i\u0085::error::FORGED-NEL',
  'j\n\u000b\u000c::error::FORGED-VT-FF',
  'k ##[add-mask]LEGACY-MASK',
  'l ##[error]LEGACY-ERROR',
  'm\n::stop-commands::STOP-TOKEN',
  '::error::FORGED-AT-START',
]

/** What the forged commands would do if run: the values they carry. */
export const FORGED_TOKENS = ['MASKED-VALUE', 'FORGED-', 'LEGACY-', 'STOP-TOKEN']

/** Sequences a terminal acts on: ESC with CSI and OSC (a title, a hyperlink), C1 controls, bidi overrides, BEL, BS, DEL. */
export const CONTROL_SEQUENCES = [
  'csi \x1b[2J\x1b[31mred',
  'osc \x1b]0;title\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\',
  'c1 \x9b2J \x9d0;t\x9c',
  'bidi \u202eevil\u202c \u2066iso\u2069',
  'bell \x07 backspace \x08 del \x7f',
]

export const TERMINAL_VARIANTS = [...FORGED_COMMANDS, ...CONTROL_SEQUENCES]
/** Every variant in one string, for the places that hold one string (a title, an error). */
export const TERMINAL_ALL = TERMINAL_VARIANTS.join(' | ')

/**
 * Markdown and HTML that would do more than show text in a PR comment: a marker of another
 * workflow, mentions (also entity-encoded), images and links loading from outside, bare URLs,
 * raw HTML, table cells, line structure (heading, quote, list, rule), fences, math, controls.
 */
export const MARKDOWN_HOSTILE = [
  '<!-- dynamic-workflow:other:review -->',
  '@someone and @org/team and &#64;encoded',
  '![x](https://evil.example/x.png)',
  '<img src="https://evil.example/y.png">',
  '[click](https://evil.example) [ref][1]\n[1]: https://evil.example/ref',
  'https://evil.example/bare www.evil.example mailto:a@b.example',
  '<details open><summary>fake</summary>',
  '| fake | cell |',
  '\n# Heading\n> quote\n- list\n1. item\n---\n    code',
  '```\n~~~',
  '$x^2$ **bold** _em_ `code`',
  '\x1b[31m \u202e',
].join(' ')

/**
 * A `command` agent (a Node program) whose answer is untrusted text: it answers
 * `answer to <prompt>` and names a model made of control sequences and a forged command. A
 * prompt with FAIL makes it exit 1 with terminal variants on stderr, one with FAIL-MD with
 * MARKDOWN_HOSTILE: that text becomes the provider's error message.
 */
export const HOSTILE_AGENT = `let prompt = ''
process.stdin.on('data', (d) => (prompt += d)).on('end', () => {
  if (prompt.includes('FAIL')) {
    process.stderr.write(prompt.includes('FAIL-MD') ? ${JSON.stringify(MARKDOWN_HOSTILE)} : ${JSON.stringify(TERMINAL_VARIANTS.slice(0, 6).join(' | ') + ' ' + CONTROL_SEQUENCES.join(' '))})
    process.exit(1)
  }
  process.stdout.write(JSON.stringify({ result: 'answer to ' + prompt, model: 'model ' + ${JSON.stringify(CONTROL_SEQUENCES[0] + FORGED_COMMANDS[0])} }))
})
`
