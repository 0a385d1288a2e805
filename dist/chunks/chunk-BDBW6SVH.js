import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/cli/exit.ts
var EXIT = { ok: 0, failed: 1, usage: 2, stopped: 130 };
var ExitError = class extends Error {
  constructor(code, message = "") {
    super(message);
    this.code = code;
    this.name = "ExitError";
  }
  code;
};
var UsageError = class extends ExitError {
  constructor(message) {
    super(EXIT.usage, message);
    this.name = "UsageError";
  }
};

export {
  EXIT,
  ExitError,
  UsageError
};
