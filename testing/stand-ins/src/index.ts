/**
 * Dev/test only: stand-ins for CLIs that cannot run here (docker and compose, kubectl, railway,
 * prisma), and the world they share. Never import it from an action's `src/`.
 *
 *   const world = await createWorld();
 *   env = world.env('i-0abc')            // PATH with world.binDir first, root, host
 *   world.docker.setDaemonUp('i-0abc', false); world.docker.markUnhealthy('ghcr.io/acme/api:bad')
 *   world.kubernetes.addCluster('https://k8s.test', { namespaces: ['web'], timeScale: 600 })
 *   world.railway.configure({ token, environments: ['production'], services: ['api'] })
 *   world.prisma.install(checkoutDir)   // then `npx --no prisma migrate deploy` finds the stand-in
 *   world.invocations({ tool: 'docker' })
 *
 * See README.md for the state layout and what each stand-in models.
 */
export type { ContainerRecord } from './docker/containers';
export type { ImageMeta } from './docker/images';
export type { RailwayDeployment, RailwayProject } from './railway/cli';
export type { Invocation } from './runtime/context';
export { HOST_ENV, ROOT_ENV } from './runtime/layout';
export {
  createWorld,
  type DeploymentView,
  PRISMA_PACKAGE_DIR,
  type RunningService,
  STAND_INS_BIN,
  type StandInWorld,
} from './world';
