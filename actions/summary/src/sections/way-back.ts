import { type DeploySsmRecord, schemaChanged } from '@gatehouse/records';
import type { RenderContext } from '../context';
import { code, link } from '../markdown';
import { type JobView, versionText } from '../views';

/** The workflow Gatehouse's examples dispatch to roll an environment back. */
const ROLLBACK_WORKFLOW = 'rollback.yml';

/** What `version` to give the rollback workflow (empty: each host's own previous), or why there is none. */
function rollbackTarget(deploy: DeploySsmRecord): { version: string; words: string } | { none: string } {
  if (deploy.previousDiffers) {
    return {
      version: '',
      words: 'what each changed host ran before this deploy (they ran different versions)',
    };
  }
  const previous = deploy.previous;
  if (!previous) {
    return deploy.changedHosts.some((c) => c.previousUnknown)
      ? {
          version: '',
          words: "what each changed host recorded before this deploy (read from each host's state)",
        }
      : {
          none: 'The hosts had no earlier version recorded (this was their first deploy): there is nothing to go back to. Fix forward, or dispatch the rollback workflow with a version you name.',
        };
  }
  const version = (deploy.mode === 'image' ? previous.imageTag : previous.sha) ?? '';
  return { version, words: `${code(versionText(previous))}, what the changed hosts ran before` };
}

function dispatch(environment: string, version: string, ctx: RenderContext): string {
  const url = `${ctx.serverUrl}/${ctx.repository}/actions/workflows/${ROLLBACK_WORKFLOW}`;
  const inputs = [`\`environment: ${environment}\``, version ? `\`version: ${version}\`` : '`version` empty'];
  const lines = [
    `dispatch ${link('the rollback workflow', url)} (\`.github/workflows/${ROLLBACK_WORKFLOW}\` in Gatehouse's examples) with ${inputs.join(' and ')}`,
  ];
  // Shown to a person to copy: only values that need no quoting are written into the command.
  const plain = (value: string) => /^[A-Za-z0-9._/-]+$/.test(value);
  if (plain(environment) && (version === '' || plain(version))) {
    const command = `gh workflow run ${ROLLBACK_WORKFLOW} -f environment=${environment}${version ? ` -f version=${version}` : ''}`;
    lines.push(`:\n\n\`\`\`\n${command}\n\`\`\``);
  } else {
    lines.push('.');
  }
  return lines.join('');
}

function codeWayBack(job: JobView, ctx: RenderContext): string {
  const deploy = job.deploy;
  const rollback = job.rollback;
  if (!deploy || deploy.dryRun || deploy.changedHosts.length === 0) {
    return 'No host was changed: there is no code to put back.';
  }
  if (rollback && rollback.status === 'success' && !rollback.dryRun && rollback.nothing === null) {
    return `The code is already back on ${code(versionText(rollback.rolledBackTo))}: the rollback step above did it.`;
  }
  const target = rollbackTarget(deploy);
  if ('none' in target) return target.none;
  const environment = deploy.environment;
  return (
    `To put the code back on ${target.words}, ${dispatch(environment, target.version, ctx)}\n\n` +
    'With `version` empty, each host the newest run changed goes back to the version it recorded before that run; no other host is touched.'
  );
}

function databaseWayBack(job: JobView): string | undefined {
  const db = job.database;
  if (!db || !schemaChanged(db)) return undefined;
  const versions = `${code(db.versionAfter ?? 'no version')} (it was ${code(db.versionBefore ?? 'no version')})`;
  if (!db.restoreCommand) {
    return `The database stays at ${versions}: no rollback changes it, and no backup was taken. If the older code cannot run on it, undo the migration with the tool's own downgrade.`;
  }
  return (
    `The database stays at ${versions}: no rollback changes it. If the older code cannot run on it, restore the backup taken before the migration (${code(db.backupFile ?? undefined)}); whatever was written to the database since is lost:\n\n` +
    `\`\`\`\n${db.restoreCommand}\n\`\`\``
  );
}

/** The exact way back: the version, the workflow to dispatch and its inputs, the database's restore. */
export function wayBackSection(job: JobView, ctx: RenderContext): string {
  const changedNothing =
    (!job.deploy || job.deploy.dryRun || job.deploy.changedHosts.length === 0) &&
    !(job.database && schemaChanged(job.database));
  if (changedNothing) return '### The way back\n\nNothing was changed, so there is nothing to undo.';
  const parts = [codeWayBack(job, ctx), databaseWayBack(job)].filter(Boolean);
  return `### The way back\n\n${parts.join('\n\n')}`;
}
