// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files and env files are written with ${VAR}, on purpose.
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/compose/dotenv';
import { interpolate, TemplateError } from '../src/compose/interpolate';

const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (name: string) => vars[name];

describe('Compose interpolation (compose-go template rules)', () => {
  it.each([
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['${SET:-d}', 'value'],
    ['${EMPTY:-d}', 'd'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-a${UNSET:-b}c}', 'abc'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['price: $$5', 'price: $5'],
    ['${SET}${SET}', 'valuevalue'],
  ])('%s → %s', (template, expected) => {
    expect(interpolate(template, lookup)).toBe(expected);
  });

  it.each([
    ['${UNSET:?is needed}', 'required variable UNSET is missing a value: is needed'],
    ['${EMPTY:?is needed}', 'required variable EMPTY is missing a value: is needed'],
    ['${UNSET?err}', 'required variable UNSET is missing a value: err'],
    ['a $ b', 'a $ b'],
    ['${}', '${}'],
    ['${SET', '${SET'],
    ['$1', '$1'],
  ])('%s fails', (template, message) => {
    expect(() => interpolate(template, lookup)).toThrow(TemplateError);
    try {
      interpolate(template, lookup);
    } catch (error) {
      expect((error as TemplateError).template).toBe(message);
    }
  });

  it('allows an empty value where only unset is an error', () => {
    expect(interpolate('${EMPTY?err}', lookup)).toBe('');
  });

  it('warns once per use of an unset variable', () => {
    const warned: string[] = [];
    interpolate('${A}-$B-${SET}', lookup, (name) => warned.push(name));
    expect(warned).toEqual(['A', 'B']);
  });
});

describe("Compose's env file format", () => {
  it('parses quotes, comments, export, yaml style and interpolation as compose-go does', () => {
    const text = [
      '# comment',
      'PLAIN=value   ',
      'SPACED = spaced',
      'export EXPORTED=yes',
      'YAML: style',
      "SINGLE='no $SET expansion\\n'",
      'DOUBLE="line\\nbreak $SET"',
      'INLINE=value # a comment',
      'HASH=a#b',
      'REF=${PLAIN}-$SET',
      'MULTI="one',
      'two"',
      'EMPTY=',
      'INHERITED',
      'MISSING_INHERITED',
      '',
    ].join('\n');
    const parsed = Object.fromEntries(
      parseDotenv(text, (name) => ({ SET: 'shell', INHERITED: 'from-shell' })[name]),
    );
    expect(parsed).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced',
      EXPORTED: 'yes',
      YAML: 'style',
      SINGLE: 'no $SET expansion\\n',
      DOUBLE: 'line\nbreak shell',
      INLINE: 'value',
      HASH: 'a#b',
      REF: 'value-shell',
      MULTI: 'one\ntwo',
      EMPTY: '',
      INHERITED: 'from-shell',
    });
  });

  it('looks variables up in the environment first, then in the lines above', () => {
    const parsed = parseDotenv('A=file\nB=${A}\n', (name) => (name === 'A' ? 'shell' : undefined));
    expect(parsed.get('B')).toBe('shell');
    expect(parseDotenv('A=file\nB=${A}\n', () => undefined).get('B')).toBe('file');
  });

  it('rejects what compose-go rejects', () => {
    expect(() => parseDotenv('BAD KEY=1\n', () => undefined)).toThrow(
      /key cannot contain a space|unexpected character/,
    );
    expect(() => parseDotenv('A="unterminated\n', () => undefined)).toThrow(/unterminated quoted value/);
    expect(() => parseDotenv('A-B=1\n', () => undefined)).toThrow(/unexpected character "-"/);
  });
});
