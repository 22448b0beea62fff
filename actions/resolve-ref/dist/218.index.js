export const id = 218;
export const ids = [218,522];
export const modules = {

/***/ 6218:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   requireSuccessfulDeployment: () => (/* binding */ requireSuccessfulDeployment)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3561);
/* harmony import */ var _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4522);


/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run).
 */
async function requireSuccessfulDeployment(github, sha, environment) {
    const { found, examined } = await (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .findSuccessfulDeployment */ .TS)(github, { environment, sha });
    if (found)
        return found.id;
    const tried = examined === 0
        ? 'it has no deployment there'
        : `none of its ${examined} deployment(s) there ended in success`;
    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Commit ${sha} has not been deployed successfully to '${environment}' (${tried}); ` +
        `input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`);
}


/***/ }),

/***/ 3374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  eB: () => (/* reexport */ network/* errorChain */.eB),
  et: () => (/* reexport */ explainGitError),
  Wo: () => (/* reexport */ network/* networkProblem */.Wo)
});

// UNUSED EXPORTS: TLS_PROBLEMS, classifyKnownError, explainPostgresError, postgresAddress, postgresHint

;// CONCATENATED MODULE: ../../packages/action-kit/src/known-errors/git.ts
/**
 * Known failures of git, from its stderr, and what a person does about each. resolve-ref falls back
 * to git in the workspace when there is no token; these are the ways that goes wrong on a runner.
 */
const TABLE = [
    [
        /detected dubious ownership in repository at '([^']*)'/,
        (m) => `git refuses the checkout at ${m[1]} because another user owns it (safe.directory): check it out as ` +
            `the runner's user, or run 'git config --global --add safe.directory ${m[1]}' in a step before this one`,
    ],
    [
        /not a git repository/,
        () => "GITHUB_WORKSPACE is not a git checkout: add actions/checkout before this step, or pass 'token' so refs " +
            'are resolved through the GitHub API',
    ],
    [
        /could not read (?:Username|Password)|terminal prompts disabled|Authentication failed|Permission denied \(publickey\)|Host key verification failed|Access denied/,
        () => "the remote 'origin' asked for credentials git does not have: keep actions/checkout's " +
            "persist-credentials (the default), or pass 'token' so refs are resolved through the GitHub API",
    ],
    [
        /Repository not found|repository '[^']*' not found|'origin' does not appear to be a git repository|does not appear to be a git repository/,
        () => "the remote 'origin' is not a repository git can read: check the checkout's origin URL, or pass " +
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
        (m) => `the runner cannot reach origin (${m[1]} port ${m[2]}): check the runner's network and proxy settings (HTTPS_PROXY)`,
    ],
    [
        /Connection refused|Connection timed out|Operation timed out|Could not connect|unable to access/,
        () => "the runner cannot reach origin: check the runner's network and proxy settings (HTTPS_PROXY)",
    ],
    [
        /unknown revision|bad revision|Needed a single revision|ambiguous argument/,
        () => 'git does not know this revision in the checkout (a shallow checkout lacks older commits: fetch-depth: 0)',
    ],
];
/** What went wrong and what to do, for git's stderr; undefined when it is none of the known failures. */
function explainGitError(stderr) {
    for (const [pattern, explain] of TABLE) {
        const match = stderr.match(pattern);
        if (match)
            return explain(match);
    }
    return undefined;
}

// EXTERNAL MODULE: ../../packages/action-kit/src/known-errors/network.ts
var network = __webpack_require__(2436);
;// CONCATENATED MODULE: ../../packages/action-kit/src/known-errors/postgres.ts


const postgres_TABLE = [
    {
        pattern: /server version mismatch/i,
        explain: (_match, text) => versionMismatch(text),
    },
    {
        sqlstates: ['28P01'],
        pattern: /password authentication failed for user "([^"]*)"/,
        explain: (m) => `the server refused the password${m?.[1] ? ` of user '${m[1]}'` : ''}: check the user and password in the database URL (and the secret it comes from)`,
    },
    {
        pattern: /no pg_hba\.conf entry for host "([^"]*)", user "([^"]*)", database "([^"]*)"(?:, (no encryption|SSL off))?/,
        explain: (m) => `the server accepts no connection from host ${m?.[1]} as user '${m?.[2]}' to database '${m?.[3]}' (pg_hba.conf)` +
            (m?.[4]
                ? `; it may require SSL: add ?sslmode=require to the database URL, or allow this client in pg_hba.conf`
                : '; allow this client in pg_hba.conf, or connect from a host it allows'),
    },
    {
        pattern: /role "([^"]*)" does not exist/,
        explain: (m) => `the user '${m?.[1]}' does not exist on that server: check the user in the database URL`,
    },
    {
        sqlstates: ['3D000'],
        pattern: /database "([^"]*)" does not exist/,
        explain: (m) => `the database${m?.[1] ? ` '${m[1]}'` : ''} does not exist on that server: check the database name (the path at the end of the URL)`,
    },
    {
        sqlstates: ['42P01'],
        pattern: /relation "([^"]*)" does not exist/,
        explain: (m) => `the table${m?.[1] ? ` '${m[1]}'` : ''} does not exist in that database: either this is not the database you meant, or the query names the wrong table`,
    },
    {
        sqlstates: ['42501'],
        pattern: /permission denied for (\w+) "?([^\s"]+)"?/,
        explain: (m) => `the database user lacks a privilege${m ? ` (permission denied for ${m[1]} ${m[2]})` : ''}: grant it, or connect as a user that has it`,
    },
    {
        pattern: /server does not support SSL/,
        explain: () => 'the server does not speak SSL: remove sslmode=require from the database URL (or use sslmode=prefer)',
    },
    {
        pattern: /connection to server on socket "([^"]*)" failed|could not connect to server: No such file or directory/,
        explain: (m) => `no host was given, so the client tried the local socket${m?.[1] ? ` ${m[1]}` : ''}: put the host in the database URL (postgres://user:password@host:5432/database)`,
    },
    {
        codes: ['ECONNREFUSED'],
        pattern: /Connection refused/,
        explain: () => 'nothing accepts connections at that host and port: check host and port in the database URL, that the server runs, and that it listens where the client can reach it (listen_addresses, firewall, security group)',
    },
    {
        codes: ['ENOTFOUND', 'EAI_AGAIN'],
        pattern: /could not translate host name "([^"]*)"/,
        explain: (m) => `the database host name${m?.[1] ? ` '${m[1]}'` : ''} does not resolve: check the host in the database URL (a docker compose service name resolves only inside its network)`,
    },
    {
        codes: ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'],
        pattern: /timeout expired|timeout exceeded when trying to connect|Connection terminated due to connection timeout/,
        explain: () => 'the database server did not answer in time: a firewall or security group drops the connection, or the host in the URL is wrong',
    },
    {
        sqlstates: ['57P03'],
        pattern: /the database system is (starting up|shutting down|in recovery mode)/,
        explain: (m) => `the server is not ready${m?.[1] ? ` (${m[1]})` : ''}: run again once it has started`,
    },
    {
        sqlstates: ['53300'],
        pattern: /too many clients already|remaining connection slots are reserved/,
        explain: () => 'the server has no free connection slots: close idle connections (or use a pooler) and run again',
    },
    {
        pattern: /\b(psql|pg_dump|pg_restore)(?:: command not found|: not found| ENOENT)/,
        explain: (m) => `${m?.[1]} is not installed where it runs: install the PostgreSQL client tools (Debian/Ubuntu: postgresql-client)`,
    },
];
/**
 * What went wrong and what to do, for an error of the `pg` driver or the stderr of psql, pg_dump or
 * pg_restore; undefined when it is none of the known failures.
 */
function explainPostgresError(errorOrStderr) {
    const { codes, messages } = typeof errorOrStderr === 'string'
        ? { codes: [], messages: [errorOrStderr] }
        : errorChain(errorOrStderr);
    const text = messages.join('\n');
    for (const row of postgres_TABLE) {
        const match = row.pattern ? text.match(row.pattern) : null;
        const byCode = codes.some((code) => row.sqlstates?.includes(code) || row.codes?.includes(code));
        if (match || byCode)
            return row.explain(match ?? undefined, text);
    }
    return undefined;
}
/** ` — <what to do>` for a known failure, '' for any other: appended to a message that says what failed. */
function postgresHint(errorOrStderr) {
    const explanation = explainPostgresError(errorOrStderr);
    return explanation ? ` — ${explanation}` : '';
}
/** pg_dump refuses a server newer than itself; both versions are on its stderr. */
function versionMismatch(text) {
    const versions = /server version: ([\d.]+)[^;\n]*; pg_dump version: ([\d.]+)/.exec(text);
    const server = versions?.[1];
    const major = server?.split('.')[0];
    return (`pg_dump${versions ? ` ${versions[2]}` : ''} is older than the server${server ? ` (${server})` : ''} and ` +
        "refuses to dump it: pg_dump must be at least the server's major version. Install the PostgreSQL " +
        `${major ?? 'server version'} client where pg_dump runs (on Debian/Ubuntu postgresql-client-${major ?? 'N'}, ` +
        "from apt.postgresql.org), or run it in the database's own container through 'command-prefix'");
}
/**
 * A postgres:// or postgresql:// URL that names where the database is: a host, or a socket folder in
 * `?host=`. Anything else (mysql://, a bare `postgres://`) is refused naming the input, before a
 * driver turns it into "cannot connect to :5432". The URL is never quoted: it holds a password.
 */
function postgresAddress(inputName, url) {
    const expected = `Input '${inputName}' must be a postgres:// or postgresql:// URL naming a host, ` +
        'e.g. postgres://user:password@db.example.com:5432/app';
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
    if (/[\s\x00-\x1f\x7f]/.test(url) || !URL.canParse(url))
        throw new ConfigurationError(`${expected}.`);
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
        throw new ConfigurationError(`${expected}; got a ${parsed.protocol}// URL.`);
    }
    const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || '';
    if (host === '')
        throw new ConfigurationError(`${expected}; this one names no host.`);
    const port = parsed.port === '' ? 5432 : Number(parsed.port);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username);
    return { host, port, database };
}

// EXTERNAL MODULE: ../../packages/action-kit/src/known-errors/top-level.ts
var top_level = __webpack_require__(5154);
;// CONCATENATED MODULE: ../../packages/action-kit/src/known-errors/index.ts






/***/ }),

/***/ 4522:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createGithubClient: () => (/* binding */ createGithubClient),
  TS: () => (/* reexport */ findSuccessfulDeployment)
});

// UNUSED EXPORTS: GATEHOUSE_MARK, GithubApiError, GithubTokenRejected, filledRoute, markedPayload

// EXTERNAL MODULE: ../../packages/action-kit/src/errors.ts
var errors = __webpack_require__(2935);
// EXTERNAL MODULE: ../../packages/action-kit/src/known-errors/index.ts + 2 modules
var known_errors = __webpack_require__(3374);
;// CONCATENATED MODULE: ../../packages/github-client/src/deployments.ts
/**
 * GitHub also records a deployment by itself for every job that names an environment, against the
 * run's own SHA, whatever that job deployed. Only deployments Gatehouse's summary created carry this
 * mark in their payload, so only those can prove what an environment really ran.
 */
const GATEHOUSE_MARK = 'gatehouse';
function markedPayload(fields) {
    return { [GATEHOUSE_MARK]: true, ...fields };
}
function isGatehouseDeployment(deployment) {
    const payload = deployment.payload;
    return (typeof payload === 'object' &&
        payload !== null &&
        payload[GATEHOUSE_MARK] === true);
}
/** Deployments looked at before giving up: one page of GitHub's newest. */
const LOOK_BACK = 30;
/**
 * The newest deployment Gatehouse recorded to `environment` (optionally of one `sha`, optionally
 * skipping `excludeSha`) that succeeded. A deployment counts if any of its statuses is `success`: GitHub
 * marks an older success `inactive` once a newer one lands, and it was still a success.
 */
async function findSuccessfulDeployment(github, query) {
    const deployments = (await github.get('/repos/{owner}/{repo}/deployments', {
        environment: query.environment,
        ...(query.sha ? { sha: query.sha } : {}),
        per_page: LOOK_BACK,
    })) ?? [];
    let examined = 0;
    for (const deployment of deployments) {
        if (deployment.sha === query.excludeSha || !isGatehouseDeployment(deployment))
            continue;
        examined++;
        const statuses = (await github.get('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            deployment_id: deployment.id,
            per_page: 100,
        })) ?? [];
        if (statuses.some((status) => status.state === 'success'))
            return { found: deployment, examined };
    }
    return { found: undefined, examined };
}

;// CONCATENATED MODULE: ../../packages/github-client/src/index.ts


/** A failed API call; `status` is the HTTP status, undefined when nothing answered. */
class GithubApiError extends errors/* ActionFailure */.dR {
    status;
    name = 'GithubApiError';
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
/** The token itself was refused: the user's input to fix, so a configuration error. */
class GithubTokenRejected extends (/* unused pure expression or super */ null && (ConfigurationError)) {
    name = 'GithubTokenRejected';
    status = 401;
}
/** `/repos/{owner}/{repo}/branches/{branch}` with its parameters filled in, as it was requested. */
function filledRoute(route, params) {
    return route.replace(/\{([^}]+)\}/g, (placeholder, name) => params[name] === undefined ? placeholder : encodeURIComponent(String(params[name])));
}
const RETRY_DELAYS_MS = [500, 1500];
async function createGithubClient(options) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
        throw new errors/* ConfigurationError */.j1(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
    const { getOctokit } = await __webpack_require__.e(/* import() */ 258).then(__webpack_require__.bind(__webpack_require__, 8258));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const call = async (method, route, params, missing, retryServerErrors = method === 'GET') => {
        const where = `${method} ${filledRoute(route, { owner, repo, ...params })}`;
        for (let attempt = 0;; attempt++) {
            try {
                const response = await octokit.request(`${method} ${route}`, { owner, repo, ...params });
                return response.data;
            }
            catch (error) {
                const answered = error.response !== undefined;
                const status = answered ? error.status : undefined;
                const message = error.message ?? '';
                if (status !== undefined && missing.includes(status))
                    return undefined;
                if (status === 401) {
                    throw new errors/* ConfigurationError */.j1(`The GitHub API rejected input 'token' (401 Bad credentials) for ${where}.`);
                }
                // A POST is retried on a 5xx only when asked: the failed call may have created the resource.
                const retryable = status === undefined || (status >= 500 && retryServerErrors);
                const delay = RETRY_DELAYS_MS[attempt];
                if (!retryable || delay === undefined) {
                    const attempts = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
                    if (status === undefined)
                        throw unreachable(options.apiUrl, where, attempts, error);
                    const hint = status === 403 ? ' The token may lack a permission, or the rate limit was hit.' : '';
                    throw new GithubApiError(`The GitHub API failed ${where} after ${attempts}: HTTP ${status} ${message}.${hint}`, status);
                }
                await sleep(delay);
            }
        }
    };
    return {
        repository: options.repository,
        get: (route, params = {}, opts = {}) => call('GET', route, params, opts.missingOn422 ? [404, 422] : [404]),
        post: async (route, body, opts = {}) => (await call('POST', route, body, [], opts.retryServerErrors ?? false)),
    };
}
/** Nothing answered: say what the network said, and where the API was looked for. */
function unreachable(apiUrl, where, attempts, error) {
    const problem = (0,known_errors/* networkProblem */.Wo)(error);
    const detail = problem
        ? `${problem.text} (${problem.code})`
        : ((0,known_errors/* errorChain */.eB)(error).messages.at(-1) ?? 'no answer');
    return new GithubApiError(`The GitHub API at ${apiUrl} could not be reached for ${where} after ${attempts}: ${detail}. ` +
        'Check GITHUB_API_URL (set by the runner; on GitHub Enterprise Server it is https://HOST/api/v3) and ' +
        "the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).", undefined);
}



/***/ })

};
