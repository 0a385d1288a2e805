/**
 * @module engine
 * `runWorkflow()` and what it is made of: scheduling under a concurrency limit, budgets,
 * retries, journal lookups, and the event stream a pure reducer turns into the snapshot
 * every view renders. It knows nothing of GitHub, terminals or any particular provider.
 */
export { runWorkflow, type RunOutcome, type RunWorkflowOptions } from './run-workflow.js'
export { DEFAULT_CONFIG, resolveConfig, type AgentTypeConfig, type ModelRoute, type RunConfig } from './config.js'
export { isFatal, toErrorInfo, WorkflowError, type ErrorCode, type ErrorInfo } from './errors.js'
export type { MissReason, RunEvent, RunStatus } from './events.js'
export { applyEvents, emptySnapshot, reduce, type AgentState, type AgentView, type PhaseView, type RunSnapshot, type Totals } from './snapshot.js'
export { createLimiter, type Limiter } from './limiter.js'
export type { AgentCallRequest, BudgetView, JournalPort, PhaseMeta, ProviderSet, ScriptHost, WorkflowMeta, WorkflowProgram, WorkspacePort } from './ports.js'
