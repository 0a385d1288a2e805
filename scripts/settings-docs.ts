/**
 * What the settings table (src/core/settings.ts) writes into other files: action.yml's inputs,
 * the inputs table of docs/action.md and the flags table of docs/script-api.md. Pure functions
 * of the table; scripts/sync-settings.ts writes them, __tests__/repo/settings.test.ts checks
 * the files hold them.
 */
import { SETTINGS, type SettingKey, type SettingSpec } from '../src/core/settings.js'
import { HELP_FLAG, STATE_DIR_FLAG } from '../src/cli/command.js'
import { RUN_FLAGS } from '../src/cli/run-flags.js'
import { shownDefault } from '../src/cli/setting-help.js'

const keys = Object.keys(SETTINGS) as SettingKey[]
const spec = (key: SettingKey): SettingSpec => SETTINGS[key]

/** The `inputs:` block of action.yml. */
export function actionInputsYaml(): string {
  const lines = ['inputs:']
  for (const key of keys) {
    const s = spec(key)
    if (!s.input) continue
    lines.push(`  ${s.input}:`, `    description: ${JSON.stringify(s.help)}`, `    required: ${s.required === true}`)
    const shown = s.actionDefault ?? (typeof s.default === 'object' ? '{}' : shownDefault(s))
    if (shown !== undefined) lines.push(`    default: '${shown.replace(/'/g, "''")}'`)
  }
  return lines.join('\n') + '\n'
}

/** The inputs table of docs/action.md. */
export function actionInputsTable(): string {
  const rows = keys.flatMap((key) => {
    const s = spec(key)
    if (!s.input) return []
    const shown = s.required ? '(required)' : (s.actionDefault ?? (typeof s.default === 'object' ? '{}' : shownDefault(s)))
    return [`| \`${s.input}\` | ${shown === undefined ? '' : shown === '(required)' ? shown : `\`${shown}\``} | ${docsText(s)} |`]
  })
  return ['| input | default | what it does |', '|---|---|---|', ...rows].join('\n') + '\n'
}

/** The `dwf run` flags table of docs/script-api.md: the CLI's own flag table, with the settings' docs. */
export function runFlagsTable(): string {
  const byFlag = new Map<string, SettingSpec>()
  for (const key of keys) {
    const s = spec(key)
    if (s.flag) byFlag.set(s.flag, s)
    if (s.negatedFlag) byFlag.set(s.negatedFlag, s)
  }
  const flags = { ...RUN_FLAGS, [spec('stateDir').flag!]: STATE_DIR_FLAG, help: HELP_FLAG }
  const rows = Object.entries(flags).map(([name, flag]) => {
    const s = byFlag.get(name)
    const shown = s && !s.negatedFlag ? (typeof s.default === 'object' ? '{}' : shownDefault(s)) : undefined
    const what = s ? (s.negatedFlag ? plain(s.help) : docsText(s)) : plain(flag.help)
    const env = s?.env ? ` (or \`${s.env}\`)` : ''
    const short = flag.short ? `\`-${flag.short}\`, ` : ''
    return `| ${short}\`--${name}${flag.value ? ' ' + flag.value.replace(/\|/g, '\\|') : ''}\` | ${shown === undefined ? (flag.type === 'boolean' && name !== 'help' ? 'off' : '') : `\`${shown}\``}${env} | ${what} |`
  })
  return ['| flag | default | what it does |', '|---|---|---|', ...rows].join('\n') + '\n'
}

/** A setting's docs text: its Markdown when it has one, else its sentence as a table phrase. */
function docsText(s: SettingSpec): string {
  return s.docs ?? plain(s.help)
}

/** "Live agent calls at once." → "live agent calls at once" */
function plain(sentence: string): string {
  const text = sentence.replace(/\.$/, '')
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text
}

/** Where each generated block lives: a file and the markers around it (or, for action.yml, the block itself). */
export const GENERATED = [
  { file: 'docs/action.md', marker: 'inputs', render: actionInputsTable },
  { file: 'docs/script-api.md', marker: 'run-flags', render: runFlagsTable },
] as const

/** `text` with the block between `<!-- settings:NAME -->` and `<!-- /settings:NAME -->` replaced. */
export function withBlock(text: string, marker: string, block: string): string {
  const open = `<!-- settings:${marker} -->`
  const close = `<!-- /settings:${marker} -->`
  const start = text.indexOf(open)
  const end = text.indexOf(close)
  if (start < 0 || end < start) throw new Error(`the markers ${open} … ${close} are missing`)
  return text.slice(0, start + open.length) + '\n' + block + text.slice(end)
}

/** action.yml with its `inputs:` block replaced (it runs from `inputs:` to `outputs:`). */
export function withActionInputs(text: string): string {
  const start = text.indexOf('\ninputs:\n') + 1
  const end = text.indexOf('\noutputs:\n') + 1
  if (start <= 0 || end <= start) throw new Error('action.yml has no inputs: block followed by outputs:')
  return text.slice(0, start) + actionInputsYaml() + '\n' + text.slice(end)
}
