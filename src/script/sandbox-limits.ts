import { SETTINGS } from '../core/settings.js'

export interface SandboxLimits {
  /** Synchronous script time allowed in total; time spent waiting for agents does not count. */
  cpuMs?: number
  memoryBytes?: number
}

/** The defaults of the settings table (script-cpu-limit, script-memory-limit). */
export const DEFAULT_SANDBOX_LIMITS: Required<SandboxLimits> = {
  cpuMs: SETTINGS.scriptCpuMs.default,
  memoryBytes: SETTINGS.scriptMemoryMb.default * 1024 * 1024,
}

/**
 * QuickJS's own stack limit. It must trip before V8's native stack does, because the
 * interpreter's C frames live on Node's stack too; 128 KiB leaves ~700 frames of script
 * recursion. Deeper native recursion (JSON of a very deep object) can still exhaust
 * Node's stack: that is caught and reported, and the whole QuickJS module is dropped.
 */
export const STACK_BYTES = 128 * 1024
