/**
 * A route template as GitHub documents it (`GET /repos/{owner}/{repo}/branches/{branch}`), compiled
 * to a matcher. Path parameters are decoded, because clients send `feature%2Fx` for `feature/x`.
 */
export interface CompiledRoute {
  key: string;
  method: string;
  /** Characters outside parameters: when two templates match, the more literal one wins. */
  literalLength: number;
  match(path: string): Record<string, string> | undefined;
}

export function compileRoute(key: string): CompiledRoute {
  const [method, template] = key.split(' ');
  if (!method || !template) throw new Error(`github-api-stub: a route is 'METHOD /path', got '${key}'`);
  const names: string[] = [];
  const source = template
    .split(/(\{[a-z_]+\})/)
    .map((part) => {
      const param = /^\{([a-z_]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      // Refs and branch names may hold slashes, sent raw or as %2F (`git/ref/tags/release/1.0`).
      return param[1] === 'ref' || param[1] === 'branch' ? '(.+)' : '([^/]+)';
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return {
    key,
    method,
    literalLength: template.replace(/\{[a-z_]+\}/g, '').length,
    match(path) {
      const found = regex.exec(path);
      if (!found) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
    },
  };
}
