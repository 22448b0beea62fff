/**
 * What the runner does with a step's output (actions/runner `OutputManager` + `ActionCommandManager`):
 * stdout and stderr are split into lines as .NET reads them, each line goes through the workflow
 * command reader, and what reaches the log is masked when it is written.
 */
import type { SecretMasker } from './secret-masker';
import { type AnnotationLevel, type CommandEvent, WorkflowCommandReader } from './workflow-commands';

export type LogStream = 'stdout' | 'stderr' | 'runner';

/** One line of the log as a person reads it (already masked). */
export interface LogLine {
  text: string;
  stream: LogStream;
}

export interface Annotation {
  level: AnnotationLevel;
  /** Masked, as the runner masks an issue's message. */
  message: string;
  /** Command properties (`title`, `file`, `line`…), keys lower-cased. */
  properties: Record<string, string>;
}

export interface StepOutputOptions {
  masker: SecretMasker;
  /** Receives every log line as it is written. */
  onLine?: (line: LogLine) => void;
  /** The step's `env` context (commands like `set-env` read `ACTIONS_ALLOW_UNSECURE_COMMANDS`). */
  env?: () => Readonly<Record<string, string>>;
  /** Step debug logging (`ACTIONS_STEP_DEBUG`): debug lines are shown and commands echoed. */
  debug?: boolean;
}

/** One step phase's output, and what its commands did. */
export class StepOutput {
  readonly lines: LogLine[] = [];
  readonly annotations: Annotation[] = [];
  /** `set-output` values (deprecated command, still honoured). */
  readonly outputs: Record<string, string> = {};
  /** `save-state` values (deprecated command, still honoured). */
  readonly state: Record<string, string> = {};
  /** Values the step asked to mask (`add-mask`), unmasked. */
  readonly masks: string[] = [];
  /** `set-env` / `add-path`, only when `ACTIONS_ALLOW_UNSECURE_COMMANDS` is true. */
  readonly env: [string, string][] = [];
  readonly path: string[] = [];
  /** The raw text each stream carried, before any processing. */
  readonly raw = { stdout: '', stderr: '' };
  /** A command could not be processed: the runner fails the step. */
  failed = false;

  private readonly reader: WorkflowCommandReader;
  private readonly pending = { stdout: '', stderr: '' };

  constructor(private readonly options: StepOutputOptions) {
    this.reader = new WorkflowCommandReader({ env: options.env, echo: options.debug });
  }

  /** A chunk of the process's output; complete lines are processed at once. */
  write(stream: 'stdout' | 'stderr', chunk: string): void {
    this.raw[stream] += chunk;
    let text = this.pending[stream] + chunk;
    for (;;) {
      const at = text.search(/[\r\n]/);
      if (at < 0) break;
      // A `\r` at the end may be the first half of `\r\n`: wait for the next chunk.
      if (text[at] === '\r' && at === text.length - 1) break;
      const width = text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1;
      this.line(text.slice(0, at), stream);
      text = text.slice(at + width);
    }
    this.pending[stream] = text;
  }

  /** The process ended: its last line counts even without a newline. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.pending[stream];
      this.pending[stream] = '';
      if (rest === '') continue;
      this.line(rest.endsWith('\r') ? rest.slice(0, -1) : rest, stream);
    }
  }

  /** One line of output, as `OutputManager.OnDataReceived` handles it. */
  line(text: string, stream: 'stdout' | 'stderr'): void {
    for (const event of this.reader.read(text)) this.apply(event, stream);
  }

  /** A line the runner itself writes (`##[group]Run …`, `Post job cleanup.`). */
  runnerLine(text: string): void {
    this.log(text, 'runner');
  }

  /** `context.Error`/`Warning`/`Notice`: an annotation and its `##[level]` log line. */
  annotate(level: AnnotationLevel, message: string, properties: Record<string, string> = {}): void {
    const masked = this.options.masker.mask(message);
    this.annotations.push({ level, message: masked, properties });
    this.log(`##[${level}]${message}`, 'runner');
  }

  private apply(event: CommandEvent, stream: 'stdout' | 'stderr'): void {
    switch (event.type) {
      case 'log':
        this.log(event.text, stream);
        break;
      case 'annotation':
        this.annotate(event.level, event.message, event.properties);
        break;
      case 'debug':
        if (this.options.debug) this.log(`##[debug]${event.message}`, 'runner');
        break;
      case 'mask':
        this.masks.push(event.value);
        this.options.masker.addSecret(event.value);
        break;
      case 'set-output':
        this.outputs[event.name] = event.value;
        break;
      case 'save-state':
        this.state[event.name] = event.value;
        break;
      case 'set-env':
        this.env.push([event.name, event.value]);
        break;
      case 'add-path':
        this.path.push(event.path);
        break;
      case 'failure':
        this.failed = true;
        this.annotate('error', event.message);
        break;
    }
  }

  /** Masks and writes `text`; text with newlines (a multi-line input, an annotation) becomes several lines. */
  private log(text: string, stream: LogStream): void {
    for (const part of this.options.masker.mask(text).split(/\r?\n/)) {
      const line = { text: part, stream };
      this.lines.push(line);
      this.options.onLine?.(line);
    }
  }
}
