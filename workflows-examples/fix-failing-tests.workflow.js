// Fix failing tests: reads a CI log, triages the failures, then fixes them for real: the run's
// changes to the working directory are the fix (the `changed-files` output, `dwf diff`).
// - With an agent that edits files (claude-code or codex, args.edits), one editing call per
//   suspect file changes the code in a copy of the repository of its own, where it can run the
//   tests; its changes land in the working directory when it completes, and replay on a re-run.
// - With a text-only agent (anthropic, openai, the offline mock), each suspect gets a proposed
//   unified diff and a reviewer's verdict; the script applies the accepted ones with applyPatch().
// Suspects are enumerated in the schema, so every fix names a real file of the repository.
//
// Args:
//   logFile     the CI log (default: workflows-examples/fixtures/ci-failure.txt)
//   sourceGlob  the source and test files the fix may touch
//               (default: workflows-examples/fixtures/app/{src,test}/**/*.ts)
//   maxLogLines how much of the log's end to show the agents (default 300)
//   edits       true: fix with editing calls (an agent that can change files); default false
//   testCommand how an editing agent runs the tests (default: npm test)
//
// Locally, offline:
//   dwf run workflows-examples/fix-failing-tests.workflow.js --agent mock
//   npm test 2>&1 | tee ci.log; dwf run workflows-examples/fix-failing-tests.workflow.js --agent claude-code --config workflows-examples/claude-code-edits.json --args '{"logFile":"ci.log","sourceGlob":"src/**/*.ts","edits":true}'
export const meta = {
  name: 'fix-failing-tests',
  description: 'Analyse a failed CI log and fix the failing tests',
  phases: [{ title: 'Triage' }, { title: 'Patch' }, { title: 'Verify' }],
}

const logFile = args.logFile ?? 'workflows-examples/fixtures/ci-failure.txt'
const sourceGlob = args.sourceGlob ?? 'workflows-examples/fixtures/app/{src,test}/**/*.ts'
const maxLogLines = args.maxLogLines ?? 300
const edits = args.edits === true
const testCommand = args.testCommand ?? 'npm test'

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
if (triage.failures.length === 0) return { failures: 0, summary: triage.summary, mode: edits ? 'edits' : 'patches', fixes: [], changed: 0 }

phase('Patch')
// One patch request per suspect file, so failures with one cause get one coherent fix.
const bySuspect = new Map()
for (const failure of triage.failures) bySuspect.set(failure.suspect, [...(bySuspect.get(failure.suspect) ?? []), failure])
const tests = sources.filter((file) => /\.(test|spec)\.[jt]sx?$/.test(file))
const testCode = tests.map((file) => `--- ${file}\n${readFile(file)}`).join('\n\n')
if (edits) {
  // Each suspect in its own copy of the repository: the agent edits and runs the tests there.
  // `files` scopes the call's identity: a later push that touches other files replays it.
  const outcomes = await Promise.allSettled(
    [...bySuspect].map(([file, failures]) =>
      agent(
        `These tests fail. Fix the code in ${file} (or a test, only if it is clearly wrong), with the smallest change. Run \`${testCommand}\` to check your fix, then say in one paragraph what you changed and why.\n\nFailures:\n${JSON.stringify(failures, null, 2)}\n\nLog:\n${excerpt}`,
        { label: `fix ${file}`, edits: true, files: [file, ...tests] },
      ),
    ),
  )
  phase('Verify')
  const fixes = [...bySuspect.keys()].map((file, i) => {
    const outcome = outcomes[i]
    return outcome.status === 'fulfilled' ? { file, status: 'changed', note: outcome.value } : { file, status: outcome.reason.code === 'CONFLICT' ? 'conflict' : 'failed', note: outcome.reason.message }
  })
  report(`# Fix ${triage.failures.length} failing test${triage.failures.length === 1 ? '' : 's'}\n\n${triage.summary}\n\n${fixes.map((f) => `- \`${f.file}\`: ${f.status}`).join('\n')}`)
  return { failures: triage.failures.length, summary: triage.summary, mode: 'edits', fixes, changed: fixes.filter((f) => f.status === 'changed').length }
}

const proposals = await parallel(
  [...bySuspect].map(([file, failures]) => () =>
    agent(
      `Propose the smallest fix for these failing tests as one unified diff (as \`git diff\` prints it, paths relative to the repository) against the files below. Fix the code, not the tests, unless a test is clearly wrong.\n\nFailures:\n${JSON.stringify(failures, null, 2)}\n\n--- ${file}\n${readFile(file)}\n\n${testCode}\n\nLog:\n${excerpt}`,
      {
        label: `patch ${file}`,
        schema: {
          type: 'object',
          properties: { diff: { type: 'string' }, rationale: { type: 'string' } },
          required: ['diff', 'rationale'],
        },
      },
    ).then((proposal) => ({ file, ...proposal })),
  ),
)

phase('Verify')
const reviews = await parallel(
  proposals.map((patch) => () =>
    agent(
      `Review this proposed patch. Does it fix the failures below without breaking the tests that pass? Answer "fixes" only if you are confident.\n\nPatch:\n${patch.diff}\n\nRationale: ${patch.rationale}\n\nFailures:\n${JSON.stringify(triage.failures, null, 2)}\n\n--- ${patch.file}\n${readFile(patch.file)}\n\n${testCode}`,
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
// The accepted patches become changes to the working directory, all or nothing each.
const fixes = proposals.map((patch, i) => {
  const { verdict, reason } = reviews[i]
  if (verdict !== 'fixes') return { file: patch.file, status: 'rejected', verdict, note: reason }
  try {
    const changed = applyPatch(patch.diff)
    return { file: patch.file, status: 'applied', verdict, note: patch.rationale, files: changed.map((c) => c.path) }
  } catch (error) {
    return { file: patch.file, status: 'does-not-apply', verdict, note: error.message }
  }
})
const applied = fixes.filter((f) => f.status === 'applied').length
log(`${applied} of ${fixes.length} patches applied`)
report(`# Fix ${triage.failures.length} failing test${triage.failures.length === 1 ? '' : 's'}\n\n${triage.summary}\n\n${fixes.map((f) => `- \`${f.file}\`: ${f.status}`).join('\n')}`)
return { failures: triage.failures.length, summary: triage.summary, mode: 'patches', fixes, changed: applied }
