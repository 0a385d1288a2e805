// Migration: fans out over every file a glob matches with pipeline(): each file is planned,
// migrated and checked independently (a file that finishes planning starts migrating while
// others are still planning). Files without any `forbidden` string already meet the goal and
// are skipped before any agent runs. The check is mechanical (no forbidden leftovers such as
// `require(`) plus a reviewer agent comparing behaviour; a file that fails gets one repair
// round with the problems named. Each migrated file is written with writeFile() (files that
// still need review too: the summary says which), so the run's changes are the migration, and a
// replay writes the same files again. A summary for the pull request comes last.
//
// Args:
//   pattern    files to migrate (default: workflows-examples/fixtures/app/src/legacy/*.js)
//   goal       what the migration does (default: CommonJS + callbacks to ES modules + async/await)
//   forbidden  strings that must not remain in a migrated file (default for the default goal:
//              require(, module.exports, exports., callback)
//
// Locally, offline:
//   dwf run workflows-examples/migration.workflow.js --agent mock
//   dwf run workflows-examples/migration.workflow.js --args '{"pattern":"src/**/*.js","goal":"Replace moment with date-fns","forbidden":["moment"]}'
// Editing the goal re-runs every call; adding files runs only the new files' calls and the summary.
export const meta = {
  name: 'migration',
  description: 'Plan, migrate and check every matching file, then summarise',
  phases: [{ title: 'Plan' }, { title: 'Migrate' }, { title: 'Check' }, { title: 'Summary' }],
}

const pattern = args.pattern ?? 'workflows-examples/fixtures/app/src/legacy/*.js'
const goal = args.goal ?? 'Convert CommonJS modules with Node-style callbacks to ES modules with async/await. Keep every exported name, its behaviour and its error cases; callers will await the results.'
const forbidden = args.forbidden ?? (args.goal ? [] : ['require(', 'module.exports', 'exports.', 'callback'])

const matched = glob(pattern)
if (matched.length === 0) throw new Error(`no files match ${pattern}; set args.pattern`)
// With forbidden strings the goal is checkable: a file with none of them is already done.
const files = forbidden.length === 0 ? matched : matched.filter((file) => forbidden.some((text) => readFile(file).includes(text)))
const done = matched.filter((file) => !files.includes(file))
log(`${files.length} files to migrate${done.length ? `, ${done.length} already done` : ''}`)

const planSchema = {
  type: 'object',
  properties: {
    steps: { type: 'array', items: { type: 'string' }, maxItems: 8 },
    risk: { enum: ['low', 'medium', 'high'] },
  },
  required: ['steps', 'risk'],
}
const codeSchema = {
  type: 'object',
  properties: { code: { type: 'string', description: 'the complete new file' }, notes: { type: 'string' } },
  required: ['code', 'notes'],
}
const checkSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, problems: { type: 'array', items: { type: 'string' }, maxItems: 10 } },
  required: ['ok', 'problems'],
}

async function migrate(file, source, plan, problems) {
  const repair = problems ? `\n\nA previous attempt had these problems; avoid them:\n- ${problems.join('\n- ')}` : ''
  return agent(`Migrate ${file}. Goal: ${goal}\n\nPlan:\n- ${plan.steps.join('\n- ')}${repair}\n\nReturn the complete new file.\n\n${source}`, {
    label: `${problems ? 'repair' : 'migrate'} ${file}`,
    phase: 'Migrate',
    schema: codeSchema,
  })
}

async function check(file, source, code) {
  const leftovers = forbidden.filter((text) => code.includes(text)).map((text) => `still contains '${text}'`)
  const review = await agent(`Compare the original and migrated ${file}. Goal: ${goal}\nDoes the new file keep every export, its behaviour and its error cases?\n\nOriginal:\n${source}\n\nMigrated:\n${code}`, {
    label: `check ${file}`,
    phase: 'Check',
    schema: checkSchema,
  })
  const problems = [...leftovers, ...review.problems]
  return { ok: review.ok && leftovers.length === 0, problems: problems.length ? problems : review.ok ? [] : ['the reviewer rejected the migration'] }
}

const results = await pipeline(
  files,
  (file) => {
    const source = readFile(file)
    return agent(`Plan how to migrate ${file}. Goal: ${goal}\n\n${source}`, { label: `plan ${file}`, phase: 'Plan', schema: planSchema }).then((plan) => ({ file, source, plan }))
  },
  async (step) => ({ ...step, migrated: await migrate(step.file, step.source, step.plan) }),
  async ({ file, source, plan, migrated }) => {
    let attempt = migrated
    let verdict = await check(file, source, attempt.code)
    if (!verdict.ok) {
      attempt = await migrate(file, source, plan, verdict.problems)
      verdict = await check(file, source, attempt.code)
    }
    return { file, status: verdict.ok ? 'migrated' : 'needs-review', risk: plan.risk, notes: attempt.notes, problems: verdict.problems, code: attempt.code }
  },
)

// Not journaled, and it need not be: a replay runs the script again and writes the same files.
for (const r of results) writeFile(r.file, r.code)

phase('Summary')
const count = (status) => results.filter((r) => r.status === status).length
const table = [...results, ...done.map((file) => ({ file, status: 'already done', risk: 'none', problems: [] }))].map((r) => `${r.file}: ${r.status} (risk ${r.risk})${r.problems.length ? ' — ' + r.problems.join('; ') : ''}`).join('\n')
const summary = await agent(`Write a pull request description in Markdown for this migration. Goal: ${goal}\nList what needs a human look first.\n\n${table}`, { label: 'summary' })
// The pull request's title (its first line) and text, and the status comment's.
report(`# Migrate ${pattern}\n\n${summary}`)
return {
  total: matched.length,
  migrated: count('migrated'),
  needsReview: count('needs-review'),
  alreadyDone: done,
  files: results.map(({ code, ...rest }) => rest),
  summary,
}
