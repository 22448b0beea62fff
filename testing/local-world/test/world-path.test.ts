import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobOf } from '@gatehouse/workflow-runner';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../src/world';

describe("the world's `path`: programs every host and the runner find before this machine's", () => {
  const root = mkdtempSync(join(tmpdir(), 'world-path-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('comes after the stand-ins and before the rest of PATH', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // Shadows a program this machine has, as a Python with the app's packages shadows pyenv's.
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho "the world\'s git"\n');
    chmodSync(join(bin, 'git'), 0o755);
    const world = await startWorld({ hosts: [{ id: 'i-0aaaa000000000001' }], path: [bin] });
    try {
      const commit = await world.push({ 'a.txt': 'a\n' }, 'a');
      const result = await world.run({
        workflow: '.github/workflows/probe.yml',
        text: 'on: push\njobs:\n  probe:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git; command -v docker\n',
        event: world.pushEvent(commit),
      });
      expect(jobOf(result, 'probe').steps[0]!.log).toEqual(
        expect.arrayContaining(["the world's git", `${world.standIns.binDir}/docker`]),
      );
    } finally {
      await world.close();
    }
  });
});
