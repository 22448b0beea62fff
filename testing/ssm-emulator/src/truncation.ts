/** SSM's output limits: GetCommandInvocation keeps the first 24,000 / 8,000 characters. */
export const STDOUT_CONTENT_LIMIT = 24_000;
export const STDERR_CONTENT_LIMIT = 8_000;
/** ListCommandInvocations `CommandPlugins[].Output`: the agent's plugin output, 2,500 characters. */
export const PLUGIN_OUTPUT_LIMIT = 2_500;

const ERROR_TITLE = '\n----------ERROR-------\n';
const OUT_CUT = '\n---Output truncated---';
const ERR_CUT = '\n---Error truncated----';

/**
 * The agent's `TruncateOutput` (amazon-ssm-agent): stdout, then an error title and stderr, cut to
 * `capacity` with a marker on whichever part was cut. Ported branch for branch so the emulator's
 * Details output reads exactly like a real agent's.
 */
export function pluginOutput(stdout: string, stderr: string, capacity = PLUGIN_OUTPUT_LIMIT): string {
  const title = stderr.length > 0 ? ERROR_TITLE : '';
  const space = capacity - title.length;
  if (stdout.length + stderr.length < space) return `${stdout}${title}${stderr}`;
  if (stdout.length > space / 2 && stderr.length > space / 2) {
    const half = Math.floor((space - ERR_CUT.length - OUT_CUT.length) / 2);
    return `${stdout.slice(0, half)}${OUT_CUT}${title}${stderr.slice(0, half)}${ERR_CUT}`;
  }
  if (stdout.length < space / 2) {
    return `${stdout}${title}${stderr.slice(0, space - ERR_CUT.length - stdout.length)}${ERR_CUT}`;
  }
  return `${stdout.slice(0, space - OUT_CUT.length - stderr.length)}${OUT_CUT}${title}${stderr}`;
}
