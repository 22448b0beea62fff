/**
 * Dev and test only: the local world — everything a deploy workflow reaches, on this machine — and
 * the examples run against it. See README.md.
 *
 *   const world = await startWorld({ hosts: [{ id: 'i-0123456789abcdef0', tags: { env: 'dev' } }], databases: [{ name: 'dev' }] });
 *   const commit = await world.push(sampleAppFiles({ version: 'r1' }), 'r1', 'r1');
 *   await world.startService({ name: 'dev', hosts: ['i-0123456789abcdef0'], serving: world.serving.compose('web'), app });
 *   const result = await world.run({ workflow: 'examples/workflows/deploy-dev.yml', fillIns, event: world.pushEvent(commit) });
 *
 *   await runExample('deploy-dev', { break: 'deep', reporter: printingReporter(console.log) });
 */
export { AppRepository, type Commit, type FileChanges } from './app-repository';
export {
  APP_ROLE,
  type DatabaseEngine,
  type DatabaseSpec,
  defaultEngine,
  type WorldDatabase,
} from './databases';
export {
  checkRunOptions,
  definitionProblems,
  type ExampleDefinition,
  type ExampleRun,
  type ExampleRunOptions,
  listExamples,
  loadExample,
  type RunExampleOptions,
  runExample,
} from './example';
export { applyFillIns, type FillIn, fillInProblems, onHost, placeholderKind } from './fill-in';
export { markdownToText } from './markdown-text';
export {
  type PrintOptions,
  printingReporter,
  type Reporter,
  renderSummaries,
  silentReporter,
  stepLine,
  stepsJob,
} from './report';
export {
  BASELINE,
  BREAK_STORIES,
  BREAKS,
  type Break,
  DEPLOY_BREAK_VARIABLE,
  headMigration,
  LEGACY_TABLES,
  legacySchemaSql,
  type ReleaseSpec,
  SAMPLE_MIGRATIONS,
  type SampleAppOptions,
  type ServiceManifest,
  sampleApp,
  sampleAppFiles,
} from './sample-app';
export type {
  AppHandler,
  AppRequest,
  AppResponse,
  ServedRequest,
  ServedVersion,
  Service,
  ServiceSpec,
  ServingRule,
} from './service';
export { composeServing, envFileTagServing, gitCheckoutServing, parseEnvFile, readEnvFile } from './serving';
export {
  closeOnSignals,
  GATEHOUSE_ROOT,
  type HostSpec,
  startWorld,
  type World,
  type WorldOptions,
  type WorldRunOptions,
} from './world';
export {
  API_ENVIRONMENTS,
  APP_DIR,
  type ApiEnvironment,
  type ApiWorld,
  type ApiWorldOptions,
  ENVIRONMENTS,
  type Release,
  STATE_DIR,
  startApiWorld,
  WORKFLOWS,
} from './worlds/api-world';
export { copiedPath, runCopied } from './worlds/copied-example';
export {
  EC2_BASELINE,
  EC2_EXAMPLE,
  EC2_HEAD,
  EC2_HOSTS,
  EC2_IMAGE,
  EC2_LEGACY_TABLES,
  type Ec2World,
  ec2Unavailable,
  startEc2World,
} from './worlds/ec2';
export {
  K8S_APP_ENV,
  K8S_EXAMPLE,
  K8S_HEAD,
  K8S_SERVER,
  type K8sEnvironment,
  type K8sWorld,
  k8sUnavailable,
  startK8sWorld,
} from './worlds/kubernetes';
export {
  AVATARS_MIGRATION,
  RAILWAY_EXAMPLE,
  type RailwayWorld,
  railwayUnavailable,
  startRailwayWorld,
} from './worlds/railway';
export type { SystemRelease } from './worlds/releases';
export {
  startVpsWorld,
  VPS_EXAMPLE,
  VPS_HEAD,
  VPS_HOST,
  VPS_IMAGE,
  type VpsWorld,
  vpsUnavailable,
} from './worlds/vps';
