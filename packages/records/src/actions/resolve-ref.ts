import { arrayOf, boolean, fields, type Infer, nullable, oneOf, string } from '../shape';

/** resolve-ref: which commit this job deploys, and how it was chosen. Its outputs, camelCased. */
export const resolveRefRecord = fields({
  environment: string,
  /** The full ref resolved (`refs/heads/main`), and as a remote-tracking name (`origin/main`). */
  ref: string,
  remoteRef: string,
  sha: string,
  refName: string,
  /** Why this ref: `push`, `input`, `release`, `protected-default`, `dispatch-branch`, `event`. */
  source: string,
  event: string,
  githubRef: string,
  githubRefName: string,
  /** The ref a person asked for; empty when none. */
  inputRef: string,
  /** With require-checks: what was required and the checks that passed; null without it. */
  checks: nullable(
    fields({
      /** `require-checks: all`; otherwise `names` lists the required checks. */
      all: boolean,
      names: arrayOf(string),
      passed: arrayOf(
        fields({
          name: string,
          kind: oneOf('check run', 'commit status'),
          result: string,
          url: nullable(string),
        }),
      ),
    }),
  ),
});
export type ResolveRefRecord = Infer<typeof resolveRefRecord>;
