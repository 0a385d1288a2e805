/**
 * The sandbox's local time is UTC, on every machine.
 *
 * QuickJS asks for local time through Emscripten's `localtime`, which Emscripten implements by
 * calling the host's global `Date` (`new Date(t).getHours()`, `getTimezoneOffset()`, ...). So
 * `new Date(2024, 0, 1).getTime()` in a script would follow the runner's TZ, and a laptop and
 * a CI runner would compute different call identities for the same script. While guest code
 * runs (always synchronously, inside `inUtc`), the global `Date` is one whose local time is UTC.
 */
const HostDate = globalThis.Date

class UtcDate extends HostDate {
  constructor(...args: unknown[]) {
    // Two or more numbers are local date parts: local is UTC here.
    if (args.length >= 2) super(HostDate.UTC(...(args as [number, number])))
    else super(...(args as []))
  }
  override getTimezoneOffset(): number {
    return Number.isNaN(this.getTime()) ? NaN : 0
  }
}

/** The local date parts, read as the UTC ones: local is UTC here. */
const LOCAL_AS_UTC = [
  ['getFullYear', 'getUTCFullYear'],
  ['getMonth', 'getUTCMonth'],
  ['getDate', 'getUTCDate'],
  ['getDay', 'getUTCDay'],
  ['getHours', 'getUTCHours'],
  ['getMinutes', 'getUTCMinutes'],
  ['getSeconds', 'getUTCSeconds'],
] as const
for (const [local, utc] of LOCAL_AS_UTC) {
  // Like a class method: writable, configurable, not enumerable.
  Object.defineProperty(UtcDate.prototype, local, {
    value: function (this: Date): number {
      return this[utc]()
    },
    writable: true,
    configurable: true,
  })
}

let depth = 0

/** Runs `work` (guest code) with UTC as the host's local time; nesting is allowed. */
export function inUtc<T>(work: () => T): T {
  if (depth++ === 0) globalThis.Date = UtcDate as DateConstructor
  try {
    return work()
  } finally {
    if (--depth === 0) globalThis.Date = HostDate
  }
}
