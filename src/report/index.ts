/**
 * @module report
 * Pure renderers of a run snapshot. They return strings; the CLI and the Action decide where
 * the text goes. Every view is a function of the same snapshot, so views never disagree.
 */
export { clip, formatDuration, formatTokens, formatUsd, plural } from './format.js'
export { describeMiss, errorWhere, formatError, formatEventLine, formatTotals, renderLive, renderStatus, type LiveOptions, type TerminalStyle } from './terminal.js'
