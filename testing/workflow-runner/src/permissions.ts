/**
 * `GITHUB_TOKEN` permissions as GitHub computes them: a job's `permissions`, else the workflow's,
 * else the repository default; a called workflow's job gets what it declares (never more than its
 * caller job grants, or the run fails before it starts) or, declaring nothing, what the caller grants.
 */
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping, isString } from '@actions/workflow-parser/templates/tokens/type-guards';

export type PermissionLevel = 'none' | 'read' | 'write';
export type Permissions = Readonly<Record<PermissionScope, PermissionLevel>>;

export const PERMISSION_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;
export type PermissionScope = (typeof PERMISSION_SCOPES)[number];

/** The repository setting "Workflow permissions": restricted (GitHub's default) or permissive. */
export type DefaultPermissions = 'restricted' | 'permissive';

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2 };

function all(level: (scope: PermissionScope) => PermissionLevel): Permissions {
  return Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, level(scope)])) as Permissions;
}

export function repositoryDefault(setting: DefaultPermissions): Permissions {
  if (setting === 'restricted') {
    return all((scope) => (scope === 'contents' || scope === 'packages' ? 'read' : 'none'));
  }
  return all((scope) => (scope === 'id-token' ? 'none' : scope === 'models' ? 'read' : 'write'));
}

/** A `permissions:` value as written (`read-all`, `write-all`, `{}` or a mapping); unnamed scopes are none. */
export function readPermissions(token: TemplateToken): Permissions {
  if (isString(token)) {
    if (token.value === 'write-all') return all(() => 'write');
    if (token.value === 'read-all') return all((scope) => (scope === 'id-token' ? 'none' : 'read'));
    throw new Error(`Unexpected permissions value '${token.value}'.`);
  }
  const given: Partial<Record<string, PermissionLevel>> = {};
  if (isMapping(token)) {
    for (const { key, value } of token) {
      if (isString(key) && isString(value)) given[key.value] = value.value as PermissionLevel;
    }
  }
  return all((scope) => given[scope] ?? 'none');
}

/** Scopes `requested` asks for beyond `allowed`, in GitHub's words. */
export function excessPermissions(job: string, requested: Permissions, allowed: Permissions): string[] {
  return PERMISSION_SCOPES.filter((scope) => RANK[requested[scope]] > RANK[allowed[scope]]).map(
    (scope) =>
      `The nested job '${job}' is requesting '${scope}: ${requested[scope]}', but is only allowed '${scope}: ${allowed[scope]}'.`,
  );
}
