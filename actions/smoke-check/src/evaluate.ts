import { isDeepStrictEqual } from 'node:util';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import {
  excerpt,
  formatChain,
  type ProbeResult,
  parseJson,
  readJsonPath,
  sameCommit,
  scalarText,
} from '@gatehouse/http-probe';
import type { CheckSpec } from './checks-input';
import type { ShaExpectation } from './settings';

/** What one attempt of one check found. */
export interface Finding {
  passed: boolean;
  status?: number;
  latencyMs: number;
  /** Empty when it passed; otherwise everything that did not hold. */
  reason: string;
  chain: string;
  /** The commit the response said it serves, when it said so. */
  servedSha?: string;
}

export function evaluate(
  check: CheckSpec,
  result: ProbeResult,
  sha: ShaExpectation | undefined,
  secrets: readonly string[],
): Finding {
  const chain = formatChain(result.chain);
  if (!result.ok)
    return { passed: false, latencyMs: result.latencyMs, reason: result.failure.message, chain };
  const { status, body, headers } = result.response;
  const problems: string[] = [];
  if (!check.expectStatus.matches(status))
    problems.push(`expected status ${check.expectStatus.text}, got ${status}`);
  for (const needle of check.expectBodyContains) {
    if (!body.includes(needle)) {
      problems.push(
        `body does not contain '${excerpt(needle, secrets, 60)}' (body: ${excerpt(body, secrets)})`,
      );
    }
  }
  const needsJson = Object.keys(check.expectJson).length > 0 || sha?.jsonPath !== undefined;
  const parsed = needsJson ? parseJson(body) : undefined;
  if (Object.keys(check.expectJson).length > 0) {
    if (!parsed?.ok) problems.push(`body is not JSON (body: ${excerpt(body, secrets)})`);
    else problems.push(...jsonProblems(parsed.value, check.expectJson, secrets));
  }
  for (const [name, expected] of Object.entries(check.expectHeader)) {
    const actual = headers[name.toLowerCase()];
    if (actual === undefined) problems.push(`no ${name} header`);
    else if (actual.trim() !== expected)
      problems.push(`header ${name} is '${excerpt(actual, secrets, 60)}', expected '${expected}'`);
  }
  const servedSha = sha ? servedCommit(sha, headers, parsed?.ok ? parsed.value : undefined) : undefined;
  if (sha && servedSha !== undefined && !sameCommit(servedSha, sha.expected)) {
    problems.push(`stale instance: serves ${shortSha(servedSha)}, expected ${shortSha(sha.expected)}`);
  }
  return {
    passed: problems.length === 0,
    status,
    latencyMs: result.latencyMs,
    reason: problems.join('; '),
    chain,
    ...(servedSha === undefined ? {} : { servedSha }),
  };
}

function jsonProblems(
  value: unknown,
  expected: Record<string, unknown>,
  secrets: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const [path, want] of Object.entries(expected)) {
    const got = readJsonPath(value, path);
    if (!got.found) problems.push(`JSON has no '${path}'`);
    else if (!isDeepStrictEqual(got.value, want)) {
      problems.push(
        `JSON '${path}' is ${excerpt(JSON.stringify(got.value) ?? '', secrets, 60)}, expected ${JSON.stringify(want)}`,
      );
    }
  }
  return problems;
}

function servedCommit(
  sha: ShaExpectation,
  headers: Record<string, string>,
  json: unknown,
): string | undefined {
  if (sha.header) return headers[sha.header];
  if (sha.jsonPath && json !== undefined) {
    const found = readJsonPath(json, sha.jsonPath);
    if (found.found && found.value !== null && typeof found.value !== 'object')
      return scalarText(found.value);
  }
  return undefined;
}
