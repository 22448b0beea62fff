import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type StandInWorld } from '../src/index';
import { bash, folder } from './helpers';

const SERVER = 'https://k8s.prod.example.test';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:IMAGE_TAG
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

let world: StandInWorld;
let repo: string;
let home: string;
beforeEach(async () => {
  world = await createWorld();
  // 600 virtual seconds per real second: a 10m timeout or progress deadline passes in about a second.
  world.kubernetes.addCluster(SERVER, { namespaces: ['web'], timeScale: 600 });
  repo = folder(world, 'checkout', { 'k8s/web.yaml': MANIFEST });
  home = folder(world, 'home');
  mkdirSync(join(home, '.kube'));
  writeFileSync(join(home, '.kube', 'config'), world.kubernetes.kubeconfig(SERVER));
});
afterEach(async () => world.close());

/** The Kubernetes example's deploy step, for one tag. */
const DEPLOY = `
  sed "s|:IMAGE_TAG|:$TAG|g" k8s/*.yaml | kubectl apply -n "$NAMESPACE" -f -
  kubectl annotate -n "$NAMESPACE" "deployment/$DEPLOYMENT" --overwrite \\
    kubernetes.io/change-cause="gatehouse $TAG run $GITHUB_RUN_ID"
  kubectl rollout status -n "$NAMESPACE" "deployment/$DEPLOYMENT" --timeout=10m`;

function kubectl(script: string, env: Record<string, string> = {}) {
  return bash(world, `set -eo pipefail\n${script}`, {
    cwd: repo,
    env: { HOME: home, NAMESPACE: 'web', DEPLOYMENT: 'web', GITHUB_RUN_ID: '7', ...env },
  });
}

const deployment = () => world.kubernetes.deployment(SERVER, 'web', 'web');

describe('kubectl stand-in: apply, annotate, rollout status', () => {
  it('makes a revision per pod template, records the change cause, and reports the rollout as kubectl does', async () => {
    const first = await kubectl(DEPLOY, { TAG: 'r1' });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe(
      'deployment.apps/web created\nservice/web created\ndeployment.apps/web annotated\ndeployment "web" successfully rolled out\n',
    );
    expect((await kubectl(DEPLOY, { TAG: 'r2' })).exitCode).toBe(0);
    expect(deployment()).toMatchObject({
      revision: 2,
      images: ['ghcr.io/acme/web:r2'],
      changeCause: 'gatehouse r2 run 7',
    });

    // The same template again makes no revision.
    const same = await kubectl('sed "s|:IMAGE_TAG|:r2|g" k8s/*.yaml | kubectl apply -n web -f -');
    expect(same.stdout).toBe('deployment.apps/web unchanged\nservice/web unchanged\n');
    expect(deployment()!.revision).toBe(2);

    const history = await kubectl('kubectl rollout history -n web deployment/web');
    expect(history.stdout).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         gatehouse r1 run 7\n2         gatehouse r2 run 7\n\n',
    );
    const jsonpath = await kubectl(
      "kubectl get deployment web -n web -o jsonpath='{.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}'",
    );
    expect(jsonpath.stdout).toBe('ghcr.io/acme/web:r2 2');
  });

  it('keeps the previous revision serving and fails status after the progress deadline when the new image never gets ready', async () => {
    await kubectl(DEPLOY, { TAG: 'r1' });
    world.docker.markUnhealthy('ghcr.io/acme/web:r2');
    const result = await kubectl(DEPLOY, { TAG: 'r2' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...',
    );
    // progressDeadlineSeconds defaults to 600, which the 10m timeout does not outlast.
    expect(result.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
    expect(deployment()).toMatchObject({
      revision: 2,
      images: ['ghcr.io/acme/web:r2'],
      servingImages: ['ghcr.io/acme/web:r1'],
    });
  });

  it('times out as kubectl does when --timeout comes before the deadline', async () => {
    world.docker.markUnhealthy('ghcr.io/acme/web:r1');
    // A deadline far beyond the timeout, however slow this machine is between apply and status.
    writeFileSync(
      join(repo, 'k8s', 'web.yaml'),
      MANIFEST.replace('replicas: 2', 'replicas: 2\n  progressDeadlineSeconds: 36000'),
    );
    const result = await kubectl(`${DEPLOY.replace('--timeout=10m', '--timeout=2m')}`, { TAG: 'r1' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: timed out waiting for the condition\n');
  });

  it('rejects an invalid Deployment, and apply reports each object', async () => {
    const bad = MANIFEST.replace('matchLabels: { app: web }', 'matchLabels: { app: other }');
    writeFileSync(join(repo, 'k8s', 'web.yaml'), bad);
    const result = await kubectl('sed "s|:IMAGE_TAG|:r1|g" k8s/*.yaml | kubectl apply -n web -f -');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value',
    );
    expect(result.stdout).toBe('service/web created\n');
    expect(deployment()).toBeUndefined();
  });

  it('refuses a namespace that does not exist and an empty apply', async () => {
    const result = await kubectl('sed "s|:IMAGE_TAG|:r1|g" k8s/*.yaml | kubectl apply -n nope -f -');
    expect(result.stderr).toContain('namespaces "nope" not found');
    const empty = await kubectl('sed "s|:IMAGE_TAG|:r1|g" nothing/*.yaml | kubectl apply -n web -f -');
    expect(empty.exitCode).not.toBe(0);
    expect(empty.stderr).toContain('error: no objects passed to apply');
  });
});

describe('kubectl stand-in: rollout undo', () => {
  it('goes back one revision even when the apply before it failed without changing anything (the Kubernetes example defect)', async () => {
    await kubectl(DEPLOY, { TAG: 'r1' });
    await kubectl(DEPLOY, { TAG: 'r2' });
    // A deploy of r3 whose apply fails before the Deployment changes (no manifests matched)...
    const failed = await kubectl(DEPLOY.replace('k8s/*.yaml', 'manifests/*.yaml'), { TAG: 'r3' });
    expect(failed.exitCode).not.toBe(0);
    expect(deployment()!.images).toEqual(['ghcr.io/acme/web:r2']);
    // ...and the example's rollback still runs `rollout undo`: production goes back to r1.
    const undo = await kubectl(
      'kubectl rollout undo -n web deployment/web && kubectl rollout status -n web deployment/web --timeout=10m',
    );
    expect(undo.stdout).toBe('deployment.apps/web rolled back\ndeployment "web" successfully rolled out\n');
    expect(deployment()).toMatchObject({
      revision: 3,
      images: ['ghcr.io/acme/web:r1'],
      changeCause: 'gatehouse r1 run 7',
    });
    const history = await kubectl('kubectl rollout history -n web deployment/web');
    expect(history.stdout).toContain('2         gatehouse r2 run 7\n3         gatehouse r1 run 7\n');
  });

  it('undoes to a recorded revision with --to-revision, and skips when it is already current', async () => {
    await kubectl(DEPLOY, { TAG: 'r1' });
    await kubectl(DEPLOY, { TAG: 'r2' });
    await kubectl(DEPLOY, { TAG: 'r3' });
    const before = await kubectl(
      "kubectl get deployment web -n web -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'",
    );
    expect(before.stdout).toBe('3');
    expect((await kubectl('kubectl rollout undo -n web deployment/web --to-revision=3')).stdout).toBe(
      'deployment.apps/web skipped rollback (current template already matches revision 3)\n',
    );
    expect((await kubectl('kubectl rollout undo -n web deployment/web --to-revision=1')).exitCode).toBe(0);
    expect(deployment()).toMatchObject({ revision: 4, images: ['ghcr.io/acme/web:r1'] });
    const gone = await kubectl('kubectl rollout undo -n web deployment/web --to-revision=1');
    expect(gone.stderr).toBe('error: unable to find specified revision 1 in history\n');
  });

  it('fails as kubectl does with no previous revision or no such deployment', async () => {
    await kubectl(DEPLOY, { TAG: 'r1' });
    const none = await kubectl('kubectl rollout undo -n web deployment/web');
    expect(none).toMatchObject({
      exitCode: 1,
      stderr: 'error: no rollout history found for deployment "web"\n',
    });
    const missing = await kubectl('kubectl rollout undo -n web deployment/api');
    expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "api" not found\n');
  });

  it('gets nothing, successfully, for a deployment that does not exist with --ignore-not-found', async () => {
    const revision = `kubectl get -n web deployment/web --ignore-not-found -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}'`;
    expect(await kubectl(revision)).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(await kubectl('kubectl get -n web deployment/web')).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (NotFound): deployments.apps "web" not found\n',
    });
    await kubectl(DEPLOY, { TAG: 'r1' });
    expect(await kubectl(revision)).toMatchObject({ exitCode: 0, stdout: '1' });
    expect((await kubectl('kubectl get -n web deployment web api --ignore-not-found -o name')).stdout).toBe(
      'deployment.apps/web\n',
    );
  });
});

describe('kubectl stand-in: kubeconfig', () => {
  it('fails as kubectl does without a kubeconfig, and reaches no cluster the world does not have', async () => {
    const none = await kubectl('kubectl get deployment web -n web', { HOME: folder(world, 'empty-home') });
    expect(none).toMatchObject({
      exitCode: 1,
      stderr:
        'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
    });
    const other = folder(world, 'other');
    writeFileSync(join(other, 'config'), world.kubernetes.kubeconfig('https://k8s.staging.example.test'));
    const wrong = await kubectl('kubectl get deployment web -n web', { KUBECONFIG: join(other, 'config') });
    expect(wrong.stderr).toBe(
      'Unable to connect to the server: dial tcp: lookup k8s.staging.example.test: no such host\n',
    );
    writeFileSync(join(other, 'broken'), 'clusters: [');
    const broken = await kubectl('kubectl get deployment web -n web', { KUBECONFIG: join(other, 'broken') });
    expect(broken.stderr).toContain(`error: error loading config file "${join(other, 'broken')}"`);
  });

  it('takes the namespace from the context when -n is absent', async () => {
    writeFileSync(join(home, '.kube', 'config'), world.kubernetes.kubeconfig(SERVER, { namespace: 'web' }));
    expect((await kubectl('sed "s|:IMAGE_TAG|:r1|g" k8s/web.yaml | kubectl apply -f -')).exitCode).toBe(0);
    expect(deployment()!.revision).toBe(1);
    expect(world.invocations({ tool: 'kubectl' }).at(-1)!.details).toMatchObject({
      server: SERVER,
      namespace: 'web',
    });
  });
});
