import { commit, nodeId } from '../bodies';
import { type Handler, invalid, notFound } from '../reply';
import type { StubRepository } from '../repository';

/** Commits, branches, refs and tag objects (docs: REST "Commits", "Branches", "Git references", "Git tags"). */
export function refHandlers(repo: StubRepository): Record<string, Handler> {
  const commitBody = (urls: Parameters<typeof commit>[0], sha: string) =>
    commit(urls, repo, sha, repo.commitInfo(sha));
  return {
    'GET /repos/{owner}/{repo}/commits/{ref}': ({ params, urls }) => {
      const sha = repo.resolveCommit(params.ref!);
      if (sha) return { status: 200, body: commitBody(urls, sha) };
      return /^[0-9a-f]{4,40}$/i.test(params.ref!)
        ? invalid(`No commit found for SHA: ${params.ref}`)
        : notFound();
    },
    'GET /repos/{owner}/{repo}/branches/{branch}': ({ params, urls }) => {
      const sha = repo.branches[params.branch!];
      if (!sha) return notFound('Branch not found');
      const api = `${urls.api}/repos/${repo.fullName}/branches/${encodeURIComponent(params.branch!)}`;
      return {
        status: 200,
        body: {
          name: params.branch,
          commit: commitBody(urls, sha),
          _links: { self: api, html: `${urls.html}/${repo.fullName}/tree/${params.branch}` },
          protected: false,
          // What GitHub answers for a branch without protection rules.
          protection: {
            enabled: false,
            required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
          },
          protection_url: `${api}/protection`,
        },
      };
    },
    'GET /repos/{owner}/{repo}/git/ref/{ref}': ({ params, urls }) => {
      const tagName = params.ref!.startsWith('tags/') ? params.ref!.slice('tags/'.length) : undefined;
      const branchName = params.ref!.startsWith('heads/') ? params.ref!.slice('heads/'.length) : undefined;
      const tag = tagName === undefined ? undefined : repo.tags[tagName];
      const object = tag
        ? tag.annotated
          ? { type: 'tag', sha: tag.annotated }
          : { type: 'commit', sha: tag.commit }
        : branchName !== undefined && repo.branches[branchName]
          ? { type: 'commit', sha: repo.branches[branchName]! }
          : undefined;
      if (!object) return notFound();
      const api = `${urls.api}/repos/${repo.fullName}`;
      return {
        status: 200,
        body: {
          ref: `refs/${params.ref}`,
          node_id: nodeId('Ref', `${repo.id}:refs/${params.ref}`),
          url: `${api}/git/refs/${params.ref}`,
          object: {
            ...object,
            url: `${api}/git/${object.type === 'tag' ? 'tags' : 'commits'}/${object.sha}`,
          },
        },
      };
    },
    'GET /repos/{owner}/{repo}/git/tags/{tag_sha}': ({ params, urls }) => {
      const found = repo.tagObject(params.tag_sha!);
      if (!found) return notFound();
      const api = `${urls.api}/repos/${repo.fullName}`;
      return {
        status: 200,
        body: {
          node_id: nodeId('Tag', params.tag_sha!),
          tag: found.name,
          sha: params.tag_sha,
          url: `${api}/git/tags/${params.tag_sha}`,
          message: `Release ${found.name}\n`,
          tagger: { name: 'Gatehouse Test', email: 'test@gatehouse.invalid', date: repo.timeAt(0) },
          object: { type: 'commit', sha: found.tag.commit, url: `${api}/git/commits/${found.tag.commit}` },
          verification: {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
        },
      };
    },
  };
}
