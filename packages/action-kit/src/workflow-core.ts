import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner protocol every action speaks: inputs from `INPUT_*`, file commands for outputs,
 * state, env and the job summary, and `::command::` lines for logs and masking.
 *
 * Why not @actions/core: since v2 it loads @actions/http-client and undici at import time (for
 * OIDC, which no Gatehouse action uses), which doubles every action's cold start (bench/cold-start).
 * The protocol is small and documented; these functions keep @actions/core's names and behaviour.
 */

export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function issue(command: string, message: string, properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Appends `name<<delimiter` … to a file command; the random delimiter cannot occur in the value. */
function fileCommand(variable: string, name: string, value: string): boolean {
  const file = process.env[variable];
  if (!file) return false;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function setOutput(name: string, value: string): void {
  if (!fileCommand('GITHUB_OUTPUT', name, value)) {
    // Outside a runner (local debugging) there is no GITHUB_OUTPUT; show the value instead.
    process.stdout.write(`${name}=${value}${EOL}`);
  }
}

export function saveState(name: string, value: string): void {
  fileCommand('GITHUB_STATE', name, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function exportVariable(name: string, value: string): void {
  process.env[name] = value;
  fileCommand('GITHUB_ENV', name, value);
}

/** Masks a value in every later log line. Multi-line secrets are masked line by line. */
export function setSecret(value: string): void {
  for (const line of value.split(/\r?\n/)) {
    if (line.trim() !== '') issue('add-mask', line);
  }
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  issue('debug', message);
}

export function notice(message: string): void {
  issue('notice', message);
}

export function warning(message: string): void {
  issue('warning', message);
}

export function error(message: string): void {
  issue('error', message);
}

export function startGroup(title: string): void {
  issue('group', title);
}

export function endGroup(): void {
  issue('endgroup', '');
}

export async function group<T>(title: string, body: () => Promise<T>): Promise<T> {
  startGroup(title);
  try {
    return await body();
  } finally {
    endGroup();
  }
}

/** Reports the step's failure: one error annotation and a failing exit code. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Appends markdown to the job summary (a no-op outside a runner). */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}
