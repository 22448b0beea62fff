import type { ExampleDefinition } from '../example';
import { BREAKS, type Break } from '../sample-app';
import {
  K8S_BREAKS,
  K8S_EXAMPLE,
  K8S_HEAD,
  K8S_PLACEHOLDERS,
  type K8sWorld,
  startK8sWorld,
} from '../worlds/kubernetes';

/** A Deployment manifest the API server refuses: its selector does not select its own pods. */
const BAD_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-frontend
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:IMAGE_TAG
`;

/**
 * kubernetes.yml: dispatched for one environment. The commit's migrations and seed run on the
 * runner against that environment's database, after a backup that is encrypted to the
 * environment's DB_BACKUP_PUBLIC_KEY and kept as an artifact; then `kubectl apply` and `rollout
 * status`, the gates, and on failure a rollback to the revision recorded before the apply — only
 * when the apply changed the pod template. Stage takes only a commit dev ran; prod only one stage
 * ran. The plain story and every break run in dev.
 */
export const example: ExampleDefinition<K8sWorld> = {
  file: K8S_EXAMPLE,
  title:
    'dispatched per environment: migrate + seed after an encrypted backup, kubectl apply, rollback to the recorded revision, promotion dev → stage → prod',
  placeholders: K8S_PLACEHOLDERS,
  breaks: Object.fromEntries(
    BREAKS.map((kind) => [kind, `the release, dispatched for dev, ${K8S_BREAKS[kind]}`]),
  ),
  variants: {
    promote:
      'a release goes to dev, then stage (which takes only what dev ran), then prod (only what stage ran)',
    unpromoted: 'prod is dispatched for a commit dev ran but stage never did: the promotion guard refuses it',
    'first-deploy':
      "the release works in dev, then in stage — where nothing ran before — is configured with dev's database: no revision to go back to",
    'bad-manifest':
      "the release's Deployment manifest is refused by the API server: nothing changed, so nothing is rolled back",
    'no-backup-key':
      'environment dev has no DB_BACKUP_PUBLIC_KEY: the run stops before the database is touched',
    'bad-backup-key':
      "dev's DB_BACKUP_PUBLIC_KEY is not a key gpg can encrypt to: the run stops before the database is touched",
  },
  startWorld: () => startK8sWorld(),
  closeWorld: (k8s) => k8s.close(),
  fillIns: (k8s) => k8s.fillIns,
  async run(k8s, { break: kind, variant, reporter }) {
    const first = k8s.runs.length;
    const vars = k8s.world.environmentVars.dev!;
    const key = vars.DB_BACKUP_PUBLIC_KEY;
    try {
      if (variant === 'first-deploy') {
        const release = await k8s.release({ break: 'wrong-env', breakIn: ['stage'], wrongDatabase: 'dev' });
        reporter.say(`${k8s.describe(release)} — in stage only.`);
        await k8s.dispatch('dev', '', { reporter });
        if (k8s.deployment('stage'))
          reporter.say('(Stage already has a Deployment in this world: it has a revision to go back to.)');
        const result = await k8s.dispatch('stage', '', { reporter, main: true });
        return { result, runs: k8s.runs.slice(first) };
      }
      const release = await k8s.release({
        ...(kind ? { break: kind as Break } : {}),
        ...(variant === 'bad-manifest' ? { files: { 'k8s/deployment.yaml': BAD_MANIFEST } } : {}),
      });
      reporter.say(
        release.version === 'r1'
          ? `${k8s.describe(release)}, with a new migration (${K8S_HEAD}).`
          : `${k8s.describe(release)}${variant === 'bad-manifest' ? ": its Deployment's selector does not match its pods' labels" : ''}.`,
      );
      if (variant === 'promote' || variant === 'unpromoted') {
        await k8s.dispatch('dev', '', { reporter });
        if (variant === 'promote') await k8s.dispatch('stage', '', { reporter });
        else reporter.say(`Stage never deploys ${release.version}: prod is dispatched for it right away.`);
        const result = await k8s.dispatch('prod', '', { reporter, main: true });
        return { result, runs: k8s.runs.slice(first) };
      }
      if (variant === 'no-backup-key') {
        reporter.say('Environment dev has no DB_BACKUP_PUBLIC_KEY.');
        delete vars.DB_BACKUP_PUBLIC_KEY;
      }
      if (variant === 'bad-backup-key') {
        reporter.say("Dev's DB_BACKUP_PUBLIC_KEY holds an SSH key, not an OpenPGP one.");
        vars.DB_BACKUP_PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh0 backups@acme';
      }
      const result = await k8s.dispatch('dev', '', { reporter, main: true });
      return { result, runs: k8s.runs.slice(first) };
    } finally {
      if (key !== undefined) vars.DB_BACKUP_PUBLIC_KEY = key;
    }
  },
};
