import { createRequire as __dwfCreateRequire } from 'node:module'; const require = __dwfCreateRequire(import.meta.url);

// src/report/json.ts
function renderJson(snapshot, outcome) {
  const t = snapshot.totals;
  return {
    runId: snapshot.runId,
    name: snapshot.name,
    status: outcome.status,
    result: outcome.result ?? null,
    agents: { total: t.agents.total, live: t.agents.live, replayed: t.agents.replayed, failed: t.agents.failed },
    tokens: { input: t.tokens.input, output: t.tokens.output },
    costUsd: t.costUsd,
    ...t.unpricedCalls ? { unpricedCalls: t.unpricedCalls } : {},
    saved: { tokens: t.saved.tokens, costUsd: t.saved.costUsd },
    durationMs: (snapshot.finishedAt ?? snapshot.updatedAt) - snapshot.startedAt,
    ...outcome.error ? { error: outcome.error } : {}
  };
}

export {
  renderJson
};
