import { describe, expect, it } from 'vitest';
import { applyMasks, inputEnvName, parseFileCommands, parseWorkflowCommands } from '../src/index';

describe('runner-harness parsing', () => {
  it('reads name=value and heredoc outputs', () => {
    const text = 'a=1\nreport<<ghadelimiter_x\n{"rows":[\n1]}\nghadelimiter_x\nempty=\n';
    expect(parseFileCommands(text)).toEqual({ a: '1', report: '{"rows":[\n1]}', empty: '' });
  });
  it('refuses an unterminated heredoc', () => {
    expect(() => parseFileCommands('x<<EOF\nvalue\n')).toThrow(/Unterminated heredoc/);
  });
  it('names inputs as the runner does', () => {
    expect(inputEnvName('base-url')).toBe('INPUT_BASE-URL');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });
  it('collects workflow commands and masks', () => {
    const stdout = '::add-mask::s3cret\n::warning::careful%0Anow\n::error title=x::bad\nplain s3cret line\n';
    const commands = parseWorkflowCommands(stdout);
    expect(commands).toMatchObject({ masks: ['s3cret'], warnings: ['careful\nnow'], errors: ['bad'] });
    expect(applyMasks(stdout, commands.masks)).not.toContain('s3cret');
  });
});
