// Docs audit: checks documentation against the code it describes. For each doc, an agent picks
// the code files it covers (from the globbed list, so it cannot invent one), then an auditor
// reads the doc with those files and reports structured issues: wrong signatures, stale
// defaults, examples that would not run, functions that do not exist. Meanwhile another agent
// looks for exported code no doc mentions. The result is a Markdown report grouped by doc.
//
// Args:
//   docs  documentation files (default: workflows-examples/fixtures/app/docs/**/*.md)
//   code  source files the docs describe (default: workflows-examples/fixtures/app/src/**/*.{ts,js})
//
// Locally, offline:
//   dwf run workflows-examples/docs-audit.workflow.js --agent mock
//   dwf run workflows-examples/docs-audit.workflow.js --args '{"docs":"docs/**/*.md","code":"src/**/*.ts"}'
// After a docs fix, a re-run audits only the docs (and code) that changed.
export const meta = {
  name: 'docs-audit',
  description: 'Audit documentation against the code and report structured issues',
  phases: [{ title: 'Map' }, { title: 'Audit' }, { title: 'Coverage' }],
}

const docs = glob(args.docs ?? 'workflows-examples/fixtures/app/docs/**/*.md')
const code = glob(args.code ?? 'workflows-examples/fixtures/app/src/**/*.{ts,js}')
if (docs.length === 0) throw new Error('no documentation files match; set args.docs')
if (code.length === 0) throw new Error('no code files match; set args.code')
log(`${docs.length} docs, ${code.length} code files`)

const withContent = (files) => files.map((file) => `--- ${file}\n${readFile(file)}`).join('\n\n')
// The public surface of each file, for the coverage check (a full read would cost far more).
const exportsOf = (file) =>
  readFile(file)
    .split('\n')
    .filter((line) => /^export |module\.exports|^exports\./.test(line))
    .join('\n')

const issueSchema = {
  type: 'object',
  properties: {
    line: { type: 'integer', minimum: 1, description: 'line in the doc' },
    kind: { enum: ['wrong', 'outdated', 'missing-in-code', 'broken-example', 'unclear'] },
    severity: { enum: ['high', 'medium', 'low'] },
    claim: { type: 'string', description: 'what the doc says' },
    actual: { type: 'string', description: 'what the code does' },
    suggestion: { type: 'string' },
  },
  required: ['line', 'kind', 'severity', 'claim', 'actual', 'suggestion'],
}

const [audits, coverage] = await parallel([
  () =>
    pipeline(
      docs,
      (doc) =>
        agent(`Which of these code files does the documentation below describe?\n\n${code.join('\n')}\n\n--- ${doc}\n${readFile(doc)}`, {
          label: `map ${doc}`,
          phase: 'Map',
          schema: { type: 'object', properties: { files: { type: 'array', items: { enum: code }, maxItems: 6 } }, required: ['files'] },
        }),
      async (mapped, doc) => {
        const files = [...new Set(mapped.files)]
        const audit = await agent(
          `Audit this documentation against the code. Report every statement the code contradicts, every documented name the code lacks, and every example that would not work. Do not report style.\n\n--- ${doc} (line numbers matter)\n${readFile(doc)}\n\n${withContent(files)}`,
          {
            label: `audit ${doc}`,
            phase: 'Audit',
            schema: { type: 'object', properties: { issues: { type: 'array', items: issueSchema, maxItems: 20 } }, required: ['issues'] },
          },
        )
        return { doc, files, issues: audit.issues }
      },
    ),
  () =>
    agent(`List exported functions, types or options that none of the docs mention.\n\nExports:\n${code.map((f) => `--- ${f}\n${exportsOf(f)}`).join('\n')}\n\nDocs:\n${withContent(docs)}`, {
      label: 'undocumented exports',
      phase: 'Coverage',
      schema: {
        type: 'object',
        properties: { undocumented: { type: 'array', maxItems: 30, items: { type: 'object', properties: { file: { enum: code }, name: { type: 'string' } }, required: ['file', 'name'] } } },
        required: ['undocumented'],
      },
    }),
])

const rank = { high: 0, medium: 1, low: 2 }
const issues = audits.flatMap((a) => a.issues.map((issue) => ({ doc: a.doc, ...issue }))).sort((a, b) => rank[a.severity] - rank[b.severity])
const sections = audits
  .filter((a) => a.issues.length > 0)
  .map((a) => `### ${a.doc}\n\n${[...a.issues].sort((x, y) => x.line - y.line).map((i) => `- **${i.severity}** line ${i.line} (${i.kind}): ${i.claim} — actually: ${i.actual}. Fix: ${i.suggestion}`).join('\n')}`)
const undocumented = coverage.undocumented.map((u) => `- \`${u.name}\` in ${u.file}`)
const report = [
  `## Docs audit: ${issues.length} issue${issues.length === 1 ? '' : 's'} in ${sections.length} of ${docs.length} docs`,
  ...sections,
  undocumented.length ? `### Undocumented\n\n${undocumented.join('\n')}` : '',
]
  .filter(Boolean)
  .join('\n\n')
return { docs: docs.length, issues, undocumented: coverage.undocumented, report }
