/**
 * The objects GitHub's REST API returns, built to its published OpenAPI description (the schemas
 * named on each function): every required field present, with GitHub's URL layout, so a client
 * that reads a field passes here only if it would pass on GitHub.
 */
export interface Urls {
  /** The API base (this stub), e.g. http://127.0.0.1:PORT */
  api: string;
  /** The web host, e.g. https://github.com */
  html: string;
}

export interface Account {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface RepositoryRef {
  fullName: string;
  id: number;
  owner: Account;
}

/** GitHub's legacy global node id: base64 of `0<length of type>:<type><id>`, e.g. MDEwOkRlcGxveW1lbnQx. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

/** `simple-user` */
export function user(urls: Urls, account: Account) {
  // `github-actions[bot]` appears percent-encoded in URLs, as GitHub writes it.
  const api = `${urls.api}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type === 'Organization' ? 'Organization' : account.type, account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url:
      account.type === 'Bot'
        ? `${urls.html}/apps/${account.login.replace(/\[bot\]$/, '')}`
        : `${urls.html}/${account.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `minimal-repository` */
export function repository(urls: Urls, repo: RepositoryRef) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.fullName.split('/')[1]!,
    full_name: repo.fullName,
    owner: user(urls, repo.owner),
    private: true,
    html_url: `${urls.html}/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

/** The GitHub Actions app, as `integration` (what performs Actions deployments and check runs). */
export function actionsApp(urls: Urls) {
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: nodeId('App', 15368),
    owner: user(urls, { login: 'github', id: 9919, type: 'Organization' }),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${urls.html}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      actions: 'write',
      checks: 'write',
      contents: 'write',
      deployments: 'write',
      metadata: 'read',
    },
    events: ['check_run', 'check_suite', 'deployment', 'push', 'workflow_dispatch'],
  };
}

export interface GitIdentity {
  name: string;
  email: string;
  date: string;
}

/** `commit` */
export function commit(
  urls: Urls,
  repo: RepositoryRef,
  sha: string,
  details: { message: string; parents: string[]; author: GitIdentity; tree: string },
) {
  const api = `${urls.api}/repos/${repo.fullName}`;
  return {
    sha,
    node_id: nodeId('Commit', sha),
    url: `${api}/commits/${sha}`,
    html_url: `${urls.html}/${repo.fullName}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: details.author,
      committer: details.author,
      message: details.message,
      comment_count: 0,
      tree: { sha: details.tree, url: `${api}/git/trees/${details.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    // The commit's author has no GitHub account here: GitHub then answers with an empty object.
    author: {},
    committer: {},
    parents: details.parents.map((parent) => ({
      sha: parent,
      url: `${api}/commits/${parent}`,
      html_url: `${urls.html}/${repo.fullName}/commit/${parent}`,
    })),
  };
}

export const DOCS = 'https://docs.github.com/rest';

/** `basic-error`, as GitHub sends it (with the status as a string). */
export function basicError(status: number, message: string, documentationUrl = DOCS) {
  return { message, documentation_url: documentationUrl, status: String(status) };
}
