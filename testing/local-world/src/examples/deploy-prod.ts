import type { ExampleDefinition } from '../example';
import { BREAK_STORIES, BREAKS, type Break } from '../sample-app';
import { type ApiWorld, PLACEHOLDERS, startApiWorld, WORKFLOWS } from '../worlds/api-world';

/**
 * deploy-prod.yml: dispatched by a person for main or a release tag (`git_ref`), and only for a
 * commit stage already deployed successfully (the promotion guard). The release goes through dev and stage first. With
 * a break, it passes both and breaks only in production, which goes back to the release before;
 * with `unpromoted`, prod is dispatched for a commit stage never ran, and nothing is touched.
 */
export const example: ExampleDefinition<ApiWorld> = {
  file: WORKFLOWS.prod,
  title: 'dispatched for a commit stage already ran; the promotion guard refuses any other',
  placeholders: PLACEHOLDERS[WORKFLOWS.prod],
  breaks: {
    ...Object.fromEntries(
      BREAKS.map((kind) => [
        kind,
        `the release passes dev and stage, then in production ${BREAK_STORIES[kind].replace('{env}', 'production')}`,
      ]),
    ),
    unpromoted: 'prod is dispatched for a commit dev ran but stage never did: the promotion guard refuses it',
  },
  startWorld: () => startApiWorld(),
  closeWorld: (api) => api.close(),
  fillIns: (api) => api.fillInsFor(WORKFLOWS.prod),
  async run(api, { break: kind, reporter }) {
    const first = api.world.runs.length;
    const unpromoted = kind === 'unpromoted';
    if (kind && !unpromoted) await api.ensureServing('prod', { reporter });
    const release = await api.release(
      kind && !unpromoted ? { break: kind as Break, breakIn: ['production'] } : {},
    );
    reporter.say(`${api.describe(release)}.`);
    const devRun = await api.deployDev(release, { reporter });
    if (unpromoted)
      reporter.say(`Stage never deploys ${release.version}: prod is dispatched for it right away.`);
    else await api.promoteToStage(devRun, { reporter });
    reporter.say(
      `A person dispatches "deploy prod" with git_ref empty: main, which is at ${release.version}.`,
    );
    const result = await api.deployProd('', { reporter, main: true });
    return { result, runs: api.runsSince(first) };
  },
};
