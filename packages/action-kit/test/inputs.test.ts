import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, formatDuration, input, parseDuration, TIMER_LIMIT_MS } from '../src/index';
import { arrayOf, number, object, oneOf, optional, string, text } from '../src/shape';
import { structured } from '../src/structured-input';

const set = (name: string, value: string) => {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
};
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

describe('strings', () => {
  it('reads INPUT_<NAME> with hyphens kept, trimmed; empty is absent', () => {
    set('base-url', '  https://x  ');
    expect(input.optionalString('base-url')).toBe('https://x');
    set('other', '   ');
    expect(input.optionalString('other')).toBeUndefined();
  });
  it('a required input that is empty names itself', () => {
    expect(() => input.requiredString('environment')).toThrow(
      new ConfigurationError("Input 'environment' is required but was empty."),
    );
  });
});

describe('booleans are YAML 1.2 core booleans', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['FALSE', false],
  ])('%s', (value, expected) => {
    set('force', value);
    expect(input.boolean('force', !expected)).toBe(expected);
  });
  it.each(['yes', 'on', '1', 'y', 'tru'])('%s is refused', (value) => {
    set('force', value);
    expect(() => input.boolean('force', false)).toThrow(
      /Input 'force' must be true or false .* got 'yes|on|1|y|tru'/,
    );
  });
  it('absent takes the default', () => {
    expect(input.boolean('force', true)).toBe(true);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1m30s', 90_000],
  ])('%s', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
    set('timeout', value);
    expect(input.duration('timeout', '1m')).toBe(ms);
  });
  it.each(['90', '1.5m', '10 m', 'm', '-1s', '1d', ''])('%j is not a duration', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });
  it('a bad duration names the input, its range and the expected form', () => {
    set('timeout', '5 minutes');
    expect(() => input.duration('timeout', '1m')).toThrow(
      "Input 'timeout' must be a duration from 0s to 596h (like 90s, 10m or 1h30m), got '5 minutes'.",
    );
  });
  it('a duration stays within its range, and under the timer limit when none is given', () => {
    set('timeout', '1000h');
    expect(() => input.duration('timeout', '1m')).toThrow(
      "Input 'timeout' must be a duration from 0s to 596h (like 90s, 10m or 1h30m), got '1000h'.",
    );
    set('timeout', '596h');
    expect(input.duration('timeout', '1m')).toBeLessThan(TIMER_LIMIT_MS);
    set('timeout', '25h');
    expect(() => input.duration('timeout', '1m', { max: '24h' })).toThrow(/from 0s to 24h .* got '25h'/);
    set('timeout', '10ms');
    expect(() => input.duration('timeout', '1m', { min: '100ms', max: '1h' })).toThrow(
      /from 100ms to 1h .* got '10ms'/,
    );
    set('timeout', '100ms');
    expect(input.duration('timeout', '1m', { min: '100ms', max: '1h' })).toBe(100);
  });
  it('a bound beyond the timer limit is a bug in the caller', () => {
    expect(() => input.duration('timeout', '1m', { max: '600h' })).toThrow("Not a duration bound: '600h'");
  });
  it('formats back in the same notation', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(60_000)).toBe('1m');
  });
});

describe('lists, integers and choices', () => {
  it('splits on commas and newlines and drops blanks', () => {
    set('instance-ids', 'i-1, i-2\n\ni-3,');
    expect(input.list('instance-ids')).toEqual(['i-1', 'i-2', 'i-3']);
    expect(input.list('absent', ['a'])).toEqual(['a']);
  });
  it('integers are whole numbers in range', () => {
    set('history-size', '20');
    expect(input.integer('history-size', { min: 1, max: 1000 })).toBe(20);
    set('history-size', '2.5');
    expect(() => input.integer('history-size', { min: 1, max: 1000 })).toThrow(/from 1 to 1000, got '2.5'/);
    set('history-size', '0');
    expect(() => input.integer('history-size', { min: 1, max: 1000 })).toThrow(/got '0'/);
  });
  it.each(['99999999999999999999', '9007199254740993', '2147483648', '-1', '1e3', '0x10', ' '])(
    'an integer without a stated range is still 0 to 2^31-1: %j is refused',
    (value) => {
      set('count', value);
      if (value.trim() === '') expect(input.integer('count', { default: 3 })).toBe(3);
      else expect(() => input.integer('count')).toThrow(`from 0 to 2147483647, got '${value}'`);
    },
  );
  it('a choice without a default is undefined when empty, and still checked when given', () => {
    expect(input.choice('outcome', ['deployed', 'failed'] as const)).toBeUndefined();
    set('outcome', 'failed');
    expect(input.choice('outcome', ['deployed', 'failed'] as const)).toBe('failed');
    set('outcome', 'won');
    expect(() => input.choice('outcome', ['deployed', 'failed'] as const)).toThrow(
      "Input 'outcome' must be one of deployed, failed, got 'won'.",
    );
  });
  it('choices list the options', () => {
    set('mode', 'docker');
    expect(() => input.choice('mode', ['git', 'image'] as const, 'git')).toThrow(
      "Input 'mode' must be one of git, image, got 'docker'.",
    );
  });
});

describe('structured inputs', () => {
  const check = object({
    name: optional(string),
    path: string,
    method: optional(oneOf('GET', 'POST')),
    'expect-status': optional(text),
    retries: optional(number),
  });
  it('parses YAML and checks its shape', () => {
    set('checks', '- path: /healthz\n- path: /graphql\n  method: POST\n  expect-status: 400\n');
    expect(structured('checks', arrayOf(check))).toEqual([
      { path: '/healthz' },
      { path: '/graphql', method: 'POST', 'expect-status': '400' },
    ]);
  });
  it('names the item and the field that is wrong', () => {
    set('checks', '- path: /a\n- path: /b\n  method: PATCH\n');
    expect(() => structured('checks', arrayOf(check))).toThrow(
      'checks[1].method: expected one of GET, POST, got "PATCH"',
    );
    set('checks', '- pth: /a\n');
    expect(() => structured('checks', arrayOf(check))).toThrow("checks[0]: unknown field 'pth'");
    set('checks', '- name: x\n');
    expect(() => structured('checks', arrayOf(check))).toThrow("checks[0]: missing required field 'path'");
  });
  it('reports YAML syntax errors naming the input', () => {
    set('checks', '- path: [unclosed\n');
    expect(() => structured('checks', arrayOf(check))).toThrow(/Input 'checks' is not valid YAML/);
  });
  it('JSON is YAML too', () => {
    set('checks', '[{"path": "/x"}]');
    expect(structured('checks', arrayOf(check))).toEqual([{ path: '/x' }]);
  });
});

describe('URLs name their schemes', () => {
  const web = ['http', 'https'];
  it.each([
    ['https://dev.example.com', true],
    ['http://127.0.0.1:8080/x?y=1', true],
    ['example.com', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['ftp://example.com', false],
    ['https://exa\nmple.com', false],
    ['https://', false],
  ])('%j → accepted: %s', (value, ok) => {
    set('environment-url', value);
    if (ok) expect(input.url('environment-url', web)).toBe(value);
    else
      expect(() => input.url('environment-url', web, { example: 'https://dev.example.com' })).toThrow(
        /^Input 'environment-url' must be an absolute http:\/\/ or https:\/\/ URL such as https:\/\/dev\.example\.com/,
      );
  });
  it('says which scheme it got, and never quotes a secret URL', () => {
    set('environment-url', 'javascript:alert(1)');
    expect(() => input.url('environment-url', web)).toThrow(
      "'javascript' is not one of the schemes it takes, got 'javascript:alert(1)'.",
    );
    set('database-url', 'mysql://root:hunter22@db/app');
    expect(() => input.url('database-url', ['postgres'], { secret: true })).toThrow(
      "Input 'database-url' must be an absolute postgres:// URL; 'mysql' is not one of the schemes it takes.",
    );
  });
  it('is undefined when empty', () => {
    expect(input.url('environment-url', web)).toBeUndefined();
  });
  it('never quotes the user part of a URL back', () => {
    set('base-url', 'htps://user:hunter22@example.com/x');
    expect(() => input.url('base-url', web)).toThrow("got 'htps://***@example.com/x'.");
  });
});
