import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { identifierProblem } from '../src/identifier';
import { input, log } from '../src/index';

const writes: string[] = [];
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  writes.length = 0;
  delete process.env.INPUT_ENVIRONMENT;
  delete process.env.INPUT_NAMES;
});

describe('neutralise', () => {
  it.each([
    ['::set-output name=x::1', '\\::set-output name=x::1'],
    ['   ::error::x', '   \\::error::x'],
    ['\t::add-mask::x', '\t\\::add-mask::x'],
    ['v1 ##[add-mask]x', 'v1 ##[\\add-mask]x'],
    ['##[set-output name=x]y ##[stop-commands]t', '##[\\set-output name=x]y ##[\\stop-commands]t'],
    ['###[debug]x', '###[\\debug]x'],
    // Invisible characters the runner's culture-sensitive matching may skip do not hide a marker.
    [':\u00AD:set-output name=x::1', '\\:\u00AD:set-output name=x::1'],
    ['\u200B::error::x', '\u200B\\::error::x'],
    ['#\u200B#[add-mask]x', '#\u200B#[\\add-mask]x'],
    ['#\u0000#\u00AD[add-mask]x', '#\u0000#\u00AD[\\add-mask]x'],
  ])('makes %j inert: %j', (text, inert) => {
    expect(log.neutralise(text)).toBe(inert);
  });

  it('leaves text without a marker as it is, `::` inside a line included', () => {
    for (const text of ['Deploying v1 to this runner [dev]', 'a::b', 'C# [array]', ': x', '#[x]']) {
      expect(log.neutralise(text)).toBe(text);
    }
  });

  it('treats every line break the runner reads (\\n, \\r\\n, \\r) as the start of a line', () => {
    expect(log.neutralise('dev\n::a::1\r\n::b::2\r::c::3')).toBe('dev\n\\::a::1\n\\::b::2\n\\::c::3');
  });

  it('log.info writes the neutralised text', () => {
    log.info('deploying dev\n::set-output name=X::1');
    expect(writes).toEqual(['deploying dev\n\\::set-output name=X::1\n']);
  });
});

describe('verbatim: outside text fenced by stop-commands', () => {
  it('shows the text as it is between a random token and its close, each on a line of its own', () => {
    log.verbatim('::add-mask::x\n##[stop-commands]y');
    log.verbatim('no final line break');
    const [open, text, close, open2, text2, close2] = writes;
    const token = /^::stop-commands::([0-9a-f]{32})\n$/.exec(open!)?.[1];
    expect(token).toBeDefined();
    expect(text).toBe('::add-mask::x\n##[stop-commands]y\n');
    expect(close).toBe(`::${token}::\n`);
    expect(text2).toBe('no final line break\n');
    expect(close2).not.toBe(close);
    expect(open2).toMatch(/^::stop-commands::[0-9a-f]{32}\n$/);
    expect(close2).toBe(`::${/::stop-commands::(\w+)/.exec(open2!)?.[1]}::\n`);
  });

  it('does not leave an empty line for a final line break of the text', () => {
    log.verbatim('ends with a break\r\n');
    expect(writes[1]).toBe('ends with a break\n');
  });

  it('in a group: the title through the group command, which escapes it', () => {
    log.verbatimGroup('Output of local\n::set-output name=x::1', 'text');
    expect(writes[0]).toBe('::group::Output of local%0A::set-output name=x::1\n');
    expect(writes.at(-1)).toBe('::endgroup::\n');
  });
});

describe('identifiers', () => {
  it.each([
    ['dev\n::set-output name=X::1', 'must be one line of visible characters, but holds U+000A'],
    ['dev\r', undefined],
    ['de\rv', 'must be one line of visible characters, but holds U+000D'],
    ['prod\u00AD', 'must be one line of visible characters, but holds U+00AD'],
    ['a\u2028b', 'must be one line of visible characters, but holds U+2028'],
    ['::add-mask::x', "must not start with '::'"],
    ['  ::error::x', "must not start with '::'"],
    ['v1##[add-mask]x', "must not hold '##['"],
    ['refs/heads/main', undefined],
    ['GET /healthz', undefined],
    ['a::b', undefined],
  ])('%j: %s', (value, problem) => {
    const found = identifierProblem(value.replace(/\r$/, ''));
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('the readers name the input and show the value', () => {
    process.env.INPUT_ENVIRONMENT = 'dev\n::set-output name=X::1';
    expect(() => input.requiredIdentifier('environment')).toThrow(
      'Input \'environment\' must be one line of visible characters, but holds U+000A (a control or invisible character), got "dev\\n::set-output name=X::1".',
    );
    process.env.INPUT_NAMES = 'db, cache\n##[add-mask]x';
    expect(() => input.identifierList('names')).toThrow(
      "Input 'names' must not hold '##[' (the runner would read it as a workflow command), got \"##[add-mask]x\".",
    );
    process.env.INPUT_NAMES = 'db, cache';
    expect(input.identifierList('names')).toEqual(['db', 'cache']);
  });
});
