export const id = 218;
export const ids = [218,522];
export const modules = {

/***/ 6218:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   requireSuccessfulDeployment: () => (/* binding */ requireSuccessfulDeployment)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(847);
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

/***/ 4522:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createGithubClient: () => (/* binding */ createGithubClient),
  TS: () => (/* reexport */ findSuccessfulDeployment)
});

// UNUSED EXPORTS: GATEHOUSE_MARK, GithubApiError, GithubTokenRejected, markedPayload

// EXTERNAL MODULE: ../../packages/action-kit/src/errors.ts
var errors = __webpack_require__(2935);
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
const RETRY_DELAYS_MS = [500, 1500];
async function createGithubClient(options) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
        throw new errors/* ConfigurationError */.j1(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
    const { getOctokit } = await __webpack_require__.e(/* import() */ 258).then(__webpack_require__.bind(__webpack_require__, 8258));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const call = async (method, route, params, missing, retryServerErrors = method === 'GET') => {
        const where = `${method} ${route.replace('{owner}/{repo}', options.repository)}`;
        for (let attempt = 0;; attempt++) {
            try {
                const response = await octokit.request(`${method} ${route}`, { owner, repo, ...params });
                return response.data;
            }
            catch (error) {
                const status = error.status;
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
                    const hint = status === 403 ? ' The token may lack a permission, or the rate limit was hit.' : '';
                    throw new GithubApiError(`The GitHub API failed ${where} after ${attempt + 1} attempt(s): ${status ?? 'no answer'} ${message}.${hint}`, status);
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



/***/ })

};
