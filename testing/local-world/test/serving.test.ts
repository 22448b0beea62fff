import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppRepository } from '../src/app-repository';
import { envFileTagServing, gitCheckoutServing, parseEnvFile } from '../src/serving';

describe('serving rules read the host, not the workflow', () => {
  it('git mode: the HEAD of the checkout, with the .env beside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'serving-'));
    const repository = await AppRepository.create(join(root, 'repository'));
    const first = await repository.commit({ 'app.txt': 'one\n' }, 'one');
    const second = await repository.commit({ 'app.txt': 'two\n' }, 'two');
    const hostDir = (host: string) => join(root, host);
    await repository.cloneInto(join(hostDir('i-1'), 'opt/app'), first.sha);
    writeFileSync(join(hostDir('i-1'), 'opt/app/.env'), 'APP_ENV=dev\n');
    const rule = gitCheckoutServing(hostDir, 'opt/app');
    expect(await rule('i-1')).toEqual({ host: 'i-1', sha: first.sha, env: { APP_ENV: 'dev' } });
    await repository.git('-C', join(hostDir('i-1'), 'opt/app'), 'checkout', '-q', second.sha);
    expect((await rule('i-1'))?.sha).toBe(second.sha);
    expect(await rule('i-2')).toBeUndefined();
    expect(await repository.show(second.sha, 'app.txt')).toBe('two\n');
    expect(await repository.show(second.sha, 'missing.txt')).toBeUndefined();
  });

  it('image mode: the tag in the env file, mapped to its commit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'serving-'));
    mkdirSync(join(root, 'i-1', 'opt/crm'), { recursive: true });
    writeFileSync(join(root, 'i-1', 'opt/crm/.env'), "APP_ENV=production\nexport IMAGE_TAG='v2'\n");
    const rule = envFileTagServing((host) => join(root, host), {
      appDir: 'opt/crm',
      shaOf: (tag) => (tag === 'v2' ? 'c'.repeat(40) : undefined),
    });
    expect(await rule('i-1')).toMatchObject({ sha: 'c'.repeat(40), env: { APP_ENV: 'production' } });
  });

  it('reads env files as apps do: comments, export, quotes', () => {
    expect(parseEnvFile('# note\nA=1\nexport B="two words"\nC=\'x\'\nnot a line\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x',
    });
  });
});
