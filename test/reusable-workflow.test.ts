import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/actions';

/**
 * actionlint cannot read a reusable workflow that lives in another repository, so a caller
 * passing an input that `.github/workflows/deploy.yml` does not declare would only fail on
 * GitHub. These tests check every call of it in this repository, and hold the reusable
 * workflow to the promises its callers rely on: least privilege, one deploy per environment
 * never cancelled, third-party actions pinned, Gatehouse actions named so they resolve from a
 * caller's repository.
 */

type Step = Record<string, unknown> & { uses?: string; with?: Record<string, unknown>; id?: string };
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  permissions?: unknown;
  concurrency?: unknown;
  environment?: unknown;
  steps?: Step[];
}
interface Workflow {
  on?: Record<string, unknown>;
  permissions?: unknown;
  jobs?: Record<string, Job>;
}
interface CallInput {
  type: 'string' | 'boolean' | 'number';
  required?: boolean;
  default?: unknown;
}

const reusablePath = join(repoRoot, '.github', 'workflows', 'deploy.yml');
const reusable = parse(readFileSync(reusablePath, 'utf8')) as Workflow;
const call = reusable.on?.workflow_call as {
  inputs: Record<string, CallInput>;
  secrets: Record<string, { required?: boolean }>;
};
/** A GitHub expression, written so it cannot be mistaken for a template placeholder. */
function expression(text: string): string {
  return `\${{ ${text} }}`;
}

const REUSABLE_USES = /^(?:\.\/|[\w.-]+\/gatehouse\/)\.github\/workflows\/deploy\.yml(?:@[\w.-]+)?$/;

function workflowFiles(): string[] {
  return [join(repoRoot, '.github', 'workflows'), join(repoRoot, 'examples')]
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
        .map((entry) => join(entry.parentPath, entry.name)),
    )
    .sort();
}

/** Everything wrong with one job's call of the reusable workflow (empty: a valid call). */
function callProblems(job: Job): string[] {
  const problems: string[] = [];
  const given = job.with ?? {};
  for (const [key, value] of Object.entries(given)) {
    const spec = call.inputs[key];
    if (!spec) {
      problems.push(`unknown input '${key}'`);
      continue;
    }
    const isExpression = typeof value === 'string' && /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(value);
    if (!isExpression && typeof value !== spec.type) {
      problems.push(`input '${key}' must be a ${spec.type}, got ${JSON.stringify(value)}`);
    }
  }
  for (const [key, spec] of Object.entries(call.inputs)) {
    if (spec.required && !(key in given)) problems.push(`missing required input '${key}'`);
  }
  if (job.secrets !== undefined && job.secrets !== 'inherit') {
    for (const key of Object.keys(job.secrets as object)) {
      if (!(key in call.secrets)) problems.push(`unknown secret '${key}'`);
    }
  }
  // A called workflow gets at most what its caller grants.
  const needed = (reusable.jobs?.deploy?.permissions ?? {}) as Record<string, string>;
  const granted = (job.permissions ?? {}) as Record<string, string>;
  for (const [scope, level] of Object.entries(needed)) {
    const has = granted[scope];
    if (has !== level && !(level === 'read' && has === 'write')) {
      problems.push(`permissions.${scope} must be ${level} (the deploy job needs it), got ${has ?? 'none'}`);
    }
  }
  return problems;
}

const calls = workflowFiles().flatMap((file) => {
  const workflow = parse(readFileSync(file, 'utf8')) as Workflow | null;
  return Object.entries(workflow?.jobs ?? {})
    .filter(([, job]) => typeof job.uses === 'string' && REUSABLE_USES.test(job.uses))
    .map(([name, job]) => [`${relative(repoRoot, file)} jobs.${name}`, job] as const);
});

describe('calls of the reusable deploy workflow', () => {
  it('there are calls to check', () => {
    expect(calls.length).toBeGreaterThanOrEqual(5);
  });

  it.each(calls)('%s passes only declared inputs and secrets, with the permissions it needs', (_, job) => {
    expect(callProblems(job)).toEqual([]);
  });

  it('the check reports a bad call (so a pass means something)', () => {
    const bad: Job = {
      uses: 'gatehouse-dev/gatehouse/.github/workflows/deploy.yml@v1',
      with: { environment: 'dev', 'base-urll': 'x', 'require-docker': 'yes' },
      secrets: { NOT_DECLARED: 'x' },
      permissions: { contents: 'read' },
    };
    const problems = callProblems(bad);
    expect(problems).toContain("unknown input 'base-urll'");
    expect(problems).toContain(`input 'require-docker' must be a boolean, got "yes"`);
    expect(problems).toContain("missing required input 'app-dir'");
    expect(problems).toContain("unknown secret 'NOT_DECLARED'");
    expect(problems).toContain('permissions.id-token must be write (the deploy job needs it), got none');
  });
});

describe('.github/workflows/deploy.yml', () => {
  const deploy = reusable.jobs?.deploy as Job;
  const steps = deploy.steps ?? [];
  const stepById = (id: string) => steps.find((step) => step.id === id);

  it('is only a reusable workflow, with nothing granted at the top', () => {
    expect(Object.keys(reusable.on ?? {})).toEqual(['workflow_call']);
    expect(reusable.permissions).toEqual({});
  });

  it('asks for least privilege per job', () => {
    expect(deploy.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      deployments: 'write',
      actions: 'read',
      checks: 'read',
      statuses: 'read',
    });
  });

  it('runs one deploy per environment and never cancels one in flight', () => {
    expect(deploy.concurrency).toEqual({
      group: `deploy-${expression('inputs.environment')}`,
      'cancel-in-progress': false,
    });
    expect(deploy.environment).toMatchObject({ name: expression('inputs.environment') });
  });

  it('pins every third-party action by full commit SHA', () => {
    const thirdParty = steps.map((s) => s.uses).filter((u): u is string => !!u && !u.includes('/gatehouse/'));
    expect(thirdParty.length).toBeGreaterThan(0);
    for (const uses of thirdParty) expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it("names Gatehouse actions by repository, since ./ would be the caller's checkout, all at one ref", () => {
    const ours = steps.map((s) => s.uses).filter((u): u is string => !!u?.includes('/gatehouse/'));
    expect(ours.length).toBeGreaterThan(0);
    // v1 while developing; a release commit names one commit (scripts/pin-gatehouse.ts), so that a
    // caller pinning this workflow by SHA gets these actions at a fixed commit too.
    for (const uses of ours)
      expect(uses).toMatch(/^gatehouse-dev\/gatehouse\/actions\/[a-z-]+@(v1|[0-9a-f]{40})$/);
    expect(new Set(ours.map((uses) => uses.split('@')[1])).size).toBe(1);
  });

  it('wires the actions in pipeline order, rollback and the gates again after, summary last', () => {
    const order = steps
      .map((s) => /\/gatehouse\/actions\/([a-z-]+)@/.exec(s.uses ?? '')?.[1])
      .filter((name): name is string => !!name);
    expect(order).toEqual([
      'resolve-ref',
      'summary',
      'preflight',
      'db-bootstrap',
      'deploy-ssm',
      'smoke-check',
      'health-deep-gate',
      'rollback',
      'smoke-check',
      'health-deep-gate',
      'summary',
    ]);
  });

  it('rolls back only after a failed deploy or gate that reached the hosts, and re-gates after it', () => {
    const condition = String(stepById('rollback')?.if);
    for (const part of [
      'failure()',
      "steps.deploy.outputs.command-id != ''",
      "steps.deploy.outcome == 'failure'",
      "steps.smoke.outcome == 'failure'",
      "steps.deep.outcome == 'failure'",
    ]) {
      expect(condition).toContain(part);
    }
    for (const id of ['smoke-after-rollback', 'deep-after-rollback']) {
      expect(String(stepById(id)?.if)).toContain("steps.rollback.outcome == 'success'");
    }
  });

  it('always writes the summary and keeps the history', () => {
    const summary = stepById('summary');
    expect(summary?.if).toBe('always()');
    expect(summary?.with).toMatchObject({ 'job-status': expression('job.status') });
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(summary!));
  });
});
