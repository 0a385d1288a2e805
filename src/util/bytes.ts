/** "512 bytes", "1.5 KB", "16 MB", "1.2 GB" (binary units, as the limits are set), for messages that name a limit. */
export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB'] as const
  if (bytes < 1024) return `${bytes} bytes`
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 10 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`
}
