import { type GitHubClient } from './github-client.js'

/** Who comments made with GITHUB_TOKEN are by. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]'

/**
 * The login that comments written with this token carry: `github-actions[bot]` for
 * GITHUB_TOKEN, `<app-slug>[bot]` for a GitHub App's token, the user for a personal token.
 * GraphQL's `viewer` answers for all of them; GET /user only for users' tokens (installation
 * tokens get 403). When neither answers, GITHUB_TOKEN is the likely token: say so once.
 */
export async function tokenLogin(github: GitHubClient, log: { notice(message: string): void }): Promise<string> {
  const problems: string[] = []
  try {
    const data = await github.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }')
    if (isLogin(data?.viewer?.login)) return data.viewer.login
    problems.push('GraphQL viewer: no login in the answer')
  } catch (error) {
    problems.push(`GraphQL viewer: ${(error as Error).message}`)
  }
  try {
    const { data } = await github.rest.users.getAuthenticated()
    if (isLogin(data?.login)) return data.login
    problems.push('GET /user: no login in the answer')
  } catch (error) {
    problems.push(`GET /user: ${(error as Error).message}`)
  }
  log.notice(`Could not tell which account the github-token belongs to (${problems.join('; ')}): the status comment is looked for among the comments of ${GITHUB_ACTIONS_LOGIN}.`)
  return GITHUB_ACTIONS_LOGIN
}

function isLogin(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase()
}
