// Fix failing tests: reads a CI log, extracts the failures, proposes one patch per suspected
// source file (file, diff, rationale), then verifies each patch twice: a mechanical check that
// its removed and context lines exist in the file, and a reviewer agent that judges whether it
// fixes the failures without breaking the tests that pass. Suspects and patched files are
// enumerated in the schemas, so every patch names a real file of the repository.
//
// Args:
//   logFile     the CI log (default: workflows-examples/fixtures/ci-failure.txt)
//   sourceGlob  the source and test files the fix may touch
//               (default: workflows-examples/fixtures/app/{src,test}/**/*.ts)
//   maxLogLines how much of the log's end to show the agents (default 300)
//
// Locally, offline:
//   dwf run workflows-examples/fix-failing-tests.workflow.js --agent mock
//   npm test 2>&1 | tee ci.log; dwf run workflows-examples/fix-failing-tests.workflow.js --args '{"logFile":"ci.log","sourceGlob":"src/**/*.ts"}'
export const meta = {
  name: 'fix-failing-tests',
  description: 'Analyse a failed CI log, propose patches and verify them',
  phases: [{ title: 'Triage' }, { title: 'Patch' }, { title: 'Verify' }],
}

const logFile = args.logFile ?? 'workflows-examples/fixtures/ci-failure.txt'
const sourceGlob = args.sourceGlob ?? 'workflows-examples/fixtures/app/{src,test}/**/*.ts'
const maxLogLines = args.maxLogLines ?? 300

const sources = glob(sourceGlob)
if (sources.length === 0) throw new Error(`no source files match ${sourceGlob}; set args.sourceGlob`)

// Runner timestamps and colours only cost tokens; the failure is near the end of the log.
const lines = readFile(logFile)
  .split('\n')
  .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z ?/, '').replace(/\x1b\[[0-9;]*m/g, ''))
const firstFailure = lines.findIndex((line) => /FAIL|✕|Error|failed/.test(line))
const excerpt = lines.slice(Math.max(0, firstFailure - 3)).slice(-maxLogLines).join('\n')

phase('Triage')
const triage = await agent(
  `A CI run failed. List each failing test, the error, and the source file most likely at fault.\n\nFiles in the repository:\n${sources.join('\n')}\n\nLog:\n${excerpt}`,
  {
    label: 'triage',
    schema: {
      type: 'object',
      properties: {
        failures: {
          type: 'array',
          maxItems: 20,
          items: {
            type: 'object',
            properties: { test: { type: 'string' }, error: { type: 'string' }, suspect: { enum: sources } },
            required: ['test', 'error', 'suspect'],
          },
        },
        summary: { type: 'string' },
      },
      required: ['failures', 'summary'],
    },
  },
)
log(`${triage.failures.length} failing tests: ${triage.summary}`)
if (triage.failures.length === 0) return { failures: 0, summary: triage.summary, patches: [], accepted: 0 }

phase('Patch')
// One patch request per suspect file, so failures with one cause get one coherent fix.
const bySuspect = new Map()
for (const failure of triage.failures) bySuspect.set(failure.suspect, [...(bySuspect.get(failure.suspect) ?? []), failure])
const tests = sources.filter((file) => /\.(test|spec)\.[jt]sx?$/.test(file))
const testCode = tests.map((file) => `--- ${file}\n${readFile(file)}`).join('\n\n')
const proposals = await parallel(
  [...bySuspect].map(([file, failures]) => () =>
    agent(
      `Propose the smallest fix for these failing tests as unified diffs against the files below. Fix the code, not the tests, unless a test is clearly wrong.\n\nFailures:\n${JSON.stringify(failures, null, 2)}\n\n--- ${file}\n${readFile(file)}\n\n${testCode}\n\nLog:\n${excerpt}`,
      {
        label: `patch ${file}`,
        schema: {
          type: 'object',
          properties: {
            patches: {
              type: 'array',
              maxItems: 3,
              items: {
                type: 'object',
                properties: { file: { enum: sources }, diff: { type: 'string' }, rationale: { type: 'string' } },
                required: ['file', 'diff', 'rationale'],
              },
            },
          },
          required: ['patches'],
        },
      },
    ),
  ),
)
const patches = proposals.flatMap((p) => p.patches)

phase('Verify')
/** Lines the diff removes or keeps as context must be in the file, or `git apply` would fail. */
function missingLines(diff, source) {
  const have = new Set(source.split('\n').map((l) => l.trim()))
  return diff
    .split('\n')
    .filter((l) => (l.startsWith('-') && !l.startsWith('---')) || (l.startsWith(' ') && l.trim() !== ''))
    .map((l) => l.slice(1).trim())
    .filter((l) => !have.has(l))
}
const checked = patches.map((patch) => ({ ...patch, missing: missingLines(patch.diff, readFile(patch.file)) }))
const reviews = await parallel(
  checked.map((patch) => () =>
    patch.missing.length > 0
      ? { verdict: 'does-not-apply', reason: `lines not in ${patch.file}: ${patch.missing.slice(0, 3).join(' | ')}` }
      : agent(
          `Review this proposed patch. Does it fix the failures below without breaking the tests that pass? Answer "fixes" only if you are confident.\n\nPatch for ${patch.file}:\n${patch.diff}\n\nRationale: ${patch.rationale}\n\nFailures:\n${JSON.stringify(triage.failures, null, 2)}\n\n--- ${patch.file}\n${readFile(patch.file)}\n\n${testCode}`,
          {
            label: `verify ${patch.file}`,
            schema: {
              type: 'object',
              properties: { verdict: { enum: ['fixes', 'partial', 'wrong'] }, reason: { type: 'string' } },
              required: ['verdict', 'reason'],
            },
          },
        ),
  ),
)
const verified = checked.map(({ missing, ...patch }, i) => ({ ...patch, verdict: reviews[i].verdict, reason: reviews[i].reason, accepted: reviews[i].verdict === 'fixes' }))
const accepted = verified.filter((p) => p.accepted).length
log(`${accepted} of ${verified.length} patches accepted`)
return { failures: triage.failures.length, summary: triage.summary, patches: verified, accepted }
