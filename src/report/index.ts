/**
 * @module report
 * Pure renderers of a run snapshot. They return strings; the CLI and the Action decide where
 * the text goes. Every view is a function of the same snapshot, so views never disagree.
 */
export { clip, formatDuration, formatTokens, formatUsd, plural } from './format.js'
export { describeMiss, errorWhere, formatError, formatEventLine, formatTotals, renderLive, renderStatus, type LiveOptions, type TerminalStyle } from './terminal.js'
export { renderInvalid, renderMarkdown, type MarkdownOptions, type ShownStatus } from './markdown.js'
export { commentMarker, renderComment, renderSummary, COMMENT_LIMIT, SUMMARY_LIMIT } from './comment.js'
export { renderJson, type JsonSummary } from './json.js'
export { annotationsOf, MAX_ANNOTATIONS, type Annotation } from './annotations.js'
