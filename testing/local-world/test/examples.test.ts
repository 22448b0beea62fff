import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionProblems, listExamples, loadExample } from '../src/example';
import { GATEHOUSE_ROOT } from '../src/world';

describe('example definitions', () => {
  it('have one per environment workflow, each naming its file', async () => {
    const names = listExamples();
    for (const name of ['deploy-dev', 'deploy-stage', 'deploy-prod', 'rollback'])
      expect(names).toContain(name);
    for (const name of names) {
      const definition = await loadExample(name);
      expect(definition.file.endsWith(`/${name}.yml`), definition.file).toBe(true);
    }
  });

  it('fill in only placeholders: each replaced string is one, and is in the file', async () => {
    for (const name of listExamples()) {
      const definition = await loadExample(name);
      expect(await definitionProblems(definition), definition.file).toEqual([]);
      expect(definition.placeholders.length, definition.file).toBeGreaterThan(0);
      // Every example.com address of the file is filled in: a run never reaches the internet.
      const text = await readFile(join(GATEHOUSE_ROOT, definition.file), 'utf8');
      const addresses = new Set(text.match(/https?:\/\/[\w.-]*example\.com/g) ?? []);
      for (const address of addresses) expect(definition.placeholders, definition.file).toContain(address);
    }
  });
});
