// ESLint: typescript-eslint's recommended rules, plus the architecture (scripts/lint/) and the
// size limits the codebase holds itself to. `npm run lint` runs it; so do .ci/run and CI.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'
import architecture, { ENTRY_POINTS } from './scripts/lint/architecture.js'

const NODE_GLOBALS = Object.fromEntries(
  ['console', 'process', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'].map((name) => [name, 'readonly']),
)

// Signals and exits belong to the entry points: code below them returns outcomes and takes an
// AbortSignal, so the CLI and the Action can each decide what a stop means.
const SIGNAL_HANDLER =
  "CallExpression[callee.object.name='process'][callee.property.name=/^(on|once|addListener|prependListener|prependOnceListener)$/][arguments.0.value=/^SIG/]"

export default defineConfig(
  { ignores: ['dist/', 'dist.*/', 'build/', 'coverage/', 'node_modules/', 'workflows-examples/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `const { omitted: _omitted, ...rest } = value` is how a key is left out.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // TypeScript already reports undefined names; plain JS files (scripts, fake CLIs) run in Node.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    // Tests speak to fake servers in free-form JSON and look for escape sequences on purpose.
    files: ['__tests__/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-control-regex': 'off' },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.js'],
    plugins: { architecture },
    rules: {
      'architecture/layers': 'error',
      'architecture/no-cycles': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'only the entry points exit (src/cli/bin.ts, src/action/main.ts, src/action/post.ts): return an exit code' }],
      'no-restricted-syntax': ['error', { selector: SIGNAL_HANDLER, message: 'only the entry points handle signals: take an AbortSignal' }],
    },
  },
  {
    // Runs inside the QuickJS sandbox, never in Node: a classic script whose one statement is
    // the function expression the host evaluates (script/prelude.ts).
    files: ['src/**/*.guest.js'],
    languageOptions: { sourceType: 'script', globals: { globalThis: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ENTRY_POINTS,
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
)
