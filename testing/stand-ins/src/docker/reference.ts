/**
 * Image references as docker reads them (docs: "docker image tag" → image name format;
 * distribution/reference): `[registry[:port]/]path[:tag][@sha256:digest]`, the first component being
 * a registry only when it has a `.` or `:` or is `localhost`; Docker Hub's official images live
 * under `library/`; the tag defaults to `latest`; repository names are lowercase.
 */
export interface ImageReference {
  /** `ghcr.io`, `docker.io`, `localhost:5000` */
  domain: string;
  /** `acme/api`, `library/alpine` */
  path: string;
  tag: string | undefined;
  digest: string | undefined;
  /** How docker prints the repository: `ghcr.io/acme/api`, `alpine` */
  repository: string;
  /** The key stores use: `ghcr.io/acme/api:abc`, `alpine:latest`, or `repo@sha256:…` */
  key: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function parseReference(input: string): ImageReference {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error('invalid reference format');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error('invalid reference format');
  }
  const parts = rest.split('/');
  let domain = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    parts.shift();
  }
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  if (path !== path.toLowerCase()) {
    throw new Error(`invalid reference format: repository name (${path}) must be lowercase`);
  }
  if (parts.some((part) => !COMPONENT.test(part))) throw new Error('invalid reference format');
  const repository =
    domain === 'docker.io'
      ? path.startsWith('library/')
        ? path.slice('library/'.length)
        : path
      : `${domain}/${path}`;
  if (!tag && !digest) tag = 'latest';
  return {
    domain,
    path,
    tag,
    digest,
    repository,
    key: digest && !tag ? `${repository}@${digest}` : `${repository}:${tag}`,
  };
}
