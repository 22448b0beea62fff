import { describe, expect, it } from 'vitest';
import { dependencyRows, healthState } from '../src/health-body';

describe('health bodies', () => {
  it('reads the common status words', () => {
    expect(['ok', 'Healthy', 'UP', 'pass', true].map(healthState)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(['degraded', 'WARN'].map(healthState)).toEqual(['degraded', 'degraded']);
    expect(healthState('CRITICAL')).toBe('critical');
    expect(['error', 'down', false, 'unhealthy'].map(healthState)).toEqual(['fail', 'fail', 'fail', 'fail']);
  });

  it('reads a checks map and a checks list alike', () => {
    const fromMap = dependencyRows(
      { db: 'ok', redis: { status: 'down', latency_ms: 3 }, queue: { healthy: true } },
      ['db'],
    );
    expect(fromMap).toEqual([
      { name: 'db', status: 'ok', state: 'ok', required: true },
      { name: 'redis', status: 'down', state: 'fail', required: false },
      { name: 'queue', status: 'true', state: 'ok', required: false },
    ]);
    const fromList = dependencyRows([{ name: 'db', status: 'degraded' }, { status: 'ok' }], []);
    expect(fromList.map((row) => [row.name, row.state])).toEqual([
      ['db', 'degraded'],
      ['#1', 'ok'],
    ]);
    expect(dependencyRows(undefined, [])).toEqual([]);
  });
});
