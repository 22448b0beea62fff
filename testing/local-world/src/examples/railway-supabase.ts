import type { ExampleDefinition } from '../example';
import { BREAKS, type Break } from '../sample-app';
import {
  AVATARS_MIGRATION,
  RAILWAY_BREAKS,
  RAILWAY_EXAMPLE,
  RAILWAY_PLACEHOLDERS,
  type RailwayWorld,
  startRailwayWorld,
} from '../worlds/railway';

/** A migration a release ships that nobody applied to Supabase. */
const UNAPPLIED = '1720000000000_profile-bios';

/**
 * railway-supabase.yml: a push to main deploys to Railway with the CLI on the runner. Supabase
 * already has the commit's migrations (the team applies them first; db-bootstrap verifies and
 * changes nothing), the commit Railway serves is remembered from /health/deep (read with the deep
 * gate's headers), `railway up` deploys, the gates run, and a failed one redeploys the remembered
 * commit. With a break, a good release runs first and the broken one after it.
 */
export const example: ExampleDefinition<RailwayWorld> = {
  file: RAILWAY_EXAMPLE,
  title:
    'Railway + Supabase: migrations verified (applied first), the serving commit remembered, railway up, rollback by redeploying it',
  placeholders: RAILWAY_PLACEHOLDERS,
  breaks: Object.fromEntries(BREAKS.map((kind) => [kind, `the pushed release ${RAILWAY_BREAKS[kind]}`])),
  variants: {
    'migration-not-applied': `the release ships a migration (${UNAPPLIED}) nobody applied to Supabase: db-bootstrap verify refuses it, nothing is deployed`,
    'wrong-headers':
      'DEEP_HEALTH_HEADERS holds a stale token: /health/deep answers 401 without a commit, so the deploy is refused (the gate would fail the same way, with no way back)',
    'service-down':
      'the deployment Railway serves has crashed (503): the deploy goes ahead with a warning that no rollback is possible; with --break deploy, nothing can be rolled back',
  },
  startWorld: () => startRailwayWorld(),
  closeWorld: (railway) => railway.close(),
  fillIns: (railway) => railway.fillIns,
  async run(railway, { break: kind, variant, reporter }) {
    const first = railway.runs.length;
    if ((kind || variant) && railway.good.version === 'r0') {
      const release = await railway.release();
      await railway.applyMigrations(release);
      reporter.say(`${railway.describe(release)}; its migration was applied to Supabase first.`);
      await railway.deploy(release, { reporter });
    }
    const release = await railway.release({
      ...(kind ? { break: kind as Break } : {}),
      ...(variant === 'migration-not-applied'
        ? { files: { [`migrations/${UNAPPLIED}.sql`]: UNAPPLIED_SQL } }
        : {}),
    });
    if (variant === 'migration-not-applied') {
      reporter.say(`${railway.describe(release)}, with ${UNAPPLIED}: nobody applied it to Supabase.`);
    } else {
      await railway.applyMigrations(release);
      reporter.say(
        railway.good.version === 'r0'
          ? `${railway.describe(release)}, with ${AVATARS_MIGRATION}: the team applied it to Supabase before merging.`
          : `${railway.describe(release)}.`,
      );
    }
    const restore = railway.world.environmentSecrets.production!.DEEP_HEALTH_HEADERS!;
    if (variant === 'wrong-headers') {
      reporter.say("DEEP_HEALTH_HEADERS of environment production still holds last month's token.");
      railway.world.environmentSecrets.production!.DEEP_HEALTH_HEADERS = 'Authorization: Bearer deep-revoked';
    }
    if (variant === 'service-down') {
      reporter.say('The deployment Railway serves crashes: its edge answers 503.');
      railway.crash();
    }
    try {
      const result = await railway.deploy(release, { reporter, main: true });
      return { result, runs: railway.runs.slice(first) };
    } finally {
      railway.world.environmentSecrets.production!.DEEP_HEALTH_HEADERS = restore;
    }
  },
};

const UNAPPLIED_SQL = `-- Up Migration
ALTER TABLE profiles ADD COLUMN bio text;

-- Down Migration
ALTER TABLE profiles DROP COLUMN bio;
`;
