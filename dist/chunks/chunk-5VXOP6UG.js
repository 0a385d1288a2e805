import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);
import {
  UsageError
} from "./chunk-BDBW6SVH.js";
import {
  SETTINGS,
  StateDir,
  resolveStateDir
} from "./chunk-JA3FFBR6.js";
import {
  closest
} from "./chunk-6SWNIPKX.js";

// src/cli/flags.ts
import { parseArgs } from "node:util";
function parseFlags(command, argv, specs, positionals) {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...spec.short ? { short: spec.short } : {} }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(rewordParseError(command, error, Object.keys(specs)));
  }
  const given = parsed.positionals;
  if (parsed.values.help) return { flags: parsed.values, positionals: given };
  if (given.length < positionals.min) throw new UsageError(`\`dwf ${command}\` needs ${positionals.min === 1 ? "an argument" : `${positionals.min} arguments`}; see dwf ${command} --help`);
  if (given.length > positionals.max) throw new UsageError(`unexpected argument '${given[positionals.max]}' for \`dwf ${command}\`; see dwf ${command} --help`);
  return { flags: parsed.values, positionals: given };
}
function rewordParseError(command, error, names) {
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const near = closest(option.replace(/^-+/, ""), names);
    return `unknown option ${option} for \`dwf ${command}\`${near ? ` (did you mean --${near}?)` : ""}; see dwf ${command} --help`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /does not take an argument/.test(error.message))
    return `option ${option} takes no value (write ${option.split("=")[0]} alone); see dwf ${command} --help`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) return `option ${option} needs a value; see dwf ${command} --help`;
  return `${error.message} (see dwf ${command} --help)`;
}
function usage(synopsis, summary, specs) {
  const rows = Object.entries(specs).map(([name, spec]) => [`${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? " " + spec.value : ""}`, spec.help]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`usage: ${synopsis}`, "", summary, "", "options:", ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`)].join("\n");
}

// src/cli/setting-help.ts
function flagHelp(spec) {
  const shown = shownDefault(spec);
  const env = spec.env ? `, or ${spec.env}` : "";
  return shown === void 0 ? spec.help : `${spec.help.replace(/\.$/, "")} (default ${shown}${env}).`;
}
function shownDefault(spec) {
  if (spec.default === void 0 || typeof spec.default === "object" || spec.negatedFlag) return void 0;
  if (spec.kind === "duration") return `${Number(spec.default) / 1e3}s`;
  if (spec.kind === "seconds") return String(Number(spec.default) / 1e3);
  return String(spec.default);
}

// src/cli/command.ts
var STATE_DIR_FLAG = { type: "string", value: SETTINGS.stateDir.value, help: flagHelp(SETTINGS.stateDir) };
var HELP_FLAG = { type: "boolean", short: "h", help: "Show this help." };
var jsonFlag = (help) => ({ type: "boolean", help });
function commandFlags(spec) {
  return { ...spec.flags, ...spec.usesState === false ? {} : { "state-dir": STATE_DIR_FLAG }, help: HELP_FLAG };
}
function commandUsage(spec) {
  return usage(`dwf ${spec.name}${spec.argument ? " " + spec.argument : ""} [options]`, spec.summary, commandFlags(spec));
}
function startCommand(spec, argv, io) {
  const { flags, positionals } = parseFlags(spec.name, argv, commandFlags(spec), spec.positionals);
  if (flags.help) {
    io.stdout.write(commandUsage(spec) + "\n");
    return void 0;
  }
  return { flags, positionals, state: new StateDir(resolveStateDir(flags[SETTINGS.stateDir.flag], io.env, io.cwd)) };
}
function defineCommand(spec, body) {
  return async (argv, io) => {
    const command = startCommand(spec, argv, io);
    return command ? body(command, io) : 0;
  };
}
function defineRunCommand(spec, body, options = {}) {
  return defineCommand({ ...spec, argument: "<runId>", positionals: { min: 1, max: 1 } }, (command, io) => {
    if (options.ownStateOnly) command.state.refuseCommitted();
    return body(command.state.require(command.positionals[0]), command, io);
  });
}

export {
  flagHelp,
  jsonFlag,
  defineCommand,
  defineRunCommand
};
