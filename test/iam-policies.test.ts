import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';

/**
 * The IAM examples are copied into real accounts, so a typo there is a deploy that cannot start
 * or, worse, a role that can do more than it should. These tests check the policy grammar that
 * IAM itself would reject, and the least-privilege promises examples/README.md makes.
 */

const iamDir = join(repoRoot, 'examples', 'iam');
const files = readdirSync(iamDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

type Statement = Record<string, unknown>;
interface Policy {
  Version: unknown;
  Statement: unknown;
}

const CONDITION_OPERATORS =
  /^(?:ForAllValues:|ForAnyValue:)?(?:String(?:Not)?Equals(?:IgnoreCase)?|String(?:Not)?Like|Numeric(?:Not)?Equals|Numeric(?:Less|Greater)Than(?:Equals)?|Date(?:Not)?Equals|Date(?:Less|Greater)Than(?:Equals)?|Bool|BinaryEquals|(?:Not)?IpAddress|Arn(?:Not)?(?:Equals|Like)|Null)(?:IfExists)?$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const CONDITION_KEY = /^(?:aws|ssm|ec2|logs|sts|token\.actions\.githubusercontent\.com):[A-Za-z0-9_./-]+$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:.+$/;

function load(name: string): Policy {
  return JSON.parse(readFileSync(join(iamDir, name), 'utf8')) as Policy;
}

function statementsOf(policy: Policy): Statement[] {
  return policy.Statement as Statement[];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Everything wrong with one policy's grammar, as readable lines (empty: valid). */
function grammarProblems(policy: Policy): string[] {
  const problems: string[] = [];
  if (policy.Version !== '2012-10-17') problems.push(`Version is ${String(policy.Version)}, not 2012-10-17`);
  if (!Array.isArray(policy.Statement) || policy.Statement.length === 0) {
    return [...problems, 'Statement is not a non-empty array'];
  }
  const sids = new Set<string>();
  for (const [index, statement] of statementsOf(policy).entries()) {
    const where = `Statement[${index}]`;
    const allowed = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Principal', 'Condition']);
    for (const key of Object.keys(statement))
      if (!allowed.has(key)) problems.push(`${where}: unknown key ${key}`);
    if (typeof statement.Sid === 'string') {
      if (!/^[A-Za-z0-9]+$/.test(statement.Sid)) problems.push(`${where}: Sid must be alphanumeric`);
      if (sids.has(statement.Sid)) problems.push(`${where}: duplicate Sid ${statement.Sid}`);
      sids.add(statement.Sid);
    }
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') problems.push(`${where}: Effect`);
    for (const action of asList(statement.Action)) {
      if (typeof action !== 'string' || !ACTION.test(action))
        problems.push(`${where}: Action ${String(action)}`);
    }
    // An identity policy names resources; a trust policy names a principal instead.
    if ((statement.Resource === undefined) === (statement.Principal === undefined)) {
      problems.push(`${where}: needs exactly one of Resource and Principal`);
    }
    for (const resource of statement.Resource === undefined ? [] : asList(statement.Resource)) {
      if (resource !== '*' && (typeof resource !== 'string' || !ARN.test(resource))) {
        problems.push(`${where}: Resource ${String(resource)} is not an ARN`);
      }
    }
    const condition = (statement.Condition ?? {}) as Record<string, unknown>;
    for (const [operator, keys] of Object.entries(condition)) {
      if (!CONDITION_OPERATORS.test(operator)) problems.push(`${where}: condition operator ${operator}`);
      for (const key of Object.keys((keys ?? {}) as object)) {
        if (!CONDITION_KEY.test(key)) problems.push(`${where}: condition key ${key}`);
      }
    }
  }
  return problems;
}

function environmentOf(name: string): string {
  const match = /-(dev|stage|prod)\.json$/.exec(name);
  if (!match) throw new Error(`${name}: file names end in -dev, -stage or -prod`);
  return match[1]!;
}

function grants(statement: Statement, action: string): boolean {
  return asList(statement.Action).includes(action);
}

describe('examples/iam', () => {
  it('has a deploy policy and a trust policy for each environment', () => {
    expect(files).toEqual([
      'deploy-policy-dev.json',
      'deploy-policy-prod.json',
      'deploy-policy-stage.json',
      'trust-policy-dev.json',
      'trust-policy-prod.json',
      'trust-policy-stage.json',
    ]);
  });

  it.each(files)('%s is valid IAM policy grammar', (name) => {
    expect(grammarProblems(load(name))).toEqual([]);
  });

  it('the grammar check rejects a broken policy (so a pass means something)', () => {
    const broken = {
      Version: '2008-10-17',
      Statement: [
        { Effect: 'allow', Action: 'ssm SendCommand', Resource: 'i-123', Condition: { Equals: {} } },
      ],
    };
    expect(grammarProblems(broken)).toEqual([
      'Version is 2008-10-17, not 2012-10-17',
      'Statement[0]: Effect',
      'Statement[0]: Action ssm SendCommand',
      'Statement[0]: Resource i-123 is not an ARN',
      'Statement[0]: condition operator Equals',
    ]);
  });

  const deployPolicies = files.filter((name) => name.startsWith('deploy-policy-'));
  const trustPolicies = files.filter((name) => name.startsWith('trust-policy-'));

  it.each(deployPolicies)('%s grants no wildcard action and only Allow', (name) => {
    for (const statement of statementsOf(load(name))) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action)) expect(String(action)).not.toContain('*');
    }
  });

  it.each(deployPolicies)(
    "%s sends commands only to its environment's hosts, only with AWS-RunShellScript",
    (name) => {
      const env = environmentOf(name);
      const sending = statementsOf(load(name)).filter((s) => grants(s, 'ssm:SendCommand'));
      expect(sending.length).toBeGreaterThan(0);
      for (const statement of sending) {
        const resources = asList(statement.Resource).map(String);
        expect(resources).not.toContain('*');
        const documents = resources.filter((r) => r.includes(':document/'));
        const hosts = resources.filter((r) => /:(?:instance|managed-instance)\//.test(r));
        // One statement per kind, so a tag condition can never end up applied to the document.
        expect(documents.length === 0 || hosts.length === 0).toBe(true);
        expect(documents.length + hosts.length).toBe(resources.length);
        for (const document of documents)
          expect(document).toMatch(/^arn:aws:ssm:[a-z0-9-]+::document\/AWS-RunShellScript$/);
        if (hosts.length > 0) {
          expect(statement.Condition).toEqual({ StringEquals: { 'ssm:resourceTag/env': env } });
        }
      }
      expect(sending.some((s) => asList(s.Resource).some((r) => String(r).includes(':document/')))).toBe(
        true,
      );
    },
  );

  it.each(deployPolicies)('%s can follow, cancel and read back commands, and nothing else on *', (name) => {
    const everywhere = statementsOf(load(name)).filter((s) => asList(s.Resource).includes('*'));
    const actions = everywhere.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual([
      'ssm:CancelCommand',
      'ssm:DescribeInstanceInformation',
      'ssm:GetCommandInvocation',
      'ssm:ListCommandInvocations',
      'ssm:ListCommands',
    ]);
  });

  it.each(deployPolicies)("%s reads logs only from its environment's log group", (name) => {
    const env = environmentOf(name);
    const reading = statementsOf(load(name)).filter((s) => grants(s, 'logs:GetLogEvents'));
    for (const statement of reading) {
      expect(asList(statement.Resource)).toEqual([
        expect.stringMatching(new RegExp(`:log-group:/gatehouse/${env}:log-stream:\\*$`)),
      ]);
    }
  });

  it.each(trustPolicies)('%s trusts only this repository in its GitHub environment, for STS', (name) => {
    const env = environmentOf(name);
    const statements = statementsOf(load(name));
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement!.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement!.Principal).toEqual({
      Federated: expect.stringMatching(
        /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      ),
    });
    // StringEquals, not StringLike: a wildcard in `sub` would let any branch or environment in.
    expect(statement!.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:OWNER/REPO:environment:${env}`,
      },
    });
  });
});
