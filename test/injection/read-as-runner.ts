import {
  type ActionRun,
  type CommandEvent,
  splitOutputLines,
  WorkflowCommandReader,
} from '@gatehouse/runner-harness';

/**
 * Every value injected by these tests carries MARK at the start of what a command would act on:
 * an output's or a state's name, a masked value, a stop-commands token, an annotation's or a debug
 * line's text. Gatehouse's own lines never start so, so a command event that does was injected.
 */
export const MARK = 'INJ';

/**
 * The payloads, by the two forms the runner reads. `lines`: each on a line of its own, after
 * every kind of line break the runner splits at (\n, \r, \r\n) and after leading spaces, in the
 * `::` form and the older `##[` one. `inline`: one line, `##[` in the middle of the value (no line
 * break needed); one legacy command per value, as the runner acts on the first `##[` of a line
 * only, so the inputs take turns (`inlinePayload(i)`). Each form also has a variant with invisible
 * characters inside the marker (U+00AD, U+200B), which the runner's culture-sensitive matching may
 * skip: `readAsRunner` also reads every line with those characters dropped.
 */
export const LINES_PAYLOAD =
  'ok' +
  `\n::set-output name=${MARK}-out::1` +
  `\r::add-mask::${MARK}-mask-v2` +
  `\r\n  ::error::${MARK}-error` +
  `\n##[set-output name=${MARK}-legacy-out]1` +
  `\n:\u00AD:save-state name=${MARK}-icu-state::1` +
  `\n::stop-commands::${MARK}-stop-v2`;

const INLINE = [
  `##[stop-commands]${MARK}-stop-legacy`,
  `##[set-output name=${MARK}-inline-out]1`,
  `##[add-mask]${MARK}-mask-legacy`,
  `#\u200B#[add-mask]${MARK}-mask-icu`,
];

export function inlinePayload(turn: number): string {
  return `ok ${INLINE[turn % INLINE.length]}`;
}

/** What the runner's culture-sensitive matching may skip (see the runner harness's parser notes). */
const SKIPPED = /[\p{Cf}\p{Default_Ignorable_Code_Point}]|[^\P{Cc}\t]/gu;

/** A command event that came from an injected value. */
function injected(event: CommandEvent): string | undefined {
  const starts = (text: string) => text.startsWith(MARK);
  switch (event.type) {
    case 'set-output':
    case 'save-state':
    case 'set-env':
      return starts(event.name) ? `${event.type} ${event.name}` : undefined;
    case 'mask':
      // A secret input's own lines are masked, payload and all: that is masking, not a command.
      return starts(event.value) ? `add-mask or stop-commands ${event.value}` : undefined;
    case 'annotation':
      return starts(event.message) ? `${event.level} ${event.message}` : undefined;
    case 'debug':
      return starts(event.message) ? `debug ${event.message}` : undefined;
    case 'add-path':
      return event.path.includes(MARK) ? `add-path ${event.path}` : undefined;
    case 'failure':
      return `a command the runner could not process: ${event.message}`;
    case 'log':
      return undefined;
  }
}

/**
 * Reads a run's output line by line as the runner does, each stream with its own command reader
 * (and again with invisible characters dropped), and returns every command an injected value
 * made, and every fence left open at the end (which would silence the commands after it).
 */
export function readAsRunner(run: ActionRun): string[] {
  const found: string[] = [];
  for (const phase of run.phases) {
    for (const stream of ['stdout', 'stderr'] as const) {
      for (const [label, clean] of [
        ['as written', (line: string) => line],
        ['invisible characters dropped', (line: string) => line.replace(SKIPPED, '')],
      ] as const) {
        const reader = new WorkflowCommandReader();
        for (const line of splitOutputLines(phase[stream])) {
          for (const event of reader.read(clean(line))) {
            const what = injected(event);
            if (what) found.push(`${phase.phase} ${stream} (${label}): ${what}`);
          }
        }
        if (reader.stopped) found.push(`${phase.phase} ${stream} (${label}): commands stopped at the end`);
      }
    }
  }
  // What the harness's runner did with the output as it arrived (stdout and stderr through one reader).
  for (const name of [...Object.keys(run.outputs), ...Object.keys(run.state)]) {
    if (name.startsWith(MARK)) found.push(`harness: output or state ${name}`);
  }
  for (const value of run.masks) if (value.startsWith(MARK)) found.push(`harness: mask ${value}`);
  for (const message of [...run.errors, ...run.warnings, ...run.notices]) {
    if (message.startsWith(MARK) || message.startsWith('Unable to process command')) {
      found.push(`harness: annotation ${message}`);
    }
  }
  // A step that failed must still have said why: a stop-commands would have silenced its error.
  if (run.exitCode !== 0 && run.errors.length === 0) found.push('harness: the step failed without an error');
  return found;
}

/** Whether the value reached the log at all (as text, in a log line or an annotation). */
export function reachedLog(run: ActionRun): boolean {
  return [run.log, ...run.errors, ...run.warnings, ...run.notices].some((text) => text.includes(MARK));
}
