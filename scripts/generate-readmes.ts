import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionNames, isMain, repoRoot } from './actions';

/**
 * Each action's README is generated from its action.yml, so the docs cannot drift from what the
 * runner actually reads. The usage example is the `# Example:` comment block at the top of
 * action.yml (comments are free-form there; GitHub ignores them).
 */
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

export function renderReadme(name: string): string {
  const raw = readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8');
  const manifest = parse(raw) as Manifest;
  const inputs = Object.entries(manifest.inputs ?? {});
  const outputs = Object.entries(manifest.outputs ?? {});
  const defaultCell = (value: unknown) => (value === undefined || value === '' ? '' : `\`${cell(value)}\``);
  return [
    '<!-- Generated from action.yml by `pnpm run docs`; edit action.yml, not this file. -->',
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
    '',
  ].join('\n');
}

if (isMain(import.meta.url)) {
  for (const name of actionNames()) {
    writeFileSync(join(repoRoot, 'actions', name, 'README.md'), renderReadme(name));
    console.log(`wrote actions/${name}/README.md`);
  }
}
