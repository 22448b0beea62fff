import type { ExampleDefinition } from '../example';
import { BREAKS, type Break } from '../sample-app';
import {
  startVpsWorld,
  VPS_BREAKS,
  VPS_EXAMPLE,
  VPS_HEAD,
  VPS_PLACEHOLDERS,
  type VpsWorld,
} from '../worlds/vps';

/**
 * vps-compose-prisma.yml: a push to main deploys the CRM to its VPS through SSM (no SSH): a
 * verified pg_dump first (db-backup: always), `prisma migrate deploy` from the new image in a
 * one-off container, the image by tag through compose, the gates. With a break, a good release
 * runs first, and the broken one after it is rolled back by writing the previous tag back.
 */
export const example: ExampleDefinition<VpsWorld> = {
  file: VPS_EXAMPLE,
  title:
    'a VPS as an SSM managed node: verified backup, prisma migrate deploy from the new image, deploy and rollback by image tag',
  placeholders: VPS_PLACEHOLDERS,
  breaks: Object.fromEntries(BREAKS.map((kind) => [kind, `the pushed release ${VPS_BREAKS[kind]}`])),
  startWorld: () => startVpsWorld(),
  closeWorld: (vps) => vps.close(),
  fillIns: (vps) => vps.fillIns,
  async run(vps, { break: kind, reporter }) {
    const first = vps.runs.length;
    if (kind && vps.good.version === 'r0') {
      const release = await vps.release();
      reporter.say(`${vps.describe(release)}, to have the VPS on a good release first.`);
      await vps.deploy(release, { reporter });
    }
    const release = await vps.release(kind ? { break: kind as Break } : {});
    reporter.say(
      vps.good.version === 'r0'
        ? `${vps.describe(release)}, with a new migration (${VPS_HEAD}).`
        : `${vps.describe(release)}.`,
    );
    const result = await vps.deploy(release, { reporter, main: true });
    return { result, runs: vps.runs.slice(first) };
  },
};
