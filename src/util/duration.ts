const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds of "90s", "5m", "1500ms", "1h" (a bare number is seconds); undefined when not a duration. */
export function durationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text)
  const ms = match ? Number(match[1]) * UNITS[match[2] ?? 's']! : NaN
  return ms > 0 ? Math.round(ms) : undefined
}
