import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionNames, isMain, repoRoot } from './actions';

/**
 * Each action's README holds a block generated from its action.yml (name, description, usage,
 * inputs, outputs), so that part cannot drift from what the runner actually reads; the rest of
 * the README is written by hand, around the block, and kept as it is. The usage example is the
 * `# Example:` comment block at the top of action.yml (comments are free-form there; GitHub
 * ignores them). As actions/checkout's `src/misc/generate-docs.ts` does.
 */
export const BLOCK_START =
  '<!-- start generated from action.yml by `pnpm run docs`: edit action.yml, not this block -->';
export const BLOCK_END = '<!-- end generated -->';
interface Manifest {
  name: string;
  description: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

const cell = (text: unknown) =>
  String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

function exampleOf(raw: string, name: string, manifest: Manifest): string {
  const lines = raw.split('\n');
  const start = lines.findIndex((line) => /^# Example:\s*$/.test(line));
  if (start >= 0) {
    const body: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith('#')) break;
      body.push(line.replace(/^# ?/, ''));
    }
    return body.join('\n');
  }
  const required = Object.entries(manifest.inputs ?? {}).filter(([, spec]) => spec.required);
  const withBlock = required.map(([input]) => `      ${input}: ...`).join('\n');
  return `- uses: OWNER/gatehouse/actions/${name}@v1${required.length ? `\n  with:\n${withBlock}` : ''}`;
}

/** The generated block of one action's README, markers included. */
export function renderBlock(name: string): string {
  const raw = readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8');
  const manifest = parse(raw) as Manifest;
  const inputs = Object.entries(manifest.inputs ?? {});
  const outputs = Object.entries(manifest.outputs ?? {});
  const defaultCell = (value: unknown) => (value === undefined || value === '' ? '' : `\`${cell(value)}\``);
  return [
    BLOCK_START,
    `# ${manifest.name}`,
    '',
    cell(manifest.description),
    '',
    '## Usage',
    '',
    '```yaml',
    exampleOf(raw, name, manifest),
    '```',
    '',
    '## Inputs',
    '',
    ...(inputs.length
      ? [
          '| input | required | default | description |',
          '|---|---|---|---|',
          ...inputs.map(
            ([input, spec]) =>
              `| \`${input}\` | ${spec.required ? 'yes' : 'no'} | ${defaultCell(spec.default)} | ${cell(spec.description)} |`,
          ),
        ]
      : ['None.']),
    '',
    '## Outputs',
    '',
    ...(outputs.length
      ? [
          '| output | description |',
          '|---|---|',
          ...outputs.map(([output, spec]) => `| \`${output}\` | ${cell(spec.description)} |`),
        ]
      : ['None.']),
    '',
    `Each run also writes its result as JSON to \`$RUNNER_TEMP/gatehouse/${name}.json\` for the summary action.`,
    '',
    `Runs on \`${manifest.runs.using}\`${manifest.runs.post ? ', with a post step' : ''}.`,
    BLOCK_END,
  ].join('\n');
}

/** The generated block of a README as it is, markers included; undefined when it has none. */
export function generatedBlock(readme: string): string | undefined {
  const start = readme.indexOf(BLOCK_START);
  const end = readme.indexOf(BLOCK_END, start);
  if (start < 0 || end < 0 || readme.indexOf(BLOCK_START, start + 1) >= 0) return undefined;
  return readme.slice(start, end + BLOCK_END.length);
}

/** The README with its generated block replaced by `block`; a new README is the block alone. */
export function updateReadme(readme: string | undefined, block: string, file: string): string {
  if (readme === undefined) return `${block}\n`;
  const current = generatedBlock(readme);
  if (current === undefined) {
    throw new Error(
      `${file} has no generated block: put the lines ${BLOCK_START} and ${BLOCK_END} where it goes.`,
    );
  }
  return readme.replace(current, () => block);
}

if (isMain(import.meta.url)) {
  for (const name of actionNames()) {
    const file = join(repoRoot, 'actions', name, 'README.md');
    const readme = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    writeFileSync(file, updateReadme(readme, renderBlock(name), `actions/${name}/README.md`));
    console.log(`wrote the generated block of actions/${name}/README.md`);
  }
}
