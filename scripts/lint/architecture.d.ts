// Types for architecture.js, which ESLint loads as plain JavaScript.
import type { ESLint } from 'eslint'

export const LAYERS: Record<string, string[]>
export const PACKAGES: Record<string, string[]>
export const ENTRY_POINTS: string[]
declare const plugin: ESLint.Plugin
export default plugin
