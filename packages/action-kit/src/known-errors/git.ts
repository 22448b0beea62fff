/**
 * Known failures of git, from its stderr, and what a person does about each. resolve-ref falls back
 * to git in the workspace when there is no token; these are the ways that goes wrong on a runner.
 */
const TABLE: [RegExp, (match: RegExpMatchArray) => string][] = [
  [
    /detected dubious ownership in repository at '([^']*)'/,
    (m) =>
      `git refuses the checkout at ${m[1]} because another user owns it (safe.directory): check it out as ` +
      `the runner's user, or run 'git config --global --add safe.directory ${m[1]}' in a step before this one`,
  ],
  [
    /not a git repository/,
    () =>
      "GITHUB_WORKSPACE is not a git checkout: add actions/checkout before this step, or pass 'token' so refs " +
      'are resolved through the GitHub API',
  ],
  [
    /could not read (?:Username|Password)|terminal prompts disabled|Authentication failed|Permission denied \(publickey\)|Host key verification failed|Access denied/,
    () =>
      "the remote 'origin' asked for credentials git does not have: keep actions/checkout's " +
      "persist-credentials (the default), or pass 'token' so refs are resolved through the GitHub API",
  ],
  [
    /Repository not found|repository '[^']*' not found|'origin' does not appear to be a git repository|does not appear to be a git repository/,
    () =>
      "the remote 'origin' is not a repository git can read: check the checkout's origin URL, or pass " +
      "'token' so refs are resolved through the GitHub API",
  ],
  [
    /Could not resolve host: ([^\s']+)/,
    (m) => `the runner cannot resolve origin's host ${m[1]}: check the runner's DNS and proxy settings`,
  ],
  [
    /SSL certificate problem|server certificate verification failed/,
    () => "origin's TLS certificate is not trusted: set http.sslCAInfo (or GIT_SSL_CAINFO) to your CA bundle",
  ],
  [
    /Failed to connect to ([^\s]+) port (\d+)/,
    (m) =>
      `the runner cannot reach origin (${m[1]} port ${m[2]}): check the runner's network and proxy settings (HTTPS_PROXY)`,
  ],
  [
    /Connection refused|Connection timed out|Operation timed out|Could not connect|unable to access/,
    () => "the runner cannot reach origin: check the runner's network and proxy settings (HTTPS_PROXY)",
  ],
  [
    /unknown revision|bad revision|Needed a single revision|ambiguous argument/,
    () =>
      'git does not know this revision in the checkout (a shallow checkout lacks older commits: fetch-depth: 0)',
  ],
];

/** What went wrong and what to do, for git's stderr; undefined when it is none of the known failures. */
export function explainGitError(stderr: string): string | undefined {
  for (const [pattern, explain] of TABLE) {
    const match = stderr.match(pattern);
    if (match) return explain(match);
  }
  return undefined;
}
