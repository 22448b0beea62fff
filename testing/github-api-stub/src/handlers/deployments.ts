import { actionsApp, nodeId, type Urls, user } from '../bodies';
import { type Handler, invalid, notFound, page, record } from '../reply';
import {
  DEPLOYMENT_STATES,
  type StoredDeployment,
  type StoredStatus,
  type StubRepository,
} from '../repository';

/** Deployments and deployment statuses (docs: REST "Deployments", "Deployment statuses"). */
export function deploymentHandlers(repo: StubRepository): Record<string, Handler> {
  const findDeployment = (id: string) => repo.deployments.find((d) => String(d.id) === id);
  // A GITHUB_TOKEN acts as github-actions[bot], on behalf of the GitHub Actions app.
  const viaApp = (urls: Urls) => (repo.actor.type === 'Bot' ? actionsApp(urls) : null);

  const deploymentBody = (urls: Urls, d: StoredDeployment) => {
    const { statuses: _statuses, required_contexts: _contexts, auto_merge: _autoMerge, ...fields } = d;
    const api = `${urls.api}/repos/${repo.fullName}`;
    return {
      ...fields,
      url: `${api}/deployments/${d.id}`,
      node_id: nodeId('Deployment', d.id),
      original_environment: d.environment,
      creator: user(urls, repo.actor),
      updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
      statuses_url: `${api}/deployments/${d.id}/statuses`,
      repository_url: api,
      performed_via_github_app: viaApp(urls),
    };
  };

  const statusBody = (urls: Urls, d: StoredDeployment, s: StoredStatus) => {
    const api = `${urls.api}/repos/${repo.fullName}`;
    return {
      url: `${api}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: nodeId('DeploymentStatus', s.id),
      state: s.state,
      creator: user(urls, repo.actor),
      description: s.description,
      environment: s.environment,
      // target_url is the older name of log_url: GitHub keeps them equal.
      target_url: s.log_url,
      created_at: s.created_at,
      updated_at: s.created_at,
      deployment_url: `${api}/deployments/${d.id}`,
      repository_url: api,
      environment_url: s.environment_url,
      log_url: s.log_url,
      performed_via_github_app: viaApp(urls),
    };
  };

  return {
    'POST /repos/{owner}/{repo}/deployments': ({ body, urls }) => {
      const fields = record(body);
      const ref = typeof fields.ref === 'string' ? fields.ref : undefined;
      if (!ref) return invalid('Invalid request.\n\n"ref" wasn\'t supplied.');
      const sha = /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : repo.resolveCommit(ref);
      if (!sha)
        return invalid(`No ref found for: ${ref}`, [
          { resource: 'Deployment', field: 'ref', code: 'invalid' },
        ]);
      const deployment = repo.addDeployment({
        sha,
        ref,
        task: typeof fields.task === 'string' ? fields.task : 'deploy',
        environment: typeof fields.environment === 'string' ? fields.environment : 'production',
        description: typeof fields.description === 'string' ? fields.description : null,
        payload: fields.payload ?? {},
        auto_merge: fields.auto_merge !== false,
        required_contexts: Array.isArray(fields.required_contexts)
          ? (fields.required_contexts as string[])
          : undefined,
        transient_environment: fields.transient_environment === true,
        production_environment:
          typeof fields.production_environment === 'boolean'
            ? fields.production_environment
            : (typeof fields.environment === 'string' ? fields.environment : 'production') === 'production',
      });
      return { status: 201, body: deploymentBody(urls, deployment) };
    },
    'GET /repos/{owner}/{repo}/deployments': ({ query, urls }) => {
      const matches = (name: string, value: string) => !query.has(name) || query.get(name) === value;
      const list = repo.deployments
        .filter(
          (d) => matches('environment', d.environment) && matches('sha', d.sha) && matches('ref', d.ref),
        )
        .filter((d) => matches('task', d.task))
        .reverse()
        .map((d) => deploymentBody(urls, d));
      return page(list, query, `${urls.api}/repos/${repo.fullName}/deployments?${query}`);
    },
    'GET /repos/{owner}/{repo}/deployments/{deployment_id}': ({ params, urls }) => {
      const deployment = findDeployment(params.deployment_id!);
      return deployment ? { status: 200, body: deploymentBody(urls, deployment) } : notFound();
    },
    'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ({ params, body, urls }) => {
      const deployment = findDeployment(params.deployment_id!);
      if (!deployment) return notFound();
      const fields = record(body);
      const state = String(fields.state ?? '');
      if (!DEPLOYMENT_STATES.includes(state)) {
        return invalid('Validation Failed', [
          { resource: 'DeploymentStatus', field: 'state', code: 'invalid' },
        ]);
      }
      const description = typeof fields.description === 'string' ? fields.description : '';
      if ([...description].length > 140) {
        return invalid('Validation Failed', [
          { resource: 'DeploymentStatus', field: 'description', code: 'custom' },
        ]);
      }
      const logUrl =
        typeof fields.log_url === 'string'
          ? fields.log_url
          : typeof fields.target_url === 'string'
            ? fields.target_url
            : '';
      const status = repo.addStatus(
        deployment,
        {
          state,
          description,
          environment: typeof fields.environment === 'string' ? fields.environment : deployment.environment,
          environment_url: typeof fields.environment_url === 'string' ? fields.environment_url : '',
          log_url: logUrl,
        },
        fields.auto_inactive !== false,
      );
      return { status: 201, body: statusBody(urls, deployment, status) };
    },
    'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ({ params, query, urls }) => {
      const deployment = findDeployment(params.deployment_id!);
      if (!deployment) return notFound();
      const list = [...deployment.statuses].reverse().map((s) => statusBody(urls, deployment, s));
      return page(
        list,
        query,
        `${urls.api}/repos/${repo.fullName}/deployments/${deployment.id}/statuses?${query}`,
      );
    },
  };
}
