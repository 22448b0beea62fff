export const id = 878;
export const ids = [878];
export const modules = {

/***/ 3878:
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
// EXTERNAL MODULE: ./packages/action-kit/src/known-errors/index.ts + 2 modules
var known_errors = __webpack_require__(7504);
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
    const network = (0,known_errors/* networkProblem */.Wo)(error);
    if (network)
        return unreachable(error, action, network, env);
    return error;
}
function unreachable(error, action, network, env) {
    const attempts = error.$metadata?.attempts;
    const override = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
    const where = override ?? (0,known_errors/* errorChain */.eB)(error).messages[0]?.split(' ').at(-1) ?? 'the SSM endpoint';
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
