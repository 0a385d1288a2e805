import { IDENTITY_COMPONENTS, type ComponentHashes, type IdentityComponent } from '../core/journal-entry.js'
import { canonicalJson, sha256 } from '../util/canonical-json.js'

/**
 * Every input that changes what an agent returns. Display-only fields (label, phase title)
 * are deliberately absent: renaming a label must not re-run a paid call.
 */
export interface CallIdentity {
  prompt: string
  system?: string
  provider: string
  model: string
  schema?: unknown
  agentType?: string
  tools?: string[]
  cacheKey?: string
  /** path -> sha256 of the file's content, for the `files` option. */
  files?: Record<string, string>
  /** An editing call (`edits: true`): its answer comes with changes to the files. */
  edits?: true
  /** What an editing call without `files` could see: the git tree hash of the folder it started from. */
  tree?: string
  /** Material shared by many calls (`context` option), sent first so providers can cache it. */
  context?: string
}

/** Bumping this invalidates every journal entry: do it only when the meaning of a call changes. */
const IDENTITY_VERSION = 1

/** sha256 of the canonical JSON of the identity. */
export function identityHash(identity: CallIdentity): string {
  return sha256(canonicalJson({ ...identity, v: IDENTITY_VERSION }))
}

/** 16-hex-digit hashes of the components that are present. */
export function componentHashes(identity: CallIdentity): ComponentHashes {
  const out: ComponentHashes = {}
  for (const name of IDENTITY_COMPONENTS) {
    const value = identity[name]
    if (value !== undefined) out[name] = sha256(canonicalJson(value)).slice(0, 16)
  }
  return out
}

/** Names of the components that differ between two calls (absent on one side counts as a change). */
export function changedComponents(a: ComponentHashes, b: ComponentHashes): IdentityComponent[] {
  return IDENTITY_COMPONENTS.filter((name) => a[name] !== b[name])
}

/**
 * Assigns `hash#ordinal` keys: the ordinal counts earlier calls of this run with the same hash.
 * Identical calls are interchangeable, so parallel calls may be numbered in any order.
 */
export class CallKeyer {
  readonly #seen = new Map<string, number>()

  next(hash: string): string {
    const ordinal = this.#seen.get(hash) ?? 0
    this.#seen.set(hash, ordinal + 1)
    return `${hash}#${ordinal}`
  }
}
