// PR review from three angles, then a verification pass that checks every finding against
// the diff before anything reaches the PR. Structured output throughout, so each step is
// data the next one can trust. Re-running after a failure or an edit replays every call
// whose inputs did not change.
//
//   dwf run workflows-examples/pr-review.workflow.js --args '{"diffFile":"pr.diff"}'
export const meta = {
  name: 'pr-review',
  description: 'Review a diff for security, correctness and tests, then verify each finding',
  phases: [{ title: 'Review' }, { title: 'Verify' }, { title: 'Report' }],
}

const diffFile = args.diffFile ?? 'workflows-examples/fixtures/sample.diff'
const diff = readFile(diffFile)

const finding = {
  type: 'object',
  properties: {
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    severity: { enum: ['high', 'medium', 'low'] },
    title: { type: 'string', maxLength: 120 },
    detail: { type: 'string' },
  },
  required: ['file', 'line', 'severity', 'title', 'detail'],
}

const angles = [
  { name: 'security', focus: 'security: authentication, authorisation, injection, secrets, unsafe input handling' },
  { name: 'correctness', focus: 'correctness: logic errors, mutation of shared state, edge cases, broken contracts' },
  { name: 'tests', focus: 'tests: removed or weakened tests, missing coverage for the changed behaviour' },
]

phase('Review')
const reviews = await parallel(
  angles.map((angle) => () =>
    agent(`You are reviewing a pull request. Report only real problems in this area: ${angle.focus}.\n\nDiff:\n${diff}`, {
      label: angle.name,
      schema: { type: 'object', properties: { findings: { type: 'array', items: finding, maxItems: 10 } }, required: ['findings'] },
    }),
  ),
)

phase('Verify')
const findings = reviews.flatMap((review, i) => review.findings.map((f) => ({ ...f, angle: angles[i].name })))
log(`${findings.length} findings to verify`)
const verdicts = await parallel(
  findings.map((f) => () =>
    agent(`Check this review finding against the diff. Is it real, and is it in the changed lines?\n\nFinding: ${JSON.stringify(f)}\n\nDiff:\n${diff}`, {
      label: `verify ${f.angle}: ${f.title}`,
      schema: { type: 'object', properties: { confirmed: { type: 'boolean' }, reason: { type: 'string' } }, required: ['confirmed', 'reason'] },
    }),
  ),
)
const confirmed = findings.filter((_, i) => verdicts[i].confirmed)

phase('Report')
const report = await agent(
  `Write a short pull request review comment in Markdown. Group these confirmed findings by severity and say what to change:\n${JSON.stringify(confirmed, null, 2)}`,
  { label: 'report' },
)
return { findings: findings.length, confirmed, report }
