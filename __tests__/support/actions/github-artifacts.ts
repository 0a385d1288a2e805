// A run's artifacts through the GitHub REST fake, served from the artifact service fake: the
// list (filtered by name, paginated), one artifact, its download redirect (what @actions/artifact
// follows for cross-run findBy downloads; 410 once expired), and delete.
import type { ArtifactService } from './artifact-service.js'
import { ApiError, DOCS, notFound, pagedList, type RepoContext, type RouteDef } from './github-common.js'

const ARTIFACTS_DOCS = `${DOCS}/actions/artifacts`

export function artifactRoutes(ctx: RepoContext, artifacts: ArtifactService | undefined): RouteDef[] {
  /** A finalized artifact of this repository by id, over every run. */
  function findArtifact(id: number) {
    if (!artifacts) return undefined
    const owning = artifacts.artifacts({ repository: ctx.repository, finalized: true }).find((a) => a.id === id)
    return owning ? artifacts.restArtifacts(ctx.repository, owning.runId, ctx.url()).find((a) => a.id === id) : undefined
  }
  const found = (id: string | undefined) => {
    const artifact = findArtifact(Number(id))
    if (!artifact) throw notFound(ARTIFACTS_DOCS)
    return artifact
  }

  return [
    {
      method: 'GET',
      pattern: /^\/actions\/runs\/(\d+)\/artifacts$/,
      route: 'listRunArtifacts',
      read: 'actions=read',
      run: ([runId], query) => {
        if (!artifacts) throw notFound(ARTIFACTS_DOCS)
        const name = query.get('name')
        const all = artifacts.restArtifacts(ctx.repository, Number(runId), ctx.url()).filter((a) => !name || a.name === name)
        return pagedList(ctx, all, query, `/actions/runs/${runId}/artifacts`, (slice) => ({ total_count: all.length, artifacts: slice }))
      },
    },
    { method: 'GET', pattern: /^\/actions\/artifacts\/(\d+)$/, route: 'getArtifact', read: 'actions=read', run: ([id]) => ({ status: 200, body: found(id) }) },
    {
      method: 'GET',
      pattern: /^\/actions\/artifacts\/(\d+)\/([a-z]+)$/,
      route: 'downloadArtifact',
      read: 'actions=read',
      run: ([id, format]) => {
        if (format !== 'zip') throw notFound(ARTIFACTS_DOCS)
        const artifact = found(id)
        if (artifact.expired) throw new ApiError(410, { message: 'Artifact has expired', documentation_url: `${ARTIFACTS_DOCS}#download-an-artifact`, status: '410' })
        const location = artifacts!.signedDownloadUrl(ctx.repository, artifact.id)
        if (!location) throw notFound(ARTIFACTS_DOCS)
        return { status: 302, headers: { location } }
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/actions\/artifacts\/(\d+)$/,
      route: 'deleteArtifact',
      write: { permissions: 'actions=write', docs: `${ARTIFACTS_DOCS}#delete-an-artifact` },
      run: ([id]) => {
        if (!artifacts?.deleteArtifact(ctx.repository, Number(id))) throw notFound(ARTIFACTS_DOCS)
        return { status: 204 }
      },
    },
  ]
}
