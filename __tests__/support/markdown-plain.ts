/**
 * The text a reader sees in Markdown our renderers escaped (src/report/markdown-text.ts):
 * backslash escapes and entities undone, zero-width spaces removed. For tests that check a
 * message reached the job summary or the comment word for word.
 */
export function markdownPlain(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u200b/g, '')
}
