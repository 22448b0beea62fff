import type { ExampleDefinition } from '../example';
import { BREAK_STORIES, BREAKS, type Break } from '../sample-app';
import { type ApiWorld, PLACEHOLDERS, type Release, startApiWorld, WORKFLOWS } from '../worlds/api-world';

/**
 * rollback.yml: dispatched for an environment (dev here), with or without a version. Two good
 * releases run in dev first; the rollback puts dev back on the one before (each host's own
 * record), on a named commit (`--variant version`) or on the newest successful deployment other
 * than the current one (`--variant last-successful`), then runs the gates on it. With a break, the
 * version named is one dev once rolled back from, and the rollback's own gates (or its deploy
 * commands) catch it.
 */
export const example: ExampleDefinition<ApiWorld> = {
  file: WORKFLOWS.rollback,
  title: 'a person puts dev back on its previous (or a named) version, then the gates run on it',
  placeholders: PLACEHOLDERS[WORKFLOWS.rollback],
  breaks: Object.fromEntries(
    BREAKS.map((kind) => [
      kind,
      `the version named is a release that ${BREAK_STORIES[kind].replace('{env}', 'dev')} (dev rolled back from it before)`,
    ]),
  ),
  variants: {
    version: 'version: the commit of the release before, by SHA',
    'last-successful':
      'version: last-successful (the newest successful deployment other than the current one)',
  },
  startWorld: () => startApiWorld(),
  closeWorld: (api) => api.close(),
  fillIns: (api) => api.fillInsFor(WORKFLOWS.rollback),
  async run(api, { break: kind, variant, reporter }) {
    const first = api.world.runs.length;
    await api.ensureServing('dev', { reporter });
    const before = (await api.servingGood('dev'))!;
    let broken: Release | undefined;
    if (kind) {
      broken = await api.release({ break: kind as Break, breakIn: ['dev'] });
      reporter.say(`${api.describe(broken)}.`);
      await api.deployDev(broken, { reporter });
    }
    const current = await api.release();
    reporter.say(`${api.describe(current)}.`);
    await api.deployDev(current, { reporter });
    const version = broken
      ? broken.sha
      : variant === 'version'
        ? before.sha
        : variant === 'last-successful'
          ? 'last-successful'
          : '';
    reporter.say(
      `A person dispatches "rollback" for dev${version ? ` with version ${version}` : ' without a version'}.`,
    );
    const result = await api.rollback('dev', version, { reporter, main: true });
    return { result, runs: api.runsSince(first) };
  },
};
