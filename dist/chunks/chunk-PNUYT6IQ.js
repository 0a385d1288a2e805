import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  JournalTooLargeError,
  LOG_LINE_OVERHEAD_BYTES,
  MAIN_HOOK,
  MAX_ERROR_MESSAGE_CHARS,
  MAX_JSON_DEPTH,
  MAX_LABEL_CHARS,
  MAX_LOG_BYTES,
  MAX_LOG_LINE,
  MAX_NAME_CHARS,
  MAX_NOTICES,
  MAX_PHASES,
  MAX_PHASE_CHANGES,
  MAX_PHASE_TITLE_CHARS,
  MAX_RESULT_BYTES,
  THROW_HOOK,
  UsageSum,
  canonicalJson,
  clipWithNote,
  compileSchema,
  createRunDir,
  formatBytes,
  isRecord,
  loopAt,
  originalColumn,
  readJournalFile,
  roundUsd,
  schemaErrors,
  sha256,
  tooDeep,
  tooLong,
  withoutUndefined
} from "./chunk-UPNGW7ZP.js";
import {
  createProgress,
  useColor
} from "./chunk-FAQWL2FP.js";
import {
  formatEventLine
} from "./chunk-23ZJXTE6.js";
import {
  sleep
} from "./chunk-FBNX22PT.js";
import {
  SETTINGS,
  appendText,
  openHandleForAppend,
  processExists,
  readTextIfExists,
  removeFile,
  writeFileAtomically
} from "./chunk-JA3FFBR6.js";
import {
  BREAKER_CODES,
  FATAL_CODES,
  WorkflowError,
  asWorkflowError,
  isErrorCode,
  isFatal,
  toErrorInfo
} from "./chunk-6BEEJJSZ.js";
import {
  BadInputError,
  checkFolders,
  lstatIfExists,
  openChecked
} from "./chunk-BBNUW6J6.js";
import {
  closest
} from "./chunk-6SWNIPKX.js";
import {
  __commonJS,
  __toESM
} from "./chunk-HJYIK7T2.js";

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path13, { windows } = {}) => {
      const segs = path13.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth2 = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth2(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth2(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth2 = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth2++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth2;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse2 = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants.globChars(opts.windows);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push2 = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push2({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push2({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal;
          open.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push2({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse2(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push2({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push2({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push2({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix = POSIX_REGEX_SOURCE[rest2];
                if (posix) {
                  prev.value = pre + posix;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push2({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push2({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push2({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push2({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push2({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push2({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push2(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push2({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range2 = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range2.unshift(arr[i].value);
              }
            }
            output = expandRange(range2, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push2({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push2({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push2({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push2({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push2({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push2({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push2({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push2({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push2({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push2({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push2({ type: "plus", value });
            continue;
          }
          push2({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push2({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push2({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push2({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push2({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push2({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push2({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push2({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push2(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push2(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push2(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push2({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse2.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse2;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse2 = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob, options) : picomatch2.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob, posix });
        const result = { glob, state, regex, posix, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob, posix } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob, options, posix = options && options.windows) => {
      const regex = glob instanceof RegExp ? glob : picomatch2.makeRe(glob, options);
      return regex.test(utils.basename(input, { windows: posix }));
    };
    picomatch2.isMatch = (str, patterns, options) => picomatch2(patterns, options)(str);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse2(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse2.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse2(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// src/engine/run-workflow.ts
import { setMaxListeners } from "node:events";

// src/core/journal-entry.ts
var IDENTITY_COMPONENTS = ["prompt", "system", "provider", "model", "schema", "agentType", "tools", "cacheKey", "files", "edits", "tree", "context"];
var ENTRY_VERSION = 1;

// src/journal/identity.ts
var IDENTITY_VERSION = 1;
function identityHash(identity) {
  return sha256(canonicalJson({ ...identity, v: IDENTITY_VERSION }));
}
function componentHashes(identity) {
  const out = {};
  for (const name of IDENTITY_COMPONENTS) {
    const value = identity[name];
    if (value !== void 0) out[name] = sha256(canonicalJson(value)).slice(0, 16);
  }
  return out;
}
function changedComponents(a, b) {
  return IDENTITY_COMPONENTS.filter((name) => a[name] !== b[name]);
}
var CallKeyer = class {
  #seen = /* @__PURE__ */ new Map();
  next(hash) {
    const ordinal = this.#seen.get(hash) ?? 0;
    this.#seen.set(hash, ordinal + 1);
    return `${hash}#${ordinal}`;
  }
};

// src/engine/agent-options.ts
var must = (ok, what) => (v) => ok(v) ? void 0 : `must be ${what}, got ${describe(v)}`;
var NUL = "contains a NUL character (\\0), which no agent program can be given; remove it";
var text = (v) => typeof v !== "string" ? `must be a string, got ${describe(v)}` : v.includes("\0") ? NUL : void 0;
var shortString = (max) => (v) => typeof v !== "string" || v === "" ? `must be a non-empty string, got ${describe(v)}` : v.length > max ? `${tooLong(v.length, max)}; shorten it` : text(v);
var CHECKS = {
  label: shortString(MAX_LABEL_CHARS),
  phase: shortString(MAX_PHASE_TITLE_CHARS),
  model: shortString(MAX_NAME_CHARS),
  tier: shortString(MAX_NAME_CHARS),
  agentType: shortString(MAX_NAME_CHARS),
  system: text,
  cacheKey: text,
  schema: must(isRecord, "a JSON Schema object"),
  timeoutMs: must((v) => typeof v === "number" && v > 0 && Number.isFinite(v), "a positive number of milliseconds"),
  retries: must((v) => Number.isInteger(v) && v >= 0 && v <= 10, "an integer from 0 to 10"),
  files: must((v) => (Array.isArray(v) ? v : [v]).every((f) => typeof f === "string" && f !== "" && !f.includes("\0")), "a path or glob, or an array of them"),
  edits: must((v) => typeof v === "boolean", "true or false"),
  context: (v) => typeof v !== "string" || v === "" ? `must be a non-empty string, got ${describe(v)}` : text(v)
};
var NAMES = Object.keys(CHECKS);
function checkAgentCall(prompt, options, line) {
  const fail = (message) => new WorkflowError("INVALID_CALL", `agent(): ${message}`, { line });
  if (typeof prompt !== "string" || prompt.trim() === "")
    throw fail(`the prompt must be a non-empty string, got ${describe(prompt)}`);
  if (options === void 0 || options === null) return { prompt, options: {} };
  if (!isRecord(options)) throw fail(`the options must be an object, got ${describe(options)}`);
  for (const [name, value] of Object.entries(options)) {
    if (value === void 0) continue;
    const check = Object.hasOwn(CHECKS, name) ? CHECKS[name] : void 0;
    if (!check) {
      const near = closest(name, NAMES);
      throw fail(`unknown option '${name}'${near ? ` (did you mean '${near}'?)` : ""}; the options are ${NAMES.join(", ")}`);
    }
    const problem = check(value);
    if (problem) throw fail(`option '${name}' ${problem}`);
  }
  const checked = { ...options };
  if (typeof checked.files === "string") checked.files = [checked.files];
  if (checked.schema) {
    try {
      compileSchema(checked.schema);
    } catch (error) {
      throw fail(`option 'schema' is not a valid JSON Schema: ${error.message}`);
    }
  }
  return { prompt, options: checked };
}
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : `'${value.length > 40 ? value.slice(0, 40) + "..." : value}'`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

// src/structured/extract-json.ts
function extractJson(text3) {
  const attempts = [text3.trim(), ...fencedBlocks(text3), ...balancedSpans(text3)];
  for (const candidate of attempts) {
    if (candidate === "") continue;
    try {
      return JSON.parse(candidate);
    } catch {
    }
  }
  return void 0;
}
function fencedBlocks(text3) {
  return [...text3.matchAll(/```(?:json|JSON)?\s*\n([\s\S]*?)```/g)].map((m) => m[1].trim());
}
function balancedSpans(text3) {
  const spans = [];
  for (let start = 0; start < text3.length && spans.length < 5; start++) {
    const open = text3[start];
    if (open !== "{" && open !== "[") continue;
    const end = matchingClose(text3, start);
    if (end > start) {
      spans.push(text3.slice(start, end + 1));
      start = end;
    }
  }
  return spans;
}
function matchingClose(text3, start) {
  const stack = [];
  let inString = false;
  for (let i = start; i < text3.length; i++) {
    const c = text3[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") stack.push("}");
    else if (c === "[") stack.push("]");
    else if (c === "}" || c === "]") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

// src/engine/live-call.ts
var MAX_SCHEMA_REPAIRS = 2;
var MAX_BACKOFF_MS = 6e4;
async function runLiveCall(provider, request, settings, signal, spent, onRetry) {
  for (let attempt2 = 1; ; attempt2++) {
    try {
      return await askValidated(provider, request, settings, signal, spent);
    } catch (thrown) {
      const error = asCallError(thrown, signal);
      if (!error.transient || attempt2 > settings.retries || signal.aborted) throw error;
      const delayMs = Math.min(error.retryAfterMs ?? settings.retryBaseMs * 2 ** (attempt2 - 1), MAX_BACKOFF_MS);
      onRetry(attempt2, error, delayMs);
      await sleep(delayMs, signal).catch(() => {
        throw new WorkflowError("STOPPED", "the run was stopped");
      });
    }
  }
}
async function askValidated(provider, request, settings, signal, spent) {
  let response = await attempt(provider, request, settings, signal);
  spent.add(response, request.model);
  const model = (answered) => answered.model.slice(0, MAX_NAME_CHARS);
  if (!request.schema) {
    if (response.text.trim() === "") throw new WorkflowError("EMPTY_OUTPUT", `the agent returned no output`, { transient: true });
    return { value: response.text, usage: spent.total(), model: model(response) };
  }
  for (let repair = 0; ; repair++) {
    const value = response.json !== void 0 ? response.json : extractJson(response.text);
    if (tooDeep(value)) throw tooDeepAnswer(spent.total());
    const errors = value === void 0 ? ["the answer contains no JSON value"] : schemaErrors(request.schema, value);
    if (errors.length === 0) return { value, usage: spent.total(), model: model(response) };
    if (repair >= MAX_SCHEMA_REPAIRS)
      throw new WorkflowError("SCHEMA_NONCOMPLIANCE", `the answer did not match the schema after ${MAX_SCHEMA_REPAIRS} repair attempts: ${errors.slice(0, 3).join("; ")}`);
    response = await attempt(provider, { ...request, repair: { output: response.text, errors } }, settings, signal);
    spent.add(response, request.model);
  }
}
async function attempt(provider, request, settings, runSignal) {
  if (runSignal.aborted) throw new WorkflowError("STOPPED", "the run was stopped while this agent was running");
  const controller = new AbortController();
  const abort = () => controller.abort(runSignal.reason);
  runSignal.addEventListener("abort", abort, { once: true });
  const timers = [];
  let timedOut;
  const expire = (error) => {
    timedOut = error;
    controller.abort(error);
  };
  if (settings.timeoutMs !== void 0)
    timers.push(setTimeout(() => expire(new WorkflowError("TIMEOUT", `the agent did not finish within ${seconds(settings.timeoutMs)}`)), settings.timeoutMs));
  let idle;
  const armIdle = () => {
    if (settings.idleTimeoutMs === void 0) return;
    clearTimeout(idle);
    idle = setTimeout(() => expire(new WorkflowError("TIMEOUT", `the agent produced no output for ${seconds(settings.idleTimeoutMs)} and was stopped (hung?)`)), settings.idleTimeoutMs);
  };
  armIdle();
  try {
    return await provider.run({ ...request, onActivity: armIdle }, controller.signal);
  } catch (error) {
    throw timedOut ?? error;
  } finally {
    timers.forEach(clearTimeout);
    clearTimeout(idle);
    runSignal.removeEventListener("abort", abort);
  }
}
function tooDeepAnswer(usage) {
  const tokens = (usage.inputTokens + usage.outputTokens).toLocaleString("en-US");
  return new WorkflowError(
    "PROVIDER",
    `the answer nests more than ${MAX_JSON_DEPTH} levels deep, the limit for JSON answers, so it can be neither used nor journaled; its ${tokens} tokens count toward the run's spending. Ask for a flatter structure in the schema or the prompt`
  );
}
function asCallError(error, signal) {
  if (signal.aborted) return new WorkflowError("STOPPED", "the run was stopped while this agent was running");
  const known = asWorkflowError(error);
  if (known.message.length <= MAX_ERROR_MESSAGE_CHARS) return known;
  return new WorkflowError(known.code, clipWithNote(known.message, MAX_ERROR_MESSAGE_CHARS), { transient: known.transient, retryAfterMs: known.retryAfterMs, cause: known });
}
function seconds(ms) {
  return ms % 1e3 === 0 ? `${ms / 1e3}s` : `${(ms / 1e3).toFixed(1)}s`;
}

// src/engine/editing.ts
function beginEditing(edits, provider, identity, options, line) {
  if (!provider.canEdit)
    throw new WorkflowError(
      "INVALID_CALL",
      `agent(): 'edits: true' needs an agent that can change files (claude-code, codex or command); '${provider.name}' only answers with text. Route this call to one of those, or turn its answer into changes with writeFile() or applyPatch()`,
      { line }
    );
  if (!edits) throw new WorkflowError("INVALID_CALL", "agent(): 'edits: true' is not available here: this run cannot change files", { line });
  let base;
  try {
    base = edits.begin();
  } catch (error) {
    const code = error instanceof WorkflowError ? error.code : "EDIT_FAILED";
    throw new WorkflowError(code, `agent(): 'edits: true': ${error.message}`, { line });
  }
  identity.edits = true;
  if (!options.files) identity.tree = base.tree;
  return base;
}

// src/engine/shared-contexts.ts
var SharedContexts = class {
  /** Per provider, model and context (hashed), the end of its first live call. */
  #leaders = /* @__PURE__ */ new Map();
  /** What a live call waits for before it starts (`wait`), or what it must call when it ends (`done`, the first call). */
  turn(provider, model, context) {
    if (context === void 0 || !provider.cachesContext) return {};
    const key = sha256(`${provider.name}
${model}
${context}`);
    const leader = this.#leaders.get(key);
    if (leader) return { wait: leader };
    let done;
    this.#leaders.set(key, new Promise((resolve) => done = resolve));
    return { done };
  }
};

// src/engine/miss-explainer.ts
var MissExplainer = class {
  constructor(entries) {
    this.entries = entries;
  }
  entries;
  #byLabel;
  #byLine;
  explain(call, used) {
    this.#index();
    const candidates = [...this.#byLabel.get(call.label) ?? [], ...call.line === void 0 ? [] : this.#byLine.get(call.line) ?? []];
    let best;
    for (const entry of candidates) {
      if (used.has(entry.key)) continue;
      const changed = changedComponents(call.components, entry.components);
      if (changed.length > 0 && (!best || changed.length < best.changed.length)) best = { entry, changed };
    }
    return best ? { kind: "changed", components: best.changed, label: best.entry.label } : { kind: "new" };
  }
  /** Built on the first miss only: a fully replayed run never pays for it. */
  #index() {
    if (this.#byLabel) return;
    this.#byLabel = /* @__PURE__ */ new Map();
    this.#byLine = /* @__PURE__ */ new Map();
    for (const entry of this.entries()) {
      if (entry.label !== void 0) push(this.#byLabel, entry.label, entry);
      if (entry.line !== void 0) push(this.#byLine, entry.line, entry);
    }
  }
};
function push(map, key, entry) {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

// src/engine/routing.ts
function resolveRoute(options, phase, meta, config, defaultProvider, defaultModelOf) {
  const type = options.agentType === void 0 ? void 0 : own(config.agentTypes, options.agentType);
  const tier = options.tier === void 0 ? void 0 : own(config.tiers, options.tier);
  let notice;
  if (options.tier !== void 0 && !tier)
    notice = `tier '${options.tier}' is not configured${Object.keys(config.tiers).length ? ` (configured: ${Object.keys(config.tiers).join(", ")})` : ""}; using the next model in the routing order`;
  if (options.agentType !== void 0 && !type)
    notice = `agent type '${options.agentType}' is not configured${Object.keys(config.agentTypes).length ? ` (configured: ${Object.keys(config.agentTypes).join(", ")})` : ""}; the call runs without its model, system prompt and tools`;
  const chosen = options.model !== void 0 ? { model: options.model } : type?.model !== void 0 ? { provider: type.provider, model: type.model } : tier ?? firstModel(phase?.model, config.model, meta.model);
  const provider = chosen?.provider ?? type?.provider ?? defaultProvider;
  const model = chosen?.model ?? defaultModelOf(provider);
  return { provider, model, system: type?.system, tools: type?.tools, notice };
}
function firstModel(...models) {
  const model = models.find((m) => m !== void 0);
  return model === void 0 ? void 0 : { model };
}
function own(map, key) {
  return Object.hasOwn(map, key) ? map[key] : void 0;
}

// src/engine/agent-calls.ts
var AgentCalls = class {
  usedKeys = /* @__PURE__ */ new Set();
  #ctx;
  #explainer;
  #notices = /* @__PURE__ */ new Set();
  #count = 0;
  #inFlight = 0;
  #contexts = new SharedContexts();
  #idle = [];
  constructor(ctx) {
    this.#ctx = ctx;
    this.#explainer = new MissExplainer(() => ctx.journal.entries());
  }
  async call(request) {
    this.#inFlight++;
    try {
      const refused = this.#refusal(request.line);
      if (refused) throw refused;
      const call = this.#prepare(request);
      const entry = this.#ctx.config.replay ? this.#ctx.journal.get(call.key) : void 0;
      if (entry) return this.#replay(call, entry);
      return await this.#runLive(call);
    } finally {
      if (--this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
  /** Resolves once no call is in flight (un-awaited calls are paid for: they finish and are journaled). */
  drain() {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
  /** A stopped run, or one that hit a fatal limit, starts nothing new. */
  #refusal(line) {
    if (this.#ctx.signal.aborted) return new WorkflowError("STOPPED", "the run was stopped", { line });
    const fatal = this.#ctx.fatal();
    return fatal ? new WorkflowError(fatal.code, fatal.message, { line }) : void 0;
  }
  #prepare(request) {
    const ctx = this.#ctx;
    const { line } = request;
    const { prompt, options } = checkAgentCall(request.prompt, request.options, line);
    if (this.#count + 1 > ctx.config.maxAgents) {
      const error = new WorkflowError(
        "MAX_AGENTS",
        `this run reached its limit of ${ctx.config.maxAgents} agent calls (max-agents); raise --max-agents if the script really needs more`,
        { line }
      );
      ctx.setFatal(error);
      throw error;
    }
    const phase = options.phase ?? ctx.currentPhase();
    const phaseMeta = ctx.meta.phases?.find((p) => p.title === phase);
    const route = resolveRoute(options, phaseMeta, ctx.meta, ctx.config, ctx.providers.defaultProvider, (name) => ctx.providers.get(name)?.defaultModel ?? "default");
    if (route.notice) this.#noticeOnce(route.notice);
    const provider = ctx.providers.get(route.provider);
    if (!provider) throw new WorkflowError("INVALID_CALL", `agent(): no agent provider named '${route.provider}' is configured for this run`, { line });
    const identity = { prompt, provider: provider.name, model: route.model };
    const system = joinSystem(route.system, options.system);
    if (system) identity.system = system;
    if (options.schema) identity.schema = options.schema;
    if (options.agentType) identity.agentType = options.agentType;
    if (route.tools) identity.tools = route.tools;
    if (options.cacheKey) identity.cacheKey = options.cacheKey;
    if (options.context) identity.context = options.context;
    if (options.files) identity.files = this.#hashFiles(options.files, line);
    const base = options.edits ? beginEditing(this.#ctx.edits, provider, identity, options, line) : void 0;
    const hash = identityHash(identity);
    const key = ctx.keyer.next(hash);
    const label = options.label ?? defaultLabel(prompt);
    const id = ++this.#count;
    ctx.emit({ type: "agent_queued", at: ctx.now(), id, key, label, phase, provider: provider.name, model: route.model, line });
    return { id, key, hash, provider, model: route.model, identity, options, label, phase, line, base };
  }
  #replay(call, entry) {
    if (call.base) return this.#landOrFail(call, entry.edits, entry.usage).then(() => this.#replayed(call, entry));
    return this.#replayed(call, entry);
  }
  #replayed(call, entry) {
    this.usedKeys.add(call.key);
    this.#ctx.budget.countCompleted(entry.usage);
    this.#ctx.emit({ type: "agent_replayed", at: this.#ctx.now(), id: call.id, usage: entry.usage, durationMs: entry.durationMs });
    return entry.result;
  }
  /** Lands an editing call's changes (in call order); a conflict fails the call, whose answer stays journaled. */
  async #landOrFail(call, edits, usage) {
    const ctx = this.#ctx;
    if (!edits) return ctx.edits.drop(call.base);
    try {
      await ctx.edits.land(call.base, edits, { label: call.label, line: call.line });
    } catch (thrown) {
      const error = asWorkflowError(thrown);
      ctx.emit({ type: "agent_failed", at: ctx.now(), id: call.id, error: { ...error.toInfo(), line: call.line }, ...usage ? { usage } : {} });
      throw new WorkflowError(error.code, `agent '${call.label}' failed: ${error.message}`, { line: call.line, cause: error });
    }
  }
  async #runLive(call) {
    const ctx = this.#ctx;
    const spent = new UsageSum();
    const components = componentHashes(call.identity);
    let started;
    let charged = false;
    let pendingBase = call.base;
    const turn = this.#contexts.turn(call.provider, call.model, call.identity.context);
    try {
      if (turn.wait) await turn.wait;
      const deferred = ctx.livePolicy?.({ key: call.key, hash: call.hash });
      if (deferred) throw new WorkflowError("DEFERRED", deferred);
      this.#checkBudget(call);
      const { result, durationMs, edits } = await ctx.limiter(async () => {
        const tripped = ctx.fatal();
        if (tripped && BREAKER_CODES.includes(tripped.code)) throw new WorkflowError(tripped.code, `not started: ${tripped.message}`);
        this.#checkBudget(call);
        started = ctx.now();
        ctx.emit({ type: "agent_started", at: started, id: call.id, miss: this.#missReason(call, components) });
        return this.#inSlot(call, components, spent, started, () => charged = true);
      }, ctx.signal);
      if (pendingBase) {
        pendingBase = void 0;
        await ctx.edits.land(call.base, edits, { label: call.label, line: call.line });
      }
      turn.done?.();
      ctx.budget.countCompleted(result.usage);
      ctx.emit({ type: "agent_succeeded", at: ctx.now(), id: call.id, usage: result.usage, durationMs, model: result.model });
      return result.value;
    } catch (thrown) {
      turn.done?.();
      if (pendingBase) ctx.edits.drop(pendingBase);
      const error = ctx.signal.aborted ? new WorkflowError("STOPPED", "the run was stopped") : asWorkflowError(thrown);
      const usage = spent.total();
      const paid = usage.inputTokens + usage.outputTokens > 0;
      if (paid && !charged) ctx.budget.charge(usage, call.phase);
      if (isFatal(error.code) && error.code !== "STOPPED")
        ctx.setFatal(new WorkflowError(error.code, BREAKER_CODES.includes(error.code) ? `${error.message} (agent '${call.label}'); no further agent calls were started, as every one would fail the same way` : error.message, { line: call.line }));
      const failure = new WorkflowError(error.code, `agent '${call.label}' failed: ${error.message}`, { line: call.line, cause: error });
      ctx.emit({ type: "agent_failed", at: ctx.now(), id: call.id, error: { ...failure.toInfo(), message: error.message }, ...paid ? { usage } : {} });
      throw failure;
    }
  }
  /** The part of a live call that holds a slot: its own tree if it edits, the provider, the journal. */
  async #inSlot(call, components, spent, started, onCharged) {
    const ctx = this.#ctx;
    const tree = call.base ? await ctx.edits.isolate(call.base) : void 0;
    try {
      const answered = await runLiveCall(
        call.provider,
        withContext(call.provider, { ...call.identity, schema: call.options.schema, identityHash: call.hash, label: call.label, cwd: tree?.dir }),
        { timeoutMs: call.options.timeoutMs ?? ctx.config.agentTimeoutMs, idleTimeoutMs: ctx.config.idleTimeoutMs, retries: call.options.retries ?? ctx.config.retries, retryBaseMs: ctx.config.retryBaseMs },
        ctx.signal,
        spent,
        (attempt2, error, delayMs) => ctx.emit({ type: "agent_retrying", at: ctx.now(), id: call.id, attempt: attempt2, error: error.toInfo(), delayMs })
      );
      const took = ctx.now() - started;
      ctx.budget.charge(answered.usage, call.phase);
      onCharged();
      const edits = tree ? await tree.capture() : void 0;
      await this.#journal(call, components, answered.value, answered.usage, answered.model, took, edits);
      return { result: answered, durationMs: took, edits };
    } finally {
      if (tree) await tree.remove();
    }
  }
  #checkBudget(call) {
    const refusal = this.#ctx.budget.refusal(call.phase);
    if (refusal) throw new WorkflowError("BUDGET_EXHAUSTED", `${refusal}; no new agent calls were started`, { line: call.line });
  }
  async #journal(call, components, result, usage, model, durationMs, edits) {
    const ctx = this.#ctx;
    const entry = {
      v: ENTRY_VERSION,
      key: call.key,
      hash: call.hash,
      components,
      result,
      usage,
      provider: call.provider.name,
      model,
      label: call.label,
      phase: call.phase,
      line: call.line,
      durationMs,
      finishedAt: new Date(ctx.now()).toISOString(),
      runId: ctx.runId,
      ...edits ? { edits } : {}
    };
    this.usedKeys.add(call.key);
    try {
      await ctx.journal.append(entry);
    } catch (error) {
      ctx.emit({ type: "warning", at: ctx.now(), message: `could not write the journal entry of agent '${call.label}': ${error.message}` });
    }
  }
  #missReason(call, components) {
    if (!this.#ctx.config.replay) return { kind: "replay-disabled" };
    return this.#explainer.explain({ label: call.label, line: call.line, components }, this.usedKeys);
  }
  #hashFiles(patterns, line) {
    try {
      return this.#ctx.workspace.hashFiles(patterns);
    } catch (error) {
      throw new WorkflowError("INVALID_CALL", `agent(): option 'files': ${error.message}`, { line });
    }
  }
  /** Each notice once, and a bounded number of them: a script can make one per call (a tier name per item). */
  #noticeOnce(message) {
    if (this.#notices.has(message) || this.#notices.size > MAX_NOTICES) return;
    this.#notices.add(message);
    const shown = this.#notices.size > MAX_NOTICES ? `more than ${MAX_NOTICES} routing notices; further ones are not shown` : message;
    this.#ctx.emit({ type: "warning", at: this.#ctx.now(), message: shown });
  }
};
function withContext(provider, request) {
  if (request.context === void 0 || provider.cachesContext) return request;
  const { context, ...rest } = request;
  return { ...rest, prompt: `${context}

${request.prompt}` };
}
function joinSystem(typeSystem, callSystem) {
  if (typeSystem && callSystem) return `${typeSystem}

${callSystem}`;
  return typeSystem || callSystem || void 0;
}
function defaultLabel(prompt) {
  const text3 = prompt.trimStart();
  const end = text3.indexOf("\n");
  const first = (end < 0 ? text3 : text3.slice(0, end)).trim();
  return first.length > 48 ? first.slice(0, 47) + "\u2026" : first;
}

// src/engine/budget.ts
var Budget = class {
  constructor(limits) {
    this.limits = limits;
  }
  limits;
  #tokens = 0;
  #usd = 0;
  #completedTokens = 0;
  #completedUsd = 0;
  #phaseLimits = /* @__PURE__ */ new Map();
  #phaseTokens = /* @__PURE__ */ new Map();
  /** Sets a token budget for the live calls of one phase (`phase(title, {budget})`). */
  limitPhase(title, tokens) {
    this.#phaseLimits.set(title, tokens);
  }
  charge(usage, phase) {
    const tokens = usage.inputTokens + usage.outputTokens;
    this.#tokens += tokens;
    this.#usd = roundUsd(this.#usd + (usage.costUsd ?? 0));
    if (phase !== void 0) this.#phaseTokens.set(phase, (this.#phaseTokens.get(phase) ?? 0) + tokens);
  }
  /** A call whose answer the script receives: live (after `charge`) or replayed (its journaled usage). */
  countCompleted(usage) {
    this.#completedTokens += usage.inputTokens + usage.outputTokens;
    this.#completedUsd = roundUsd(this.#completedUsd + (usage.costUsd ?? 0));
  }
  /** Why a new live call may not start (spent vs limit), or undefined when it may. */
  refusal(phase) {
    const { tokens, costUsd } = this.limits;
    if (tokens !== void 0 && this.#tokens >= tokens) return `token budget exhausted: spent ${fmt(this.#tokens)} of ${fmt(tokens)} tokens`;
    if (costUsd !== void 0 && this.#usd >= costUsd) return `cost budget exhausted: spent $${this.#usd.toFixed(4)} of $${costUsd.toFixed(4)}`;
    const phaseLimit = phase === void 0 ? void 0 : this.#phaseLimits.get(phase);
    const phaseSpent = phase === void 0 ? 0 : this.#phaseTokens.get(phase) ?? 0;
    if (phaseLimit !== void 0 && phaseSpent >= phaseLimit)
      return `token budget of phase '${phase}' exhausted: spent ${fmt(phaseSpent)} of ${fmt(phaseLimit)} tokens`;
    return void 0;
  }
  /** What the script reads: the same in a replay as in the run it replays. */
  view() {
    const total = this.limits.tokens ?? null;
    return {
      total,
      spent: this.#completedTokens,
      remaining: total === null ? null : Math.max(0, total - this.#completedTokens),
      totalUsd: this.limits.costUsd ?? null,
      spentUsd: this.#completedUsd
    };
  }
};
function fmt(n) {
  return n.toLocaleString("en-US");
}

// src/engine/config.ts
var DEFAULT_CONFIG = Object.freeze({
  concurrency: SETTINGS.concurrency.default,
  maxAgents: SETTINGS.maxAgents.default,
  retries: SETTINGS.agentRetries.default,
  retryBaseMs: 1e3,
  replay: SETTINGS.replay.default,
  tiers: {},
  agentTypes: {}
});
function resolveConfig(partial = {}) {
  const config = { ...DEFAULT_CONFIG, ...withoutUndefined(partial) };
  positiveInteger("concurrency", config.concurrency);
  positiveInteger("maxAgents", config.maxAgents);
  nonNegativeInteger("retries", config.retries);
  nonNegative("retryBaseMs", config.retryBaseMs);
  for (const name of ["agentTimeoutMs", "idleTimeoutMs", "tokenBudget", "costBudgetUsd"])
    if (config[name] !== void 0 && !(typeof config[name] === "number" && config[name] > 0))
      throw new WorkflowError("INVALID_CALL", `${name} must be a positive number, got ${String(config[name])}`);
  return Object.freeze(config);
}
function positiveInteger(name, value) {
  if (!Number.isInteger(value) || value < 1) throw new WorkflowError("INVALID_CALL", `${name} must be an integer from 1 and up, got ${String(value)}`);
}
function nonNegativeInteger(name, value) {
  if (!Number.isInteger(value) || value < 0) throw new WorkflowError("INVALID_CALL", `${name} must be an integer from 0 and up, got ${String(value)}`);
}
function nonNegative(name, value) {
  if (typeof value !== "number" || !(value >= 0)) throw new WorkflowError("INVALID_CALL", `${name} must be a number from 0 and up, got ${String(value)}`);
}

// src/engine/limiter.ts
function createLimiter(concurrency) {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError("Expected `concurrency` to be an integer from 1 and up");
  const queue = [];
  let active = 0;
  const next = () => {
    active--;
    queue.shift()?.();
  };
  const limit = (task, signal) => new Promise((resolve, reject) => {
    const start = () => {
      signal?.removeEventListener("abort", onAbort);
      active++;
      Promise.resolve().then(task).then(resolve, reject).finally(next);
    };
    const onAbort = () => {
      const at = queue.indexOf(start);
      if (at >= 0) queue.splice(at, 1);
      reject(signal?.reason);
    };
    if (signal?.aborted) return reject(signal.reason);
    if (active < concurrency) return start();
    signal?.addEventListener("abort", onAbort, { once: true });
    queue.push(start);
  });
  Object.defineProperties(limit, {
    activeCount: { get: () => active },
    pendingCount: { get: () => queue.length }
  });
  return limit;
}

// src/core/effects.ts
function noEffects() {
  return { review: { comments: [] }, labels: { add: [], remove: [] } };
}
function declare(effects, effect) {
  if (effect.kind === "report") effects.report = effect.markdown;
  else if (effect.kind === "reviewSummary") effects.review.summary = effect.markdown;
  else if (effect.kind === "reviewComment") effects.review.comments.push(effect.comment);
  else {
    const [into, from] = effect.action === "add" ? [effects.labels.add, effects.labels.remove] : [effects.labels.remove, effects.labels.add];
    if (from.includes(effect.name)) from.splice(from.indexOf(effect.name), 1);
    if (!into.includes(effect.name)) into.push(effect.name);
  }
}
var MAX_REPORT_CHARS = 6e4;
var MAX_REVIEW_TEXT_CHARS = 65536;
var MAX_REVIEW_COMMENTS = 500;
var MAX_LABEL_NAME_CHARS = 50;
var MAX_LABELS = 100;

// src/engine/effect-check.ts
function checkEffect(args, declared, line) {
  const [kind, ...rest] = args;
  const named = NAMES2[kind];
  if (!named) throw new WorkflowError("SCRIPT_ERROR", "the sandbox sent a malformed effect");
  const fail = (message) => new WorkflowError("INVALID_CALL", `${named}: ${message}`, { line });
  switch (kind) {
    case "report":
      return { kind: "report", markdown: text2(rest[0], "the report", MAX_REPORT_CHARS, fail) };
    case "reviewSummary":
      return { kind: "reviewSummary", markdown: text2(rest[0], "the summary", MAX_REVIEW_TEXT_CHARS, fail) };
    case "reviewComment":
      if (declared.review.comments.length >= MAX_REVIEW_COMMENTS) throw fail(`a run may declare at most ${MAX_REVIEW_COMMENTS} review comments; fold the rest into review.summary()`);
      return { kind: "reviewComment", comment: reviewComment(rest, fail) };
    case "labelAdd":
    case "labelRemove": {
      const name = text2(rest[0], "the label", MAX_LABEL_NAME_CHARS, fail);
      if (declared.labels.add.length + declared.labels.remove.length >= MAX_LABELS) throw fail(`a run may change at most ${MAX_LABELS} labels`);
      return { kind: "label", action: kind === "labelAdd" ? "add" : "remove", name };
    }
  }
}
var NAMES2 = { report: "report()", reviewSummary: "review.summary()", reviewComment: "review.comment()", labelAdd: "labels.add()", labelRemove: "labels.remove()" };
function text2(value, what, max, fail) {
  if (typeof value !== "string" || value.trim() === "") throw fail(`${what} must be a non-empty string`);
  if (value.length > max) throw fail(`${what} ${tooLong(value.length, max)}`);
  return value;
}
function reviewComment(args, fail) {
  const [path13, line, body, options] = args;
  if (typeof path13 !== "string" || path13 === "" || path13.startsWith("/") || path13.split("/").includes(".."))
    throw fail("the path must be a file of the repository, relative to its root (no leading / or ..)");
  if (!Number.isSafeInteger(line) || line < 1) throw fail("the line must be a positive integer");
  const comment = { path: path13, line, body: text2(body, "the body", MAX_REVIEW_TEXT_CHARS, fail) };
  if (options === null || options === void 0) return comment;
  if (!isRecord(options)) throw fail("the options must be an object: { suggestion, startLine, side }");
  for (const key of Object.keys(options)) if (!["suggestion", "startLine", "side"].includes(key)) throw fail(`unknown option '${key}'; the options are suggestion, startLine, side`);
  if (options.suggestion !== void 0) {
    if (typeof options.suggestion !== "string") throw fail("suggestion must be a string (the lines that replace the commented ones)");
    comment.suggestion = options.suggestion;
  }
  if (options.startLine !== void 0) {
    if (!Number.isSafeInteger(options.startLine) || options.startLine < 1 || options.startLine >= comment.line)
      throw fail("startLine must be a positive integer below line");
    comment.startLine = options.startLine;
  }
  if (options.side !== void 0) {
    if (options.side !== "LEFT" && options.side !== "RIGHT") throw fail("side must be 'LEFT' (the old lines) or 'RIGHT' (the new ones)");
    comment.side = options.side;
  }
  return comment;
}

// src/engine/run-workflow.ts
async function runWorkflow(options) {
  return new WorkflowRun(options).execute();
}
var WorkflowRun = class {
  #options;
  #config;
  #budget;
  #stop = new AbortController();
  #calls;
  #phase;
  /** Every phase title this run has had (meta's and phase()'s), and how often it changed phase. */
  #phases = /* @__PURE__ */ new Set();
  #phaseChanges = 0;
  #fatal;
  #logBytes = 0;
  #effects = noEffects();
  constructor(options) {
    this.#options = options;
    this.#config = resolveConfig(options.config);
    this.#budget = new Budget({ tokens: this.#config.tokenBudget, costUsd: this.#config.costBudgetUsd });
    this.#calls = new AgentCalls({
      ...options,
      config: this.#config,
      budget: this.#budget,
      keyer: new CallKeyer(),
      limiter: createLimiter(this.#config.concurrency),
      signal: this.#stop.signal,
      emit: (event) => this.#emit(event),
      now: () => this.#now(),
      currentPhase: () => this.#phase,
      fatal: () => this.#fatal,
      setFatal: (error) => {
        this.#fatal ??= error;
      }
    });
  }
  async execute() {
    const { meta, signal } = this.#options;
    setMaxListeners(0, this.#stop.signal);
    const onAbort = () => this.#stop.abort(new WorkflowError("STOPPED", "the run was stopped"));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#emit({
      type: "run_started",
      at: this.#now(),
      runId: this.#options.runId,
      name: meta.name,
      description: meta.description,
      script: this.#options.script,
      phases: meta.phases ?? [],
      provider: this.#options.providers.defaultProvider,
      concurrency: this.#config.concurrency,
      maxAgents: this.#config.maxAgents,
      budget: { tokens: this.#config.tokenBudget, costUsd: this.#config.costBudgetUsd }
    });
    for (const declared of meta.phases ?? []) this.#phases.add(declared.title);
    if (meta.phases?.[0]) this.#startPhase(meta.phases[0].title);
    const stopped = new Promise((resolve) => {
      if (this.#stop.signal.aborted) resolve("stopped");
      this.#stop.signal.addEventListener("abort", () => resolve("stopped"), { once: true });
    });
    const script = this.#options.program.run(this, this.#options.args ?? {}).then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error })
    );
    let settled = await Promise.race([script, stopped]);
    if (settled !== "stopped") settled = await Promise.race([this.#drain().then(() => settled), stopped]);
    if (settled === "stopped") await this.#drain();
    signal?.removeEventListener("abort", onAbort);
    this.#options.program.dispose();
    const outcome = this.#outcome(settled);
    this.#emit({ type: "run_finished", at: this.#now(), status: outcome.status, result: outcome.result, error: outcome.error });
    return outcome;
  }
  #outcome(settled) {
    const usedKeys = this.#calls.usedKeys;
    if (settled === "stopped") return { status: "stopped", error: { code: "STOPPED", message: "the run was stopped" }, usedKeys };
    if (this.#fatal) return { status: "failed", error: this.#fatal.toInfo(), usedKeys };
    if (!settled.ok) return { status: "failed", error: toErrorInfo(settled.error), usedKeys };
    return { status: "succeeded", result: settled.value ?? null, usedKeys };
  }
  #drain() {
    return this.#calls.drain();
  }
  // ---- ScriptHost: what the sandbox may call ----
  agent(request) {
    return this.#calls.call(request);
  }
  phase(title, options, line) {
    const fail = (message) => new WorkflowError("INVALID_CALL", `phase(): ${message}`, { line });
    if (typeof title !== "string" || title.trim() === "") throw fail("the title must be a non-empty string");
    if (title.length > MAX_PHASE_TITLE_CHARS) throw fail(`the title ${tooLong(title.length, MAX_PHASE_TITLE_CHARS)}; shorten it`);
    if (!this.#phases.has(title) && this.#phases.size >= MAX_PHASES)
      throw fail(`a run may have at most ${MAX_PHASES} phases, and this would be phase ${MAX_PHASES + 1}; reuse a phase, or give calls the \`phase\` option`);
    if (title !== this.#phase && this.#phaseChanges >= MAX_PHASE_CHANGES)
      throw fail(`a run may change phase at most ${MAX_PHASE_CHANGES.toLocaleString("en-US")} times (each change is an event in the run's files); give calls the \`phase\` option instead of switching phases in a loop`);
    if (options !== void 0 && options !== null) {
      const budget = isRecord(options) ? options.budget : void 0;
      const unknown = isRecord(options) ? Object.keys(options).filter((k) => k !== "budget") : [];
      if (!isRecord(options) || unknown.length > 0 || budget !== void 0 && !(typeof budget === "number" && budget > 0))
        throw fail("the options must be { budget: <tokens> } with a positive number of tokens");
      if (typeof budget === "number") this.#budget.limitPhase(title, budget);
    }
    this.#startPhase(title);
  }
  /**
   * A script's log line, as an event. Lines are clipped and a run's log is capped, counting
   * what each line costs in the run's files (its event, escaped, plus a fixed overhead), so a
   * script cannot flood the terminal, the run's files or the host's memory, not even with
   * empty lines.
   */
  log(message, line) {
    if (this.#logBytes > MAX_LOG_BYTES) return;
    const clipped = clipWithNote(String(message), MAX_LOG_LINE);
    this.#logBytes += Buffer.byteLength(JSON.stringify(clipped)) + LOG_LINE_OVERHEAD_BYTES;
    if (this.#logBytes > MAX_LOG_BYTES) {
      this.#emit({ type: "warning", at: this.#now(), message: `the script logged over ${formatBytes(MAX_LOG_BYTES)}; further log() lines are dropped` });
      return;
    }
    this.#emit({ type: "log", at: this.#now(), message: clipped, line });
  }
  readFile(path13, line) {
    if (typeof path13 !== "string" || path13 === "") throw new WorkflowError("INVALID_CALL", "readFile(): the path must be a non-empty string", { line });
    return withLine(line, () => this.#options.workspace.readFile(path13));
  }
  glob(pattern, line) {
    if (typeof pattern !== "string" || pattern === "") throw new WorkflowError("INVALID_CALL", "glob(): the pattern must be a non-empty string", { line });
    return withLine(line, () => this.#options.workspace.glob(pattern));
  }
  writeFile(path13, text3, line) {
    if (typeof path13 !== "string" || path13 === "") throw new WorkflowError("INVALID_CALL", "writeFile(): the path must be a non-empty string", { line });
    if (typeof text3 !== "string") throw new WorkflowError("INVALID_CALL", `writeFile(): the content must be a string, got ${text3 === null ? "null" : typeof text3}`, { line });
    this.#editing("writeFile()", line, (edits) => edits.writeFile(path13, text3));
  }
  applyPatch(diff, line) {
    if (typeof diff !== "string" || diff.trim() === "") throw new WorkflowError("INVALID_CALL", "applyPatch(): the patch must be a non-empty string (a unified diff)", { line });
    return this.#editing("applyPatch()", line, (edits) => edits.applyPatch(diff));
  }
  /** Runs a change of the script's; a refusal from below (a link, a folder where a file is) becomes EDIT_FAILED at its line. */
  #editing(what, line, change) {
    const edits = this.#options.edits;
    if (!edits) throw new WorkflowError("INVALID_CALL", `${what} is not available here: this run cannot change files`, { line });
    try {
      return change(edits);
    } catch (error) {
      if (error instanceof WorkflowError) throw error.line === void 0 ? new WorkflowError(error.code, error.message, { line }) : error;
      throw new WorkflowError("EDIT_FAILED", `${what}: ${error.message}`, { line });
    }
  }
  effect(args, line) {
    const effect = checkEffect(args, this.#effects, line);
    declare(this.#effects, effect);
    this.#emit({ type: "effect", at: this.#now(), effect, line });
  }
  budget() {
    return this.#budget.view();
  }
  // ---- helpers ----
  #startPhase(title) {
    if (title === this.#phase) return;
    this.#phase = title;
    this.#phases.add(title);
    this.#phaseChanges++;
    this.#emit({ type: "phase_started", at: this.#now(), title });
  }
  #emit(event) {
    this.#options.onEvent(event);
  }
  #now() {
    return (this.#options.now ?? Date.now)();
  }
};
function withLine(line, read) {
  try {
    return read();
  } catch (error) {
    if (error instanceof WorkflowError && error.line === void 0) throw new WorkflowError(error.code, error.message, { line });
    throw error;
  }
}

// src/journal/compact.ts
import path from "node:path";

// src/journal/entry.ts
var KEY = /^([0-9a-f]{64})#(0|[1-9][0-9]*)$/;
function parseEntryLine(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: "invalid", detail: "not JSON" };
  }
  if (!isRecord(value)) return { ok: false, reason: "invalid", detail: "not an object" };
  if (tooDeep(value, MAX_JSON_DEPTH + 1)) return { ok: false, reason: "invalid", detail: `nested more than ${MAX_JSON_DEPTH} levels deep` };
  if (value.v !== ENTRY_VERSION) return { ok: false, reason: "foreign-version", detail: `version ${JSON.stringify(value.v)}` };
  const problem = entryProblem(value);
  if (problem) return { ok: false, reason: "invalid", detail: problem };
  return { ok: true, entry: value };
}
function entryProblem(value) {
  const key = typeof value.key === "string" ? KEY.exec(value.key) : null;
  if (!key) return "bad key";
  if (value.hash !== key[1]) return "hash does not match key";
  if (!("result" in value)) return "no result";
  const usage = value.usage;
  if (!isRecord(usage) || !isCount(usage.inputTokens) || !isCount(usage.outputTokens)) return "bad usage";
  if (usage.costUsd !== null && !(typeof usage.costUsd === "number" && usage.costUsd >= 0)) return "bad usage cost";
  if (usage.cacheSavedUsd !== void 0 && !(typeof usage.cacheSavedUsd === "number" && usage.cacheSavedUsd >= 0 && Number.isFinite(usage.cacheSavedUsd))) return "bad usage cache saving";
  if (typeof value.provider !== "string" || typeof value.model !== "string") return "bad provider or model";
  if (!isRecord(value.components)) return "bad components";
  if (typeof value.finishedAt !== "string" || typeof value.runId !== "string") return "bad finishedAt or runId";
  if (typeof value.durationMs !== "number") return "bad durationMs";
  return void 0;
}
function formatEntryLine(entry) {
  return JSON.stringify(entry);
}
function isCount(value) {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

// src/journal/read.ts
function readJournalText(text3) {
  const entries = /* @__PURE__ */ new Map();
  const stats = { entries: 0, torn: 0, invalid: 0, foreignVersion: 0 };
  const lines = text3.split("\n");
  const lastIsTorn = lines[lines.length - 1] !== "";
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = parseEntryLine(line);
    if (parsed.ok) {
      entries.delete(parsed.entry.key);
      entries.set(parsed.entry.key, parsed.entry);
    } else if (i === lines.length - 1 && lastIsTorn) stats.torn++;
    else if (parsed.reason === "foreign-version") stats.foreignVersion++;
    else stats.invalid++;
  });
  stats.entries = entries.size;
  return { entries, stats };
}
function describeSkipped(stats, where) {
  const out = [];
  if (stats.torn) out.push(`${where}: skipped a torn last line (a run was killed while writing it); every complete entry was kept`);
  if (stats.invalid) out.push(`${where}: skipped ${stats.invalid} invalid line${stats.invalid === 1 ? "" : "s"}`);
  if (stats.foreignVersion)
    out.push(`${where}: skipped ${stats.foreignVersion} line${stats.foreignVersion === 1 ? "" : "s"} written by another version of dynamic-workflow`);
  return out;
}

// src/journal/compact.ts
var DEFAULT_JOURNAL_MAX_BYTES = 64 * 1024 * 1024;
function mergeEntries(...sources) {
  const merged = /* @__PURE__ */ new Map();
  for (const source of sources)
    for (const entry of source) {
      const have = merged.get(entry.key);
      if (!have || have.finishedAt <= entry.finishedAt) merged.set(entry.key, entry);
    }
  return merged;
}
function selectForCompaction(entries, used, maxBytes = DEFAULT_JOURNAL_MAX_BYTES) {
  const kept = [];
  const others = [];
  let bytes = 0;
  for (const entry of entries) {
    if (used.has(entry.key)) {
      kept.push(entry);
      bytes += lineBytes(entry);
    } else others.push(entry);
  }
  others.sort((a, b) => a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0);
  for (const entry of others) {
    const size = lineBytes(entry);
    if (bytes + size > maxBytes) continue;
    kept.push(entry);
    bytes += size;
  }
  return kept.sort((a, b) => a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0);
}
async function writeJournalFile(file, entries, options = {}) {
  let text3 = "";
  for (const entry of entries) text3 += formatEntryLine(entry) + "\n";
  writeFileAtomically(options.root ?? path.dirname(file), file, text3, { durable: true });
}
async function compactJournalFile(file, used, maxBytes = DEFAULT_JOURNAL_MAX_BYTES, options = {}) {
  const text3 = readJournalFile(options.root ?? path.dirname(file), file);
  if (text3 === void 0) return 0;
  const kept = selectForCompaction(readJournalText(text3).entries.values(), used, maxBytes);
  await writeJournalFile(file, kept, options);
  return kept.length;
}
function lineBytes(entry) {
  return Buffer.byteLength(formatEntryLine(entry)) + 1;
}

// src/journal/file-store.ts
import path2 from "node:path";
var JournalFile = class _JournalFile {
  path;
  root;
  stats;
  warnings;
  #entries;
  #handle;
  #queue = Promise.resolve();
  constructor(file, root, entries, stats) {
    this.path = file;
    this.root = root;
    this.#entries = entries;
    this.stats = stats;
    this.warnings = describeSkipped(stats, file);
  }
  /** Loads the journal at `file` (a missing file is an empty journal; one over MAX_JOURNAL_BYTES throws JournalTooLargeError). */
  static async open(file, options = {}) {
    const root = options.root ?? path2.dirname(file);
    const { entries, stats } = readJournalText(readJournalFile(root, file) ?? "");
    return new _JournalFile(file, root, entries, stats);
  }
  get size() {
    return this.#entries.size;
  }
  get(key) {
    return this.#entries.get(key);
  }
  entries() {
    return this.#entries.values();
  }
  /** Writes the entry durably; resolves once it is fsynced. */
  append(entry) {
    this.#entries.set(entry.key, entry);
    const line = formatEntryLine(entry) + "\n";
    const done = this.#queue.then(() => this.#write(line));
    this.#queue = done.catch(() => {
    });
    return done;
  }
  async #write(line) {
    const { handle, size } = await this.#currentHandle();
    const text3 = await endsTorn(handle, size) ? "\n" + line : line;
    const bytes = Buffer.from(text3, "utf8");
    let offset = 0;
    while (offset < bytes.length) offset += (await handle.write(bytes, offset)).bytesWritten;
    await handle.sync();
  }
  /** The file open for appending, and its size; reopened if another run replaced it by compaction. */
  async #currentHandle() {
    if (this.#handle) {
      const open = await this.#handle.stat();
      const onDisk = lstatIfExists(this.path);
      if (onDisk && onDisk.ino === open.ino && onDisk.dev === open.dev) return { handle: this.#handle, size: open.size };
      await this.#handle.close();
      this.#handle = void 0;
    }
    this.#handle = await openHandleForAppend(this.root, this.path);
    return { handle: this.#handle, size: (await this.#handle.stat()).size };
  }
  /** Waits for pending appends and closes the file. */
  async close() {
    await this.#queue;
    await this.#handle?.close();
    this.#handle = void 0;
  }
};
async function endsTorn(handle, size) {
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] !== 10;
}

// node_modules/@jitl/quickjs-singlefile-mjs-release-sync/dist/index.mjs
var variant = { type: "sync", importFFI: () => import("./ffi-ACX6M7X7.js").then((mod) => mod.QuickJSFFI), importModuleLoader: () => import("./emscripten-module-Q67P5WYC-IZHY5AGS.js").then((mod) => mod.default) };
var src_default = variant;

// node_modules/quickjs-emscripten-core/dist/index.mjs
async function newQuickJSWASMModuleFromVariant(variantOrPromise) {
  let variant2 = smartUnwrap(await variantOrPromise), [wasmModuleLoader, QuickJSFFI, { QuickJSWASMModule: QuickJSWASMModule2 }] = await Promise.all([variant2.importModuleLoader().then(smartUnwrap), variant2.importFFI(), import("./module-ES6BEMUI-6LNSBXGA.js").then(smartUnwrap)]), wasmModule = await wasmModuleLoader();
  wasmModule.type = "sync";
  let ffi = new QuickJSFFI(wasmModule);
  return new QuickJSWASMModule2(wasmModule, ffi);
}
function smartUnwrap(val) {
  return val && "default" in val && val.default ? val.default && "default" in val.default && val.default.default ? val.default.default : val.default : val;
}

// src/script/cpu-meter.ts
import { performance } from "node:perf_hooks";
var CpuMeter = class {
  constructor(limitMs) {
    this.limitMs = limitMs;
  }
  limitMs;
  #usedMs = 0;
  #since = 0;
  #depth = 0;
  #tripped = false;
  enter() {
    if (this.#depth++ === 0) this.#since = performance.now();
  }
  leave() {
    if (--this.#depth === 0) this.#usedMs += performance.now() - this.#since;
  }
  /** True once the limit is passed; stays true so the guest cannot resume. */
  exceeded() {
    if (!this.#tripped && this.#depth > 0 && this.#usedMs + (performance.now() - this.#since) > this.limitMs) this.#tripped = true;
    return this.#tripped;
  }
  get tripped() {
    return this.#tripped;
  }
};

// src/script/utc-clock.ts
var HostDate = globalThis.Date;
var UtcDate = class extends HostDate {
  constructor(...args) {
    if (args.length >= 2) super(HostDate.UTC(...args));
    else super(...args);
  }
  getTimezoneOffset() {
    return Number.isNaN(this.getTime()) ? NaN : 0;
  }
};
var LOCAL_AS_UTC = [
  ["getFullYear", "getUTCFullYear"],
  ["getMonth", "getUTCMonth"],
  ["getDate", "getUTCDate"],
  ["getDay", "getUTCDay"],
  ["getHours", "getUTCHours"],
  ["getMinutes", "getUTCMinutes"],
  ["getSeconds", "getUTCSeconds"]
];
for (const [local, utc] of LOCAL_AS_UTC) {
  Object.defineProperty(UtcDate.prototype, local, {
    value: function() {
      return this[utc]();
    },
    writable: true,
    configurable: true
  });
}
var depth = 0;
function inUtc(work) {
  if (depth++ === 0) globalThis.Date = UtcDate;
  try {
    return work();
  } finally {
    if (--depth === 0) globalThis.Date = HostDate;
  }
}

// src/script/guest-errors.ts
var GuestErrors = class {
  #context;
  #script;
  #limits;
  #cpu;
  constructor(context, script, limits, cpu) {
    this.#context = context;
    this.#script = script;
    this.#limits = limits;
    this.#cpu = cpu;
  }
  /**
   * An error the host caught from the guest. The script's own throws never get here (the
   * prelude turns them into replies), so a null is QuickJS out of memory, unable to allocate
   * even the error.
   */
  dump(handle) {
    const dumped = inUtc(() => this.#context.dump(handle));
    if (dumped === null) return { code: "MEMORY_LIMIT", message: "out of memory" };
    if (typeof dumped !== "object") return { code: "SCRIPT_ERROR", message: String(dumped) };
    const site = siteOf(dumped.stack, this.#script.file);
    const message = dumped.name && dumped.name !== "Error" ? `${dumped.name}: ${dumped.message}` : String(dumped.message);
    return { code: "SCRIPT_ERROR", message, ...site };
  }
  /** The error of a failed crossing into the guest (the prelude's start, an answer delivery). */
  crossingError(handle) {
    const info = this.dump(handle);
    handle.dispose();
    return this.toError(info);
  }
  /** The error the engine sees: the user's own line and column, and limits named in words a user can act on. */
  toError(info) {
    const positions = this.#script.positions;
    if (this.#cpu.tripped) {
      const loop = info.line === void 0 || info.column === void 0 ? void 0 : loopAt(positions, info.line, info.column);
      const where2 = loop ?? this.#userSite(info);
      return new WorkflowError("CPU_LIMIT", `the script ran for more than ${this.#limits.cpuMs / 1e3}s without waiting for an agent (an endless loop?) and was stopped`, where2);
    }
    const where = this.#userSite(info);
    if (isOutOfMemory(info))
      return new WorkflowError("MEMORY_LIMIT", `the script used more than ${Math.round(this.#limits.memoryBytes / 1048576)} MB of memory and was stopped`, where);
    if (/stack overflow/.test(info.message)) return new WorkflowError("SCRIPT_ERROR", `${info.message}: the script recurses too deeply`, where);
    return new WorkflowError(info.code, info.message, where);
  }
  /** A reported position in the user's columns; a position inside the top-level wrapper has no user line. */
  #userSite(info) {
    if (info.line === void 0) return {};
    if (info.column === void 0) return { line: info.line };
    const { wrapper } = this.#script.positions;
    if (info.line === wrapper.line && info.column >= wrapper.column && info.column < wrapper.column + wrapper.length) return {};
    return { line: info.line, column: originalColumn(this.#script.positions, info.line, info.column) };
  }
};
function isOutOfMemory(info) {
  return info.code === "MEMORY_LIMIT" || /out of memory/.test(info.message);
}
function siteOf(stack, file) {
  const text3 = stack ?? "";
  let at = text3.indexOf(`(${file}:`);
  if (at < 0) {
    at = text3.indexOf(`at ${file}:`);
    if (at < 0) return {};
    at += 2;
  }
  const [line, column] = text3.slice(at + file.length + 2).split(":").map((part) => parseInt(part, 10));
  return line > 0 ? { line, ...column > 0 ? { column } : {} } : {};
}

// src/script/guest-messages.ts
var SYNC_OPS = /* @__PURE__ */ new Set(["log", "phase", "readFile", "glob", "writeFile", "applyPatch", "effect", "budget"]);
var TAMPERED = "the sandbox sent a malformed message (did the script replace a built-in such as JSON.stringify?)";
function parse(text3) {
  try {
    return JSON.parse(text3);
  } catch {
    throw new WorkflowError("SCRIPT_ERROR", TAMPERED);
  }
}
function readAgentBatch(text3) {
  const batch = parse(text3);
  if (!Array.isArray(batch)) throw new WorkflowError("SCRIPT_ERROR", TAMPERED);
  for (const item of batch) {
    if (!Array.isArray(item) || item.length !== 2 || !Number.isSafeInteger(item[0]) || !isRecord(item[1]) || !isStack(item[1].stack))
      throw new WorkflowError("SCRIPT_ERROR", TAMPERED);
  }
  return batch;
}
function readSyncMessage(text3) {
  const message = parse(text3);
  if (!isRecord(message) || !SYNC_OPS.has(message.op) || !Array.isArray(message.args) || !isLine(message.line))
    throw new WorkflowError("SCRIPT_ERROR", TAMPERED);
  if (tooDeep(message)) throw new WorkflowError("INVALID_CALL", `${message.op}(): the arguments nest more than ${MAX_JSON_DEPTH} levels deep`, { line: message.line ?? void 0 });
  return message;
}
function readFinalReply(text3) {
  const bytes = text3.startsWith('{"ok":false') ? 0 : Buffer.byteLength(text3);
  if (bytes > MAX_RESULT_BYTES)
    throw new WorkflowError(
      "NOT_SERIALIZABLE",
      `the workflow returned ${formatBytes(bytes)} of JSON, more than the ${formatBytes(MAX_RESULT_BYTES)} a result may hold (it is written to the run's files, the terminal and the Action's outputs); return a summary, and leave the details in the agents' answers, which are journaled`
    );
  const reply = parse(text3);
  if (!isRecord(reply) || typeof reply.ok !== "boolean") throw new WorkflowError("SCRIPT_ERROR", TAMPERED);
  if (reply.ok) {
    if (tooDeep(reply.value)) throw new WorkflowError("NOT_SERIALIZABLE", `the workflow returned a value nested more than ${MAX_JSON_DEPTH} levels deep`);
    return { ok: true, value: reply.value };
  }
  const error = isRecord(reply.error) ? reply.error : {};
  return {
    ok: false,
    error: {
      // The prelude only reports the runtime's own codes; the realm is not trusted to, so check.
      code: isErrorCode(error.code) ? error.code : "SCRIPT_ERROR",
      message: typeof error.message === "string" ? error.message.slice(0, 1e4) : "the script failed",
      ...isLine(error.line) && error.line !== void 0 ? { line: error.line } : {},
      ...isLine(error.column) && error.column !== void 0 ? { column: error.column } : {}
    }
  };
}
function isStack(value) {
  return value === void 0 || typeof value === "string";
}
function isLine(value) {
  return value === void 0 || value === null || Number.isSafeInteger(value) && value > 0;
}

// src/script/host-functions.ts
function createHostObject(ctx, handlers) {
  const object = ctx.newObject();
  const syncFn = ctx.newFunction("sync", (handle) => ctx.newString(handlers.sync(ctx.getString(handle))));
  const asyncFn = ctx.newFunction("async", (handle) => handlers.agents(ctx.getString(handle)));
  const doneFn = ctx.newFunction("done", (handle) => handlers.done(ctx.getString(handle)));
  ctx.setProp(object, "sync", syncFn);
  ctx.setProp(object, "async", asyncFn);
  ctx.setProp(object, "done", doneFn);
  for (const fn of [syncFn, asyncFn, doneFn]) fn.dispose();
  return object;
}
function answerSyncRequest(host, text3) {
  try {
    const { op, args, line } = readSyncMessage(text3);
    const at = line ?? void 0;
    const value = op === "log" ? host.log(String(args[0]), at) : op === "phase" ? host.phase(args[0], args[1] ?? void 0, at) : op === "readFile" ? host.readFile(args[0], at) : op === "glob" ? host.glob(args[0], at) : op === "writeFile" ? host.writeFile(args[0], args[1], at) : op === "applyPatch" ? host.applyPatch(args[0], at) : op === "effect" ? host.effect(args, at) : host.budget();
    return JSON.stringify({ ok: true, value: value ?? null });
  } catch (error) {
    return JSON.stringify({ ok: false, error: toErrorInfo(error) });
  }
}
function askAgents(batch, host, scriptFile, deliver) {
  for (const [id, { prompt, options, stack }] of batch) {
    const line = siteOf(stack, scriptFile).line;
    if (tooDeep(options)) {
      deliver(id, { ok: false, error: { code: "INVALID_CALL", message: `agent(): the options nest more than ${MAX_JSON_DEPTH} levels deep`, ...line ? { line } : {} } });
      continue;
    }
    host.agent({ prompt, options, line }).then(
      (value) => deliver(id, { ok: true, value }),
      (error) => deliver(id, { ok: false, error: withLine2(toErrorInfo(error), line) })
    );
  }
}
function withLine2(info, line) {
  return info.line === void 0 && line !== void 0 ? { ...info, line } : info;
}

// src/script/prelude.guest.js
var prelude_guest_default = "/*\n * The guest prelude. Runs inside the QuickJS sandbox, never in Node: the host loads this file\n * as text (esbuild's text loader; a text transform in Jest), evaluates it in the realm before\n * the workflow script and calls the function it evaluates to (startPrelude in prelude.ts).\n *\n * It defines the script API on top of two raw host functions that only take and return JSON\n * strings, so no host object, function or Proxy ever crosses the boundary, and locks down what\n * would break determinism or pretend to reach the host. It returns `deliver`, through which\n * the host settles pending agent() calls in batches.\n *\n * The talk with the host uses built-ins saved before the script runs, so a script that\n * replaces JSON.stringify or Promise.prototype.then breaks only itself. (The host checks\n * every message anyway: this realm is not trusted.)\n *\n * `sharedJson` carries what the host and the guest must agree on: the error codes that end a\n * run (core/errors.ts) and the names of the two globals the rewritten script calls\n * (script/load.ts), as { fatalCodes, mainHook, throwHook }.\n *\n * The file is one parenthesised function expression: its value is what evaluating it returns.\n * It is one long function on purpose: every part of the API closes over the built-ins saved\n * at its top, before any script code can replace them.\n */\n// eslint-disable-next-line max-lines-per-function -- one closure over the saved built-ins (see above)\n(function (host, argsJson, scriptFile, sharedJson) {\n  'use strict'\n  const g = globalThis\n  const hostSync = host.sync, hostAsync = host.async, hostDone = host.done\n  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply, keysOf = Object.keys\n  const defineProperty = Object.defineProperty, freeze = Object.freeze, isArray = Array.isArray, createObject = Object.create\n  const shared = parse(sharedJson)\n  const FATAL_CODES = freeze(shared.fatalCodes), MAIN_HOOK = shared.mainHook, THROW_HOOK = shared.throwHook\n  const NativePromise = Promise, then = Promise.prototype.then, resolved = Promise.resolve(), join = Array.prototype.join\n  const later = (fn) => apply(then, resolved, [fn])\n  const pending = Object.create(null)\n  let lastCall = 0\n\n  const SANDBOX = 'workflow scripts run in a sandbox without the environment, files or network: use `args` for inputs, readFile()/glob() to read the workspace, and agent() for the rest'\n  const DETERMINISM = 'a replayed run must make the same calls; pass the value in through `args`, or compute it inside an agent'\n\n  class WorkflowError extends Error {\n    constructor(info) {\n      super(info.message)\n      this.name = info.code === 'PARALLEL_FAILED' ? 'ParallelError' : info.code === 'SCRIPT_ERROR' ? 'Error' : 'WorkflowError'\n      this.code = info.code\n      if (info.line !== undefined) this.line = info.line\n      if (info.column !== undefined) this.column = info.column\n    }\n  }\n\n  // Errors the runtime itself raised, with the code and place it gave them. A run's error code\n  // is the runner's own: a script can copy the class (e.constructor) or set .code on anything,\n  // but only errors made here count, so a script cannot pass its failure off as STOPPED.\n  const genuine = new WeakMap(), remember = WeakMap.prototype.set, recall = WeakMap.prototype.get\n  function runtimeError(info) {\n    const error = new WorkflowError(info)\n    apply(remember, genuine, [error, { code: info.code, line: info.line, column: info.column }])\n    return error\n  }\n  const genuineInfo = (error) => (error !== null && typeof error === 'object' ? apply(recall, genuine, [error]) : undefined)\n\n  /** Line and column of the innermost stack frame in the workflow script (\"at f (file:12:5)\"). */\n  function siteOf(stack) {\n    const text = String(stack || '')\n    let at = text.indexOf('(' + scriptFile + ':')\n    if (at < 0) {\n      at = text.indexOf('at ' + scriptFile + ':')\n      if (at < 0) return undefined\n      at += 2\n    }\n    const digits = text.slice(at + scriptFile.length + 2).split(':')\n    const line = parseInt(digits[0], 10), column = parseInt(digits[1], 10)\n    return line > 0 ? { line, column: column > 0 ? column : undefined } : undefined\n  }\n  const callerSite = () => siteOf(new Error().stack)\n  const callerLine = () => { const site = callerSite(); return site && site.line }\n  const fail = (code, message) => { throw runtimeError({ code, message, line: callerLine() }) }\n\n  function sync(op, args, line) {\n    const reply = parse(hostSync(stringify({ op, args, line })))\n    if (reply.ok) return reply.value\n    throw runtimeError(reply.error)\n  }\n\n  function agent(prompt, options) {\n    // The raw stack goes to the host, which finds the call's line far faster than this realm.\n    const stack = new Error().stack\n    const invalid = (message) => NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'agent(): ' + message, line: (siteOf(stack) || {}).line }))\n    if (options !== null && typeof options === 'object')\n      for (const key of keysOf(options))\n        if (typeof options[key] === 'function') return invalid('option ' + key + ' is a function; options must be plain data')\n    let request\n    try { request = stringify({ prompt, options, stack }) }\n    catch (e) { return invalid('the prompt and options must be plain data (' + e.message + ')') }\n    if (typeof request !== 'string') return invalid('the prompt and options must be plain data')\n    const id = ++lastCall\n    return new NativePromise((resolve, reject) => {\n      pending[id] = { resolve, reject }\n      send('[' + id + ',' + request + ']')\n    })\n  }\n\n  // Requests cross to the host in batches: one crossing per burst of agent() calls.\n  let outbox = []\n  function send(item) {\n    if (outbox.length === 0) later(flush)\n    outbox[outbox.length] = item\n  }\n  function flush() {\n    const batch = '[' + apply(join, outbox, [',']) + ']'\n    outbox = []\n    hostAsync(batch)\n  }\n\n  /** Called by the host with [[id, reply], ...]: settles those agent() calls. */\n  function deliver(batch) {\n    const items = parse(batch)\n    for (let i = 0; i < items.length; i++) {\n      const id = items[i][0], reply = items[i][1], call = pending[id]\n      if (!call) continue\n      delete pending[id]\n      if (reply.ok) call.resolve(reply.value)\n      else call.reject(runtimeError(reply.error))\n    }\n  }\n\n  function describe(value) {\n    return value === null ? 'null' : isArray(value) ? 'an array' : typeof value\n  }\n\n  /**\n   * The code of the first failure that ends the run (a budget, a limit, a stop), when one is\n   * genuine. Plain loops: the script may have replaced Array.prototype.map or find.\n   */\n  function fatalCodeOf(failures) {\n    for (let i = 0; i < failures.length; i++) {\n      const info = genuineInfo(failures[i].error)\n      if (info) for (let j = 0; j < FATAL_CODES.length; j++) if (info.code === FATAL_CODES[j]) return info.code\n    }\n    return undefined\n  }\n\n  /** Settles every item, then returns the values in order or throws one error naming each failure. */\n  async function settleAll(what, line, starts) {\n    const settled = await NativePromise.allSettled(starts.map((start) => { try { return NativePromise.resolve(start()) } catch (e) { return NativePromise.reject(e) } }))\n    const failures = []\n    settled.forEach((s, index) => { if (s.status === 'rejected') failures.push({ index, error: s.reason }) })\n    if (failures.length === 0) return settled.map((s) => s.value)\n    const lines = failures.map(({ index, error }) => {\n      const site = error && error.line !== undefined ? error.line : siteOf(error && error.stack) && siteOf(error.stack).line\n      return '  [' + index + '] ' + (error && error.message !== undefined ? error.message : String(error)) + (site ? ' (line ' + site + ')' : '')\n    })\n    const error = runtimeError({\n      code: fatalCodeOf(failures) || 'PARALLEL_FAILED',\n      message: what + ': ' + failures.length + ' of ' + starts.length + ' items failed (the others completed and are journaled):\\n' + lines.join('\\n'),\n      line,\n    })\n    error.errors = failures.map(({ index, error }) => Object.assign(error instanceof Error ? error : new Error(String(error)), { index }))\n    throw error\n  }\n\n  function parallel(thunks) {\n    const line = callerLine()\n    if (!isArray(thunks)) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'parallel() takes an array of functions, e.g. parallel(items.map((item) => () => agent(...))), got ' + describe(thunks), line }))\n    const bad = thunks.findIndex((t) => typeof t !== 'function')\n    if (bad >= 0) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'parallel(): item ' + bad + ' is ' + describe(thunks[bad]) + ', not a function; wrap each call: () => agent(...)', line }))\n    return settleAll('parallel()', line, thunks)\n  }\n\n  function pipeline(items, ...stages) {\n    const line = callerLine()\n    if (!isArray(items)) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'pipeline(items, ...stages): items must be an array, got ' + describe(items), line }))\n    if (stages.length === 0 || stages.some((s) => typeof s !== 'function')) return NativePromise.reject(runtimeError({ code: 'INVALID_CALL', message: 'pipeline(items, ...stages): give at least one stage, each a function (previous, item, index) => ...', line }))\n    return settleAll('pipeline()', line, items.map((item, index) => async () => {\n      let value = item\n      for (const stage of stages) value = await stage(value, item, index)\n      return value\n    }))\n  }\n\n  function text(parts) {\n    let out = ''\n    for (let i = 0; i < parts.length; i++) {\n      const p = parts[i]\n      let s\n      if (typeof p === 'string') s = p\n      else { try { s = stringify(p) } catch { s = undefined } if (typeof s !== 'string') s = String(p) }\n      out = i === 0 ? s : out + ' ' + s\n    }\n    return out\n  }\n  function log(...parts) { sync('log', [text(parts)], callerLine()) }\n  function phase(title, options) { sync('phase', [title, options === undefined ? null : options], callerLine()) }\n  function readFile(path) { return sync('readFile', [path], callerLine()) }\n  function glob(pattern) { return sync('glob', [pattern], callerLine()) }\n  function writeFile(path, text) { sync('writeFile', [path, text], callerLine()) }\n  function applyPatch(diff) { return sync('applyPatch', [diff], callerLine()) }\n  // Effects: data the Action acts on after the run (the CLI only shows them).\n  function effect(args) { sync('effect', args, callerLine()) }\n  function report(markdown) { effect(['report', markdown]) }\n  const review = freeze({\n    comment(path, line, body, options) { effect(['reviewComment', path, line, body, options === undefined ? null : options]) },\n    summary(markdown) { effect(['reviewSummary', markdown]) },\n  })\n  const labels = freeze({\n    add(name) { effect(['labelAdd', name]) },\n    remove(name) { effect(['labelRemove', name]) },\n  })\n\n  const budget = freeze({\n    get total() { return sync('budget', []).total },\n    get totalUsd() { return sync('budget', []).totalUsd },\n    spent() { return sync('budget', []).spent },\n    spentUsd() { return sync('budget', []).spentUsd },\n    remaining() { return sync('budget', []).remaining },\n  })\n\n  function deepFreeze(value) {\n    if (value && typeof value === 'object' && !Object.isFrozen(value)) { freeze(value); Object.values(value).forEach(deepFreeze) }\n    return value\n  }\n\n  const api = {\n    agent, parallel, pipeline, phase, log, readFile, glob, writeFile, applyPatch, budget, report, review, labels,\n    args: deepFreeze(parse(argsJson)),\n    console: freeze({ log, info: log, warn: log, error: log, debug: log }),\n  }\n  for (const name of keysOf(api)) {\n    if (typeof api[name] === 'function') freeze(api[name])\n    defineProperty(g, name, { value: api[name], writable: false, enumerable: false, configurable: false })\n  }\n\n  // ---- determinism: no clock, no randomness, no timers, no GC observation ----\n  const RealDate = Date\n  function nondeterministic(what) { fail('DETERMINISM', what + ' is not available in workflow scripts: ' + DETERMINISM) }\n  const SafeDate = function Date(...a) {\n    if (!new.target) nondeterministic('Date()')\n    if (a.length === 0) nondeterministic('new Date()')\n    return Reflect.construct(RealDate, a, new.target)\n  }\n  SafeDate.prototype = RealDate.prototype\n  SafeDate.UTC = RealDate.UTC\n  SafeDate.parse = RealDate.parse\n  SafeDate.now = function now() { nondeterministic('Date.now()') }\n  freeze(SafeDate)\n  // new Date(0).constructor must not lead back to the real Date.\n  defineProperty(RealDate.prototype, 'constructor', { value: SafeDate, writable: false, enumerable: false, configurable: false })\n  defineProperty(g, 'Date', { value: SafeDate, writable: false, enumerable: false, configurable: false })\n  defineProperty(Math, 'random', { value: function random() { nondeterministic('Math.random()') }, writable: false, configurable: false })\n  // Which agent answers first differs between a live run and its replay (replayed answers are\n  // all there at once), so a race's winner would not replay. parallel() keeps call order.\n  const RACE = 'which agent answers first differs between a live run and its replay, so the result would not replay: use parallel() and choose among its results'\n  defineProperty(Promise, 'race', { value: function race() { fail('DETERMINISM', 'Promise.race() is not available in workflow scripts: ' + RACE) }, writable: false, configurable: false })\n  defineProperty(Promise, 'any', { value: function any() { fail('DETERMINISM', 'Promise.any() is not available in workflow scripts: ' + RACE) }, writable: false, configurable: false })\n\n  // ---- names people reach for that a sandbox does not have: a clear error, not a ReferenceError ----\n  const NO_NETWORK = 'there is no network in workflow scripts; ask an agent to fetch it'\n  const unavailable = {\n    process: SANDBOX, require: SANDBOX, module: SANDBOX, exports: SANDBOX, Buffer: SANDBOX, global: SANDBOX,\n    __dirname: SANDBOX, __filename: SANDBOX, Deno: SANDBOX, Bun: SANDBOX,\n    fetch: NO_NETWORK, XMLHttpRequest: NO_NETWORK, WebSocket: NO_NETWORK,\n    setTimeout: 'timers are not available: ' + DETERMINISM,\n    setInterval: 'timers are not available: ' + DETERMINISM,\n    setImmediate: 'timers are not available: ' + DETERMINISM,\n    performance: 'clocks are not available: ' + DETERMINISM,\n    WeakRef: 'garbage collection is not deterministic: ' + DETERMINISM,\n    FinalizationRegistry: 'garbage collection is not deterministic: ' + DETERMINISM,\n  }\n  for (const name of keysOf(unavailable)) {\n    const code = unavailable[name] === SANDBOX || unavailable[name] === NO_NETWORK ? 'SCRIPT_ERROR' : 'DETERMINISM'\n    delete g[name]\n    defineProperty(g, name, { get() { fail(code, name + ' is not available: ' + unavailable[name]) }, enumerable: false, configurable: false })\n  }\n\n  // ---- throw sites: a thrown string or plain object has no stack, so note where it was thrown ----\n  let lastThrow, threwNull = false\n  defineProperty(g, THROW_HOOK, { value: function (value) { lastThrow = callerSite(); threwNull = value === null; return value }, writable: false, enumerable: false, configurable: false })\n\n  // ---- the entry point the rewritten script calls once ----\n  function checkSerialisable(value, path, seen) {\n    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return\n    if (typeof value === 'number') { if (!Number.isFinite(value)) throw path + ' is ' + value; return }\n    if (typeof value !== 'object') throw path + ' is a ' + typeof value\n    if (seen.includes(value)) throw path + ' refers back to itself (a cycle)'\n    const proto = Object.getPrototypeOf(value)\n    if (!isArray(value) && proto !== Object.prototype && proto !== null)\n      throw path + ' is a ' + ((proto && proto.constructor && proto.constructor.name) || 'class instance') + (value instanceof RealDate ? ' (use .toISOString())' : '') + ', not plain data'\n    seen.push(value)\n    for (const key of keysOf(value)) checkSerialisable(value[key], isArray(value) ? path + '[' + key + ']' : path + '.' + key, seen)\n    seen.pop()\n  }\n  /** The script's final error as plain data: a code only from the runtime, else SCRIPT_ERROR with the script's own message. */\n  function errorInfo(error) {\n    // Out of memory, QuickJS throws null when it cannot even allocate the error; a script's own `throw null` passed the throw hook.\n    if (error === null && !threwNull) return plain({ code: 'MEMORY_LIMIT', message: 'out of memory' })\n    const known = genuineInfo(error)\n    const isError = error instanceof Error\n    const site = known && known.line !== undefined ? known : isError ? siteOf(error.stack) : lastThrow\n    const message = isError ? (known || error.name === 'Error' ? String(error.message) : error.name + ': ' + error.message) : 'the script threw ' + text([error])\n    return plain({ code: known ? known.code : 'SCRIPT_ERROR', message, line: site && site.line, column: site && site.column })\n  }\n  /** Replies are built without a prototype: a toJSON the script put on Object.prototype must not rewrite them. */\n  function plain(fields) {\n    const out = createObject(null)\n    const keys = keysOf(fields)\n    for (let i = 0; i < keys.length; i++) out[keys[i]] = fields[keys[i]]\n    return out\n  }\n  let started = false\n  defineProperty(g, MAIN_HOOK, { value: function (main) {\n    if (started) throw new Error(MAIN_HOOK + ' may run once')\n    started = true\n    return apply(then, apply(then, resolved, [main]), [\n      (value) => {\n        try { checkSerialisable(value, 'the result', []) }\n        catch (problem) { hostDone(stringify(plain({ ok: false, error: plain({ code: 'NOT_SERIALIZABLE', message: 'the workflow returned a value that is not JSON-serialisable: ' + problem }) }))); return }\n        hostDone(stringify(plain({ ok: true, value: value === undefined ? null : value })))\n      },\n      (error) => {\n        let info\n        // A Proxy or a getter can make describing the error throw: it is still the script's error.\n        try { info = errorInfo(error) } catch { info = plain({ code: 'SCRIPT_ERROR', message: 'the script threw a value that cannot be described' }) }\n        hostDone(stringify(plain({ ok: false, error: info })))\n      }])\n  }, writable: false, enumerable: false, configurable: false })\n  return deliver\n})\n";

// src/script/prelude.ts
var PRELUDE_FILE = "<dwf-prelude>";
function preludeSharedJson() {
  return JSON.stringify({ fatalCodes: FATAL_CODES, mainHook: MAIN_HOOK, throwHook: THROW_HOOK });
}
function startPrelude(ctx, hostObject, args, scriptFile) {
  const prelude = ctx.unwrapResult(ctx.evalCode(prelude_guest_default, PRELUDE_FILE));
  const argsJson = ctx.newString(JSON.stringify(args ?? {}));
  const file = ctx.newString(scriptFile);
  const shared = ctx.newString(preludeSharedJson());
  const started = ctx.callFunction(prelude, ctx.undefined, hostObject, argsJson, file, shared);
  for (const handle of [prelude, argsJson, file, shared]) handle.dispose();
  return started;
}

// src/script/sandbox-limits.ts
var DEFAULT_SANDBOX_LIMITS = {
  cpuMs: SETTINGS.scriptCpuMs.default,
  memoryBytes: SETTINGS.scriptMemoryMb.default * 1024 * 1024
};
var STACK_BYTES = 128 * 1024;

// src/script/guest-run.ts
var GuestRun = class {
  #runtime;
  #context;
  #script;
  #host;
  #cpu;
  #errors;
  /** Answers of agent calls waiting to cross into the guest: `[id, reply]` JSON texts. */
  #outbox = [];
  /** The prelude's function that settles the guest's pending agent() promises. */
  #deliverFn;
  #pumpQueued = false;
  #disposed = false;
  /** Agent calls the host has not answered yet; with no jobs and none of these, nothing can wake the script. */
  #unanswered = 0;
  /** The promise of the script's main function, to tell a finished script from a stuck one. */
  #main;
  /** Takes the script's final reply (JSON text) from the prelude. */
  #onReply;
  #replied = false;
  /** Set when the run must end from the host side (broken runtime, tampered message, deadlock). */
  #failure;
  #failureListener;
  constructor(runtime, script, host, limits) {
    this.#runtime = runtime;
    this.#script = script;
    this.#host = host;
    this.#cpu = new CpuMeter(limits.cpuMs);
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(STACK_BYTES);
    runtime.setInterruptHandler(() => this.#cpu.exceeded());
    this.#context = runtime.newContext();
    this.#errors = new GuestErrors(this.#context, script, limits, this.#cpu);
  }
  async run(args) {
    try {
      return await this.#run(args);
    } catch (error) {
      throw this.#failure ?? error;
    }
  }
  async #run(args) {
    const ctx = this.#context;
    this.#enter(() => {
      const host = this.#hostObject();
      const started = startPrelude(ctx, host, args, this.#script.file);
      host.dispose();
      if (started.error) throw this.#errors.crossingError(started.error);
      this.#deliverFn = started.value;
    });
    const evaluated = this.#enter(() => ctx.evalCode(this.#script.code, this.#script.file));
    if (evaluated.error) {
      const info = this.#errors.dump(evaluated.error);
      evaluated.error.dispose();
      throw this.#errors.toError(info);
    }
    this.#main = evaluated.value;
    const finished = new Promise((resolve) => this.#onReply = resolve);
    this.#pump();
    const text3 = await Promise.race([finished, this.#failurePromise()]);
    if (this.#failure) throw this.#failure;
    const reply = readFinalReply(text3);
    if (!reply.ok) throw this.#errors.toError(reply.error);
    if (this.#cpu.tripped) throw this.#errors.toError({ code: "CPU_LIMIT", message: "interrupted" });
    return reply.value;
  }
  /**
   * Ends the sandbox. The runtime is not freed but dropped with its module: QuickJS can fail
   * its own leak assertion when freeing a runtime whose promise jobs allocated heavily, or
   * one stopped by a limit, and the module is this run's alone, so garbage collection
   * reclaims all of it at once.
   */
  dispose() {
    this.#disposed = true;
    this.#outbox = [];
  }
  #hostObject() {
    return createHostObject(this.#context, {
      sync: (text3) => answerSyncRequest(this.#host, text3),
      agents: (text3) => this.#askAgents(text3),
      done: (text3) => {
        if (this.#replied) return;
        this.#replied = true;
        this.#onReply?.(text3);
      }
    });
  }
  #askAgents(text3) {
    let batch;
    try {
      batch = readAgentBatch(text3);
    } catch (error) {
      return this.#fail(error);
    }
    this.#unanswered += batch.length;
    queueMicrotask(() => askAgents(batch, this.#host, this.#script.file, (id, reply) => this.#deliver(id, reply)));
  }
  /** Queues an answer; all answers ready in this tick cross into the guest together. */
  #deliver(id, reply) {
    this.#unanswered--;
    if (this.#disposed) return;
    this.#outbox.push(`[${id},${JSON.stringify(reply)}]`);
    this.#pump();
  }
  /** Runs the guest's pending jobs once per batch of settled host calls. */
  #pump() {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      if (this.#disposed || this.#failure) return;
      try {
        this.#enter(() => {
          this.#deliverAnswers();
          this.#runPendingJobs();
        });
      } catch {
        return;
      }
      this.#detectDeadlock();
    });
  }
  /** Hands the queued answers to the prelude's deliver function, in one crossing. */
  #deliverAnswers() {
    if (this.#outbox.length === 0) return;
    const ctx = this.#context;
    const batch = ctx.newString(`[${this.#outbox.join(",")}]`);
    this.#outbox = [];
    const delivered = ctx.callFunction(this.#deliverFn, ctx.undefined, batch);
    batch.dispose();
    if (delivered.error) this.#fail(this.#errors.crossingError(delivered.error));
    else delivered.value.dispose();
  }
  #runPendingJobs() {
    const result = this.#runtime.executePendingJobs();
    if (!result.error) return;
    const info = this.#errors.dump(result.error);
    result.error.dispose();
    if (this.#cpu.tripped && this.#main && this.#context.getPromiseState(this.#main).type === "pending") this.#fail(this.#errors.toError(info));
    else if (isOutOfMemory(info)) this.#fail(this.#errors.toError(info));
  }
  /**
   * A script awaiting a promise nothing can settle would otherwise hang the run forever; so
   * would a main promise that settled without a reply (the prelude's reply itself failed).
   */
  #detectDeadlock() {
    if (this.#replied || this.#unanswered > 0 || this.#outbox.length > 0 || this.#failure || this.#disposed || !this.#main) return;
    if (this.#runtime.hasPendingJob()) return;
    if (this.#cpu.tripped) {
      this.#fail(this.#errors.toError({ code: "CPU_LIMIT", message: "interrupted" }));
      return;
    }
    const state = this.#context.getPromiseState(this.#main);
    if (state.type === "pending") {
      this.#fail(new WorkflowError("SCRIPT_ERROR", "the script is waiting for a promise that nothing will ever settle (an await on something other than an agent call?)"));
      return;
    }
    const info = state.type === "rejected" ? this.#errors.dump(state.error) : { code: "SCRIPT_ERROR", message: "the script ended without a result" };
    (state.type === "rejected" ? state.error : state.value).dispose();
    this.#fail(this.#errors.toError(info));
  }
  /** Ends the run from the host side. */
  #fail(error) {
    this.#failure ??= error;
    this.#failureListener?.(this.#failure);
  }
  /** Every entry into the guest: counted as script CPU time, in UTC, guarded against a blown native stack. */
  #enter(work) {
    this.#cpu.enter();
    try {
      return inUtc(work);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) this.#fail(new WorkflowError("SCRIPT_ERROR", "stack overflow: the script nests or recurses too deeply"));
      throw error;
    } finally {
      this.#cpu.leave();
    }
  }
  #failurePromise() {
    return new Promise((_, reject) => {
      this.#failureListener = reject;
    });
  }
};

// src/script/sandbox.ts
function createSandboxProgram(script, limits = {}) {
  let run;
  let disposed = false;
  return {
    async run(host, args) {
      const module = await newQuickJSWASMModuleFromVariant(src_default);
      if (disposed) throw new WorkflowError("STOPPED", "the run was stopped");
      run = new GuestRun(module.newRuntime(), script, host, { ...DEFAULT_SANDBOX_LIMITS, ...withoutUndefined(limits) });
      return run.run(args);
    },
    dispose() {
      disposed = true;
      run?.dispose();
    }
  };
}

// src/workspace/workspace.ts
var import_picomatch = __toESM(require_picomatch2(), 1);
import { createHash } from "node:crypto";
import fs from "node:fs";
import path3 from "node:path";
var SKIPPED_DIRS = /* @__PURE__ */ new Set(["node_modules"]);
var PRIVATE_DIRS = /* @__PURE__ */ new Map([
  [".git", "is inside .git/, which can hold credentials; scripts cannot read it"],
  [".dynamic-workflow", "is inside .dynamic-workflow/, the runner's state folder; scripts cannot read it"]
]);
function privateReason(relative) {
  for (const part of relative.split(/[\\/]/)) {
    const reason = PRIVATE_DIRS.get(part.toLowerCase());
    if (reason) return reason;
  }
  return void 0;
}
function realPath(file) {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return void 0;
  }
}
function createWorkspace(root, options = {}) {
  return new Workspace(root, options);
}
var Workspace = class {
  #root;
  #options;
  #maxRead;
  #maxHash;
  #maxGlob;
  constructor(root, options) {
    this.#root = fs.realpathSync.native(root);
    this.#options = options;
    this.#maxRead = options.maxReadBytes ?? 2 * 1024 * 1024;
    this.#maxHash = options.maxHashBytes ?? 64 * 1024 * 1024;
    this.#maxGlob = options.maxGlobResults ?? 1e4;
  }
  readFile(relative) {
    const real = this.#locate("readFile()", relative);
    const size = fs.statSync(real).size;
    if (size > this.#maxRead) throw new WorkflowError("INVALID_CALL", `readFile(): '${relative}' is ${size} bytes; the limit is ${this.#maxRead}`);
    const bytes = fs.readFileSync(real);
    if (bytes.includes(0)) throw new WorkflowError("INVALID_CALL", `readFile(): '${relative}' is a binary file; only text files can be read`);
    return bytes.toString("utf8");
  }
  glob(pattern) {
    if (path3.isAbsolute(pattern) || pattern.split("/").includes(".."))
      throw new WorkflowError("INVALID_CALL", `glob(): '${pattern}' must be relative to the working directory, without '..'`);
    const scan = import_picomatch.default.scan(pattern);
    const hidden = this.#hider();
    if (!scan.isGlob) {
      const real = realPath(path3.join(this.#root, pattern));
      const visible = real !== void 0 && isInside(this.#root, real) && !hidden(pattern, real) && fs.statSync(real).isFile();
      return visible ? [toPosix(pattern)] : [];
    }
    const matches = (0, import_picomatch.default)(pattern, { dot: pattern.split("/").some((part) => part.startsWith(".")) });
    const found = [];
    walk(this.#root, scan.base, pattern.split("/"), hidden, (file) => {
      if (!matches(file)) return;
      if (found.length >= this.#maxGlob) throw new WorkflowError("INVALID_CALL", `glob(): '${pattern}' matches more than ${this.#maxGlob} files; narrow the pattern`);
      found.push(file);
    });
    return found.sort();
  }
  hashFiles(patterns) {
    const out = {};
    for (const pattern of patterns) {
      const files = import_picomatch.default.scan(pattern).isGlob ? this.glob(pattern) : [toPosix(path3.normalize(pattern))];
      for (const file of files) {
        const real = this.#locate("files", file);
        const size = fs.statSync(real).size;
        if (size > this.#maxHash) throw new WorkflowError("INVALID_CALL", `files: '${file}' is ${size} bytes; the limit is ${this.#maxHash}`);
        out[file] = createHash("sha256").update(fs.readFileSync(real)).digest("hex");
      }
    }
    return out;
  }
  /**
   * Says why a path must stay invisible, from the name the script gave and from where it
   * really is (a link can lead into .git/ or the state folder under any name); undefined when
   * it may be seen. Made for each call: the state folder may be created after the workspace.
   */
  #hider() {
    const root = this.#root;
    const stateDir = this.#options.stateDir;
    const state = stateDir === void 0 ? void 0 : realPath(stateDir) ?? path3.resolve(stateDir);
    const stateShown = state === void 0 ? "" : isInside(root, state) ? `${toPosix(path3.relative(root, state))}/` : state;
    return (shown, real) => {
      const reason = privateReason(shown) ?? privateReason(path3.relative(root, real));
      if (reason) return reason;
      if (state !== void 0 && (real === state || isInside(state, real))) return `is inside ${stateShown}, the runner's state folder; scripts cannot read it`;
      return void 0;
    };
  }
  /** The real path of a file inside the root, or a clear error. */
  #locate(what, relative) {
    const fail = (why) => new WorkflowError("INVALID_CALL", `${what}: '${relative}' ${why}`);
    if (path3.isAbsolute(relative)) throw fail("is an absolute path; use a path relative to the working directory");
    if (relative.split(/[\\/]/).includes("..")) throw fail("contains '..'; only files inside the working directory can be read");
    const real = realPath(path3.join(this.#root, relative));
    if (real === void 0) throw fail("was not found in the working directory");
    if (real !== this.#root && !isInside(this.#root, real)) throw fail("is a link to a place outside the working directory");
    const hidden = this.#hider()(relative, real);
    if (hidden) throw fail(hidden);
    if (!fs.statSync(real).isFile()) throw fail("is not a file");
    return real;
  }
};
function walk(root, base, patternParts, hiddenReason, visit) {
  const realStart = realPath(path3.join(root, base));
  if (realStart === void 0 || !fs.statSync(realStart).isDirectory()) return;
  if (realStart !== root && !isInside(root, realStart)) return;
  if (base && hiddenReason(base, realStart)) return;
  const stack = [[base, realStart]];
  while (stack.length > 0) {
    const [dir, realDir] = stack.pop();
    for (const entry of fs.readdirSync(realDir, { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      const real = path3.join(realDir, entry.name);
      if (entry.isDirectory()) {
        if (hiddenReason(relative, real)) continue;
        if (!SKIPPED_DIRS.has(entry.name) || patternParts.includes(entry.name)) stack.push([relative, real]);
      } else if (entry.isFile()) {
        if (!hiddenReason(relative, real)) visit(toPosix(relative));
      } else if (entry.isSymbolicLink()) {
        const target = realPath(real);
        if (target !== void 0 && isInside(root, target) && !hiddenReason(relative, target) && fs.statSync(target).isFile()) visit(toPosix(relative));
      }
    }
  }
}
function isInside(root, candidate) {
  const relative = path3.relative(root, candidate);
  return relative !== "" && !relative.startsWith("..") && !path3.isAbsolute(relative);
}
function toPosix(file) {
  return file.split(path3.sep).join("/");
}

// src/report/snapshot-reduce.ts
var STEPS = {
  run_started(s, e) {
    Object.assign(s, {
      runId: e.runId,
      name: e.name,
      description: e.description,
      script: e.script,
      status: "running",
      startedAt: e.at,
      provider: e.provider,
      concurrency: e.concurrency,
      maxAgents: e.maxAgents,
      budget: e.budget
    });
    s.phases = e.phases.map((p) => ({ ...p, state: "pending" }));
  },
  phase_started(s, e) {
    finishRunningPhase(s, "done");
    const at = s.phases.findIndex((p) => p.title === e.title);
    const started = { ...at >= 0 ? s.phases[at] : { title: e.title }, state: "running", startedAt: e.at };
    if (at >= 0) s.phases[at] = started;
    else s.phases.push(started);
    s.currentPhase = e.title;
  },
  log(s, e) {
    s.logs.push({ at: e.at, message: e.message, line: e.line });
  },
  warning(s, e) {
    s.warnings.push(e.message);
  },
  effect(s, e) {
    const effects = s.effects ?? noEffects();
    const next = { ...effects, review: { ...effects.review, comments: [...effects.review.comments] }, labels: { add: [...effects.labels.add], remove: [...effects.labels.remove] } };
    declare(next, e.effect);
    s.effects = next;
  },
  files_changed(s, e) {
    s.changes = { files: e.files, added: e.added, modified: e.modified, deleted: e.deleted };
  },
  agent_queued(s, e) {
    const { type: _type, at, ...call } = e;
    s.agents[e.id - 1] = { ...call, state: "queued", usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, attempts: 0, queuedAt: at };
    s.totals.agents.total++;
    s.totals.agents.queued++;
  },
  agent_replayed(s, e) {
    const t = s.totals;
    updateAgent(s, e.id, { state: "replayed", usage: e.usage, finishedAt: e.at, durationMs: e.durationMs });
    t.agents.queued--;
    t.agents.replayed++;
    t.saved.tokens += e.usage.inputTokens + e.usage.outputTokens;
    t.saved.costUsd = roundUsd(t.saved.costUsd + (e.usage.costUsd ?? 0));
  },
  agent_started(s, e) {
    if (s.agents[e.id - 1]?.state === "queued") {
      s.totals.agents.queued--;
      s.totals.agents.running++;
    }
    updateAgent(s, e.id, { state: "running", startedAt: e.at, attempts: 1, miss: e.miss });
  },
  agent_retrying(s, e) {
    updateAgent(s, e.id, { state: "retrying", attempts: e.attempt + 1, error: e.error });
  },
  agent_succeeded(s, e) {
    leaveRunning(s, e.id);
    updateAgent(s, e.id, { state: "succeeded", usage: e.usage, model: e.model, finishedAt: e.at, durationMs: e.durationMs, error: void 0 });
    s.totals.agents.live++;
    charge(s.totals, e.usage);
  },
  agent_failed(s, e) {
    leaveRunning(s, e.id);
    const stopped = e.error.code === "STOPPED";
    const agent = s.agents[e.id - 1];
    updateAgent(s, e.id, {
      state: stopped ? "stopped" : "failed",
      error: e.error,
      finishedAt: e.at,
      durationMs: agent?.startedAt === void 0 ? void 0 : e.at - agent.startedAt,
      ...e.usage ? { usage: e.usage } : {}
    });
    if (stopped) s.totals.agents.total--;
    else {
      s.totals.agents.live++;
      s.totals.agents.failed++;
    }
    if (e.usage) charge(s.totals, e.usage);
  },
  run_finished(s, e) {
    s.status = e.status;
    s.finishedAt = e.at;
    s.result = e.result;
    s.error = e.error;
    finishRunningPhase(s, e.status === "succeeded" ? "done" : e.status === "stopped" ? "stopped" : "failed");
  }
};
function applyEvent(s, e) {
  s.updatedAt = e.at;
  STEPS[e.type](s, e);
}
var MAX_LOGS = 200;
function emptySnapshot() {
  return {
    v: 1,
    runId: "",
    name: "",
    status: "running",
    startedAt: 0,
    updatedAt: 0,
    provider: "",
    concurrency: 0,
    maxAgents: 0,
    budget: {},
    phases: [],
    agents: [],
    totals: {
      agents: { total: 0, live: 0, replayed: 0, failed: 0, running: 0, queued: 0 },
      tokens: { input: 0, output: 0 },
      costUsd: 0,
      unpricedCalls: 0,
      saved: { tokens: 0, costUsd: 0 }
    },
    logs: [],
    warnings: []
  };
}
function applyEvents(previous, events) {
  const next = {
    ...previous,
    phases: [...previous.phases],
    agents: [...previous.agents],
    logs: [...previous.logs],
    warnings: [...previous.warnings],
    totals: {
      ...previous.totals,
      agents: { ...previous.totals.agents },
      tokens: { ...previous.totals.tokens },
      saved: { ...previous.totals.saved }
    }
  };
  for (const event of events) applyEvent(next, event);
  if (next.logs.length > MAX_LOGS) next.logs = next.logs.slice(-MAX_LOGS);
  return next;
}
function updateAgent(s, id, changes) {
  const agent = s.agents[id - 1];
  if (agent) s.agents[id - 1] = { ...agent, ...changes };
}
function leaveRunning(s, id) {
  const state = s.agents[id - 1]?.state;
  if (state === "queued") s.totals.agents.queued--;
  else if (state === "running" || state === "retrying") s.totals.agents.running--;
}
function charge(t, usage) {
  t.tokens.input += usage.inputTokens;
  t.tokens.output += usage.outputTokens;
  if (usage.costUsd === null) t.unpricedCalls++;
  else t.costUsd = roundUsd(t.costUsd + usage.costUsd);
  if (usage.cacheSavedUsd) t.cacheSavedUsd = roundUsd((t.cacheSavedUsd ?? 0) + usage.cacheSavedUsd);
}
function finishRunningPhase(s, state) {
  s.phases = s.phases.map((p) => p.state === "running" ? { ...p, state } : p);
}

// src/runner/run-recorder.ts
var FLUSH_MS = 250;
var RunRecorder = class {
  #snapshot = emptySnapshot();
  #pending = [];
  #eventLines = [];
  #logLines = [];
  #timer;
  #state;
  #runId;
  constructor(state, runId) {
    this.#state = state;
    this.#runId = runId;
  }
  record(event) {
    this.#pending.push(event);
    this.#eventLines.push(JSON.stringify(event));
    if (event.type === "run_started") this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }
  /** The snapshot with every recorded event applied. */
  snapshot() {
    if (this.#pending.length) {
      const events = this.#pending;
      this.#pending = [];
      const before = this.#snapshot;
      this.#snapshot = applyEvents(before, events);
      for (const event of events) {
        const line = formatEventLine(event, this.#snapshot, { color: false });
        if (line !== void 0) this.#logLines.push(`${new Date(event.at).toISOString()} ${line}`);
      }
    }
    return this.#snapshot;
  }
  /** Writes everything recorded so far. */
  flush() {
    clearTimeout(this.#timer);
    this.#timer = void 0;
    const snapshot2 = this.snapshot();
    this.#append("events.jsonl", this.#eventLines);
    this.#append("log.txt", this.#logLines);
    this.#eventLines = [];
    this.#logLines = [];
    this.#state.writeRunFile(this.#runId, "run.json", JSON.stringify(snapshot2) + "\n");
  }
  /** The last write of a run: its snapshot and result.json. */
  finish(outcome) {
    this.flush();
    this.#state.writeRunFile(
      this.#runId,
      "result.json",
      JSON.stringify({ status: outcome.status, result: outcome.result ?? null, ...outcome.error ? { error: outcome.error } : {} }, null, 2) + "\n"
    );
    return this.#snapshot;
  }
  #append(file, lines) {
    if (lines.length) this.#state.appendRunFile(this.#runId, file, lines.join("\n") + "\n");
  }
  /** For an exit that cannot wait (a second Ctrl-C): mark the run stopped, synchronously. */
  abandon(at) {
    this.record({ type: "run_finished", at, status: "stopped", error: { code: "STOPPED", message: "the run was stopped (forced)" } });
    this.flush();
  }
};

// src/runner/run-config.ts
function runConfigOf(flags, config) {
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
    model: flags.model
  };
}
function sandboxLimitsOf(flags) {
  return { cpuMs: flags.scriptCpuMs, memoryBytes: flags.scriptMemoryMb === void 0 ? void 0 : flags.scriptMemoryMb * 1024 * 1024 };
}

// src/runner/run-edits.ts
import fs8 from "node:fs";
import os2 from "node:os";
import path12 from "node:path";

// src/edits/run-edits.ts
import fs7 from "node:fs";
import path11 from "node:path";

// src/edits/apply.ts
import { randomBytes } from "node:crypto";
import fs3 from "node:fs";
import path5 from "node:path";

// src/edits/blob-id.ts
import { createHash as createHash2 } from "node:crypto";
function blobId(content) {
  return createHash2("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

// src/edits/working-file.ts
import fs2 from "node:fs";
import path4 from "node:path";
function readWorkingFile(root, relative) {
  const file = path4.join(root, ...relative.split("/"));
  if (!checkFolders(root, path4.dirname(file))) return null;
  let fd;
  try {
    fd = openChecked(file, fs2.constants.O_RDONLY);
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw error;
  }
  try {
    return { content: fs2.readFileSync(fd), mode: fs2.fstatSync(fd).mode & 64 ? "100755" : "100644" };
  } finally {
    fs2.closeSync(fd);
  }
}

// src/edits/apply.ts
var { O_WRONLY, O_CREAT, O_EXCL } = fs3.constants;
var CONTROL = /[\u0000-\u001f\u007f]/;
var STAGED = /^(?:[^/]+\/)*\.[^/]+\.dwf-[0-9a-f]{12}\.tmp$/;
function checkLandingPath(relative, hidden) {
  const parts = relative.split("/");
  const bad = relative === "" || path5.isAbsolute(relative) || relative.includes("\\") ? "is not a relative path" : CONTROL.test(relative) ? "contains a control character (a newline, an escape), which no file name of a change may hold" : parts.some((part) => part === "" || part === "." || part === "..") ? "is not a plain path inside the working folder" : parts.some((part) => part.toLowerCase() === ".git") ? "is inside .git/" : hidden(relative);
  if (bad !== void 0) throw new WorkflowError("EDIT_FAILED", `a change to '${relative}' was refused: the path ${bad}`);
}
function applyLanding(root, steps, intentFile, intentRoot, hidden, onCommitted) {
  for (const step of steps) checkLandingPath(step.path, hidden);
  for (const step of steps) if (step.expect !== void 0) checkUnchanged(root, step.path, step.expect);
  const intent = {
    ready: false,
    renames: steps.filter((step) => step.write).map((step) => [stagedName(step.path), step.path]),
    deletes: steps.filter((step) => !step.write).map((step) => step.path)
  };
  writeFileAtomically(intentRoot, intentFile, JSON.stringify(intent));
  try {
    steps.filter((step) => step.write).forEach((step, i) => stage(root, intent.renames[i][0], step.write));
  } catch (error) {
    finishLanding(root, intentRoot, intentFile, hidden);
    throw error;
  }
  writeFileAtomically(intentRoot, intentFile, JSON.stringify({ ...intent, ready: true }));
  onCommitted?.();
  finishLanding(root, intentRoot, intentFile, hidden);
}
function inside(root, relative) {
  return path5.join(root, ...relative.split("/"));
}
function finishLanding(root, intentRoot, intentFile, hidden) {
  const text3 = readTextIfExists(intentRoot, intentFile);
  if (text3 === void 0) return;
  const intent = JSON.parse(text3);
  for (const [staged, target] of intent.renames) {
    checkLandingPath(target, hidden);
    if (!STAGED.test(staged)) throw new WorkflowError("EDIT_FAILED", `a recorded landing names '${staged}', which the runner never stages`);
    const from = inside(root, staged);
    if (!intent.ready) {
      if (checkFolders(root, path5.dirname(from)) && lstatIfExists(from)) fs3.unlinkSync(from);
      continue;
    }
    if (!lstatIfExists(from)) continue;
    const to = inside(root, target);
    checkFolders(root, path5.dirname(to));
    if (lstatIfExists(to)?.isDirectory()) fs3.rmSync(to, { recursive: true, force: true });
    fs3.renameSync(from, to);
  }
  for (const target of intent.ready ? intent.deletes : []) {
    checkLandingPath(target, hidden);
    removeWithEmptyFolders(root, inside(root, target));
  }
  removeFile(intentRoot, intentFile);
}
function checkUnchanged(root, relative, expect) {
  const found = readWorkingFile(root, relative);
  const now = found ? blobId(found.content) : null;
  if (now !== expect)
    throw new WorkflowError("EDIT_FAILED", `'${relative}' was changed in the working directory during the run, by something other than the run; it was not overwritten (nothing of this change was applied)`);
}
function stagedName(relative) {
  const slash = relative.lastIndexOf("/");
  return `${relative.slice(0, slash + 1)}.${relative.slice(slash + 1)}.dwf-${randomBytes(6).toString("hex")}.tmp`;
}
function stage(root, stagedRelative, write) {
  const staged = inside(root, stagedRelative);
  checkFolders(root, path5.dirname(staged), { create: true });
  if (write.mode === "120000") {
    fs3.symlinkSync(write.content.toString("utf8"), staged);
    return;
  }
  const fd = openChecked(staged, O_WRONLY | O_CREAT | O_EXCL);
  try {
    fs3.writeSync(fd, write.content);
    fs3.fchmodSync(fd, write.mode === "100755" ? 493 : 420);
  } finally {
    fs3.closeSync(fd);
  }
}
function removeWithEmptyFolders(root, target) {
  if (!checkFolders(root, path5.dirname(target))) return;
  const stats = lstatIfExists(target);
  if (stats && !stats.isDirectory()) fs3.unlinkSync(target);
  for (let dir = path5.dirname(target); dir !== root && dir.startsWith(root + path5.sep); dir = path5.dirname(dir)) {
    try {
      fs3.rmdirSync(dir);
    } catch {
      break;
    }
  }
}

// src/edits/fast-apply.ts
import { inflateSync } from "node:zlib";
var FILE_MODES = /* @__PURE__ */ new Set(["100644", "100755"]);
function planFast(root, files) {
  const steps = [];
  for (const file of files) {
    const planned = planFile(root, file);
    if (!planned) return void 0;
    steps.push(...planned);
  }
  return steps;
}
function planFile(root, file) {
  if (file.oldMode && !FILE_MODES.has(file.oldMode) || file.newMode && !FILE_MODES.has(file.newMode)) return void 0;
  let before;
  if (file.oldPath !== void 0) {
    const found = readPlain(root, file.oldPath);
    if (!found || file.oldId !== void 0 && blobId(found.content) !== file.oldId || file.oldMode && found.mode !== file.oldMode) return void 0;
    before = found.content;
  } else if (file.newPath === void 0 || readPlain(root, file.newPath) !== null) return void 0;
  const steps = [];
  if (file.oldPath !== void 0 && file.oldPath !== file.newPath) steps.push({ path: file.oldPath });
  if (file.newPath === void 0) return steps;
  const after = file.literal ? inflate(file.literal) : applyHunks(before ?? Buffer.alloc(0), file.hunks);
  if (!after || file.newId !== void 0 && blobId(after) !== file.newId) return void 0;
  const mode = file.newMode ?? file.oldMode ?? "100644";
  steps.push({ path: file.newPath, write: { mode, content: after, blob: file.newId ?? blobId(after) } });
  return steps;
}
function readPlain(root, relative) {
  try {
    return readWorkingFile(root, relative);
  } catch {
    return void 0;
  }
}
function inflate(literal) {
  try {
    return inflateSync(literal);
  } catch {
    return void 0;
  }
}
function applyHunks(content, hunks) {
  const lines = splitLines(content.toString("latin1"));
  const out = [];
  let next = 0;
  for (const hunk of hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < next || start > lines.length) return void 0;
    for (let k = next; k < start; k++) out.push(lines[k]);
    next = start;
    for (const line of hunk.lines) {
      const text3 = line.noNewline ? line.text : line.text + "\n";
      if (line.kind === "+") out.push(text3);
      else if (lines[next] !== text3) return void 0;
      else {
        if (line.kind === " ") out.push(text3);
        next++;
      }
    }
  }
  for (let k = next; k < lines.length; k++) out.push(lines[k]);
  return Buffer.from(out.join(""), "latin1");
}
function splitLines(text3) {
  if (text3 === "") return [];
  const lines = text3.split("\n").map((line) => line + "\n");
  const last = lines.pop();
  if (last !== "\n") lines.push(last.slice(0, -1));
  return lines;
}

// src/edits/git.ts
import { execFile, spawnSync } from "node:child_process";
import { createHash as createHash3, randomBytes as randomBytes2 } from "node:crypto";
import { deflateSync } from "node:zlib";
import fs4 from "node:fs";
import path6 from "node:path";
var MAX_GIT_OUTPUT = 256 * 1024 * 1024;
var GitStore = class {
  #dir;
  #excludes;
  #ready = false;
  /** Objects hashed here and not yet written (see writeObject). */
  #deferred = /* @__PURE__ */ new Map();
  /** `excludes`: patterns (as in .gitignore) no tree of this store includes, e.g. the state folder. */
  constructor(dir, excludes = []) {
    this.#dir = dir;
    this.#excludes = excludes;
  }
  get dir() {
    return this.#dir;
  }
  /** Runs git against this store; rejects with an EDIT_FAILED error naming the command. */
  async run(args, call = {}) {
    this.#initSync();
    this.#persist();
    return runGit(this.#dir, args, call);
  }
  /** Runs git and returns its stdout as text, without the final newline. */
  async text(args, call = {}) {
    return (await this.run(args, call)).stdout.toString("utf8").replace(/\n$/, "");
  }
  /**
   * The same, synchronously: for what reads or writes the run's working folder, which must
   * happen between two steps of the script, never during one (see run-edits.ts).
   */
  runSync(args, call = {}) {
    this.#initSync();
    this.#persist();
    const result = spawnSync("git", [...SAFE, ...args], { env: environment(this.#dir, call), cwd: call.workTree ?? this.#dir, input: call.input, maxBuffer: MAX_GIT_OUTPUT });
    if (result.error) throw result.error.code === "ENOENT" ? gitMissing() : result.error;
    const code = result.status ?? -1;
    if (code === 0 || call.okCodes?.includes(code)) return { code, stdout: result.stdout };
    throw gitFailed(args, result.stderr, `exit ${code}`);
  }
  /**
   * The id of a blob, stored the way git stores it (a zlib-deflated loose object named by its
   * sha1) but without running git, and only when git next runs: landing a patch must not cost
   * a process, or a write to the store, per file.
   */
  writeBlob(content) {
    return this.writeObject("blob", content);
  }
  /** The same for any object (a tree built by tree-index.ts). */
  writeObject(type, content) {
    const header = Buffer.from(`${type} ${content.length}\0`);
    const id = createHash3("sha1").update(header).update(content).digest("hex");
    if (!this.#deferred.has(id)) this.#deferred.set(id, Buffer.concat([header, content]));
    return id;
  }
  /** Writes the objects made since git last ran; every git command runs after it. */
  #persist() {
    if (this.#deferred.size === 0) return;
    this.#initSync();
    for (const [id, raw] of this.#deferred) {
      const file = path6.join(this.#dir, "objects", id.slice(0, 2), id.slice(2));
      if (fs4.existsSync(file)) continue;
      fs4.mkdirSync(path6.dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes2(6).toString("hex")}.tmp`;
      fs4.writeFileSync(temporary, deflateSync(raw), { mode: 292 });
      fs4.renameSync(temporary, file);
    }
    this.#deferred.clear();
  }
  textSync(args, call = {}) {
    return this.runSync(args, call).stdout.toString("utf8").replace(/\n$/, "");
  }
  #initSync() {
    if (this.#ready) return;
    if (!fs4.existsSync(path6.join(this.#dir, "HEAD"))) {
      fs4.mkdirSync(this.#dir, { recursive: true });
      const result = spawnSync("git", ["init", "--quiet", "--bare", this.#dir], { env: environment(this.#dir, {}) });
      if (result.error) throw result.error.code === "ENOENT" ? gitMissing() : result.error;
      if (result.status !== 0) throw gitFailed(["init"], result.stderr, `exit ${result.status}`);
    }
    this.#writeExcludes();
    this.#ready = true;
  }
  /** Written on every start: the state folder may have moved since the store was made. */
  #writeExcludes() {
    fs4.mkdirSync(path6.join(this.#dir, "info"), { recursive: true });
    fs4.writeFileSync(path6.join(this.#dir, "info", "exclude"), this.#excludes.map((p) => `${p}
`).join(""));
  }
};
function environment(gitDir, call) {
  const env = {
    PATH: process.env.PATH,
    GIT_DIR: gitDir,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C"
  };
  if (call.workTree !== void 0) env.GIT_WORK_TREE = call.workTree;
  if (call.index !== void 0) env.GIT_INDEX_FILE = call.index;
  return env;
}
var SAFE = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.quotePath=false"];
function runGit(gitDir, args, call) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...SAFE, ...args],
      { env: environment(gitDir, call), encoding: "buffer", maxBuffer: MAX_GIT_OUTPUT, cwd: call.workTree ?? gitDir },
      (error, stdout, stderr) => {
        const code = error ? typeof error.code === "number" ? error.code : -1 : 0;
        if (code === 0 || call.okCodes?.includes(code)) return resolve({ code, stdout });
        if (error && error.code === "ENOENT") return reject(gitMissing());
        reject(gitFailed(args, stderr, error?.message ?? `exit ${code}`));
      }
    );
    if (call.input !== void 0) child.stdin.end(call.input);
    else child.stdin.end();
  });
}
function gitFailed(args, stderr, fallback) {
  const command = args.find((arg) => !arg.startsWith("-") && !arg.includes("=")) ?? "git";
  const detail = stderr.toString("utf8").trim().split("\n").slice(-3).join(" ");
  return new WorkflowError("EDIT_FAILED", `git ${command} failed: ${detail || fallback}`);
}
function gitMissing() {
  return new WorkflowError("EDIT_FAILED", "editing calls need git on PATH (it stores and compares the trees agents edit); install git, or run the call without `edits`");
}

// src/edits/landing-order.ts
var LandingOrder = class {
  #issued = 0;
  /** Every ticket up to this one has landed or dropped out. */
  #done = 0;
  #finished = /* @__PURE__ */ new Set();
  #waiting = /* @__PURE__ */ new Map();
  issue() {
    return ++this.#issued;
  }
  /** Resolves when every earlier ticket is done. */
  turn(ticket) {
    if (ticket === this.#done + 1) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.set(ticket, resolve));
  }
  /** Marks a ticket done (landed or dropped), in any order; wakes the next one whose turn it now is. */
  finish(ticket) {
    this.#finished.add(ticket);
    while (this.#finished.delete(this.#done + 1)) this.#done++;
    const next = this.#waiting.get(this.#done + 1);
    if (next) {
      this.#waiting.delete(this.#done + 1);
      next();
    }
  }
};

// src/edits/merge.ts
import fs6 from "node:fs";
import os from "node:os";
import path8 from "node:path";

// src/edits/trees.ts
import fs5 from "node:fs";
import path7 from "node:path";
var EMPTY_BLOB = "0000000000000000000000000000000000000000";
function addAll(excludesFile) {
  return [...excludesFile === void 0 ? [] : ["-c", `core.excludesFile=${excludesFile}`], "add", "--all", "."];
}
async function snapshot(store, dir, index, excludesFile) {
  await store.run(addAll(excludesFile), { workTree: dir, index });
  return store.text(["write-tree"], { workTree: dir, index });
}
function snapshotSync(store, dir, index) {
  store.runSync(addAll(void 0), { workTree: dir, index });
  return store.textSync(["write-tree"], { workTree: dir, index });
}
async function materialize(store, tree, dir, index) {
  fs5.mkdirSync(dir, { recursive: true });
  await store.run(["read-tree", tree], { workTree: dir, index });
  await store.run(["checkout-index", "--all", "--force", `--prefix=${dir}${path7.sep}`], { workTree: dir, index });
}
function diffTrees(store, from, to) {
  const out = store.runSync(["diff-tree", "-r", "-z", "--no-renames", "--no-commit-id", from, to]).stdout.toString("utf8");
  const fields = out.split("\0");
  const diffs = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldBlob, newBlob] = fields[i].slice(1).split(" ");
    const diff = { path: fields[i + 1] };
    if (oldMode !== "000000") diff.before = { mode: oldMode, blob: oldBlob };
    if (newMode !== "000000" && newBlob !== EMPTY_BLOB) diff.after = { mode: newMode, blob: newBlob };
    diffs.push(diff);
  }
  return diffs;
}
function entriesAt(store, tree, paths) {
  const found = /* @__PURE__ */ new Map();
  if (paths.length === 0) return found;
  for (const [file, entry] of listTree(store, tree, paths)) found.set(file, entry);
  return found;
}
function listTree(store, tree, paths = []) {
  const out = store.runSync(["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", tree, "--", ...paths]).stdout.toString("utf8");
  return out.split("\0").filter((record) => record !== "").map((record) => {
    const tab = record.indexOf("	");
    const [mode, , blob] = record.slice(0, tab).split(" ");
    return [record.slice(tab + 1), { mode, blob }];
  });
}
function patchForJournal(bytes) {
  const text3 = bytes.toString("utf8");
  return Buffer.from(text3, "utf8").equals(bytes) ? { patch: text3 } : { patch: bytes.toString("base64"), encoding: "base64" };
}
function patchBytes(edits) {
  return Buffer.from(edits.patch, edits.encoding === "base64" ? "base64" : "utf8");
}
function patchBetween(store, from, to) {
  return store.runSync(["diff", "--binary", "--full-index", "--find-renames", "--no-color", "--no-ext-diff", "--no-textconv", from, to]).stdout;
}
function applyToTree(store, base, patch, index) {
  store.runSync(["read-tree", base], { index });
  const applied = store.runSync(["apply", "--cached", "--binary", "--whitespace=nowarn", "-"], { index, input: patch, okCodes: [1, 128] });
  if (applied.code !== 0) return void 0;
  return store.textSync(["write-tree"], { index });
}
function readBlob(store, blob) {
  return store.runSync(["cat-file", "blob", blob]).stdout;
}

// src/edits/merge.ts
var TEXT_MODES = /* @__PURE__ */ new Set(["100644", "100755"]);
function same(a, b) {
  return a === void 0 ? b === void 0 : b !== void 0 && a.mode === b.mode && a.blob === b.blob;
}
function planLanding(store, diffs, current) {
  const steps = [];
  for (const diff of diffs) {
    const now = current.get(diff.path);
    if (same(now, diff.after)) continue;
    if (same(now, diff.before)) {
      steps.push({ ...stepTo(store, diff.path, diff.after), expect: now?.blob ?? null });
      continue;
    }
    const merged = mergeText(store, diff, now);
    if (typeof merged === "string") return { conflict: { path: diff.path, why: merged } };
    steps.push({ ...merged, expect: now?.blob ?? null });
  }
  return { steps };
}
function stepTo(store, file, entry) {
  return entry === void 0 ? { path: file } : { path: file, write: { mode: entry.mode, content: readBlob(store, entry.blob), blob: entry.blob } };
}
function mergeText(store, diff, now) {
  const { before, after } = diff;
  if (now === void 0 || before === void 0 || after === void 0) return "one side deletes or adds the file while the other changes it";
  if (![now, before, after].every((e) => TEXT_MODES.has(e.mode))) return "a link or submodule changed on both sides";
  const mode = now.mode === before.mode ? after.mode : after.mode === before.mode ? now.mode : void 0;
  if (mode === void 0) return "the file mode changed on both sides";
  const texts = [now, before, after].map((e) => readBlob(store, e.blob));
  if (texts.some(isBinary)) return "a binary file changed on both sides";
  const dir = fs6.mkdtempSync(path8.join(os.tmpdir(), "dwf-merge-"));
  try {
    const files = ["current", "base", "theirs"].map((name, i) => {
      const file = path8.join(dir, name);
      fs6.writeFileSync(file, texts[i]);
      return file;
    });
    const result = store.runSync(["merge-file", "--stdout", "--quiet", ...files], { okCodes: range(1, 127) });
    if (result.code !== 0) return "both changed the same lines";
    return { path: diff.path, write: { mode, content: result.stdout } };
  } finally {
    fs6.rmSync(dir, { recursive: true, force: true });
  }
}
function isBinary(content) {
  return content.subarray(0, 8e3).includes(0);
}
function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// src/edits/patch-parse.ts
var HEADER = /^diff --git a\/(\S+) b\/(\S+)$/;
var INDEX = /^index ([0-9a-f]{40})\.\.([0-9a-f]{40})(?: (\d{6}))?$/;
var HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
function parsePatch(text3) {
  const lines = text3.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const files = [];
  let i = 0;
  while (i < lines.length) {
    const header = HEADER.exec(lines[i]);
    if (!header) return void 0;
    const file = { oldPath: header[1], newPath: header[2], hunks: [] };
    i = readExtendedHeader(lines, i + 1, file);
    if (i < 0) return void 0;
    i = readBody(lines, i, file);
    if (i < 0) return void 0;
    files.push(file);
  }
  return files;
}
function readExtendedHeader(lines, from, file) {
  let i = from;
  for (; i < lines.length && !lines[i].startsWith("diff --git "); i++) {
    const line = lines[i];
    const index = INDEX.exec(line);
    if (index) {
      file.oldId = index[1];
      file.newId = index[2];
      if (index[3]) file.oldMode = file.newMode = index[3];
    } else if (line.startsWith("new file mode ")) {
      file.newMode = line.slice(14);
      file.oldPath = void 0;
    } else if (line.startsWith("deleted file mode ")) {
      file.oldMode = line.slice(18);
      file.newPath = void 0;
    } else if (line.startsWith("old mode ")) file.oldMode = line.slice(9);
    else if (line.startsWith("new mode ")) file.newMode = line.slice(9);
    else if (line.startsWith("rename from ") || line.startsWith("rename to ") || line.startsWith("similarity index ")) continue;
    else if (line.startsWith("--- ") || line.startsWith("GIT binary patch") || line.startsWith("Binary files ")) break;
    else return -1;
  }
  return i;
}
function readBody(lines, from, file) {
  let i = from;
  if (i >= lines.length || lines[i].startsWith("diff --git ")) return i;
  if (lines[i].startsWith("Binary files ")) return -1;
  if (lines[i] === "GIT binary patch") return readLiteral(lines, i + 1, file);
  if (!lines[i].startsWith("--- ") || !lines[i + 1]?.startsWith("+++ ")) return -1;
  i += 2;
  while (i < lines.length && !lines[i].startsWith("diff --git ")) {
    const range2 = HUNK.exec(lines[i]);
    if (!range2) return -1;
    const hunk = { oldStart: Number(range2[1]), oldCount: range2[2] === void 0 ? 1 : Number(range2[2]), lines: [] };
    let oldLeft = hunk.oldCount;
    let newLeft = range2[4] === void 0 ? 1 : Number(range2[4]);
    for (i++; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
      const line = lines[i];
      const kind = line[0];
      if (kind !== " " && kind !== "-" && kind !== "+") return -1;
      hunk.lines.push({ kind, text: line.slice(1), noNewline: false });
      if (kind !== "+") oldLeft--;
      if (kind !== "-") newLeft--;
      if (lines[i + 1] === "\\ No newline at end of file") {
        hunk.lines[hunk.lines.length - 1].noNewline = true;
        i++;
      }
    }
    if (oldLeft !== 0 || newLeft !== 0) return -1;
    file.hunks.push(hunk);
  }
  return i;
}
function readLiteral(lines, from, file) {
  const head = /^literal (\d+)$/.exec(lines[from] ?? "");
  if (!head) return -1;
  const chunks = [];
  let i = from + 1;
  for (; i < lines.length && lines[i] !== ""; i++) {
    const decoded = decodeBase85Line(lines[i]);
    if (!decoded) return -1;
    chunks.push(decoded);
  }
  file.literal = Buffer.concat(chunks);
  while (i < lines.length && !lines[i].startsWith("diff --git ")) i++;
  return i;
}
var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
var VALUE = new Map([...ALPHABET].map((char, i) => [char, i]));
function decodeBase85Line(line) {
  const first = line.charCodeAt(0);
  const length = first >= 65 && first <= 90 ? first - 64 : first >= 97 && first <= 122 ? first - 96 + 26 : -1;
  const body = line.slice(1);
  if (length < 0 || body.length % 5 !== 0 || body.length / 5 < Math.ceil(length / 4)) return void 0;
  const out = Buffer.alloc(body.length / 5 * 4);
  for (let group = 0; group < body.length / 5; group++) {
    let value = 0;
    for (let k = 0; k < 5; k++) {
      const digit = VALUE.get(body[group * 5 + k]);
      if (digit === void 0) return void 0;
      value = value * 85 + digit;
    }
    if (value > 4294967295) return void 0;
    out.writeUInt32BE(value, group * 4);
  }
  return out.subarray(0, length);
}

// src/edits/lineage.ts
import path9 from "node:path";
var TREE = /^[0-9a-f]{40}$/;
var LineageFile = class {
  constructor(stateRoot, storeDir, workflow) {
    this.stateRoot = stateRoot;
    this.#file = path9.join(storeDir, "lineage", `${encodeURIComponent(workflow)}.jsonl`);
  }
  stateRoot;
  #file;
  read() {
    try {
      const [head, ...rest] = (readTextIfExists(this.stateRoot, this.#file) ?? "").split("\n").filter(Boolean);
      const { start, disk } = JSON.parse(head ?? "null");
      if (!TREE.test(String(start)) || !TREE.test(String(disk))) return void 0;
      const changes = rest.map((line) => JSON.parse(line));
      if (!changes.every((c) => typeof c.path === "string" && (c.entry === null || /^\d{6}$/.test(c.entry.mode) && TREE.test(c.entry.blob)))) return void 0;
      return { start, disk, changes };
    } catch {
      return void 0;
    }
  }
  /** Starts the file again from a known tree (when the run's tree is computed anyway). */
  reset(start, disk) {
    writeFileAtomically(this.stateRoot, this.#file, `${JSON.stringify({ start, disk })}
`);
  }
  append(changes) {
    appendText(this.stateRoot, this.#file, changes.map((c) => `${JSON.stringify(c)}
`).join(""));
  }
};

// src/edits/tree-index.ts
var TreeIndex = class _TreeIndex {
  #store;
  /** Each folder's children ('' is the root). */
  #folders = /* @__PURE__ */ new Map([["", /* @__PURE__ */ new Map()]]);
  /** Tree ids of folders unchanged since they were hashed. */
  #ids = /* @__PURE__ */ new Map();
  constructor(store) {
    this.#store = store;
  }
  /** The entries of `tree` (one `git ls-tree`). */
  static load(store, tree) {
    const index = new _TreeIndex(store);
    for (const [file, entry] of listTree(store, tree)) index.set(file, entry);
    return index;
  }
  /** Sets a file's entry, or removes it (null); folders come and go with their files. */
  set(file, entry) {
    const parts = file.split("/");
    let folder = "";
    for (const name of parts.slice(0, -1)) {
      this.#ids.delete(folder);
      const children = this.#folders.get(folder);
      const child = folder === "" ? name : `${folder}/${name}`;
      if (entry && children.get(name) !== "folder") {
        children.set(name, "folder");
        this.#folders.set(child, /* @__PURE__ */ new Map());
      }
      if (!this.#folders.has(child)) return;
      folder = child;
    }
    this.#ids.delete(folder);
    const leaf = parts[parts.length - 1];
    if (entry) this.#folders.get(folder).set(leaf, entry);
    else {
      this.#folders.get(folder).delete(leaf);
      this.#prune(folder);
    }
  }
  get(file) {
    const slash = file.lastIndexOf("/");
    const child = this.#folders.get(slash < 0 ? "" : file.slice(0, slash))?.get(file.slice(slash + 1));
    return child === "folder" ? void 0 : child;
  }
  /** The tree id (stored, with every folder's tree object). */
  id(folder = "") {
    const known = this.#ids.get(folder);
    if (known) return known;
    const children = [...this.#folders.get(folder)].map(([name, child]) => {
      const id2 = child === "folder" ? this.id(folder === "" ? name : `${folder}/${name}`) : child.blob;
      return { name, mode: child === "folder" ? "40000" : child.mode, id: id2, key: Buffer.from(child === "folder" ? `${name}/` : name) };
    });
    children.sort((a, b) => Buffer.compare(a.key, b.key));
    const content = Buffer.concat(children.flatMap((c) => [Buffer.from(`${c.mode} ${c.name}\0`), Buffer.from(c.id, "hex")]));
    const id = this.#store.writeObject("tree", content);
    this.#ids.set(folder, id);
    return id;
  }
  /** Empty folders are not part of a git tree: remove them up to the root. */
  #prune(folder) {
    while (folder !== "" && this.#folders.get(folder).size === 0) {
      this.#folders.delete(folder);
      const slash = folder.lastIndexOf("/");
      const parent = slash < 0 ? "" : folder.slice(0, slash);
      this.#folders.get(parent).delete(folder.slice(slash + 1));
      this.#ids.delete(parent);
      folder = parent;
    }
  }
};

// src/edits/working-folder.ts
import path10 from "node:path";
var WorkingFolder = class {
  #store;
  #options;
  #lineage;
  #start;
  #current;
  /** Landed on disk, not yet in #current. */
  #pending = [];
  /** The files of #current, kept to compute the next tree here (loaded on the first change). */
  #files;
  /** Whether the lineage file describes this run yet. */
  #recording = false;
  /** What resume() took back: the folder's tree then, and the paths. */
  #takenBack;
  constructor(store, options) {
    this.#store = store;
    this.#options = options;
    this.#lineage = new LineageFile(options.stateRoot, options.storeDir, options.workflow);
    finishLanding(options.root, options.stateRoot, this.#intentFile, options.hidden);
  }
  /** One per state folder (not per run), so the next run finds what a killed one left. */
  get #intentFile() {
    return path10.join(this.#options.storeDir, "landing.json");
  }
  get #index() {
    return path10.join(this.#options.storeDir, `folder-${process.pid}.index`);
  }
  /** The index files this process made in the store. */
  indexFiles() {
    return [this.#index];
  }
  /** Whether the folder has been read (a run that never edits never runs git). */
  get started() {
    return this.#current !== void 0;
  }
  /** The folder's tree now, as the script has seen it. */
  tree() {
    if (this.#current === void 0) {
      this.#current = snapshotSync(this.#store, this.#options.root, this.#index);
      this.#start = this.#current;
    }
    if (this.#pending.length > 0) {
      this.#files ??= TreeIndex.load(this.#store, this.#current);
      for (const step of this.#pending) {
        if (step.write) this.#store.writeBlob(step.write.content);
        this.#files.set(step.path, step.write ? { mode: step.write.mode, blob: step.write.blob } : null);
      }
      this.#current = this.#files.id();
      this.#pending = [];
    }
    return this.#current;
  }
  /** Lands `steps` on disk, all or none, and records them in the lineage before the first file moves. */
  apply(steps) {
    if (steps.length === 0) return;
    if (!this.#recording) {
      this.#lineage.reset(this.#start ?? this.tree(), this.tree());
      this.#recording = true;
    }
    for (const step of steps) if (step.write) step.write.blob = blobId(step.write.content);
    const entries = steps.map((step) => ({ path: step.path, entry: step.write ? { mode: step.write.mode, blob: step.write.blob } : null }));
    applyLanding(this.#options.root, steps, this.#intentFile, this.#options.stateRoot, this.#options.hidden, () => this.#lineage.append(entries));
    this.#pending.push(...steps);
  }
  /**
   * When the folder is exactly as the last run of this workflow left it, continues that run:
   * its changes are taken back and the run starts from the tree it started from. Returns how
   * many files were taken back (0 without a lineage, or when the folder changed since).
   */
  resume() {
    const lineage = this.#lineage.read();
    if (!lineage) return 0;
    const now = this.tree();
    const expected = lineage.changes.length === 0 ? lineage.disk : this.#treeWith(lineage.disk, lineage.changes);
    if (expected !== now || lineage.start === now) return 0;
    const back = diffTrees(this.#store, now, lineage.start).map((d) => ({ ...toStep({ path: d.path, entry: d.after ?? null }, this.#store), expect: d.before?.blob ?? null }));
    this.#start = lineage.start;
    this.#recording = true;
    this.#lineage.reset(lineage.start, now);
    this.apply(back);
    this.#takenBack = { tree: now, paths: back.map((step) => step.path) };
    return back.length;
  }
  /**
   * Files the continued run had changed that this run left as they were before it: its script
   * or args changed, and those changes were not made again. (They are still in the last run's
   * changes.patch.)
   */
  notMadeAgain() {
    if (!this.#takenBack) return [];
    const now = this.tree();
    const before = entriesAt(this.#store, this.#takenBack.tree, this.#takenBack.paths);
    const after = entriesAt(this.#store, now, this.#takenBack.paths);
    return this.#takenBack.paths.filter((file) => before.get(file)?.blob !== after.get(file)?.blob || before.get(file)?.mode !== after.get(file)?.mode);
  }
  /** The file's entry in the folder's tree now (undefined: not there). */
  entry(file) {
    this.tree();
    this.#files ??= TreeIndex.load(this.#store, this.#current);
    return this.#files.get(file);
  }
  #treeWith(tree, changes) {
    const files = TreeIndex.load(this.#store, tree);
    for (const change of changes) files.set(change.path, change.entry);
    return files.id();
  }
  /** What the run changed, and the patch of it; undefined when nothing. */
  changes() {
    if (!this.started) return void 0;
    const now = this.tree();
    if (now === this.#start) return void 0;
    return { files: changedFiles(diffTrees(this.#store, this.#start, now)), patch: patchBetween(this.#store, this.#start, now) };
  }
};
function toStep(change, store) {
  if (!change.entry) return { path: change.path };
  return { path: change.path, write: { mode: change.entry.mode, blob: change.entry.blob, content: readBlob(store, change.entry.blob) } };
}
function changedFiles(diffs) {
  return diffs.map((d) => ({ path: d.path, change: d.before === void 0 ? "added" : d.after === void 0 ? "deleted" : "modified" })).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

// src/edits/run-edits.ts
var MAX_WRITE_BYTES = 16 * 1024 * 1024;
var RunEdits = class {
  #options;
  #store;
  #folder;
  #order = new LandingOrder();
  /** Who last changed each path in this run, to name both sides of a conflict. */
  #changedBy = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#options = options;
    const state = path11.relative(options.root, options.stateRoot);
    const inside2 = state !== "" && !state.startsWith("..") && !path11.isAbsolute(state);
    this.#store = new GitStore(options.storeDir, inside2 ? [`/${state.split(path11.sep).join("/")}/`] : []);
    this.#folder = new WorkingFolder(this.#store, options);
  }
  begin() {
    return { tree: this.#folder.tree(), ticket: this.#order.issue() };
  }
  async isolate(base) {
    const dir = path11.join(this.#options.treesDir(), String(base.ticket));
    const index = `${dir}.index`;
    const excludes = `${dir}.exclude`;
    fs7.rmSync(dir, { recursive: true, force: true });
    await materialize(this.#store, base.tree, dir, index);
    const linked = linkDependencies(this.#options.root, dir, (name) => entriesAt(this.#store, base.tree, [name]).size === 0);
    fs7.writeFileSync(excludes, linked.map((name) => `/${name}
`).join(""));
    const store = this.#store;
    return {
      dir,
      async capture() {
        const after = await snapshot(store, dir, index, excludes);
        return { ...patchForJournal(patchBetween(store, base.tree, after)), files: changedFiles(diffTrees(store, base.tree, after)) };
      },
      async remove() {
        await fs7.promises.rm(dir, { recursive: true, force: true });
        await fs7.promises.rm(index, { force: true });
        await fs7.promises.rm(excludes, { force: true });
      }
    };
  }
  async land(base, edits, call) {
    await this.#order.turn(base.ticket);
    try {
      this.#landNow(base, edits, call);
    } finally {
      this.#order.finish(base.ticket);
    }
  }
  drop(base) {
    this.#order.finish(base.ticket);
  }
  /** writeFile(): replaces one file of the working folder. */
  writeFile(relative, text3) {
    checkLandingPath(relative, this.#options.hidden);
    const bytes = Buffer.byteLength(text3, "utf8");
    if (bytes > MAX_WRITE_BYTES) throw new WorkflowError("INVALID_CALL", `writeFile(): '${relative}' would be ${bytes} bytes; the limit is ${MAX_WRITE_BYTES}`);
    const now = this.#folder.entry(relative);
    this.#apply([{ path: relative, write: { mode: now?.mode === "100755" ? "100755" : "100644", content: Buffer.from(text3, "utf8") }, expect: now?.blob ?? null }], "the script (writeFile)");
  }
  /** applyPatch(): applies a unified diff (as `git diff` or `diff -u` print it) to the working folder, all or nothing. */
  applyPatch(diff) {
    if (Buffer.byteLength(diff, "utf8") > MAX_WRITE_BYTES) throw new WorkflowError("INVALID_CALL", `applyPatch(): the patch is over ${MAX_WRITE_BYTES} bytes`);
    const current = this.#folder.tree();
    const after = applyToTree(this.#store, current, diff, this.#scratchIndex);
    if (after === void 0) throw new WorkflowError("EDIT_FAILED", "applyPatch(): the patch does not apply to the working folder (its context lines or files differ); nothing was changed");
    const diffs = diffTrees(this.#store, current, after);
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, current, diffs.map((d) => d.path)));
    if ("conflict" in plan) throw new WorkflowError("EDIT_FAILED", `applyPatch(): ${plan.conflict.path}: ${plan.conflict.why}`);
    this.#apply(plan.steps, "the script (applyPatch)");
    return changedFiles(diffs);
  }
  /** What the run changed in the working folder, and the patch of it; undefined when it never changed anything. */
  changes() {
    return this.#folder.changes();
  }
  /**
   * Called before the script runs: when the folder is exactly as the last run of this workflow
   * left it, that run is continued (its changes are taken back, and land again as its calls
   * replay). Returns how many files were taken back.
   */
  resume() {
    const back = this.#folder.resume();
    this.#changedBy.clear();
    return back;
  }
  /** Files the continued run had changed that this run did not change again (see WorkingFolder.notMadeAgain). */
  notMadeAgain() {
    return this.#folder.notMadeAgain();
  }
  /** Removes this process's index files from the store (the store itself is kept for the next run). */
  close() {
    for (const file of [this.#scratchIndex, ...this.#folder.indexFiles()]) fs7.rmSync(file, { force: true });
  }
  get #scratchIndex() {
    return path11.join(this.#options.storeDir, `scratch-${process.pid}.index`);
  }
  #apply(steps, by) {
    this.#folder.apply(steps);
    for (const step of steps) this.#changedBy.set(step.path, by);
  }
  #landNow(base, edits, call) {
    if (edits.patch === "") return;
    const who = `agent ${describeCall(call)}`;
    const bytes = patchBytes(edits);
    const files = parsePatch(bytes.toString("latin1"));
    const fast = files && planFast(this.#options.root, files);
    if (fast) return this.#apply(fast, who);
    const theirs = applyToTree(this.#store, base.tree, bytes, this.#scratchIndex);
    if (theirs === void 0) throw new WorkflowError("CONFLICT", "its journaled changes do not apply to the tree it started from", { line: call.line });
    const diffs = diffTrees(this.#store, base.tree, theirs);
    const current = this.#folder.tree();
    const plan = planLanding(this.#store, diffs, entriesAt(this.#store, current, diffs.map((d) => d.path)));
    if ("conflict" in plan) {
      const kept = this.#keepConflict(base.ticket, bytes);
      const other = this.#changedBy.get(plan.conflict.path) ?? "a change made before this run";
      throw new WorkflowError("CONFLICT", `conflicts with ${other} in ${plan.conflict.path}: ${plan.conflict.why}; none of this call's changes were applied (its patch is kept in ${kept})`, { line: call.line });
    }
    this.#apply(plan.steps, who);
  }
  #keepConflict(ticket, patch) {
    const dir = path11.join(this.#options.runDir, "conflicts");
    fs7.mkdirSync(dir, { recursive: true });
    const file = path11.join(dir, `${ticket}.patch`);
    fs7.writeFileSync(file, patch);
    return path11.relative(this.#options.stateRoot, file) || file;
  }
};
var DEPENDENCY_FOLDERS = ["node_modules", ".venv", "venv"];
function linkDependencies(root, dir, untracked) {
  return DEPENDENCY_FOLDERS.filter((name) => {
    const source = path11.join(root, name);
    if (!fs7.lstatSync(source, { throwIfNoEntry: false })?.isDirectory() || fs7.existsSync(path11.join(dir, name)) || !untracked(name)) return false;
    fs7.symlinkSync(source, path11.join(dir, name), "dir");
    return true;
  });
}
function describeCall(call) {
  return `'${call.label}'${call.line !== void 0 ? ` (line ${call.line})` : ""}`;
}

// src/runner/run-edits.ts
var TREES_PREFIX = "dwf-trees-";
var trees;
function treesFolder() {
  if (trees === void 0) {
    removeLeftTrees();
    trees = fs8.mkdtempSync(path12.join(os2.tmpdir(), `${TREES_PREFIX}${process.pid}-`));
  }
  return trees;
}
function removeTreesFolder() {
  if (trees !== void 0) fs8.rmSync(trees, { recursive: true, force: true });
  trees = void 0;
}
function createRunEdits(cwd, state, runId, workflow) {
  const stateRoot = state.root;
  const shown = path12.relative(cwd, stateRoot).split(path12.sep).join("/").toLowerCase();
  const inside2 = shown !== "" && !shown.startsWith("..") && !path12.isAbsolute(shown);
  return new RunEdits({
    root: cwd,
    storeDir: path12.join(stateRoot, "trees.git"),
    treesDir: treesFolder,
    runDir: state.runDir(runId),
    stateRoot,
    workflow,
    hidden: (relative) => {
      const lower = relative.toLowerCase();
      return inside2 && (lower === shown || lower.startsWith(`${shown}/`)) ? "is inside the runner's state folder" : void 0;
    }
  });
}
function summarizeChanges(files) {
  if (files.length === 0) return void 0;
  const count = (change) => files.filter((f) => f.change === change).length;
  return { files: files.map((f) => f.path), added: count("added"), modified: count("modified"), deleted: count("deleted") };
}
function removeLeftTrees() {
  const parent = os2.tmpdir();
  let names;
  try {
    names = fs8.readdirSync(parent).filter((name) => name.startsWith(TREES_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(TREES_PREFIX.length).split("-")[0]);
    if (!Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid || processExists(pid)) continue;
    const folder = path12.join(parent, name);
    try {
      const stats = fs8.lstatSync(folder);
      if (stats.isDirectory() && stats.uid === process.getuid?.()) fs8.rmSync(folder, { recursive: true, force: true });
    } catch {
    }
  }
}

// src/runner/execute-run.ts
async function executeRun(prepared, io, options = {}) {
  const { state, runId, invocation, script } = prepared;
  const journal = await openJournal(state.journalFile(script.meta.name), state.root);
  if (!state.hasRunFile(runId, "invocation.json")) createRunDir(prepared);
  state.writePidMarker(runId, process.pid);
  const recorder = new RunRecorder(state, runId);
  const progress = createProgress(io.stderr, recorder, { tty: Boolean(io.stderr.isTTY) && !options.quiet, color: useColor(io.stderr, io.env), quiet: options.quiet });
  if (prepared.selection.notice && !options.quiet) progress.line(prepared.selection.notice);
  const onStop = () => progress.line(`${stopCause(io.signal?.reason)}: stopping; completed calls stay journaled${io.onForcedExit ? " (Ctrl-C again to quit at once)" : ""}`);
  io.signal?.addEventListener("abort", onStop, { once: true });
  const unregister = io.onForcedExit?.(() => {
    recorder.abandon(Date.now());
    state.removePidMarker(runId);
  });
  const edits = createRunEdits(invocation.cwd, state, runId, script.meta.name);
  continueLastRun(edits, script.meta.name, options.quiet ? () => {
  } : (line) => progress.line(line));
  let outcome;
  try {
    outcome = await runWorkflow({
      runId,
      meta: script.meta,
      script: invocation.scriptDisplay,
      program: createSandboxProgram(script, sandboxLimitsOf(invocation.flags)),
      args: invocation.args,
      config: runConfigOf(invocation.flags, prepared.config),
      providers: prepared.providers,
      journal,
      // The state folder (the clock and the random run id) must stay invisible to the script.
      workspace: createWorkspace(invocation.cwd, { stateDir: state.root }),
      edits,
      signal: io.signal,
      onEvent: function show(event) {
        recorder.record(event);
        progress.event(event);
        options.onEvent?.(event, () => recorder.snapshot());
        if (event.type === "run_started") for (const message of journal.warnings) show({ type: "warning", at: event.at, message });
      }
    });
  } finally {
    io.signal?.removeEventListener("abort", onStop);
    unregister?.();
    await journal.close();
    edits.close();
    removeTreesFolder();
  }
  recordChanges(prepared, edits, recorder, options.quiet ? () => {
  } : (line) => progress.line(line));
  await compact(prepared, outcome, recorder);
  const snapshot2 = recorder.finish(outcome);
  state.removePidMarker(runId);
  progress.finish();
  return { outcome, snapshot: snapshot2 };
}
function continueLastRun(edits, workflow, say) {
  try {
    const back = edits.resume();
    if (back > 0) say(`continuing the last run of ${workflow} in this folder: its changes to ${back === 1 ? "1 file were" : `${back} files were`} taken back, and land again as its calls replay`);
  } catch (error) {
    say(`could not continue the last run's changes (${error.message}); starting from the folder as it is`);
  }
}
function recordChanges(prepared, edits, recorder, say) {
  try {
    const lost = edits.notMadeAgain();
    if (lost.length > 0) {
      const files = `${lost.length === 1 ? "1 file" : `${lost.length} files`} (${lost.slice(0, 5).join(", ")}${lost.length > 5 ? ", \u2026" : ""})`;
      const message = `this run continued the last run of ${prepared.script.meta.name} but did not make again its changes to ${files}: they are as before that run; the last run's changes.patch (dwf diff) still has them`;
      recorder.record({ type: "warning", at: Date.now(), message });
      say(`warning: ${message}`);
    }
    const changes = edits.changes();
    const summary = changes && summarizeChanges(changes.files);
    if (!changes || !summary) return;
    prepared.state.writeRunFile(prepared.runId, "changes.patch", changes.patch);
    recorder.record({ type: "files_changed", at: Date.now(), ...summary });
  } catch (error) {
    recorder.record({ type: "warning", at: Date.now(), message: `could not record the run's changes: ${error.message}` });
  }
}
function stopCause(reason) {
  if (reason === "SIGINT") return "Ctrl-C";
  return typeof reason === "string" && /^SIG[A-Z]+$/.test(reason) ? reason : "stop";
}
async function openJournal(file, root) {
  try {
    return await JournalFile.open(file, { root });
  } catch (error) {
    if (error instanceof JournalTooLargeError) throw new BadInputError(error.message);
    throw error;
  }
}
async function compact(prepared, outcome, recorder) {
  const { state, script, runId } = prepared;
  try {
    if (state.otherLiveRuns(script.meta.name, runId).length > 0) return;
    await compactJournalFile(state.journalFile(script.meta.name), outcome.usedKeys, void 0, { root: state.root });
  } catch (error) {
    recorder.record({ type: "warning", at: Date.now(), message: `could not compact the journal: ${error.message}` });
  }
}

export {
  noEffects,
  readJournalText,
  mergeEntries,
  writeJournalFile,
  emptySnapshot,
  executeRun
};
