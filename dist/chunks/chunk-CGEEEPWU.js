import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/report/safe-text.ts
var CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
var CONTROL_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
var COMMAND_START = /^([^\S\n]|\u0085|\u180e)*(?=::)/gm;
var LEGACY_COMMAND = /##\[/g;
var NAMED = { "\n": "\\n", "\r": "\\r" };
function escapeOne(char) {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}
function neutraliseCommands(text) {
  return text.replace(COMMAND_START, "$&\\").replace(LEGACY_COMMAND, "##\\[");
}
function safeText(text) {
  return neutraliseCommands(String(text).replace(/\r\n/g, "\n").replace(CONTROL, escapeOne));
}
function safeLine(text) {
  return neutraliseCommands(String(text).replace(CONTROL_OR_NEWLINE, escapeOne));
}
function escapeControls(text) {
  return String(text).replace(/\r\n/g, "\n").replace(CONTROL, escapeOne);
}
function safeJsonLine(value) {
  return (JSON.stringify(value) ?? "null").replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(LEGACY_COMMAND, "##\\u005b");
}

export {
  neutraliseCommands,
  safeText,
  safeLine,
  escapeControls,
  safeJsonLine
};
