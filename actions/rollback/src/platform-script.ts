import { shellScript } from '@gatehouse/command-runner';

/** The script that runs the platform's own rollback command on the runner (`platform-rollback.sh`). */
export function platformRollbackScript(options: {
  command: string;
  to: string | undefined;
  environment: string;
}): string {
  return shellScript({
    purpose: "the platform's own rollback command",
    values: {},
    exported: { ROLLBACK_TO: options.to ?? '', DEPLOY_ENVIRONMENT: options.environment },
    encoded: { GH_COMMAND: options.command },
    bodies: [new URL('./platform-rollback.sh', import.meta.url)],
  });
}
