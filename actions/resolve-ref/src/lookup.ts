import { ActionFailure } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import { describeRequest, type RefLookup, type RefRequest } from './ref-request';

/**
 * Where refs can be looked up: the GitHub API or a local git checkout. Each method answers the
 * commit SHA, or undefined when the ref does not exist there.
 */
export interface RefSource {
  /** Named in errors, e.g. "the GitHub API (example/service)". */
  name: string;
  commit(sha: string): Promise<string | undefined>;
  branch(name: string): Promise<string | undefined>;
  tag(name: string): Promise<string | undefined>;
}

/** The lookup rules, once for both sources: not found is an error naming the ref; ambiguity too. */
export function lookupIn(source: RefSource): RefLookup {
  return async (request: RefRequest) => {
    const notFound = (): never => {
      throw new ActionFailure(`${capitalize(describeRequest(request))} does not exist in ${source.name}.`);
    };
    switch (request.kind) {
      case 'sha': {
        const sha = (await source.commit(request.sha)) ?? notFound();
        return { ref: sha, sha };
      }
      case 'branch': {
        const sha = (await source.branch(request.name)) ?? notFound();
        return { ref: `refs/heads/${request.name}`, sha };
      }
      case 'tag': {
        const sha = (await source.tag(request.name)) ?? notFound();
        return { ref: `refs/tags/${request.name}`, sha };
      }
      case 'name': {
        const [branch, tag] = await Promise.all([source.branch(request.name), source.tag(request.name)]);
        if (branch && tag && branch !== tag) {
          throw new ActionFailure(
            `'${request.name}' is both a branch (${shortSha(branch)}) and a tag (${shortSha(tag)}) in ${source.name}; ` +
              `ask for refs/heads/${request.name} or refs/tags/${request.name}.`,
          );
        }
        if (branch) return { ref: `refs/heads/${request.name}`, sha: branch };
        if (tag) return { ref: `refs/tags/${request.name}`, sha: tag };
        return notFound();
      }
    }
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
