import type { AgentsConfig } from '../agents/config.js'
import type { RunConfig } from '../engine/config.js'
import type { SandboxLimits } from '../script/sandbox.js'
import type { RunFlags } from './invocation.js'

/** The engine's configuration of a run, from its flags and the agents config file. */
export function runConfigOf(flags: RunFlags, config: AgentsConfig): Partial<RunConfig> {
  return {
    concurrency: flags.concurrency,
    maxAgents: flags.maxAgents,
    agentTimeoutMs: flags.agentTimeoutMs,
    idleTimeoutMs: flags.idleTimeoutMs,
    tiers: config.tiers,
    agentTypes: config.agentTypes,
    retries: flags.agentRetries,
    tokenBudget: flags.tokenBudget,
    costBudgetUsd: flags.costBudgetUsd,
    replay: flags.replay,
    model: flags.model,
  }
}

/** The sandbox's limits, from the run's flags. */
export function sandboxLimitsOf(flags: RunFlags): SandboxLimits {
  return { cpuMs: flags.scriptCpuMs, memoryBytes: flags.scriptMemoryMb === undefined ? undefined : flags.scriptMemoryMb * 1024 * 1024 }
}
