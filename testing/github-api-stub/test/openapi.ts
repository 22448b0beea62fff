import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's published OpenAPI description of api.github.com (npm @octokit/openapi, pinned), turned
 * into a validator for response bodies. The description is OpenAPI 3.0: `nullable: true` means
 * "this schema, or null" — with or without `type`, and also where an `enum` does not list null
 * (check-run `conclusion` is one) — so it becomes `anyOf: [schema, {type: null}]` before Ajv sees it.
 * OpenAPI-only keywords (example, discriminator, x-github…) are annotations here.
 */
const require = createRequire(import.meta.url);
const ID = 'https://api.github.com/openapi.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Spec {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Json> }>>;
  components: { responses: Record<string, Json> };
}

function withoutNullable(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNullable);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) if (key !== 'nullable') out[key] = withoutNullable(item);
  return value.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export interface ResponseCheck {
  /** Errors in Ajv's words, empty when the body matches. */
  errors: string[];
  /** Whether the description documents this status for the operation. */
  documented: boolean;
}

export class GithubDescription {
  private readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    const raw = require('@octokit/openapi/generated/api.github.com.json') as Spec;
    this.spec = withoutNullable(raw as unknown as Json) as unknown as Spec;
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
      verbose: true,
    });
    addFormats(this.ajv);
    for (const format of ['int32', 'int64'])
      this.ajv.addFormat(format, { type: 'number', validate: Number.isInteger });
    for (const format of ['double', 'uri-template', 'repo.nwo', 'binary']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: ID, ...(this.spec as unknown as object) });
  }

  /** `GET /repos/{owner}/{repo}/deployments` → the operation's id, or undefined. */
  operationId(route: string): string | undefined {
    const [method, path] = route.split(' ') as [string, string];
    return this.spec.paths[path]?.[method.toLowerCase()]?.operationId;
  }

  /**
   * Validates a response body. `emptyUris` names properties whose "" GitHub sends although the
   * description says `format: uri` (see the conformance test for which and why).
   */
  check(route: string, status: number, body: unknown, emptyUris: string[] = []): ResponseCheck {
    const contentType = 'application/json';
    const [method, path] = route.split(' ') as [string, string];
    const operation = this.spec.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`not in GitHub's description: ${route}`);
    const documented = String(status) in operation.responses;
    // Statuses the operation does not list (401, 403, 5xx on most routes) carry GitHub's basic error.
    let pointer = documented
      ? ['paths', path, method.toLowerCase(), 'responses', String(status)]
      : ['components', 'schemas', 'basic-error'];
    let response = documented ? operation.responses[String(status)] : null;
    while (
      response &&
      typeof response === 'object' &&
      !Array.isArray(response) &&
      typeof response.$ref === 'string'
    ) {
      pointer = response.$ref.slice(2).split('/');
      response = this.spec.components.responses[pointer.at(-1)!]!;
    }
    if (documented) {
      const content = (response as { content?: Record<string, unknown> } | null)?.content;
      if (!content && status < 400) {
        return {
          documented,
          errors: body === undefined || body === '' ? [] : ['the description has no body for this status'],
        };
      }
      // An error status documented without a body (409 on create-deployment): GitHub sends its basic error.
      if (!content) pointer = ['components', 'schemas', 'basic-error'];
      else if (!content[contentType])
        return { documented, errors: [`no ${contentType} body documented for ${status}`] };
      else pointer = [...pointer, 'content', contentType, 'schema'];
    }
    const ref = `${ID}#/${pointer.map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
    let validate = this.cache.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, validate);
    }
    if (validate(body)) return { documented, errors: [] };
    const errors = (validate.errors ?? []).filter(
      (e) =>
        !(
          e.keyword === 'format' &&
          e.params.format === 'uri' &&
          e.data === '' &&
          emptyUris.includes(e.instancePath.split('/').at(-1)!)
        ),
    );
    return {
      documented,
      errors: errors.map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`),
    };
  }
}
