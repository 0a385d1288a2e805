import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { runAction, type ActionRun } from '../support/actions/runner.js'
import { markdownPlain } from '../support/markdown-plain.js'
import { runCli, tempProject } from '../support/cli.js'

/**
 * Bad input beyond __tests__/cli/bad-input.test.ts (18 usage cases, 4 run failures) and
 * __tests__/action/inputs.test.ts (8 inputs). Each case must give exactly one clear error
 * line without a stack trace, naming where the mistake is (file:line[:col], the flag, the
 * input, the file or variable), the exit code of the contract (2 bad usage or input, 1 a
 * failed run; a failed Action step exits 1), and leave an existing journal byte-identical.
 */
const JOURNAL = '.dynamic-workflow/journal/seeded.jsonl'
const SEED = "export const meta = { name: 'seeded' }\nreturn await parallel([() => agent('first'), () => agent('second')])\n"
const w = (body: string, meta = "{ name: 'seeded' }") => `export const meta = ${meta}\n${body}\n`

let seedJournal: string
beforeAll(async () => {
  const seed = tempProject({ 'seed.js': SEED })
  expect((await runCli(['run', 'seed.js', '--agent', 'mock'], { cwd: seed.dir })).code).toBe(0)
  seedJournal = seed.read(JOURNAL)
  seed.cleanup()
  expect(seedJournal.trim().split('\n')).toHaveLength(2)
})

interface CliCase {
  name: string
  args: string[]
  files?: Record<string, string>
  env?: Record<string, string>
  /** The one error line, which names where the mistake is. */
  error: RegExp
}

const ok = { 'ok.js': SEED }
const mock = (...args: string[]) => ['run', 'ok.js', '--agent', 'mock', ...args]
const script = (body: string, meta?: string) => ({ files: { 'bad.js': w(body, meta) }, args: ['run', 'bad.js', '--agent', 'mock'] })

/** Mistakes found before anything runs: exit 2. */
const USAGE: CliCase[] = [
  // the script and its meta
  { name: 'an unterminated string', ...script("const s = 'open"), error: /^error: bad\.js:2:11: syntax error: Unterminated string constant$/ },
  { name: 'a with statement (strict mode)', ...script('with (args) {}'), error: /^error: bad\.js:2:1: syntax error: 'with' in strict mode$/ },
  { name: 'an empty script', files: { 'bad.js': '' }, args: ['run', 'bad.js', '--agent', 'mock'], error: /^error: bad\.js:1:1: the script must start with `export const meta/ },
  { name: 'meta declared with let', files: { 'bad.js': "export let meta = { name: 'seeded' }\nreturn 1\n" }, args: ['run', 'bad.js', '--agent', 'mock'], error: /^error: bad\.js:1:1: the script must start with `export const meta/ },
  { name: 'a misspelt meta key', ...script('return 1', "{ nam: 'seeded' }"), error: /^error: bad\.js:1:21: meta has unknown key 'nam'; allowed: name, description, model, phases$/ },
  { name: 'meta without a name', ...script('return 1', "{ description: 'no name' }"), error: /^error: bad\.js:1:21: meta\.name is required/ },
  { name: 'a spread in meta', ...script('return 1', "{ name: 'seeded', ...base }"), error: /^error: bad\.js:1:39: meta may only contain plain 'key: value' members/ },
  { name: 'a template with ${} in meta', ...script('return 1', '{ name: `seeded${1}` }'), error: /^error: bad\.js:1:29: meta\.name must be a literal value .*not a template with \$\{\.\.\.\}$/ },
  { name: 'a function call in meta', ...script('return 1', "{ name: 'seeded'.trim() }"), error: /^error: bad\.js:1:29: meta\.name must be a literal value .*not a function call$/ },
  { name: 'a __proto__ key in meta', ...script('return 1', "{ name: 'seeded', __proto__: { polluted: 1 } }"), error: /^error: bad\.js:1:39: meta has a key that is not allowed$/ },
  { name: 'a non-string description', ...script('return 1', "{ name: 'seeded', description: 3 }"), error: /^error: bad\.js:1:21: meta\.description must be a non-empty string$/ },
  { name: 'phases that are not an array', ...script('return 1', "{ name: 'seeded', phases: 'Review' }"), error: /^error: bad\.js:1:21: meta\.phases must be an array/ },
  { name: 'a phase title used twice', ...script('return 1', "{ name: 'seeded', phases: [{ title: 'A' }, { title: 'A' }] }"), error: /^error: bad\.js:1:21: meta\.phases\[1\]\.title 'A' is used twice$/ },
  { name: 'an unknown phase key', ...script('return 1', "{ name: 'seeded', phases: [{ title: 'A', budget: 5 }] }"), error: /^error: bad\.js:1:21: meta\.phases\[0\] has unknown key 'budget'/ },
  { name: 'a second export', ...script('export default 1'), error: /^error: bad\.js:2:1: only `export const meta` may be exported/ },
  { name: 'require() in the body', ...script("const fs = require('node:fs')"), error: /^error: bad\.js:2:12: require\(\) is not available/ },
  { name: 'a dynamic import()', ...script("const fs = await import('node:fs')"), error: /^error: bad\.js:2:18: import is not available/ },
  { name: 'Date.now() in the body', ...script('const t = Date.now()'), error: /^error: bad\.js:2:11: Date\.now\(\) is not available: a replayed run must make the same calls/ },
  { name: 'Math.random() in the body', ...script('const n = Math.random()'), error: /^error: bad\.js:2:11: Math\.random\(\) is not available/ },
  { name: 'validate of a script with a bad meta', files: { 'bad.js': w('return 1', "{ name: 'seeded', model: '' }") }, args: ['validate', 'bad.js'], error: /^error: bad\.js:1:21: meta\.model must be a non-empty string$/ },
  // flags
  { name: 'a fractional --token-budget', files: ok, args: mock('--token-budget', '1.5'), error: /^error: --token-budget must be a whole number from 1 up, got '1\.5'$/ },
  { name: 'a --cost-budget that is not a number', files: ok, args: mock('--cost-budget', 'free'), error: /^error: --cost-budget must be a positive number, got 'free'$/ },
  { name: 'an --agent-retries that is not a number', files: ok, args: mock('--agent-retries', 'x'), error: /^error: --agent-retries must be a whole number from 0 up, got 'x'$/ },
  { name: 'a zero --idle-timeout', files: ok, args: mock('--idle-timeout', '0s'), error: /^error: --idle-timeout must be a duration like 90s/ },
  { name: 'a --script-memory-limit below 16 MB', files: ok, args: mock('--script-memory-limit', '4'), error: /^error: --script-memory-limit must be a whole number from 16 up, got '4'$/ },
  { name: 'a --script-cpu-limit that is not a duration', files: ok, args: mock('--script-cpu-limit', 'forever'), error: /^error: --script-cpu-limit must be a duration/ },
  { name: 'a negative --max-agents', files: ok, args: mock('--max-agents', '-1'), error: /^error: option --max-agents needs a value/ },
  { name: 'a value given to the boolean --json', files: ok, args: mock('--json=yes'), error: /^error: option --json / },
  { name: 'two scripts', files: ok, args: mock('ok.js'), error: /^error: unexpected argument 'ok\.js' for `dwf run`/ },
  { name: 'an empty --agent', files: ok, args: ['run', 'ok.js', '--agent', ''], error: /^error: option --agent needs a non-empty value; see dwf run --help$/ },
  { name: 'an --args file that is a directory', files: { ...ok, 'args/x': '' }, args: mock('--args', '@args'), error: /^error: --args file args was not found$/ },
  // the config file
  { name: 'a missing --config file', files: ok, args: mock('--config', 'missing.json'), error: /^error: --config file missing\.json was not found$/ },
  { name: 'a --config file that is not JSON', files: { ...ok, 'c.json': '{ bad' }, args: mock('--config', 'c.json'), error: /^error: c\.json is not valid JSON: / },
  { name: 'an unknown key in dynamic-workflow.json', files: { ...ok, 'dynamic-workflow.json': '{ "tier": {} }' }, args: mock(), error: /^error: dynamic-workflow\.json: unknown key 'tier'; allowed: tiers, agentTypes, providers$/ },
  { name: 'a tier that is a number', files: { ...ok, 'dynamic-workflow.json': '{ "tiers": { "cheap": 5 } }' }, args: mock(), error: /^error: dynamic-workflow\.json: tiers\.cheap must be a model name/ },
  { name: 'agent type tools that are not an array', files: { ...ok, 'dynamic-workflow.json': '{ "agentTypes": { "r": { "tools": "Read" } } }' }, args: mock(), error: /^error: dynamic-workflow\.json: agentTypes\.r\.tools must be an array of tool names$/ },
  { name: 'a config that is an array', files: { ...ok, 'dynamic-workflow.json': '[]' }, args: mock(), error: /^error: dynamic-workflow\.json: must be a JSON object/ },
  { name: 'a config routing to an unknown agent', files: { ...ok, 'dynamic-workflow.json': '{ "tiers": { "x": { "provider": "gemini", "model": "g" } } }' }, args: mock(), error: /^error: the config routes calls to an unknown agent 'gemini'/ },
  // agents and credentials
  { name: 'the command agent without a program', files: ok, args: ['run', 'ok.js', '--agent', 'command'], error: /^error: agent 'command' needs a program/ },
  { name: 'the anthropic agent without a key', files: ok, args: ['run', 'ok.js', '--agent', 'anthropic'], error: /^error: agent 'anthropic' needs an API key in ANTHROPIC_API_KEY$/ },
  { name: 'the openai agent without a key or server', files: ok, args: ['run', 'ok.js', '--agent', 'openai'], error: /^error: agent 'openai' needs an API key in OPENAI_API_KEY/ },
  {
    name: 'a tier whose provider key variable is unset',
    files: { ...ok, 'dynamic-workflow.json': '{ "providers": { "anthropic": { "apiKeyEnv": "MY_ANTHROPIC" } }, "tiers": { "s": { "provider": "anthropic", "model": "m" } } }' },
    args: mock(),
    error: /^error: agent 'anthropic' needs an API key in MY_ANTHROPIC$/,
  },
  { name: 'a DWF_MOCK_FAIL that is not a regular expression', files: ok, args: mock(), env: { DWF_MOCK_FAIL: '(' }, error: /^error: DWF_MOCK_FAIL is not a valid regular expression/ },
  // other commands
  { name: 'a state folder that is a file', files: { ...ok, afile: 'x' }, args: mock('--state-dir', 'afile'), error: /^error: cannot keep run state in .*afile\/runs: a file is in the way \(set --state-dir or DWF_STATE_DIR to a writable folder\)$/ },
  { name: 'DWF_STATE_DIR that is a file', files: { ...ok, afile: 'x' }, args: mock(), env: { DWF_STATE_DIR: 'afile' }, error: /^error: cannot keep run state in .*afile\/runs: a file is in the way/ },
  { name: "a journal path that is a folder", files: { 'x.js': "export const meta = { name: 'x' }\nreturn 1\n", '.dynamic-workflow/journal/x.jsonl/keep': '' }, args: ['run', 'x.js', '--agent', 'mock'], error: /^error: the journal .*x\.jsonl is not a file; move it away and run again$/ },
  { name: 'an empty --model (an unset shell variable)', files: ok, args: mock('--model', ''), error: /^error: option --model needs a non-empty value; see dwf run --help$/ },
  { name: 'a value given to a switch', files: ok, args: mock('--json=yes'), error: /^error: option --json takes no value \(write --json alone\); see dwf run --help$/ },
  { name: 'a config for an unknown provider', files: { ...ok, 'dynamic-workflow.json': '{ "providers": { "gemini": {} } }' }, args: mock(), error: /^error: dynamic-workflow\.json: providers\.gemini: unknown provider; settings exist for anthropic, openai, claude-code, codex, command$/ },
  { name: 'a config with a command that is a number', files: { ...ok, 'dynamic-workflow.json': '{ "providers": { "command": { "command": 42 } } }' }, args: mock(), error: /^error: dynamic-workflow\.json: providers\.command\.command must be a non-empty string, got 42$/ },
  { name: 'resume without a run id', files: ok, args: ['resume'], error: /^error: `dwf resume` needs an argument/ },
  { name: 'a run id that is a path', files: ok, args: ['status', '../../etc'], error: /^error: no run '\.\.\/\.\.\/etc' in / },
  { name: 'rm of an unknown run', files: ok, args: ['rm', 'no-such-run'], error: /^error: no run 'no-such-run' in / },
]

/** Mistakes found while the script runs: exit 1, with the error at its line. */
const RUN_FAILURES: CliCase[] = [
  { name: 'an unknown global', ...script('const a = 1\nundefinedHelper(a)'), error: /error: bad\.js:3:1: ReferenceError: 'undefinedHelper' is not defined$/ },
  { name: 'process at run time', ...script('const key = process.env.KEY'), error: /error: bad\.js:2: process is not available/ },
  { name: 'a timer', ...script('setTimeout(() => 1, 10)'), error: /error: bad\.js:2: setTimeout is not available/ },
  { name: 'an agent option out of range', ...script("await agent('x', { retries: 99 })"), error: /error: bad\.js:2: agent\(\): option 'retries' must be an integer from 0 to 10, got number 99$/ },
  { name: 'an invalid schema', ...script("await agent('x', { schema: { type: 'objekt' } })"), error: /error: bad\.js:2: agent\(\): option 'schema' is not a valid JSON Schema/ },
  { name: 'an empty prompt', ...script("await agent('')"), error: /error: bad\.js:2: agent\(\): the prompt must be a non-empty string, got an empty string$/ },
  { name: 'options that are a string', ...script("await agent('x', 'label')"), error: /error: bad\.js:2: agent\(\): the options must be an object, got 'label'$/ },
  { name: 'a files option outside the workspace', ...script("await agent('x', { files: '../*' })"), error: /error: bad\.js:2: agent\(\): option 'files': glob\(\): '\.\.\/\*' must be relative/ },
  { name: 'readFile() of .git/config (the checkout token)', files: { 'bad.js': w("return readFile('.git/config')"), '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic dG9rZW4=\n' }, args: ['run', 'bad.js', '--agent', 'mock'], error: /error: bad\.js:2: readFile\(\): '\.git\/config' is inside \.git\/, which can hold credentials; scripts cannot read it$/ },
  { name: 'agent() options nested 300 deep', ...script("let o = {}\nfor (let i = 0; i < 300; i++) o = { o }\nawait agent('x', { schema: o })"), error: /error: bad\.js:4: agent\(\): the options nest more than 256 levels deep$/ },
  { name: 'phase() options nested 300 deep', ...script("let o = {}\nfor (let i = 0; i < 300; i++) o = { o }\nphase('A', o)"), error: /error: bad\.js:4: phase\(\): the arguments nest more than 256 levels deep$/ },
  { name: 'readFile() of a missing file', ...script("readFile('missing.txt')"), error: /error: bad\.js:2: readFile\(\): 'missing\.txt' was not found/ },
  { name: 'an empty phase title', ...script("phase('')"), error: /error: bad\.js:2: phase\(\): the title must be a non-empty string$/ },
  { name: 'parallel() of strings', ...script("await parallel(['review'])"), error: /error: bad\.js:2: parallel\(\): item 0 is string, not a function/ },
  { name: 'a missing args member', ...script('return args.pr.number'), error: /error: bad\.js:2:15: TypeError: cannot read property 'number' of undefined$/ },
]

describe('the CLI refuses bad input with one clear line and leaves the journal as it was', () => {
  const cases: Array<[string, CliCase, 1 | 2]> = [...USAGE.map((c): [string, CliCase, 2] => [c.name, c, 2]), ...RUN_FAILURES.map((c): [string, CliCase, 1] => [c.name, c, 1])]
  it.each(cases)('%s', async (_name, c, exit) => {
    const project = tempProject({ ...c.files, [JOURNAL]: seedJournal })
    try {
      const result = await runCli(c.args, { cwd: project.dir, env: c.env })
      expect(result.stderr).not.toMatch(/^\s+at /m)
      const errors = result.stderr.split('\n').filter((line) => /^\s*error: /.test(line))
      expect(errors).toHaveLength(1)
      expect(errors[0]!.trim()).toMatch(c.error)
      expect(result.code).toBe(exit)
      // A usage error prints nothing else; a failed run also has its progress and summary.
      if (exit === 2) expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stdout).toBe('')
      expect(project.read(JOURNAL)).toBe(seedJournal)
    } finally {
      project.cleanup()
    }
  })
})

interface ActionCase {
  name: string
  inputs: Record<string, string>
  files?: Record<string, string>
  env?: Record<string, string>
  error: RegExp
}

/** Inputs of action.yml that inputs.test.ts does not try, and the checks made before a run. */
const ACTION: ActionCase[] = [
  { name: 'an unknown agent', inputs: { agent: 'gpt' }, error: /^unknown agent 'gpt'; choose one of auto, mock/ },
  { name: 'agent auto without credentials', inputs: { agent: 'auto' }, error: /^no agent credentials: set the ANTHROPIC_API_KEY or OPENAI_API_KEY secret/ },
  { name: 'the anthropic agent without a key', inputs: { agent: 'anthropic' }, error: /^agent 'anthropic' needs an API key in ANTHROPIC_API_KEY$/ },
  { name: 'the command agent without a command', inputs: { agent: 'command' }, error: /^agent 'command' needs a program/ },
  { name: 'a script that does not exist', inputs: { script: 'missing.js' }, error: /^script not found: missing\.js$/ },
  { name: 'a script with a syntax error', inputs: { script: 'bad.js' }, files: { 'bad.js': w('const a = ;') }, error: /^bad\.js:2:11: syntax error: Unexpected token$/ },
  { name: 'a script with a bad meta', inputs: { script: 'bad.js' }, files: { 'bad.js': w('return 1', "{ name: 'Seeded!' }") }, error: /^bad\.js:1:21: meta\.name must be/ },
  { name: 'an idle-timeout that is not a duration', inputs: { 'idle-timeout': 'never' }, error: /^input 'idle-timeout': must be a duration/ },
  { name: 'a negative agent-retries', inputs: { 'agent-retries': '-1' }, error: /^input 'agent-retries': must be a whole number from 0 up, got '-1'$/ },
  { name: 'a token-budget in exponent form', inputs: { 'token-budget': '1e6' }, error: /^input 'token-budget': must be a whole number from 1 up, got '1e6'$/ },
  { name: 'a zero checkpoint-interval', inputs: { 'checkpoint-interval': '0' }, error: /^input 'checkpoint-interval': must be a whole number from 1 up/ },
  { name: 'an artifact flag that is not a boolean', inputs: { artifact: 'sometimes' }, error: /^input 'artifact': must be true or false, got 'sometimes'$/ },
  { name: 'a comment-interval that is not a number', inputs: { 'comment-interval': 'fast' }, error: /^input 'comment-interval': must be a whole number/ },
  { name: 'a pr-number that is not a number', inputs: { 'pr-number': 'abc' }, error: /^input 'pr-number': must be a whole number from 1 up, got 'abc'$/ },
  { name: 'a config file that does not exist', inputs: { config: 'nope.json' }, error: /^input 'config': file 'nope\.json' was not found in the checkout$/ },
  { name: 'a working-directory that does not exist', inputs: { 'working-directory': 'nowhere' }, error: /^input 'working-directory': 'nowhere' is not a folder of the checkout$/ },
  { name: 'a working-directory that is a file', inputs: { 'working-directory': 'w.js' }, error: /^input 'working-directory': 'w\.js' is not a folder of the checkout$/ },
  { name: 'a config with a misspelt provider setting', inputs: { config: 'c.json' }, files: { 'c.json': '{ "providers": { "command": { "comand": "x" } } }' }, error: /^c\.json: providers\.command\.comand is not a setting of command; allowed: command, passEnv$/ },
  { name: 'a config with passEnv as a string', inputs: { config: 'c.json' }, files: { 'c.json': '{ "providers": { "command": { "command": "./a.sh", "passEnv": "MY_KEY" } } }' }, error: /^c\.json: providers\.command\.passEnv must be an array of strings, got "MY_KEY"$/ },
  { name: 'a config file with a bad tier', inputs: { config: 'c.json' }, files: { 'c.json': '{ "tiers": { "a": 5 } }' }, error: /^c\.json: tiers\.a must be a model name/ },
  { name: 'a DWF_MOCK_FAIL that is not a regular expression', inputs: {}, env: { DWF_MOCK_FAIL: '[' }, error: /^DWF_MOCK_FAIL is not a valid regular expression/ },
  { name: 'a YAML alias bomb in args', inputs: { args: aliasBomb() }, error: /^input 'args': is neither JSON nor YAML: Excessive alias count/ },
]

/** YAML whose aliases expand to 9^9 strings ("billion laughs"). */
function aliasBomb(): string {
  const names = 'abcdefghi'
  return [`a: &a [${Array(9).fill('"x"').join(', ')}]`, ...[...names.slice(1)].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${names[i]}`).join(', ')}]`)].join('\n')
}

describe('the Action fails the step with one clear error and leaves the journal as it was', () => {
  const runs = new Map<string, ActionRun>()
  beforeAll(async () => {
    for (const c of ACTION)
      runs.set(c.name, await runAction({ inputs: { script: 'w.js', agent: 'mock', ...c.inputs }, files: { 'w.js': SEED, [JOURNAL]: seedJournal, ...c.files }, env: c.env }))
  }, 120_000)
  afterAll(() => runs.forEach((run) => run.cleanup()))

  it.each(ACTION.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const run = runs.get(name)!
    const unescape = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    const errors = run.main.stdout.split('\n').filter((line) => line.startsWith('::error'))
    expect(errors).toHaveLength(1)
    const message = unescape(errors[0]!.replace(/^::error[^:]*::/, ''))
    expect(message).not.toContain('\n')
    expect(message).toMatch(c.error)
    expect(run.main.stdout + run.main.stderr).not.toMatch(/^\s+at /m)
    expect(run.main.code).toBe(1)
    expect(markdownPlain(run.summary)).toContain(message)
    expect(run.post.code).toBe(0)
    expect(run.post.stdout).toMatch(/did not start a run; nothing to save/)
    expect(fs.readFileSync(path.join(run.workspace, JOURNAL), 'utf8')).toBe(seedJournal)
  })
})
