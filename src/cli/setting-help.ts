import type { SettingSpec } from '../core/settings.js'

/** The setting's sentence, with its default: "Live agent calls at once (default 4)." */
export function flagHelp(spec: SettingSpec): string {
  const shown = shownDefault(spec)
  const env = spec.env ? `, or ${spec.env}` : ''
  return shown === undefined ? spec.help : `${spec.help.replace(/\.$/, '')} (default ${shown}${env}).`
}

/** A default as a person would type it: 4, 30s, auto; undefined when there is none to show. */
export function shownDefault(spec: SettingSpec): string | undefined {
  if (spec.default === undefined || typeof spec.default === 'object' || spec.negatedFlag) return undefined
  if (spec.kind === 'duration') return `${Number(spec.default) / 1000}s`
  if (spec.kind === 'seconds') return String(Number(spec.default) / 1000)
  return String(spec.default)
}
