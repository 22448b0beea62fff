import { describe, expect, it } from 'vitest';
import { compareVersions, parseOrdered } from '../src/schema-version';

describe('compareVersions', () => {
  it('orders integers and digit timestamps numerically, not as text', () => {
    expect(compareVersions('9', '10')).toBeLessThan(0);
    expect(compareVersions('20240115093000', '20231231235959')).toBeGreaterThan(0);
    expect(compareVersions('1700000000000_init', '1700000000001_users')).toBeLessThan(0);
    expect(compareVersions('42', '42')).toBe(0);
  });

  it('orders ISO timestamps', () => {
    expect(compareVersions('2024-01-15T09:30:00Z', '2024-01-15')).toBeGreaterThan(0);
    expect(compareVersions('2024-01-14', '2024-01-15')).toBeLessThan(0);
  });

  it('orders semver, a pre-release before its release', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('v2.0.0-rc.1', '2.0.0')).toBeLessThan(0);
    expect(compareVersions('2.0.0-rc.10', '2.0.0-rc.9')).toBeGreaterThan(0);
    expect(compareVersions('1.4', '1.4.0')).toBe(0);
  });

  it('refuses to order revision ids or versions of different kinds', () => {
    expect(parseOrdered('c3f8d2a1b9e4')).toBeUndefined();
    expect(compareVersions('c3f8d2a1b9e4', '69f75d73808e')).toBeUndefined();
    expect(compareVersions('42', '1.2.0')).toBeUndefined();
  });
});
