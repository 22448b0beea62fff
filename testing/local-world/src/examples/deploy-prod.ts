import type { ExampleDefinition } from '../example';
import { BREAK_STORIES, BREAKS, type Break } from '../sample-app';
import { type ApiWorld, PLACEHOLDERS, startApiWorld, WORKFLOWS } from '../worlds/api-world';

/**
 * deploy-prod.yml: dispatched by a person for main or a release tag (`git_ref`), and only for a
 * commit stage already deployed successfully (the promotion guard). The release goes through dev and stage first. With
 * a break, it passes both and breaks only in production, which goes back to the release before;
 * with `unpromoted`, prod is dispatched for a commit stage never ran, and nothing is touched; with
 * `ci-failed`, CI's tests failed on the commit dev and stage took (they deploy on push, whatever CI
 * says), and prod's require-checks refuses it before anything is touched.
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
    'ci-failed': "CI's 'Run Tests' failed on the commit dev and stage took: prod's require-checks refuses it",
  },
  startWorld: () => startApiWorld(),
  closeWorld: (api) => api.close(),
  fillIns: (api) => api.fillInsFor(WORKFLOWS.prod),
  async run(api, { break: kind, reporter }) {
    const first = api.world.runs.length;
    const unpromoted = kind === 'unpromoted';
    const ciFailed = kind === 'ci-failed';
    const appBreak = kind && !unpromoted && !ciFailed ? (kind as Break) : undefined;
    if (appBreak) await api.ensureServing('prod', { reporter });
    const release = await api.release(appBreak ? { break: appBreak, breakIn: ['production'] } : {});
    reporter.say(`${api.describe(release)}.`);
    const devRun = await api.deployDev(release, { reporter });
    if (unpromoted)
      reporter.say(`Stage never deploys ${release.version}: prod is dispatched for it right away.`);
    else await api.promoteToStage(devRun, { reporter });
    if (ciFailed) {
      const tests = api.world.github.checkRuns.find(
        (run) => run.head_sha === release.sha && run.name === 'Run Tests',
      )!;
      api.world.github.updateCheckRun(tests.id, { status: 'completed', conclusion: 'failure' });
      reporter.say(
        `CI's 'Run Tests' failed on ${release.version} (dev and stage deploy on push, whatever CI says).`,
      );
    }
    reporter.say(
      `A person dispatches "deploy prod" with git_ref empty: main, which is at ${release.version}.`,
    );
    const result = await api.deployProd('', { reporter, main: true });
    return { result, runs: api.runsSince(first) };
  },
};
