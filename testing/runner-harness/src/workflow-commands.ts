/**
 * Workflow commands, read from a step's output exactly as the GitHub runner reads them
 * (actions/runner `ActionCommand.TryParseV2`, `ActionCommand.TryParse`,
 * `ActionCommandManager.TryProcessCommand` and the command extensions).
 *
 * - `::name key=value,key=value::data` after any leading whitespace (`TryParseV2`), and the legacy
 *   `##[name key=value;key=value]data` anywhere in the line (`TryParse`), tried in that order.
 * - Only registered command names count, matched case-insensitively; anything else is output.
 * - Data and property values are unescaped by successive ordinal replacements, `%25` last:
 *   `::` data `%0D %0A %25`; `::` properties `%0D %0A %3A %2C %25`; `##[` data and properties
 *   `%3B %0D %0A %5D %25`. Replacements are case-sensitive (`%0a` stays as is).
 * - A property is `key=value` split at the first `=`; a pair with an empty key or value is
 *   dropped; keys match case-insensitively (a later duplicate wins) and are lower-cased here.
 * - `stop-commands` pauses processing until a line whose command is the token (either syntax).
 *
 * One deliberate difference: .NET's `string.StartsWith(string)` and `IndexOf(string)` are
 * culture-sensitive on the runner (ICU), so code points ICU ignores (U+00AD, U+200D, NUL…) next to
 * `::` or `##[` may still form a command there; this parser compares ordinally. A proof that an
 * injected value cannot form a command must therefore also exclude such characters.
 */

/** Every command the runner registers, plus `stop-commands`. */
export const RUNNER_COMMANDS: readonly string[] = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];

export interface WorkflowCommand {
  /** The command name as written. */
  command: string;
  /** Property keys lower-cased (the runner matches them case-insensitively). */
  properties: Record<string, string>;
  data: string;
  syntax: '::' | '##[';
}

type Mapping = readonly (readonly [token: string, replacement: string])[];
const LEGACY_MAPPINGS: Mapping = [
  [';', '%3B'],
  ['\r', '%0D'],
  ['\n', '%0A'],
  [']', '%5D'],
  ['%', '%25'],
];
const DATA_MAPPINGS: Mapping = [
  ['\r', '%0D'],
  ['\n', '%0A'],
  ['%', '%25'],
];
const PROPERTY_MAPPINGS: Mapping = [
  ['\r', '%0D'],
  ['\n', '%0A'],
  [':', '%3A'],
  [',', '%2C'],
  ['%', '%25'],
];

function unescapeValue(value: string, mappings: Mapping): string {
  let out = value;
  for (const [token, replacement] of mappings) out = out.split(replacement).join(token);
  return out;
}

/** @actions/core's escaping of command data (`toCommandValue` + `escapeData`). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core's escaping of a command property value. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// .NET's char.IsWhiteSpace, which `TrimStart()` and `Trim()` use.
const DOTNET_SPACE = '[\\p{Zs}\\p{Zl}\\p{Zp}\\t\\n\\v\\f\\r\\u0085]';
const LEADING_SPACE = new RegExp(`^${DOTNET_SPACE}+`, 'u');
const TRAILING_SPACE = new RegExp(`${DOTNET_SPACE}+$`, 'u');

function splitProperties(text: string, separator: string, mappings: Mapping): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const part of text.split(separator)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) continue;
    properties[part.slice(0, eq).toLowerCase()] = unescapeValue(part.slice(eq + 1), mappings);
  }
  return properties;
}

/** `ActionCommand.TryParseV2`. */
export function parseV2Command(line: string, registered: ReadonlySet<string>): WorkflowCommand | undefined {
  const message = line.replace(LEADING_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return undefined;
  const propertyText =
    space > 0
      ? info
          .slice(space + 1)
          .replace(LEADING_SPACE, '')
          .replace(TRAILING_SPACE, '')
      : '';
  return {
    command,
    properties: splitProperties(propertyText, ',', PROPERTY_MAPPINGS),
    data: unescapeValue(message.slice(end + 2), DATA_MAPPINGS),
    syntax: '::',
  };
}

/** `ActionCommand.TryParse`: the legacy `##[command]` form, anywhere in the line. */
export function parseLegacyCommand(
  line: string,
  registered: ReadonlySet<string>,
): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return undefined;
  return {
    command,
    properties: splitProperties(space > 0 ? info.slice(space + 1) : '', ';', LEGACY_MAPPINGS),
    data: unescapeValue(line.slice(close + 1), LEGACY_MAPPINGS),
    syntax: '##[',
  };
}

/** Parses one output line as the runner does, or `undefined` when the line is plain output. */
export function parseWorkflowCommand(
  line: string,
  registered: ReadonlySet<string> = new Set(RUNNER_COMMANDS),
): WorkflowCommand | undefined {
  return parseV2Command(line, registered) ?? parseLegacyCommand(line, registered);
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** What one output line did, in the order the runner does it. */
export type CommandEvent =
  /** A line for the log (plain output, an echoed command, `##[group]…`). */
  | { type: 'log'; text: string }
  | { type: 'annotation'; level: AnnotationLevel; message: string; properties: Record<string, string> }
  | { type: 'debug'; message: string }
  /** A value to mask from now on (the runner masks it and each of its lines). */
  | { type: 'mask'; value: string }
  | { type: 'set-output'; name: string; value: string }
  | { type: 'save-state'; name: string; value: string }
  /** Only with `ACTIONS_ALLOW_UNSECURE_COMMANDS=true`; otherwise the step fails. */
  | { type: 'set-env'; name: string; value: string }
  | { type: 'add-path'; path: string }
  /** A command the runner could not process: the step fails. */
  | { type: 'failure'; message: string };

const DEPRECATED =
  'The `{0}` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const DISABLED =
  'The `{0}` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';
const BAD_STOP_TOKEN =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.";
/** Commands whose line is never echoed (`OmitEcho`). */
const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice']);

export interface CommandReaderOptions {
  /** The step's `env` context, read when a command depends on it (`ACTIONS_ALLOW_UNSECURE_*`). */
  env?: () => Readonly<Record<string, string>>;
  /** Echo command lines, as the runner does when step debug logging is on. */
  echo?: boolean;
}

/**
 * One step's command processing (the runner creates one per step phase, shared by stdout and
 * stderr): `stop-commands` and `echo` state carry from line to line.
 */
export class WorkflowCommandReader {
  private readonly registered = new Set(RUNNER_COMMANDS);
  private stopToken: string | undefined;
  private echo: boolean;

  constructor(private readonly options: CommandReaderOptions = {}) {
    this.echo = options.echo ?? false;
  }

  /** Whether commands are paused by `stop-commands`. */
  get stopped(): boolean {
    return this.stopToken !== undefined;
  }

  read(line: string): CommandEvent[] {
    const command = line === '' ? undefined : parseWorkflowCommand(line, this.registered);
    if (!command) return [{ type: 'log', text: escapeRunnerMarkers(line) }];
    const name = command.command.toLowerCase();
    if (this.stopToken !== undefined) {
      if (name !== this.stopToken.toLowerCase()) return [{ type: 'log', text: escapeRunnerMarkers(line) }];
      this.registered.delete(this.stopToken.toLowerCase());
      this.stopToken = undefined;
      return [{ type: 'log', text: line }];
    }
    if (name === 'stop-commands') return this.stop(line, command.data);
    const events: CommandEvent[] = [];
    if (this.echo && !OMIT_ECHO.has(name)) events.push({ type: 'log', text: line });
    try {
      events.push(...this.process(name, command));
    } catch (error) {
      const shown = OMIT_ECHO.has(name) ? name : line;
      events.push({ type: 'failure', message: `Unable to process command '${shown}' successfully.` });
      events.push({ type: 'failure', message: (error as Error).message });
    }
    return events;
  }

  private stop(line: string, token: string): CommandEvent[] {
    const invalid =
      this.registered.has(token.toLowerCase()) || token === '' || token.toLowerCase() === 'pause-logging';
    if (invalid && !this.allowed('ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS')) {
      return [{ type: 'failure', message: BAD_STOP_TOKEN }];
    }
    this.stopToken = token;
    this.registered.add(token.toLowerCase());
    const events: CommandEvent[] = [];
    // The runner masks a long token so the resume line cannot be guessed from the log.
    if (token.length > 6) events.push({ type: 'mask', value: token });
    events.push({ type: 'log', text: line });
    return events;
  }

  private process(name: string, command: WorkflowCommand): CommandEvent[] {
    const { data, properties } = command;
    switch (name) {
      case 'error':
      case 'warning':
      case 'notice':
        return [{ type: 'annotation', level: name, message: data, properties }];
      case 'debug':
        return [{ type: 'debug', message: data }];
      case 'add-mask':
        if (data.trim() === '') {
          return [{ type: 'annotation', level: 'warning', message: ADD_MASK_EMPTY, properties: {} }];
        }
        return [
          ...(this.echo ? [{ type: 'log' as const, text: '::add-mask::***' }] : []),
          { type: 'mask', value: data },
        ];
      case 'group':
        return [{ type: 'log', text: `##[group]${data}` }];
      case 'endgroup':
        return [{ type: 'log', text: '##[endgroup]' }];
      case 'echo':
        return this.setEcho(data);
      case 'set-output':
      case 'save-state': {
        const deprecation = { type: 'annotation' as const, level: 'warning' as const, properties: {} };
        const message = DEPRECATED.replace('{0}', name);
        const key = properties.name;
        if (!key) throw new Error(`Required field 'name' is missing in ##[${name}] command.`);
        return [
          { ...deprecation, message },
          { type: name, name: key, value: data },
        ];
      }
      case 'set-env': {
        if (!this.allowed('ACTIONS_ALLOW_UNSECURE_COMMANDS')) throw new Error(DISABLED.replace('{0}', name));
        const key = properties.name;
        if (!key) throw new Error("Required field 'name' is missing in ##[set-env] command.");
        if (key.toUpperCase() === 'NODE_OPTIONS') {
          const message = "Can't update NODE_OPTIONS environment variable using ::set-env:: command.";
          return [{ type: 'annotation', level: 'error', message, properties: {} }];
        }
        return [{ type: 'set-env', name: key, value: data }];
      }
      case 'add-path':
        if (!this.allowed('ACTIONS_ALLOW_UNSECURE_COMMANDS')) throw new Error(DISABLED.replace('{0}', name));
        if (data === '') throw new Error("Value cannot be null or empty. (Parameter 'path')");
        return [{ type: 'add-path', path: data }];
      default:
        // add-matcher / remove-matcher: problem matchers are not modelled; the line is consumed.
        return [{ type: 'debug', message: `${name} is not modelled by this runner; ignored.` }];
    }
  }

  private setEcho(value: string): CommandEvent[] {
    if (value === '') throw new Error("Value cannot be null or empty. (Parameter 'value')");
    const setting = value.trim().toUpperCase();
    if (setting !== 'ON' && setting !== 'OFF') {
      throw new Error(
        `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${value}'.`,
      );
    }
    this.echo = setting === 'ON';
    return [{ type: 'debug', message: `Setting echo command value to '${setting.toLowerCase()}'` }];
  }

  private allowed(variable: string): boolean {
    return (this.options.env?.()[variable] ?? '').toLowerCase() === 'true';
  }
}

const ADD_MASK_EMPTY = "Can't add secret mask for empty string in ##[add-mask] command.";

/** The runner neutralises its own step markers in user output. */
function escapeRunnerMarkers(line: string): string {
  return line
    .replaceAll('##[start-action', '##[\\start-action')
    .replaceAll('##[end-action', '##[\\end-action');
}

/** Annotations and masks in a finished output, for callers that only need those. */
export interface WorkflowCommands {
  errors: string[];
  warnings: string[];
  notices: string[];
  masks: string[];
}

/** Reads a whole output as one step would (stop-commands included) and collects what it reported. */
export function parseWorkflowCommands(output: string): WorkflowCommands {
  const found: WorkflowCommands = { errors: [], warnings: [], notices: [], masks: [] };
  const reader = new WorkflowCommandReader();
  for (const line of splitOutputLines(output)) {
    for (const event of reader.read(line)) {
      if (event.type === 'annotation') found[`${event.level}s`].push(event.message);
      else if (event.type === 'mask') found.masks.push(event.value);
      else if (event.type === 'failure') found.errors.push(event.message);
    }
  }
  return found;
}

/** Lines as .NET's `StreamReader.ReadLine` splits a process's output: at `\n`, `\r` or `\r\n`. */
export function splitOutputLines(output: string): string[] {
  if (output === '') return [];
  const lines = output.split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(output)) lines.pop();
  return lines;
}
