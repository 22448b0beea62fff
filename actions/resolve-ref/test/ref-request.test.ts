import { ConfigurationError } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { parseRefRequest } from '../src/ref-request';

describe('parseRefRequest', () => {
  it.each([
    ['main', { kind: 'name', name: 'main' }],
    ['release/2026.11', { kind: 'name', name: 'release/2026.11' }],
    ['origin/main', { kind: 'branch', name: 'main' }],
    ['refs/heads/feature/x', { kind: 'branch', name: 'feature/x' }],
    ['refs/tags/v1.2.3', { kind: 'tag', name: 'v1.2.3' }],
    ['v1.2.3', { kind: 'name', name: 'v1.2.3' }],
    ['4B825DC', { kind: 'sha', sha: '4b825dc' }],
    [
      '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      { kind: 'sha', sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
    ],
  ])('classifies %s', (value, expected) => {
    expect(parseRefRequest(value)).toEqual(expected);
  });

  it.each([
    ['a..b', "'..'"],
    ['a@{1}', "'@{'"],
    ['ma\tin', 'control character'],
    ['ma in', 'whitespace'],
    ['a~1', "'~'"],
    ['a^', "'^'"],
    ['a:b', "':'"],
    ['a?', "'?'"],
    ['a*', "'*'"],
    ['a[b', "'['"],
    ['a\\b', "'\\'"],
    ['-main', "starts with '-'"],
    ['main.lock', '.lock'],
    ['main/', "ends with '/'"],
    ['main.', "ends with '.'"],
    ['a/.hidden', "starting with '.'"],
    ['a//b', "'//'"],
    ['@', "'@'"],
    ['$(reboot)', 'shell metacharacter'],
    ['main;rm', 'shell metacharacter'],
    ['a`b`', 'shell metacharacter'],
    ['a|b', 'shell metacharacter'],
    ['a&&b', 'shell metacharacter'],
    ["a'b", 'shell metacharacter'],
    ['a\nb', 'control character'],
    ['x'.repeat(256), 'longer than 255'],
    ['refs/pull/1/head', 'only refs/heads'],
    ['refs/heads/', "ends with '/'"],
  ])('refuses %j (%s)', (value, why) => {
    expect(() => parseRefRequest(value)).toThrow(ConfigurationError);
    expect(() => parseRefRequest(value)).toThrow(why);
    expect(() => parseRefRequest(value)).toThrow(/Input 'ref'/);
  });

  it('accepts exactly 255 characters', () => {
    expect(parseRefRequest('x'.repeat(255))).toEqual({ kind: 'name', name: 'x'.repeat(255) });
  });
});
