// The real @octokit/rest with @octokit/plugin-retry and @octokit/plugin-throttling, configured
// the way the Action builds it (src/action/github-client.ts), for the GitHub REST fake's tests:
// they drive the unmodified client so the fake stays faithful to what it accepts.
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { GitHubApi } from './github-api.js'

const ThrottledOctokit = Octokit.plugin(retry, throttling)
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

export interface LimitEvent {
  kind: 'secondary' | 'primary'
  retryAfter: number
  method: string
  url: string
  retryCount: number
}

let clientCount = 0
/**
 * An Octokit configured like the Action will: retries and throttling, retrying a secondary rate
 * limit twice. retryAfterBaseValue (both plugins) turns "seconds" into 10 ms so the test is fast;
 * a fresh throttle id keeps this client's write spacing apart from other tests'.
 */
export function client(api: GitHubApi, events: LimitEvent[] = [], token = api.token) {
  return new ThrottledOctokit({
    auth: token,
    baseUrl: api.url,
    log: silent,
    retry: { retryAfterBaseValue: 10 },
    throttle: {
      id: `github-api-test-${++clientCount}`,
      retryAfterBaseValue: 10,
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        events.push({ kind: 'secondary', retryAfter, method: options.method, url: options.url, retryCount })
        return retryCount < 2
      },
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        events.push({ kind: 'primary', retryAfter, method: options.method, url: options.url, retryCount })
        return retryCount < 2
      },
    },
  })
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected the promise to reject')
}
