import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/util/objects.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function withoutUndefined(value) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== void 0));
}

// src/engine/errors.ts
var TRANSIENT = /* @__PURE__ */ new Set(["RATE_LIMITED", "TIMEOUT"]);
var FATAL = /* @__PURE__ */ new Set(["BUDGET_EXHAUSTED", "MAX_AGENTS", "STOPPED", "CPU_LIMIT", "MEMORY_LIMIT"]);
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
    return withoutUndefined({ code: this.code, message: this.message, line: this.line, column: this.column });
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

export {
  isRecord,
  withoutUndefined,
  WorkflowError,
  isFatal,
  toErrorInfo
};
