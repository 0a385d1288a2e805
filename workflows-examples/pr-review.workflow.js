// PR review: reviewers read the diff from several angles in parallel, each returning structured
// findings; a verification pass checks every finding against the diff, and only confirmed
// ones reach the review: a readable report in the PR comment, an inline review comment per
// finding (with its suggestion), and a label. Findings can only name files the diff touches (the schema
// enumerates them), so nothing points at a file that is not in the PR.
//
// Args:
//   diffFile  path of the unified diff, relative to the working directory
//             (default: workflows-examples/fixtures/sample.diff)
//   angles    optional subset of: security, correctness, tests, performance, as an array
//             or a comma-separated string (default: security, correctness, tests)
//
// Locally, offline:
//   dwf run workflows-examples/pr-review.workflow.js --agent mock
//   git diff main... > pr.diff && dwf run workflows-examples/pr-review.workflow.js --args '{"diffFile":"pr.diff"}'
// Run it twice: the second run replays every call from the journal (0 live).
export const meta = {
  name: 'pr-review',
  description: 'Review a diff from several angles in parallel, then verify each finding',
  phases: [{ title: 'Review' }, { title: 'Verify' }, { title: 'Report' }],
}

const ANGLES = {
  security: 'security: authentication, authorisation, injection, secrets, unsafe input handling',
  correctness: 'correctness: logic errors, mutation of shared state, edge cases, broken contracts',
  tests: 'tests: removed or weakened tests, missing coverage for the changed behaviour',
  performance: 'performance: needless work in hot paths, N+1 queries, unbounded memory',
}
const angles = typeof args.angles === 'string' ? args.angles.split(',').map((a) => a.trim()).filter(Boolean) : (args.angles ?? ['security', 'correctness', 'tests'])
for (const name of angles) if (!ANGLES[name]) throw new Error(`unknown angle '${name}'; choose from ${Object.keys(ANGLES).join(', ')}`)

const diffFile = args.diffFile ?? 'workflows-examples/fixtures/sample.diff'
const diff = readFile(diffFile)
// "diff --git a/old b/new": the files this PR touches, which findings may name.
const files = [...new Set([...diff.matchAll(/^diff --git a\/\S+ b\/(\S+)$/gm)].map((m) => m[1]))]
if (files.length === 0) {
  log(`${diffFile} has no file changes: nothing to review`)
  return { files: 0, findings: 0, confirmed: [], report: 'Nothing to review: the diff is empty.' }
}
log(`${files.length} changed files: ${files.join(', ')}`)

const finding = {
  type: 'object',
  properties: {
    file: { enum: files },
    line: { type: 'integer', minimum: 1 },
    severity: { enum: ['high', 'medium', 'low'] },
    title: { type: 'string', maxLength: 120 },
    detail: { type: 'string' },
    suggestion: { type: 'string' },
  },
  required: ['file', 'line', 'severity', 'title', 'detail'],
}

phase('Review')
const reviews = await parallel(
  angles.map((angle) => () =>
    agent(`You are reviewing the pull request above. Report only real problems in this area: ${ANGLES[angle]}.\nLine numbers refer to the new version of the file.`, {
      label: angle,
      // The diff is the same for every reviewer: sent first and cached by the provider, paid once.
      context: `Diff of the pull request:\n${diff}`,
      schema: { type: 'object', properties: { findings: { type: 'array', items: finding, maxItems: 10 } }, required: ['findings'] },
    }),
  ),
)

phase('Verify')
// Two angles often report the same line: verify each place once, keeping every angle that saw it.
const byPlace = new Map()
reviews.forEach((review, i) => {
  for (const f of review.findings) {
    const place = `${f.file}:${f.line}`
    const seen = byPlace.get(place)
    if (seen) seen.angles.push(angles[i])
    else byPlace.set(place, { ...f, angles: [angles[i]] })
  }
})
const findings = [...byPlace.values()]
log(`${findings.length} findings to verify`)
const verdicts = await parallel(
  findings.map((f) => () =>
    agent(
      `Check this review finding against the diff above. Confirm it only if the problem is real and in the changed lines; otherwise explain why not.\n\nFinding: ${JSON.stringify(f)}`,
      {
        context: `Diff of the pull request:\n${diff}`,
        label: `verify ${f.file}:${f.line}`,
        schema: { type: 'object', properties: { confirmed: { type: 'boolean' }, reason: { type: 'string' } }, required: ['confirmed', 'reason'] },
      },
    ),
  ),
)
const rank = { high: 0, medium: 1, low: 2 }
const confirmed = findings
  .map((f, i) => ({ ...f, verification: verdicts[i].reason, confirmed: verdicts[i].confirmed }))
  .filter((f) => f.confirmed)
  .sort((a, b) => rank[a.severity] - rank[b.severity] || a.file.localeCompare(b.file) || a.line - b.line)
log(`${confirmed.length} of ${findings.length} findings confirmed`)

phase('Report')
const written =
  confirmed.length === 0
    ? 'No confirmed problems in this diff.'
    : await agent(
        `Write a short pull request review comment in Markdown. Group these confirmed findings by severity, cite file:line, and say what to change:\n${JSON.stringify(confirmed, null, 2)}`,
        { label: 'report' },
      )
// Effects are data: the Action posts them once (the CLI shows them). The report is the PR
// comment's text; each confirmed finding becomes an inline comment, with its suggestion.
report(`## Review: ${confirmed.length} confirmed finding${confirmed.length === 1 ? '' : 's'}\n\n${written}`)
if (confirmed.length > 0) review.summary(`${confirmed.length} confirmed finding${confirmed.length === 1 ? '' : 's'} from the ${angles.join(', ')} reviews.`)
for (const f of confirmed)
  review.comment(f.file, f.line, `**${f.severity}**: ${f.title}\n\n${f.detail}`, f.suggestion ? { suggestion: f.suggestion } : undefined)
labels.add(confirmed.some((f) => f.severity === 'high') ? 'review: changes needed' : 'review: ok')
return { files: files.length, findings: findings.length, confirmed, report: written }
