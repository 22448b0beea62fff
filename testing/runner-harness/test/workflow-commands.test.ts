import { describe, expect, it } from 'vitest';
import {
  type CommandEvent,
  escapeData,
  escapeProperty,
  parseWorkflowCommand,
  parseWorkflowCommands,
  splitOutputLines,
  WorkflowCommandReader,
} from '../src/index';

const readAll = (lines: string[], env: Record<string, string> = {}) => {
  const reader = new WorkflowCommandReader({ env: () => env });
  return lines.flatMap((line) => reader.read(line));
};
const logOf = (events: CommandEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.text] : []));

describe('the :: form (TryParseV2)', () => {
  it('reads command, properties and data, after leading whitespace only', () => {
    expect(parseWorkflowCommand('  \t::error file=a.ts,line=3,title=Bad thing::it broke')).toEqual({
      command: 'error',
      properties: { file: 'a.ts', line: '3', title: 'Bad thing' },
      data: 'it broke',
      syntax: '::',
    });
    expect(parseWorkflowCommand('x ::error::not a command')).toBeUndefined();
    expect(parseWorkflowCommand('\u00a0\u2003::warning::after .NET whitespace')?.data).toBe(
      'after .NET whitespace',
    );
  });

  it('matches command names case-insensitively and ignores unregistered ones', () => {
    expect(parseWorkflowCommand('::ERROR::loud')?.command).toBe('ERROR');
    expect(parseWorkflowCommand('::set-outputs name=x::y')).toBeUndefined();
    expect(parseWorkflowCommand('::error')).toBeUndefined();
    expect(parseWorkflowCommand(':: error::leading space is no command')).toBeUndefined();
  });

  it('unescapes data %0D %0A %25 in that order, case-sensitively', () => {
    expect(parseWorkflowCommand('::warning::a%0Ab%0Dc%25d%3Ae%2Cf')?.data).toBe('a\nb\rc%d%3Ae%2Cf');
    expect(parseWorkflowCommand('::warning::%250A stays %0A once')?.data).toBe('%0A stays \n once');
    expect(parseWorkflowCommand('::warning::lower %0a is not an escape')?.data).toBe(
      'lower %0a is not an escape',
    );
  });

  it('unescapes properties including %3A and %2C; splits at the first =; drops empty keys or values', () => {
    const command = parseWorkflowCommand('::error title=a%3Ab%2Cc=d, line=1 ,=x,empty=,,file=f::data');
    expect(command?.properties).toEqual({ title: 'a:b,c=d', ' line': '1 ', file: 'f' });
  });

  it('a later duplicate property wins, keys compared case-insensitively', () => {
    expect(parseWorkflowCommand('::error Title=one,title=two::m')?.properties).toEqual({ title: 'two' });
  });

  it('@actions/core escaping round-trips through the parser', () => {
    const value = 'multi\nline\r100% :: done, really';
    const line = `::error title=${escapeProperty(value)}::${escapeData(value)}`;
    expect(parseWorkflowCommand(line)).toMatchObject({ data: value, properties: { title: value } });
  });
});

describe('the legacy ##[ form (TryParse)', () => {
  it('is found anywhere in the line, properties split by ;', () => {
    expect(parseWorkflowCommand('prefix text ##[warning file=x;line=2]careful')).toEqual({
      command: 'warning',
      properties: { file: 'x', line: '2' },
      data: 'careful',
      syntax: '##[',
    });
  });

  it('unescapes %3B %0D %0A %5D %25 in data and properties', () => {
    expect(parseWorkflowCommand('##[error title=a%3Bb%5D]x%5Dy%3Bz%0A%25')).toMatchObject({
      properties: { title: 'a;b]' },
      data: 'x]y;z\n%',
    });
  });

  it('the :: form wins when both could match', () => {
    expect(parseWorkflowCommand('::notice::n ##[error]e')).toMatchObject({
      command: 'notice',
      data: 'n ##[error]e',
    });
  });
});

describe('a step reading its output', () => {
  it('stop-commands pauses every command until the token, in either form', () => {
    const events = readAll([
      '::stop-commands::pause-token-1',
      '::error::not an error now',
      '::add-mask::not masked',
      '##[pause-token-1]',
      '::error::an error again',
    ]);
    expect(events.filter((e) => e.type === 'annotation')).toEqual([
      { type: 'annotation', level: 'error', message: 'an error again', properties: {} },
    ]);
    expect(events).toContainEqual({ type: 'mask', value: 'pause-token-1' });
    expect(logOf(events)).toEqual([
      '::stop-commands::pause-token-1',
      '::error::not an error now',
      '::add-mask::not masked',
      '##[pause-token-1]',
    ]);
  });

  it('refuses a stop token that is a command name or empty, unless allowed', () => {
    expect(readAll(['::stop-commands::error'])).toEqual([expect.objectContaining({ type: 'failure' })]);
    expect(readAll(['::stop-commands::'])).toEqual([expect.objectContaining({ type: 'failure' })]);
    const allowed = readAll(['::stop-commands::error', '::error::text'], {
      ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS: 'true',
    });
    expect(allowed.filter((e) => e.type === 'annotation')).toEqual([]);
  });

  it('add-mask, group, debug, set-output and save-state (deprecated, still honoured)', () => {
    const events = readAll([
      '::add-mask::s3cret',
      '::group::Title',
      '::endgroup::',
      '::debug::details',
      '::set-output name=x::1',
      '::save-state name=y::2',
      '::add-mask::  ',
    ]);
    expect(events).toContainEqual({ type: 'mask', value: 's3cret' });
    expect(logOf(events)).toEqual(['##[group]Title', '##[endgroup]']);
    expect(events).toContainEqual({ type: 'debug', message: 'details' });
    expect(events).toContainEqual({ type: 'set-output', name: 'x', value: '1' });
    expect(events).toContainEqual({ type: 'save-state', name: 'y', value: '2' });
    const warnings = events.filter((e) => e.type === 'annotation' && e.level === 'warning');
    expect(warnings.map((w) => (w as { message: string }).message)).toEqual([
      expect.stringContaining('The `set-output` command is deprecated'),
      expect.stringContaining('The `save-state` command is deprecated'),
      "Can't add secret mask for empty string in ##[add-mask] command.",
    ]);
  });

  it('set-output without a name, set-env and add-path fail the step', () => {
    const failures = (line: string) => readAll([line]).filter((e) => e.type === 'failure');
    expect(failures('::set-output::v')).toEqual([
      { type: 'failure', message: "Unable to process command '::set-output::v' successfully." },
      { type: 'failure', message: "Required field 'name' is missing in ##[set-output] command." },
    ]);
    expect(failures('::set-env name=A::b')[1]).toMatchObject({
      message: expect.stringContaining('is disabled'),
    });
    expect(readAll(['::set-env name=A::b'], { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' })).toEqual([
      { type: 'set-env', name: 'A', value: 'b' },
    ]);
  });

  it('echo on writes command lines to the log', () => {
    expect(logOf(readAll(['::echo::on', '::set-output name=a::b', '::add-mask::zz']))).toEqual([
      '::set-output name=a::b',
      '::add-mask::***',
    ]);
  });

  it("neutralises the runner's own step markers in plain output", () => {
    expect(logOf(readAll(['##[start-action x]', 'text ##[end-action']))).toEqual([
      '##[\\start-action x]',
      'text ##[\\end-action',
    ]);
  });

  it('lines split at \\n, \\r and \\r\\n, as .NET reads a process', () => {
    expect(splitOutputLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseWorkflowCommands('x\r::error::after a bare CR\n').errors).toEqual(['after a bare CR']);
  });
});
