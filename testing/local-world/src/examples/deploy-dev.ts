import type { ExampleDefinition } from '../example';
import { BREAK_STORIES, BREAKS, type Break } from '../sample-app';
import { type ApiWorld, PLACEHOLDERS, startApiWorld, WORKFLOWS } from '../worlds/api-world';

/**
 * deploy-dev.yml: a push to main deploys that commit to dev through the reusable workflow. With a
 * break, a good release runs in dev first; then the broken one is pushed, its deploy or a gate
 * fails, dev goes back to the good release, and the gates run again.
 */
export const example: ExampleDefinition<ApiWorld> = {
  file: WORKFLOWS.dev,
  title: 'a push to main deploys that commit to dev, every gate, rollback on failure',
  placeholders: PLACEHOLDERS[WORKFLOWS.dev],
  breaks: Object.fromEntries(
    BREAKS.map((kind) => [kind, `the pushed release ${BREAK_STORIES[kind].replace('{env}', 'dev')}`]),
  ),
  startWorld: () => startApiWorld(),
  closeWorld: (api) => api.close(),
  fillIns: (api) => api.fillInsFor(WORKFLOWS.dev),
  async run(api, { break: kind, reporter }) {
    const first = api.world.runs.length;
    if (kind) await api.ensureServing('dev', { reporter });
    const release = await api.release(kind ? { break: kind as Break, breakIn: ['dev'] } : {});
    reporter.say(`${api.describe(release)}.`);
    const result = await api.deployDev(release, { reporter, main: true });
    return { result, runs: api.runsSince(first) };
  },
};
