import { BASELINE, type ReleaseSpec, SAMPLE_MIGRATIONS } from '@gatehouse/local-world';

/**
 * What the demo deploys to dev, in order: four releases of the sample app, each a commit pushed to
 * main. The dev database starts legacy: created by hand years ago, plain SQL, no migrations table.
 */
export interface DemoRelease {
  title: string;
  spec: Omit<ReleaseSpec, 'version'>;
  /** What the run must end as. */
  expect: 'deployed' | 'rolled-back';
}

const [, ORDERS_STATUS, CUSTOMER_NAMES] = Object.keys(SAMPLE_MIGRATIONS) as [string, string, string];
const ALL = [BASELINE, ORDERS_STATUS, CUSTOMER_NAMES];

export const RELEASES: readonly DemoRelease[] = [
  {
    title: 'the legacy schema is stamped with the baseline, then migrated',
    spec: { migrations: [BASELINE, ORDERS_STATUS] },
    expect: 'deployed',
  },
  { title: 'one more migration', spec: { migrations: ALL }, expect: 'deployed' },
  {
    title: 'broken: /health/deep reports its payments dependency failing',
    spec: { migrations: ALL, break: 'deep', breakIn: ['dev'] },
    expect: 'rolled-back',
  },
  {
    title: "broken: configured with stage's database",
    spec: { migrations: ALL, break: 'wrong-env', breakIn: ['dev'], wrongDatabase: 'stage' },
    expect: 'rolled-back',
  },
];

/** The newest migration of a release: the schema version it leaves. */
export function headOf(release: DemoRelease): string {
  return release.spec.migrations?.at(-1) ?? '';
}
