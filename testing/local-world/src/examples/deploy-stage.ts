import type { ExampleDefinition } from '../example';
import { BREAK_STORIES, BREAKS, type Break } from '../sample-app';
import { type ApiWorld, PLACEHOLDERS, startApiWorld, WORKFLOWS } from '../worlds/api-world';

/**
 * deploy-stage.yml: when "deploy dev" completes, GitHub sends `workflow_run` and stage deploys the
 * commit that dev run deployed (its head_sha), not whatever main points at by then. With a break,
 * the release works in dev but breaks in stage, and stage goes back to the release before.
 */
export const example: ExampleDefinition<ApiWorld> = {
  file: WORKFLOWS.stage,
  title: 'after deploy dev succeeds, stage deploys the same commit (workflow_run)',
  placeholders: PLACEHOLDERS[WORKFLOWS.stage],
  breaks: Object.fromEntries(
    BREAKS.map((kind) => [
      kind,
      `the release passes dev, then in stage ${BREAK_STORIES[kind].replace('{env}', 'stage')}`,
    ]),
  ),
  startWorld: () => startApiWorld(),
  closeWorld: (api) => api.close(),
  fillIns: (api) => api.fillInsFor(WORKFLOWS.stage),
  async run(api, { break: kind, reporter }) {
    const first = api.world.runs.length;
    if (kind) await api.ensureServing('stage', { reporter });
    const release = await api.release(kind ? { break: kind as Break, breakIn: ['stage'] } : {});
    reporter.say(`${api.describe(release)}.`);
    const devRun = await api.deployDev(release, { reporter });
    reporter.say(
      `"deploy dev" completed (${devRun.conclusion}): GitHub sends workflow_run to "deploy stage".`,
    );
    const result = await api.promoteToStage(devRun, { reporter, main: true });
    return { result, runs: api.runsSince(first) };
  },
};
