import { describe, expect, it } from 'vitest';
import {
  BLOCK_END,
  BLOCK_START,
  generatedBlock,
  renderBlock,
  updateReadme,
} from '../scripts/generate-readmes';

describe('README generated blocks', () => {
  const block = renderBlock('preflight');

  it('replaces only the block, keeping the prose before and after it', () => {
    const readme = `Intro by hand.\n\n${BLOCK_START}\nstale\n${BLOCK_END}\n\n## By hand\n\nMore prose, with ${'$'}{x} and $& in it.\n`;
    const updated = updateReadme(readme, block, 'README.md');
    expect(updated).toBe(
      `Intro by hand.\n\n${block}\n\n## By hand\n\nMore prose, with ${'$'}{x} and $& in it.\n`,
    );
    expect(generatedBlock(updated)).toBe(block);
  });

  it('writes a new README as the block alone, and refuses one with no block rather than guess', () => {
    expect(updateReadme(undefined, block, 'README.md')).toBe(`${block}\n`);
    expect(() => updateReadme('# Hand-written only\n', block, 'actions/x/README.md')).toThrow(
      /actions\/x\/README.md has no generated block/,
    );
  });

  it('finds no block when a marker is missing or the block is there twice', () => {
    expect(generatedBlock(`${BLOCK_START}\nno end\n`)).toBeUndefined();
    expect(generatedBlock(`${block}\n${block}\n`)).toBeUndefined();
  });
});
