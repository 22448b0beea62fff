export const id = 171;
export const ids = [171];
export const modules = {

/***/ 4171:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CHECKS_PERMISSIONS: () => (/* binding */ CHECKS_PERMISSIONS),
/* harmony export */   isRateLimited: () => (/* binding */ isRateLimited),
/* harmony export */   readCommitChecks: () => (/* binding */ readCommitChecks)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1901);
/* harmony import */ var _index__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5185);


/** The token permissions these reads need, as a workflow's `permissions:` names them. */
const CHECKS_PERMISSIONS = 'checks: read and statuses: read';
const PER_PAGE = 100;
/**
 * GitHub lists check runs of at most the 1000 newest check suites of a commit; thirty pages of a
 * hundred is well past any real commit, and bounds a listing that somehow never ends.
 */
const MAX_PAGES = 30;
/**
 * A 429, or a 403 whose message is one of GitHub's rate-limit messages ("API rate limit exceeded
 * for …", "You have exceeded a secondary rate limit"): wait, do not give up.
 */
function isRateLimited(error) {
    if (!(error instanceof _index__WEBPACK_IMPORTED_MODULE_0__.GithubApiError))
        return false;
    const limited = /rate limit exceeded|secondary rate limit/i.test(error.message);
    return error.status === 429 || (error.status === 403 && limited);
}
async function readCommitChecks(github, sha) {
    const [checkRuns, statuses] = await Promise.all([
        allPages(github, '/repos/{owner}/{repo}/commits/{ref}/check-runs', sha, 'check_runs', {
            filter: 'latest',
        }),
        allPages(github, '/repos/{owner}/{repo}/commits/{ref}/status', sha, 'statuses'),
    ]);
    return { checkRuns, statuses };
}
async function allPages(github, route, sha, key, query = {}) {
    const seen = new Map();
    const [owner, repo] = github.repository.split('/');
    const where = `GET ${(0,_index__WEBPACK_IMPORTED_MODULE_0__.filledRoute)(route, { owner, repo, ref: sha })}`;
    for (let page = 1; page <= MAX_PAGES; page++) {
        let body;
        try {
            body = await github.get(route, { ref: sha, per_page: PER_PAGE, page, ...query });
        }
        catch (error) {
            throw forbidden(error, where) ?? error;
        }
        if (body === undefined) {
            throw new _gatehouse_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionFailure */ .dR(`The GitHub API answered 404 for ${where}: the token cannot see the repository's ` +
                `checks (it needs ${CHECKS_PERMISSIONS}), or the commit is gone.`);
        }
        const items = Array.isArray(body[key]) ? body[key] : [];
        // Keyed, so an item that moves to the next page while we read (a new check run lands on top) counts once.
        for (const item of items)
            seen.set(identity(item), item);
        const total = typeof body.total_count === 'number' ? body.total_count : 0;
        if (items.length < PER_PAGE || page * PER_PAGE >= total)
            return [...seen.values()];
    }
    throw new _gatehouse_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionFailure */ .dR(`${where} lists more than ${MAX_PAGES * PER_PAGE} items; name the checks that matter instead of reading them all.`);
}
function identity(item) {
    const { id, context } = item;
    return id !== undefined ? `id:${String(id)}` : `context:${String(context)}`;
}
/** A 403 that is not a rate limit: the token lacks a permission, which the workflow grants. */
function forbidden(error, where) {
    if (!(error instanceof _index__WEBPACK_IMPORTED_MODULE_0__.GithubApiError) || error.status !== 403 || isRateLimited(error))
        return undefined;
    return new _gatehouse_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`The GitHub API refused ${where} (HTTP 403): the token needs ${CHECKS_PERMISSIONS} to read a commit's ` +
        'checks. Grant them in the job (permissions: { checks: read, statuses: read }); a reusable workflow gets ' +
        'at most what its caller grants, so the calling job must grant them too.');
}


/***/ })

};
