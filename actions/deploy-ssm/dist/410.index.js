export const id = 410;
export const ids = [410];
export const modules = {

/***/ 6410:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sdkSsmApi: () => (/* binding */ sdkSsmApi)
});

// EXTERNAL MODULE: ./node_modules/.pnpm/@aws-sdk+client-ssm@3.1169.0/node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var dist_cjs = __webpack_require__(2785);
// EXTERNAL MODULE: ./packages/command-runner/src/ssm/api.ts
var ssm_api = __webpack_require__(2283);
// EXTERNAL MODULE: ./packages/action-kit/src/errors.ts
var errors = __webpack_require__(1901);
;// CONCATENATED MODULE: ./packages/action-kit/src/known-errors/git.ts
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

// EXTERNAL MODULE: ./packages/action-kit/src/known-errors/network.ts
var known_errors_network = __webpack_require__(5062);
;// CONCATENATED MODULE: ./packages/action-kit/src/known-errors/postgres.ts


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

// EXTERNAL MODULE: ./packages/action-kit/src/known-errors/top-level.ts
var top_level = __webpack_require__(2064);
;// CONCATENATED MODULE: ./packages/action-kit/src/known-errors/index.ts





;// CONCATENATED MODULE: ./packages/command-runner/src/ssm/aws-errors.ts



/** A known AWS failure the workflow author fixes: credentials, region, the role's policy. */
class AwsSetupError extends errors/* ConfigurationError */.j1 {
    constructor(code, message) {
        super(message);
        this.name = code;
    }
}
/** A known AWS failure of the world around the step: an endpoint out of reach, a host SSM does not know. */
class AwsCallFailure extends errors/* ActionFailure */.dR {
    constructor(code, message) {
        super(message);
        this.name = code;
    }
}
const POLICY_HINT = "Allow it in the deploy role's policy: examples/iam/deploy-policy-<env>.json lists every action Gatehouse needs";
const CREDENTIALS_STEP = 'Add the aws-actions/configure-aws-credentials step before this one, with role-to-assume (the deploy role; ' +
    'examples/iam/ holds its trust and permission policies) and aws-region, and give the job ' +
    '`permissions: id-token: write` so it can assume the role through OIDC.';
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired']);
const REJECTED = new Set([
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'MissingAuthenticationToken',
    'AuthFailure',
]);
const DENIED = new Set([
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedOperation',
    'UnauthorizedAccess',
    'AuthorizationError',
]);
/** The error to throw for a failed call: a mapped one when the failure is known, else the SDK's own. */
function awsCallError(error, call, env = process.env) {
    const action = `${call.service}:${call.operation}`;
    const code = (0,ssm_api/* awsErrorName */.ZH)(error) ?? '';
    const message = error?.message;
    const said = typeof message === 'string' ? message : '';
    if (code === 'CredentialsProviderError' || /Could not load credentials from any providers/.test(said)) {
        return new AwsSetupError(code || 'CredentialsProviderError', `No AWS credentials for ${action}: the AWS SDK found none (environment, ~/.aws, web identity, instance role). ${CREDENTIALS_STEP}`);
    }
    if (/Region is missing/.test(said)) {
        return new AwsSetupError('RegionMissing', `No AWS region for ${action}: set this step's input 'aws-region' (e.g. eu-west-1), or the 'aws-region' of ` +
            'aws-actions/configure-aws-credentials, which sets AWS_REGION for the steps after it.');
    }
    if (EXPIRED.has(code)) {
        return new AwsSetupError(code, `The AWS credentials expired before ${action} (${code}). aws-actions/configure-aws-credentials gives ` +
            "1 hour by default: raise its role-duration-seconds to cover the whole job (up to the role's maximum " +
            'session duration), or configure credentials again just before this step.');
    }
    if (REJECTED.has(code)) {
        return new AwsSetupError(code, `AWS did not accept the credentials for ${action} (${code}: ${said.replace(/\.$/, '')}). Check the role ` +
            'aws-actions/configure-aws-credentials assumed and its aws-region, and that no stale AWS_ACCESS_KEY_ID, ' +
            "AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN is left in the job's environment.");
    }
    if (DENIED.has(code)) {
        const sendHint = call.operation === 'SendCommand'
            ? '. SendCommand is checked against each instance (by its environment tag) and against the ' +
                'AWS-RunShellScript document: a host without the tag the policy names is denied too'
            : '';
        return new AwsSetupError(code, `AWS denied ${action} (${code}): ${sentence(said)} ${POLICY_HINT}${sendHint}.`);
    }
    if (code === 'InvalidInstanceId') {
        return new AwsCallFailure(code, `SSM answered InvalidInstanceId to ${action}: ${sentence(said)} The instance is not a managed node SSM knows in ` +
            "this region: its SSM agent is stopped or cannot reach SSM, it is in another region (input 'aws-region'), " +
            'or its instance profile lacks AmazonSSMManagedInstanceCore.');
    }
    const network = (0,known_errors_network/* networkProblem */.Wo)(error);
    if (network)
        return unreachable(error, action, network, env);
    return error;
}
function unreachable(error, action, network, env) {
    const attempts = error.$metadata?.attempts;
    const override = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
    const where = override ?? (0,known_errors_network/* errorChain */.eB)(error).messages[0]?.split(' ').at(-1) ?? 'the SSM endpoint';
    const hint = override
        ? `AWS_ENDPOINT_URL${env.AWS_ENDPOINT_URL_SSM ? '_SSM' : ''} is set to ${override} in this job: unset it, or start what it points to.`
        : "Check input 'aws-region', and that the runner reaches AWS: its proxy (HTTPS_PROXY), firewall, or a VPC endpoint for SSM on a private runner.";
    return new AwsCallFailure('EndpointUnreachable', `Could not reach AWS for ${action} at ${where}${attempts ? ` after ${attempts} attempts` : ''}: ` +
        `${network.text} (${network.code}). ${hint}`);
}
function sentence(text) {
    return text === '' || /[.!?]$/.test(text) ? text : `${text}.`;
}

;// CONCATENATED MODULE: ./packages/command-runner/src/ssm/sdk-client.ts



/** Every failed call goes through the known-error table, so its message names the IAM action. */
async function mapped(call, send) {
    try {
        return await send();
    }
    catch (error) {
        throw awsCallError(error, call);
    }
}
/**
 * The real SDK behind `SsmApi`. Adaptive retry: on ThrottlingException the SDK backs off and
 * rate-limits its own later calls, so a large fleet's polling slows down instead of failing.
 * Region and credentials come from the SDK's default chain; `AWS_ENDPOINT_URL_SSM` is honoured, and
 * so is `AWS_MAX_ATTEMPTS` (the SDK's own setting) over our default of 10 attempts.
 */
async function sdkSsmApi(region, cloudwatchLogGroup) {
    const config = {
        ...(region ? { region } : {}),
        retryMode: 'adaptive',
        ...(process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: 10 }),
    };
    const client = new dist_cjs/* SSMClient */.jBj(config);
    const ssm = (operation, send) => mapped({ service: 'ssm', operation }, send);
    const api = {
        sendCommand: (input) => ssm('SendCommand', () => client.send(new dist_cjs/* SendCommandCommand */.VWR(input))),
        listCommandInvocations: (input) => ssm('ListCommandInvocations', () => client.send(new dist_cjs/* ListCommandInvocationsCommand */.mdT(input))),
        listCommands: (input) => ssm('ListCommands', () => client.send(new dist_cjs/* ListCommandsCommand */.I$q(input))),
        getCommandInvocation: (input) => ssm('GetCommandInvocation', () => client.send(new dist_cjs/* GetCommandInvocationCommand */.ryN(input))),
        cancelCommand: (input) => ssm('CancelCommand', () => client.send(new dist_cjs/* CancelCommandCommand */.tal(input))),
        describeInstanceInformation: (input) => ssm('DescribeInstanceInformation', () => client.send(new dist_cjs/* DescribeInstanceInformationCommand */.MXw(input))),
    };
    if (cloudwatchLogGroup) {
        const { CloudWatchLogsClient, GetLogEventsCommand } = await __webpack_require__.e(/* import() */ 585).then(__webpack_require__.t.bind(__webpack_require__, 5585, 19));
        const logs = new CloudWatchLogsClient(config);
        api.readLogStream = async (logGroupName, logStreamName) => {
            const lines = [];
            let token;
            try {
                for (;;) {
                    const page = await mapped({ service: 'logs', operation: 'GetLogEvents' }, () => logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token })));
                    for (const event of page.events ?? [])
                        lines.push(event.message ?? '');
                    // The forward token repeats once the end of the stream is reached.
                    if (!page.nextForwardToken || page.nextForwardToken === token)
                        break;
                    token = page.nextForwardToken;
                }
            }
            catch (error) {
                if ((0,ssm_api/* awsErrorName */.ZH)(error) === 'ResourceNotFoundException')
                    return undefined;
                throw error;
            }
            return lines.join('\n');
        };
    }
    return api;
}


/***/ })

};
