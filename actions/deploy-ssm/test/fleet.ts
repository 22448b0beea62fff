import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';

/** Shared set-up of the end-to-end tests: an emulated fleet and the deploy-ssm bundle run against it. */
export const actionDir = join(import.meta.dirname, '..');

export function hostId(n: number): string {
  return `i-${n.toString(16).padStart(17, '0')}`;
}

export async function fleet(
  count: number,
  options: Parameters<typeof startSsmEmulator>[0] extends infer O ? Partial<O> : never = {},
): Promise<{ emulator: SsmEmulator; ids: string[] }> {
  const ids = Array.from({ length: count }, (_, i) => hostId(i + 1));
  const emulator = await startSsmEmulator({ hosts: ids, ...options });
  for (const id of ids) await mkdir(join(emulator.hostDir(id), 'app'), { recursive: true });
  return { emulator, ids };
}

export function awsEnv(emulator: SsmEmulator): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSM: emulator.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'eu-west-1',
  };
}

export const IMAGE_INPUTS = {
  mode: 'image',
  'image-tag': 'v1',
  'app-dir': 'app',
  'state-dir': 'state',
  environment: 'dev',
} as const;

export function deploy(
  emulator: SsmEmulator,
  inputs: Record<string, string | number | boolean | undefined>,
  extra: Partial<Parameters<typeof runAction>[0]> = {},
): Promise<ActionRun> {
  return runAction({
    actionDir,
    inputs: { ...IMAGE_INPUTS, ...inputs },
    env: awsEnv(emulator),
    timeoutMs: 90_000,
    ...extra,
  });
}

export async function deployState(emulator: SsmEmulator, id: string): Promise<unknown> {
  return JSON.parse(await readFile(join(emulator.hostDir(id), 'state', 'deploy-state.json'), 'utf8'));
}

/**
 * Every file and directory under the hosts' directories with its content (null for a directory):
 * compared before and after, it shows whether anything on a host changed.
 */
export async function hostFiles(
  emulator: SsmEmulator,
  ids: readonly string[],
): Promise<Record<string, string | null>> {
  const files: Record<string, string | null> = {};
  for (const id of ids) {
    const entries = await readdir(emulator.hostDir(id), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      const path = join(entry.parentPath, entry.name);
      const key = `${id}/${path.slice(emulator.hostDir(id).length + 1)}`;
      files[key] = entry.isDirectory() ? null : await readFile(path, 'utf8');
    }
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}
