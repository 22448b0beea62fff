export const id = 532;
export const ids = [532];
export const modules = {

/***/ 5532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGithubClient: () => (/* binding */ createGithubClient)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3328);

const RETRY_DELAYS_MS = [500, 1500];
async function createGithubClient(options) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
    const { getOctokit } = await __webpack_require__.e(/* import() */ 258).then(__webpack_require__.bind(__webpack_require__, 8258));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const call = async (method, route, params, missing) => {
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
                    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`The GitHub API rejected input 'token' (401 Bad credentials) for ${where}.`);
                }
                const retryable = status === undefined || status >= 500;
                const delay = RETRY_DELAYS_MS[attempt];
                // A POST is retried only when nothing answered: a 5xx may have created the resource.
                if (!retryable || delay === undefined || (method === 'POST' && status !== undefined)) {
                    const hint = status === 403 ? ' The token may lack a permission, or the rate limit was hit.' : '';
                    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The GitHub API failed ${where} after ${attempt + 1} attempt(s): ${status ?? 'no answer'} ${message}.${hint}`);
                }
                await sleep(delay);
            }
        }
    };
    return {
        repository: options.repository,
        get: (route, params = {}, opts = {}) => call('GET', route, params, opts.missingOn422 ? [404, 422] : [404]),
        post: async (route, body) => (await call('POST', route, body, [])),
    };
}


/***/ })

};
