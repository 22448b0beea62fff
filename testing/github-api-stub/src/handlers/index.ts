import type { ActionsStore } from '../actions';
import type { ChecksStore } from '../checks';
import type { Handler } from '../reply';
import type { StubRepository } from '../repository';
import { actionsHandlers } from './actions';
import { checksHandlers } from './checks';
import { deploymentHandlers } from './deployments';
import { refHandlers } from './refs';

/** The routes a stub answers, keyed as GitHub's documentation (and its OpenAPI description) names them. */
export function handlers(
  repo: StubRepository,
  actions: ActionsStore,
  checks: ChecksStore,
): Record<string, Handler> {
  return {
    ...refHandlers(repo),
    ...deploymentHandlers(repo),
    ...actionsHandlers(repo, actions),
    ...checksHandlers(repo, checks),
  };
}
