import { basicError, type Urls } from './bodies';

/** What a handler sees of a request, and what it answers. */
export interface StubRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The API base URL (this stub). */
  baseUrl: string;
  urls: Urls;
}

export interface StubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: StubRequest) => StubReply;

export function notFound(message = 'Not Found'): StubReply {
  return { status: 404, body: basicError(404, message) };
}

/** 422 with GitHub's `validation-error` body; `errors` name the field when GitHub does. */
export function invalid(
  message: string,
  errors?: { resource: string; field: string; code: string }[],
): StubReply {
  return { status: 422, body: { ...basicError(422, message), ...(errors ? { errors } : {}) } };
}

export function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/**
 * One page of a list (docs: "Using pagination in the REST API"): `per_page` up to 100 (default
 * 30), `page` from 1, and the `Link` header with first/prev/next/last that Octokit's paginate
 * follows. `wrap` builds an object body (`{ total_count, artifacts }`) around the page.
 */
export function page<T>(
  items: T[],
  query: URLSearchParams,
  selfUrl: string,
  wrap?: (slice: T[], total: number) => unknown,
): StubReply {
  const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
  const number = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (target: number, rel: string) => {
    const url = new URL(selfUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (number > 1) links.push(link(number - 1, 'prev'));
  if (number < last) links.push(link(number + 1, 'next'), link(last, 'last'));
  if (number > 1) links.push(link(1, 'first'));
  return {
    status: 200,
    body: wrap ? wrap(slice, items.length) : slice,
    headers: links.length ? { link: links.join(', ') } : {},
  };
}
