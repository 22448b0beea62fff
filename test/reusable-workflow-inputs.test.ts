import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/actions';

/**
 * What a caller of `.github/workflows/deploy.yml` can reach. Every input of every Gatehouse action
 * the workflow uses is either passed on by the step that uses it, or named with a reason in
 * `reusable-workflow-omissions.yml`; and an input the workflow passes straight through keeps the
 * action's own default and type, so calling the workflow changes nothing a caller did not ask for.
 */

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface WorkflowInput {
  type: 'string' | 'boolean' | 'number';
  description?: string;
  required?: boolean;
  default?: unknown;
}
interface Workflow {
  on: { workflow_call: { inputs: Record<string, WorkflowInput> } };
  jobs: { deploy: { steps: Step[] } };
}
type Omissions = Record<string, Record<string, string>>;
interface ActionInput {
  default?: unknown;
  required?: boolean;
}

const workflowText = readFileSync(join(repoRoot, '.github', 'workflows', 'deploy.yml'), 'utf8');
const omissionsText = readFileSync(join(import.meta.dirname, 'reusable-workflow-omissions.yml'), 'utf8');
const load = () => ({
  workflow: parse(workflowText) as Workflow,
  omissions: parse(omissionsText) as Omissions,
});

const GATEHOUSE_STEP = /^gatehouse-dev\/gatehouse\/actions\/([a-z-]+)@v1$/;
const PASS_THROUGH = /^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$/;

const manifests = new Map<string, Record<string, ActionInput>>();
function actionInputs(action: string): Record<string, ActionInput> {
  let inputs = manifests.get(action);
  if (!inputs) {
    const text = readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8');
    inputs = (parse(text) as { inputs?: Record<string, ActionInput> }).inputs ?? {};
    manifests.set(action, inputs);
  }
  return inputs;
}

function gatehouseSteps(workflow: Workflow): { step: Step; action: string; name: string }[] {
  return workflow.jobs.deploy.steps.flatMap((step) => {
    const action = GATEHOUSE_STEP.exec(step.uses ?? '')?.[1];
    return action ? [{ step, action, name: `${step.id ?? '(no id)'} (${action})` }] : [];
  });
}

function reason(omissions: Omissions, action: string, stepId: string | undefined, input: string) {
  return omissions[`${action}@${stepId}`]?.[input] ?? omissions[action]?.[input];
}

/** Action inputs a step leaves out that the omission list does not explain. */
function unexplainedOmissions(workflow: Workflow, omissions: Omissions): string[] {
  const problems: string[] = [];
  for (const { step, action, name } of gatehouseSteps(workflow)) {
    const given = step.with ?? {};
    for (const input of Object.keys(actionInputs(action))) {
      if (!(input in given) && !reason(omissions, action, step.id, input)) problems.push(`${name}: ${input}`);
    }
  }
  return problems;
}

/** Omission entries that explain nothing: the input does not exist, or every step passes it. */
function staleOmissions(workflow: Workflow, omissions: Omissions): string[] {
  const steps = gatehouseSteps(workflow);
  const problems: string[] = [];
  for (const [key, inputs] of Object.entries(omissions)) {
    const [action = '', stepId] = key.split('@');
    const covered = steps.filter(
      (s) => s.action === action && (stepId === undefined || s.step.id === stepId),
    );
    if (covered.length === 0) {
      problems.push(`${key}: no step of deploy.yml uses it`);
      continue;
    }
    for (const [input, why] of Object.entries(inputs)) {
      if (!(input in actionInputs(action))) problems.push(`${key}: ${input} is not an input of ${action}`);
      else if (covered.every((s) => input in (s.step.with ?? {})))
        problems.push(`${key}: ${input} is passed`);
      else if (typeof why !== 'string' || why.trim().length < 20)
        problems.push(`${key}: ${input} needs a reason`);
    }
  }
  return problems;
}

/**
 * Workflow inputs passed straight to an action input (`with: x: ${{ inputs.y }}`) must default to
 * the action's own default, and be booleans where the action takes a boolean.
 */
function defaultMismatches(workflow: Workflow): string[] {
  const declared = workflow.on.workflow_call.inputs;
  const problems: string[] = [];
  for (const { step, action, name } of gatehouseSteps(workflow)) {
    for (const [input, value] of Object.entries(step.with ?? {})) {
      const source = typeof value === 'string' ? PASS_THROUGH.exec(value.trim())?.[1] : undefined;
      const spec = source === undefined ? undefined : declared[source];
      const own = actionInputs(action)[input];
      if (!source || !spec || !own || spec.required) continue;
      // A step that runs only when the input is set never sees the workflow's empty default.
      if (String(step.if ?? '').includes(`inputs.${source} != ''`)) continue;
      const ownDefault = own.default === undefined ? '' : String(own.default);
      if (String(spec.default ?? '') !== ownDefault) {
        problems.push(
          `${name}: ${input} defaults to ${JSON.stringify(ownDefault)}, but inputs.${source} to ${JSON.stringify(spec.default ?? '')}`,
        );
      }
      if ((ownDefault === 'true' || ownDefault === 'false') && spec.type !== 'boolean') {
        problems.push(`${name}: ${input} is a boolean, but inputs.${source} is a ${spec.type}`);
      }
    }
  }
  return problems;
}

describe('.github/workflows/deploy.yml passes on what its callers need', () => {
  it('uses Gatehouse actions in steps that have ids', () => {
    const steps = gatehouseSteps(load().workflow);
    expect(steps.length).toBeGreaterThanOrEqual(11);
    expect(steps.filter((s) => !s.step.id).map((s) => s.name)).toEqual([]);
  });

  it('passes every action input on, or names it with a reason in reusable-workflow-omissions.yml', () => {
    const { workflow, omissions } = load();
    expect(unexplainedOmissions(workflow, omissions)).toEqual([]);
  });

  it('keeps no omission that explains nothing', () => {
    const { workflow, omissions } = load();
    expect(staleOmissions(workflow, omissions)).toEqual([]);
  });

  it("gives inputs it passes straight through the action's own default and type", () => {
    expect(defaultMismatches(load().workflow)).toEqual([]);
  });

  it('documents every input', () => {
    const inputs = load().workflow.on.workflow_call.inputs;
    const undocumented = Object.entries(inputs).filter(([, spec]) => !spec.description?.trim());
    expect(undocumented.map(([name]) => name)).toEqual([]);
  });

  it('reports an input a step stops passing, an omission that explains nothing, and a changed default', () => {
    const { workflow, omissions } = load();
    const deploy = workflow.jobs.deploy.steps.find((step) => step.id === 'deploy')!;
    delete deploy.with!['max-errors'];
    const deep = workflow.jobs.deploy.steps.find((step) => step.id === 'deep-after-rollback')!;
    delete deep.with!.redirect;
    expect(unexplainedOmissions(workflow, omissions)).toEqual([
      'deploy (deploy-ssm): max-errors',
      'deep-after-rollback (health-deep-gate): redirect',
    ]);

    omissions['deploy-ssm'] = { ...omissions['deploy-ssm'], 'lock-timeout': 'a reason long enough to count' };
    omissions['smoke-check@nowhere'] = { timeout: 'a reason long enough to count' };
    expect(staleOmissions(workflow, omissions)).toEqual([
      'deploy-ssm: lock-timeout is passed',
      'smoke-check@nowhere: no step of deploy.yml uses it',
    ]);

    workflow.on.workflow_call.inputs['lock-timeout']!.default = '1m';
    workflow.on.workflow_call.inputs.force!.type = 'string';
    expect(defaultMismatches(workflow)).toEqual([
      'deploy (deploy-ssm): force is a boolean, but inputs.force is a string',
      'deploy (deploy-ssm): lock-timeout defaults to "5m", but inputs.lock-timeout to "1m"',
      'rollback (rollback): force is a boolean, but inputs.force is a string',
      'rollback (rollback): lock-timeout defaults to "5m", but inputs.lock-timeout to "1m"',
    ]);
  });
});
