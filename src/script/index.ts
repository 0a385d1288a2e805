/**
 * @module script
 * Loading and running workflow scripts. `loadScript` reads the literal `meta` by parsing and
 * rewrites the body by position; `createSandboxProgram` runs it in QuickJS, where the only
 * way out is the script API, which sends plain JSON requests to the engine.
 */
export { loadScript, type LoadedScript } from './load.js'
export { createSandboxProgram, DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from './sandbox.js'
