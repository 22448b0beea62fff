/**
 * Examples in the world: each example file has a definition in `src/examples/<name>.ts` (named as
 * the file, without `.yml`) that says which placeholders it fills in, which breaks it supports, and
 * the story that shows it — the runs that set the scene (a good release deployed first, dev before
 * stage…), then the example's own run. `runExample` is the one path: `pnpm example` and the tests
 * both call it. A new example needs only its definition file (and its world, in `src/worlds/`).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '@gatehouse/workflow-runner';
import { type FillIn, fillInProblems } from './fill-in';
import { type Reporter, silentReporter } from './report';
import { GATEHOUSE_ROOT } from './world';

export interface ExampleRunOptions {
  /** What the release gets wrong (one of the definition's `breaks`). */
  break?: string;
  /** A variant of the story (one of the definition's `variants`), e.g. rollback to a named version. */
  variant?: string;
  reporter?: Reporter;
}

export interface ExampleRun {
  /** The example's own run. */
  result: RunResult;
  /** Every run of the story in order, the example's own last. */
  runs: { title: string; result: RunResult }[];
}

export interface ExampleDefinition<W = unknown> {
  /** The example file, relative to the repository. */
  file: string;
  /** What a run shows, in one line. */
  title: string;
  /** The strings of the file that are filled in (placeholders), in the order of the table. */
  placeholders: readonly string[];
  /** Supported `--break` values and what each one does. */
  breaks: Readonly<Record<string, string>>;
  /** Supported `--variant` values and what each one does. */
  variants?: Readonly<Record<string, string>>;
  /** Starts a world for this example (tests share one between runs where the story allows). */
  startWorld(): Promise<W>;
  closeWorld(world: W): Promise<void>;
  /** The fill-in table: each placeholder with this world's value. */
  fillIns(world: W): FillIn[];
  /** Tells the story and returns its runs. */
  run(
    world: W,
    options: Required<Pick<ExampleRunOptions, 'reporter'>> & ExampleRunOptions,
  ): Promise<ExampleRun>;
}

const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'examples');

/** The names of the examples that have a definition. */
export function listExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.replace(/\.ts$/, ''))
    .sort();
}

export async function loadExample(name: string): Promise<ExampleDefinition> {
  if (!listExamples().includes(name)) {
    throw new Error(`No example '${name}'. Examples: ${listExamples().join(', ')}`);
  }
  const module = (await import(`./examples/${name}.ts`)) as { example?: ExampleDefinition };
  if (!module.example) throw new Error(`src/examples/${name}.ts exports no 'example'.`);
  return module.example;
}

/** Problems with a definition's fill-in table against its file (each must be a placeholder there). */
export async function definitionProblems(definition: ExampleDefinition): Promise<string[]> {
  const text = await readFile(join(GATEHOUSE_ROOT, definition.file), 'utf8');
  return fillInProblems(
    text,
    definition.placeholders.map((placeholder) => ({ placeholder, value: '' })),
  );
}

export interface RunExampleOptions<W> extends ExampleRunOptions {
  /** A world to run in (kept open); otherwise a new one, closed at the end. */
  world?: W;
}

/** Runs an example's story in a world: the path `pnpm example` and the tests share. */
export async function runExample<W = unknown>(
  name: string | ExampleDefinition<W>,
  options: RunExampleOptions<W> = {},
): Promise<ExampleRun & { definition: ExampleDefinition<W> }> {
  const definition = (typeof name === 'string' ? await loadExample(name) : name) as ExampleDefinition<W>;
  if (options.break !== undefined && !(options.break in definition.breaks)) {
    throw new Error(
      `${definition.file} has no break '${options.break}' (breaks: ${Object.keys(definition.breaks).join(', ') || 'none'}).`,
    );
  }
  if (options.variant !== undefined && !(options.variant in (definition.variants ?? {}))) {
    throw new Error(
      `${definition.file} has no variant '${options.variant}' (variants: ${Object.keys(definition.variants ?? {}).join(', ') || 'none'}).`,
    );
  }
  const world = options.world ?? (await definition.startWorld());
  try {
    const table = definition.fillIns(world).map((f) => f.placeholder);
    if (JSON.stringify(table) !== JSON.stringify(definition.placeholders)) {
      throw new Error(`${definition.file}: the fill-in table's placeholders differ from the declared ones.`);
    }
    const run = await definition.run(world, { ...options, reporter: options.reporter ?? silentReporter });
    return { ...run, definition };
  } finally {
    if (!options.world) await definition.closeWorld(world);
  }
}
