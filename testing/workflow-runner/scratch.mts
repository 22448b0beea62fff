import { pushEvent, runWorkflow } from './src/index';

const r = await runWorkflow({
  workflow: '.github/workflows/a.yml',
  repoRoot: '/tmp/wr1',
  event: pushEvent({ sha: 'a'.repeat(40) }),
});
console.log(r.log);
console.log(
  r.conclusion,
  r.jobs.map((j) => [j.key, j.result, j.outputs]),
);
