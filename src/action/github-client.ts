import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'

const GitHub = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof GitHub>

/**
 * Octokit with retries and throttling. A secondary rate limit (a 403 GitHub sends when a
 * job writes too fast) is waited out and retried a few times, so the final comment lands.
 */
export function createGitHubClient(options: { token: string; baseUrl?: string; retryAfterBaseValue?: number; throttleId?: string }): GitHubClient {
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retryAfterBaseValue: options.retryAfterBaseValue },
    throttle: {
      id: options.throttleId,
      retryAfterBaseValue: options.retryAfterBaseValue,
      onRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 3,
      onSecondaryRateLimit: (_after, _options, _octokit, retryCount) => retryCount < 3,
    },
  })
}
