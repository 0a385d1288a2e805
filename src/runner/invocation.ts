/** How a run was started: enough for `resume` and for a background worker to run it again. */
export interface Invocation {
  /** Workflow name (meta.name), known before the run starts. */
  name: string
  /** Absolute path of the script. */
  script: string
  /** The path as the user typed it, for messages. */
  scriptDisplay: string
  cwd: string
  args: unknown
  flags: RunFlags
  resumedFrom?: string
}

/** The run flags of `dwf run`, parsed and checked. */
export interface RunFlags {
  agent?: string
  /** --config, as given (relative to the invocation's cwd). */
  config?: string
  /** --command: the executable of the command agent. */
  command?: string
  idleTimeoutMs?: number
  model?: string
  concurrency?: number
  maxAgents?: number
  agentTimeoutMs?: number
  agentRetries?: number
  tokenBudget?: number
  costBudgetUsd?: number
  replay: boolean
  scriptCpuMs?: number
  scriptMemoryMb?: number
}
