import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/core/errors.ts
var ERROR_CODES = [
  // provider outcomes
  "AUTH",
  /** The provider does not know the model (or the key cannot use it). */
  "MODEL",
  "RATE_LIMITED",
  "TIMEOUT",
  "PROVIDER",
  "EMPTY_OUTPUT",
  "SCHEMA_NONCOMPLIANCE",
  // engine decisions
  "BUDGET_EXHAUSTED",
  "MAX_AGENTS",
  "STOPPED",
  "INVALID_CALL",
  /** Refused by the run's live policy (e.g. another shard runs it). */
  "DEFERRED",
  // editing calls (edits: true)
  /** The call's changes overlap an earlier call's changes to the same lines. */
  "CONFLICT",
  /** The call's tree could not be made, read or applied (git missing, a refused path). */
  "EDIT_FAILED",
  // the script itself
  "SCRIPT_ERROR",
  "INVALID_SCRIPT",
  "DETERMINISM",
  "CPU_LIMIT",
  "MEMORY_LIMIT",
  "NOT_SERIALIZABLE",
  "PARALLEL_FAILED"
];
var KNOWN_CODES = new Set(ERROR_CODES);
function isErrorCode(value) {
  return typeof value === "string" && KNOWN_CODES.has(value);
}
var TRANSIENT = /* @__PURE__ */ new Set(["RATE_LIMITED", "TIMEOUT"]);
var FATAL_CODES = ["BUDGET_EXHAUSTED", "MAX_AGENTS", "STOPPED", "CPU_LIMIT", "MEMORY_LIMIT", "AUTH", "MODEL"];
var BREAKER_CODES = ["AUTH", "MODEL"];
var FATAL = new Set(FATAL_CODES);
var WorkflowError = class extends Error {
  code;
  line;
  column;
  transient;
  retryAfterMs;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "WorkflowError";
    this.code = code;
    this.line = options.line;
    this.column = options.column;
    this.transient = options.transient ?? TRANSIENT.has(code);
    this.retryAfterMs = options.retryAfterMs;
  }
  toInfo() {
    return { code: this.code, message: this.message, ...this.line !== void 0 ? { line: this.line } : {}, ...this.column !== void 0 ? { column: this.column } : {} };
  }
};
function isFatal(code) {
  return FATAL.has(code);
}
function toErrorInfo(error) {
  if (error instanceof WorkflowError) return error.toInfo();
  if (error instanceof Error) return { code: "SCRIPT_ERROR", message: error.message };
  return { code: "SCRIPT_ERROR", message: String(error) };
}
function asWorkflowError(error) {
  if (error instanceof WorkflowError) return error;
  return new WorkflowError("PROVIDER", error instanceof Error ? error.message : String(error), { cause: error });
}

export {
  isErrorCode,
  FATAL_CODES,
  BREAKER_CODES,
  WorkflowError,
  isFatal,
  toErrorInfo,
  asWorkflowError
};
