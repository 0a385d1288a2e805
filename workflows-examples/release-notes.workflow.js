// Release notes: classifies the commits of a release (in batches, in parallel), groups them by
// category, has one writer per category turn them into user-facing bullets, and assembles
// Markdown with breaking changes first. A commit the classifier skips falls back to its
// conventional-commit prefix (feat:, fix:, ...), so every commit lands in a category.
//
// Args:
//   commitsFile      JSON array of {sha, subject, body?, author?, pr?}
//                    (default: workflows-examples/fixtures/commits.json)
//   commits          the same array inline (instead of commitsFile)
//   version          the release being described (default: 'Unreleased')
//   previousVersion  optional, for the compare line
//
// Make the commits file from git:
//   git log --format='%H%x1f%s%x1f%an%x1f%b%x1e' v1.3.0..HEAD | jq -R -s 'split("\u001e") | map(select(length > 1) | ltrimstr("\n") | split("\u001f") | {sha: .[0], subject: .[1], author: .[2], body: .[3]})' > commits.json
//
// Locally, offline:
//   dwf run workflows-examples/release-notes.workflow.js --agent mock --args '{"version":"v1.4.0"}'
export const meta = {
  name: 'release-notes',
  description: 'Write release notes from commits, grouped by category',
  phases: [{ title: 'Classify' }, { title: 'Write' }],
}

const CATEGORIES = {
  breaking: 'Breaking changes',
  feature: 'Features',
  fix: 'Fixes',
  security: 'Security',
  performance: 'Performance',
  docs: 'Documentation',
  internal: 'Internal',
}
// Conventional-commit types, and the first words of commits that use none ("Fix crash ...").
const PREFIXES = { feat: 'feature', feature: 'feature', add: 'feature', fix: 'fix', fixes: 'fix', fixed: 'fix', perf: 'performance', docs: 'docs', security: 'security' }

const commits = args.commits ?? JSON.parse(readFile(args.commitsFile ?? 'workflows-examples/fixtures/commits.json'))
if (!Array.isArray(commits) || commits.some((c) => typeof c.sha !== 'string' || typeof c.subject !== 'string'))
  throw new Error('commits must be an array of {sha, subject, ...}')
const version = args.version ?? 'Unreleased'
if (commits.length === 0) return { version, commits: 0, counts: {}, markdown: `## ${version}\n\nNo changes.` }

/** The category a subject declares ("feat(api)!: ..." is breaking), for commits the agent skipped. */
function conventional(commit) {
  const match = /^(\w+)(\([^)]*\))?(!)?[:\s]/.exec(commit.subject)
  if (match?.[3] || /BREAKING CHANGE/.test(commit.body ?? '')) return 'breaking'
  return (match && PREFIXES[match[1].toLowerCase()]) ?? 'internal'
}

phase('Classify')
const BATCH = 25
const batches = []
for (let i = 0; i < commits.length; i += BATCH) batches.push(commits.slice(i, i + BATCH))
const answers = await parallel(
  batches.map((batch, b) => () =>
    agent(
      `Classify each commit for the release notes of ${version}. Categories: ${Object.keys(CATEGORIES).join(', ')} ("internal" is anything users do not notice: CI, tests, refactors, dependency bumps without effect). Rewrite each as one short user-facing sentence.\n\n${batch.map((c) => `${c.sha.slice(0, 12)} ${c.subject}${c.body ? `\n    ${c.body}` : ''}`).join('\n')}`,
      {
        label: `classify ${b * BATCH + 1}-${b * BATCH + batch.length}`,
        schema: {
          type: 'object',
          properties: {
            commits: {
              type: 'array',
              items: {
                type: 'object',
                properties: { sha: { enum: batch.map((c) => c.sha.slice(0, 12)) }, category: { enum: Object.keys(CATEGORIES) }, sentence: { type: 'string', maxLength: 200 } },
                required: ['sha', 'category', 'sentence'],
              },
            },
          },
          required: ['commits'],
        },
      },
    ),
  ),
)
const classified = new Map()
for (const answer of answers) for (const c of answer.commits) if (!classified.has(c.sha)) classified.set(c.sha, c)
const entries = commits.map((commit) => {
  const found = classified.get(commit.sha.slice(0, 12))
  // A breaking marker in the commit itself always wins over the classifier.
  const category = conventional(commit) === 'breaking' ? 'breaking' : (found?.category ?? conventional(commit))
  return { ...commit, category, sentence: found?.sentence ?? commit.subject }
})
log(`${classified.size} of ${commits.length} commits classified by the agent, the rest by prefix`)

phase('Write')
const groups = Object.keys(CATEGORIES)
  .map((category) => ({ category, entries: entries.filter((e) => e.category === category) }))
  .filter((g) => g.entries.length > 0)
const written = await parallel(
  groups
    .filter((g) => g.category !== 'internal')
    .map((g) => () =>
      agent(
        `Write the "${CATEGORIES[g.category]}" section of the release notes for ${version}: one bullet per user-visible change, merging commits about the same change. Plain language, no commit jargon. Cite the commits each bullet comes from.\n\n${g.entries.map((e) => `${e.sha.slice(0, 12)} ${e.sentence}${e.pr ? ` (#${e.pr})` : ''}`).join('\n')}`,
        {
          label: `write ${g.category}`,
          schema: {
            type: 'object',
            properties: {
              bullets: {
                type: 'array',
                minItems: 1,
                items: { type: 'object', properties: { text: { type: 'string' }, shas: { type: 'array', items: { enum: g.entries.map((e) => e.sha.slice(0, 12)) } } }, required: ['text', 'shas'] },
              },
            },
            required: ['bullets'],
          },
        },
      ).then((section) => ({ ...g, bullets: section.bullets.map((b) => ({ text: b.text, shas: [...new Set(b.shas)] })) })),
    ),
)

// Assembled here, not by an agent: the structure and the links are exact.
const prOf = new Map(entries.map((e) => [e.sha.slice(0, 12), e.pr]))
const refs = (shas) => shas.map((sha) => (prOf.get(sha) ? `#${prOf.get(sha)}` : sha.slice(0, 7))).join(', ')
const internal = groups.find((g) => g.category === 'internal')
const markdown = [
  `## ${version}`,
  args.previousVersion ? `Changes since ${args.previousVersion}.` : '',
  ...written.map((s) => `### ${CATEGORIES[s.category]}\n\n${s.bullets.map((b) => `- ${b.text}${b.shas.length ? ` (${refs(b.shas)})` : ''}`).join('\n')}`),
  internal ? `<details><summary>${internal.entries.length} internal changes</summary>\n\n${internal.entries.map((e) => `- ${e.subject}`).join('\n')}\n</details>` : '',
]
  .filter(Boolean)
  .join('\n\n')
const counts = Object.fromEntries(groups.map((g) => [g.category, g.entries.length]))
return { version, commits: commits.length, counts, markdown }
