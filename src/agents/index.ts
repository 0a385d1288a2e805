/**
 * @module agents
 * Providers behind one interface (`AgentProvider.run(request, signal)`), the choice of
 * provider (`selectAgent`), prices, and helpers for structured output. The mock provider is
 * a contract used by examples, tests and benchmarks: deterministic, schema-valid, priced.
 */
export type { AgentProvider, AgentRequest, AgentResponse, JsonSchema, ProviderUsage } from './types.js'
export { createMockProvider, mockOptionsFromEnv, type MockOptions } from './mock.js'
export { AGENT_NAMES, AgentSelectionError, createProviderSet, selectAgent, type AgentName, type AgentSelection } from './select.js'
export { costAt, costOf, MID_SIZE_PRICE, priceOf, roundUsd, type ModelPrice } from './pricing.js'
export { extractJson } from './extract-json.js'
export { compileSchema, schemaErrors } from './schema.js'
