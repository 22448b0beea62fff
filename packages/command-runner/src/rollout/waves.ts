import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { splitList } from '@gatehouse/action-kit/list';

/** One step of `waves`: the cumulative number, or share, of hosts reached once the wave is done. */
export type WaveStep = { count: number } | { percent: number };

const STEP = /^(?:([1-9][0-9]{0,6})|([1-9][0-9]?|100)%)$/;

/**
 * `1, 10%, 100%`: one canary host, then up to 10% of the fleet, then all of it. Counts and
 * percentages each strictly increase, and the last step reaches every host (100%, or a count at
 * least the fleet's size, checked once the fleet is known).
 */
export function parseWaves(text: string | undefined, inputName = 'waves'): WaveStep[] {
  const items = splitList(text ?? '100%');
  if (items.length === 0) return [{ percent: 100 }];
  const steps: WaveStep[] = [];
  for (const item of items) {
    const match = STEP.exec(item);
    if (!match) {
      throw new ConfigurationError(
        `Input '${inputName}' must list counts (e.g. 1, 5) or percentages (e.g. 10%, 100%) of the hosts, ` +
          `comma or newline separated; '${item}' is neither.`,
      );
    }
    steps.push(match[1] !== undefined ? { count: Number(match[1]) } : { percent: Number(match[2]) });
  }
  for (const kind of ['count', 'percent'] as const) {
    const values = steps.flatMap((step) => (kind in step ? [(step as Record<string, number>)[kind]!] : []));
    if (values.some((value, i) => i > 0 && value <= values[i - 1]!)) {
      throw new ConfigurationError(
        `Input '${inputName}' must be strictly increasing (each wave reaches more hosts than the one ` +
          `before), got '${items.join(', ')}'.`,
      );
    }
  }
  const last = steps.at(-1)!;
  if ('percent' in last && last.percent !== 100) {
    throw new ConfigurationError(
      `Input '${inputName}' must end at all hosts (100%), got '${items.join(', ')}'.`,
    );
  }
  return steps;
}

export function describeWaves(steps: readonly WaveStep[]): string {
  return steps.map((step) => ('count' in step ? String(step.count) : `${step.percent}%`)).join(', ');
}

/**
 * The hosts of each wave, in the order given. A percentage is rounded down ("up to 10%"); a wave
 * that adds no host for this fleet's size (1% of 20 hosts after a canary of 1) is left out.
 */
export function planWaves(
  hosts: readonly string[],
  steps: readonly WaveStep[],
  inputName = 'waves',
): string[][] {
  const waves: string[][] = [];
  let reached = 0;
  for (const step of steps) {
    const target =
      'count' in step ? Math.min(step.count, hosts.length) : Math.floor((step.percent * hosts.length) / 100);
    if (target <= reached) continue;
    waves.push(hosts.slice(reached, target));
    reached = target;
  }
  if (reached < hosts.length) {
    throw new ConfigurationError(
      `Input '${inputName}' (${describeWaves(steps)}) reaches ${reached} of the ${hosts.length} hosts; ` +
        'the last wave must reach all of them (end with 100%). Nothing was sent.',
    );
  }
  return waves;
}
