export const id = 760;
export const ids = [760];
export const modules = {

/***/ 9760:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubSource: () => (/* binding */ githubSource)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3328);

const RETRY_DELAYS_MS = [500, 1500];
/**
 * Refs looked up through the GitHub REST API at GITHUB_API_URL. The client is imported here, on
 * the one path that needs it, so a push event never loads it (see bench/cold-start).
 */
async function githubSource(options) {
    const { getOctokit } = await __webpack_require__.e(/* import() */ 258).then(__webpack_require__.bind(__webpack_require__, 8258));
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    /** One GET, retried on 5xx and network errors; undefined on 404 (and 422: "no commit found"). */
    const get = async (route, params) => {
        for (let attempt = 0;; attempt++) {
            try {
                const response = await octokit.request(`GET ${route}`, { owner, repo, ...params });
                return response.data;
            }
            catch (error) {
                const status = error.status;
                if (status === 404 || status === 422)
                    return undefined;
                const where = `GET ${route.replace('{owner}/{repo}', options.repository)} (${Object.values(params).join(', ')})`;
                if (status === 401) {
                    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`The GitHub API rejected input 'token' (401 Bad credentials) for ${where}.`);
                }
                if (status === 403) {
                    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The GitHub API refused ${where} (403): ${error.message ?? ''}. ` +
                        'The token may lack contents: read, or the rate limit was hit.');
                }
                const retryable = status === undefined || status >= 500;
                const delay = RETRY_DELAYS_MS[attempt];
                if (!retryable || delay === undefined) {
                    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`The GitHub API failed ${where} after ${attempt + 1} attempt(s): ${status ?? 'no answer'} ${error.message ?? ''}`.trim());
                }
                await sleep(delay);
            }
        }
    };
    /** An annotated tag points at a tag object; follow it to the commit. */
    const peel = async (object) => {
        let current = object;
        for (let depth = 0; current.type === 'tag' && depth < 5; depth++) {
            const tag = await get('/repos/{owner}/{repo}/git/tags/{tag_sha}', {
                tag_sha: current.sha,
            });
            if (!tag)
                return undefined;
            current = tag.object;
        }
        return current.type === 'commit' ? current.sha : undefined;
    };
    return {
        name: `the GitHub repository ${options.repository}`,
        commit: async (sha) => (await get('/repos/{owner}/{repo}/commits/{ref}', { ref: sha }))?.sha,
        branch: async (name) => (await get('/repos/{owner}/{repo}/branches/{branch}', { branch: name }))
            ?.commit.sha,
        tag: async (name) => {
            const ref = await get('/repos/{owner}/{repo}/git/ref/{ref}', {
                ref: `tags/${name}`,
            });
            return ref ? peel(ref.object) : undefined;
        },
    };
}


/***/ })

};
