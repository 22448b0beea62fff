import type { ExampleDefinition } from '../example';
import { BREAKS, type Break } from '../sample-app';
import {
  EC2_BASELINE,
  EC2_BREAKS,
  EC2_EXAMPLE,
  EC2_HEAD,
  EC2_HOSTS,
  EC2_PLACEHOLDERS,
  type Ec2World,
  startEc2World,
} from '../worlds/ec2';

/**
 * ec2-flask-alembic.yml: the incident end to end. The first release with Flask-Migrate meets dev's
 * database, made before Alembic: db-bootstrap backs it up, stamps the baseline, upgrades; the
 * image the example's own job built is deployed by tag on both hosts; the smoke checks go through
 * the http→https 301 with a POST body; the deep gate checks environment and commit. With a break,
 * that release runs first and the broken one after it is rolled back.
 */
export const example: ExampleDefinition<Ec2World> = {
  file: EC2_EXAMPLE,
  title:
    'a database made before Alembic is baselined and migrated, then the new image deployed by tag, smoke-checked through http→https, deep-checked',
  placeholders: EC2_PLACEHOLDERS,
  breaks: Object.fromEntries(BREAKS.map((kind) => [kind, `the pushed release ${EC2_BREAKS[kind]}`])),
  variants: {
    'wrong-database':
      "a dev host's .env.prod names stage's database: preflight's marker query stops the deploy before any migration",
    'two-migration-hosts':
      'both dev hosts carry db-migrations=true: db-bootstrap names both and changes nothing (in a world of its own)',
  },
  startWorld: () => startEc2World(),
  closeWorld: (ec2) => ec2.close(),
  fillIns: (ec2) => ec2.fillIns,
  async run(given, { break: kind, variant, reporter }) {
    // Tags are fixed when the hosts start: this variant needs a world where both carry the tag.
    const own = variant === 'two-migration-hosts' && given.migrationHosts.length < 2;
    const ec2 = own ? await startEc2World({ migrationTagOnBoth: true }) : given;
    try {
      const first = ec2.runs.length;
      if (own)
        reporter.say(`A world where both dev hosts, ${EC2_HOSTS.join(' and ')}, carry db-migrations=true.`);
      if ((kind || variant === 'wrong-database') && ec2.good.version === 'r0') {
        const release = await ec2.release();
        reporter.say(`${ec2.describe(release)}, to have dev migrated and on a good release first.`);
        await ec2.deploy(release, { reporter });
      }
      if (variant === 'wrong-database') {
        reporter.say(`Someone copies stage's .env.prod onto ${EC2_HOSTS[1]} and restarts the app there.`);
        await ec2.misconfigureHost(EC2_HOSTS[1], 'stage');
      }
      const release = await ec2.release(kind ? { break: kind as Break } : {});
      reporter.say(
        ec2.good.version === 'r0'
          ? `${ec2.describe(release)}: the first with Flask-Migrate (baseline ${EC2_BASELINE}, then ${EC2_HEAD}). Dev's database was made before Alembic: it has users, audit_events and transactions, and no alembic_version.`
          : `${ec2.describe(release)}.`,
      );
      const result = await ec2.deploy(release, { reporter, main: true });
      return { result, runs: ec2.runs.slice(first) };
    } finally {
      if (own) await ec2.close();
    }
  },
};
