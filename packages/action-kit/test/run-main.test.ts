import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionFailure, ConfigurationError, runMain } from '../src/index';

describe('runMain: one setFailed, whatever was thrown', () => {
  const writes: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  afterEach(() => {
    writes.length = 0;
    process.exitCode = 0;
  });
  const errors = () => writes.filter((w) => w.startsWith('::error::'));

  it('a configuration error is reported as the user’s mistake', async () => {
    await runMain(async () => {
      throw new ConfigurationError("Input 'x' is required but was empty.");
    });
    expect(errors()).toEqual(["::error::Configuration error: Input 'x' is required but was empty.\n"]);
    expect(process.exitCode).toBe(1);
  });

  it('a guarded failure is reported as it is', async () => {
    await runMain(async () => {
      throw new ActionFailure('i-0abc: deploy failed with exit code 2');
    });
    expect(errors()).toEqual(['::error::i-0abc: deploy failed with exit code 2\n']);
  });

  it('anything else is called a bug, including non-Error throws', async () => {
    await runMain(async () => {
      throw { code: 42 };
    });
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/^::error::Unexpected error \(this is a bug in Gatehouse.*\{"code":42\}/);
  });

  it('multi-line messages stay one annotation', async () => {
    await runMain(async () => {
      throw new ActionFailure('line one\nline two');
    });
    expect(errors()).toEqual(['::error::line one%0Aline two\n']);
  });

  it('success fails nothing', async () => {
    await runMain(async () => {});
    expect(errors()).toEqual([]);
    expect(process.exitCode).toBe(0);
  });
});
