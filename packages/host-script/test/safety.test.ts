import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeployScript, parseDeployState } from '../src';
import { LOCK_FILE, LOCK_HOLDER_FILE, LOCK_HOLDER_PATTERN, STATE_FILE } from '../src/layout';
import { deployOn, host, options, startScript, stateOf, until } from './host';

/** Each would leave a file named `pwned*` behind if any shell ever ran it as code. */
const HOSTILE = [
  "it's",
  'say "hi"',
  '$(touch pwned1)',
  '`touch pwned2`',
  '; touch pwned3',
  '&& touch pwned4',
  'line\ntouch pwned5',
  'ünï©ødé ✓ 🚀',
  "'; touch pwned6; '",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, on purpose
  '${IFS}$(touch${IFS}pwned7)',
  '\\"; touch pwned8 #',
];

describe('injection', () => {
  it.each(HOSTILE)('carries %j as data in ref, environment, actor and run id', async (value) => {
    const dir = await host();
    const result = await deployOn(dir, {
      version: { imageTag: 'v1', ref: value, image: value },
      run: { runId: value, actor: value, environment: value },
      commands: 'printf "%s|%s" "$DEPLOY_REF" "$DEPLOY_ENVIRONMENT" > seen',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('pwned'))).toEqual([]);
    expect((await readdir(join(dir, 'app'))).filter((f) => f.startsWith('pwned'))).toEqual([]);
    expect(await readFile(join(dir, 'app', 'seen'), 'utf8')).toBe(`${value}|${value}`);
    const current = parseDeployState(await stateOf(dir)).current;
    expect(current).toMatchObject({
      ref: value,
      image: value,
      environment: value,
      runId: value,
      actor: value,
    });
  });

  it('runs the commands exactly as written, once, with no extra evaluation', async () => {
    const dir = await host();
    const commands = [
      `printf '%s\\n' "it's" 'say "hi"' '$(touch pwned1)' '\`touch pwned2\`' > out`,
      'x="a;b && c"; echo "$x" >> out',
      "echo 'ünï©ødé ✓' >> out",
    ].join('\n');
    const result = await deployOn(dir, { commands });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(join(dir, 'app', 'out'), 'utf8')).toBe(
      'it\'s\nsay "hi"\n$(touch pwned1)\n`touch pwned2`\na;b && c\nünï©ødé ✓\n',
    );
    expect((await readdir(join(dir, 'app'))).filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('keeps hostile values already in the env file as they are', async () => {
    const dir = await host();
    await mkdir(join(dir, 'app'));
    const env = "A='$(touch pwned1)'\nB=`touch pwned2`\nC=x; touch pwned3\nD=\"it's\"\n";
    await writeFile(join(dir, 'app', '.env'), env);
    expect((await deployOn(dir)).exitCode).toBe(0);
    expect(await readFile(join(dir, 'app', '.env'), 'utf8')).toBe(`${env}IMAGE_TAG=v1\n`);
    expect((await readdir(join(dir, 'app'))).filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  it('refuses values that would have to be spliced into shell or env-file syntax', () => {
    expect(() => buildDeployScript(options({ version: { imageTag: 'v1;touch x' } }))).toThrow(/image tag/);
    expect(() => buildDeployScript(options({ imageTagKey: 'TAG;x' }))).toThrow(/env variable name/);
    expect(() => buildDeployScript(options({ mode: 'git', version: { sha: '$(x)' } }))).toThrow(/sha/);
  });
});

describe('locking', () => {
  it('serialises two deploys on one host: the second waits for the first', async () => {
    const dir = await host();
    // The first refuses to finish if the second's commands ran while it held the lock.
    const first = startScript(
      dir,
      buildDeployScript(
        options({
          version: { imageTag: 'v1' },
          commands:
            'touch ../first-started; while [ ! -e ../release ]; do sleep 0.05; done; [ ! -e ../second-ran ]',
        }),
      ),
    );
    await until(async () => (await readdir(dir)).includes('first-started'));
    const second = startScript(
      dir,
      buildDeployScript(options({ version: { imageTag: 'v2' }, commands: 'touch ../second-ran' })),
    );
    // Release only once the kernel shows a deploy blocked on a flock.
    await until(async () => /->\s+FLOCK/.test(await readFile('/proc/locks', 'utf8')));
    await writeFile(join(dir, 'release'), '');
    expect((await first.done).code).toBe(0);
    expect((await second.done).code).toBe(0);
    const state = parseDeployState(await stateOf(dir));
    expect(state.history.map((h) => h.imageTag)).toEqual(['v2', 'v1']);
    expect(state.previous?.imageTag).toBe('v1');
  });

  it('fails after lock-timeout naming the holder, and changes nothing', async () => {
    const dir = await host();
    const holder = startScript(
      dir,
      buildDeployScript(
        options({
          version: { imageTag: 'v1', ref: 'refs/heads/main' },
          run: { runId: '4242', actor: 'alice', environment: 'dev' },
          commands: 'touch ../held; while [ ! -e ../release ]; do sleep 0.05; done',
        }),
      ),
    );
    await until(async () => (await readdir(dir)).includes('held'));
    const waiter = startScript(
      dir,
      buildDeployScript(
        options({ version: { imageTag: 'v2' }, lockTimeoutSeconds: 1, commands: 'touch ../second-ran' }),
      ),
    );
    const result = await waiter.done;
    expect(result.code).toBe(75);
    expect(result.output).toMatch(
      /gatehouse::lock-busy::deploy of v1 \(refs\/heads\/main\) by run 4242, actor alice, pid \d+, since \d{4}-/,
    );
    expect((await readdir(dir)).includes('second-ran')).toBe(false);
    await writeFile(join(dir, 'release'), '');
    expect((await holder.done).code).toBe(0);
    expect(parseDeployState(await stateOf(dir)).history.map((h) => h.imageTag)).toEqual(['v1']);
  });

  it('names the holder in the holder file while it holds the lock, and removes the file when it ends', async () => {
    const dir = await host();
    const holder = startScript(
      dir,
      buildDeployScript(
        options({
          version: { imageTag: 'v1', ref: 'refs/heads/main' },
          run: { runId: '4242', actor: 'alice', environment: 'dev' },
          commands: 'touch ../held; while [ ! -e ../release ]; do sleep 0.05; done',
        }),
      ),
    );
    await until(async () => (await readdir(dir)).includes('held'));
    const line = (await readFile(join(dir, 'state', LOCK_HOLDER_FILE), 'utf8')).trimEnd();
    const [, who, pid, since] = new RegExp(LOCK_HOLDER_PATTERN).exec(line) ?? [];
    expect(who).toBe('deploy of v1 (refs/heads/main) by run 4242, actor alice');
    expect(Number(pid)).toBe(holder.child.pid);
    expect(Date.parse(since!)).toBeLessThanOrEqual(Date.now());
    await writeFile(join(dir, 'release'), '');
    expect((await holder.done).code).toBe(0);
    expect((await readdir(join(dir, 'state'))).sort()).toEqual([LOCK_FILE, STATE_FILE].sort());
  });

  it('a deploy killed with SIGKILL leaves its holder file; the next one replaces it, then removes it', async () => {
    const dir = await host();
    const killed = startScript(dir, buildDeployScript(options({ commands: 'touch ../held; sleep 60' })));
    await until(async () => (await readdir(dir)).includes('held'));
    killed.signalGroup('SIGKILL');
    await killed.done;
    expect(await readdir(join(dir, 'state'))).toContain(LOCK_HOLDER_FILE);
    // The lock went with the process: the next deploy takes it at once.
    const next = await deployOn(dir, { lockTimeoutSeconds: 0, version: { imageTag: 'v2' } });
    expect(next.exitCode, next.stderr).toBe(0);
    expect((await readdir(join(dir, 'state'))).sort()).toEqual([LOCK_FILE, STATE_FILE].sort());
  });

  it('does not let a daemon started by the commands keep the lock', async () => {
    const dir = await host();
    const first = await deployOn(dir, {
      commands: '(sleep 5 >/dev/null 2>&1 &); nohup sleep 5 >/dev/null 2>&1 &',
    });
    expect(first.exitCode).toBe(0);
    const second = await deployOn(dir, { lockTimeoutSeconds: 0, version: { imageTag: 'v2' } });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
  });
});

describe('crash safety', () => {
  /** An env file long enough that bash takes a while to copy it, so a signal can land mid-write. */
  async function bigEnvFile(dir: string): Promise<string> {
    await mkdir(join(dir, 'app'));
    const env = `${Array.from({ length: 60_000 }, (_, i) => `KEY_${i}=value-${i}`).join('\n')}\nIMAGE_TAG=v0\n`;
    await writeFile(join(dir, 'app', '.env'), env);
    return env;
  }
  const envTemps = async (dir: string) =>
    (await readdir(join(dir, 'app'))).filter((name) => name.startsWith('.env.gatehouse.'));

  it('a deploy stopped (SIGTERM) while it writes the env file removes its temp file', async () => {
    const dir = await host();
    const env = await bigEnvFile(dir);
    const run = startScript(dir, buildDeployScript(options({ version: { imageTag: 'v1' } })));
    await until(async () => (await envTemps(dir)).length > 0 || run.child.exitCode !== null);
    expect(run.child.exitCode, 'the deploy finished before it could be stopped mid-write').toBeNull();
    run.signalGroup('SIGTERM');
    await run.done;
    expect(await envTemps(dir)).toEqual([]);
    expect(await readFile(join(dir, 'app', '.env'), 'utf8')).toBe(env);
  });

  it('a deploy killed (SIGKILL) while it writes the env file leaves a temp file the next deploy sweeps', async () => {
    const dir = await host();
    const env = await bigEnvFile(dir);
    const run = startScript(dir, buildDeployScript(options({ version: { imageTag: 'v1' } })));
    await until(async () => (await envTemps(dir)).length > 0 || run.child.exitCode !== null);
    expect(run.child.exitCode, 'the deploy finished before it could be killed mid-write').toBeNull();
    run.signalGroup('SIGKILL');
    await run.done;
    // SIGKILL cannot be trapped: the half-written copy stays, beside an env file still whole.
    expect(await envTemps(dir)).toHaveLength(1);
    expect(await readFile(join(dir, 'app', '.env'), 'utf8')).toBe(env);
    const next = await deployOn(dir, { version: { imageTag: 'v2' } });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(await envTemps(dir)).toEqual([]);
    expect(await readFile(join(dir, 'app', '.env'), 'utf8')).toBe(
      env.replace('IMAGE_TAG=v0', 'IMAGE_TAG=v2'),
    );
  });

  it('kill -9 at any moment of a deploy never leaves an unreadable deploy-state.json', async () => {
    const dir = await host();
    // A long history makes the state write take long enough to be hit by the kills below.
    await mkdir(join(dir, 'state'));
    const entry = (i: number) =>
      JSON.stringify({
        sha: null,
        imageTag: `old${i}`,
        time: '2026-01-01T00:00:00Z',
        outcome: 'success',
        ref: 'r',
        image: null,
        environment: 'dev',
        runId: String(i),
        actor: 'a',
      });
    const history = Array.from({ length: 3000 }, (_, i) => `    ${entry(i)}`).join(',\n');
    await writeFile(
      join(dir, 'state', 'deploy-state.json'),
      `{\n  "current": ${entry(0)},\n  "previous": null,\n  "history": [\n${history}\n  ]\n}\n`,
    );
    let killedMidWrite = 0;
    for (let round = 0; round < 25; round++) {
      const run = startScript(
        dir,
        buildDeployScript(options({ version: { imageTag: `new${round}` }, historySize: 5000 })),
      );
      // Kill once the script is writing (a temp state file exists) or, failing that, at some point in the run.
      await until(
        async () =>
          (await readdir(join(dir, 'state'))).some((f) => f.startsWith('.deploy-state.json.')) ||
          run.child.exitCode !== null,
        30_000,
      );
      if (run.child.exitCode === null) killedMidWrite++;
      run.child.kill('SIGKILL');
      await run.done;
      const state = parseDeployState(await stateOf(dir));
      expect(state.history.length).toBeGreaterThanOrEqual(3000);
    }
    expect(killedMidWrite).toBeGreaterThan(0);
    // The next deploy cleans the stray temp file and carries on from the intact state.
    const result = await deployOn(dir, { version: { imageTag: 'after' }, historySize: 5000 });
    expect(result.exitCode).toBe(0);
    expect(parseDeployState(await stateOf(dir)).current?.imageTag).toBe('after');
    expect((await readdir(join(dir, 'state'))).filter((f) => f.startsWith('.deploy-state'))).toEqual([]);
  });
});
