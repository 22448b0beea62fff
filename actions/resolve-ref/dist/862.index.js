export const id = 862;
export const ids = [862,171];
export const modules = {

/***/ 5862:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nextWait: () => (/* binding */ nextWait),
/* harmony export */   realClock: () => (/* binding */ realClock),
/* harmony export */   requireChecks: () => (/* binding */ requireChecks)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3272);
/* harmony import */ var _gatehouse_action_kit_short_sha__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2109);
/* harmony import */ var _gatehouse_github_client_commit_checks__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4171);
/* harmony import */ var _check_verdicts__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1684);
/* harmony import */ var _required_checks__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4784);





const realClock = {
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
const FIRST_WAIT_MS = 5_000;
const LONGEST_WAIT_MS = 30_000;
/** What GitHub asks after a rate limit when it names no time: a minute. */
const RATE_LIMIT_WAIT_MS = 60_000;
/**
 * The wait before the next reading: 5 s, then a quarter of the time already waited, at most 30 s.
 * CI takes minutes, so a commit is read about twice a minute once it has run a while (two to four
 * requests each), far inside GitHub's limits, and a short wait is not slowed by a long interval.
 */
function nextWait(elapsedMs) {
    return Math.min(LONGEST_WAIT_MS, Math.max(FIRST_WAIT_MS, Math.round(elapsedMs / 4)));
}
/**
 * Reads the commit's checks until every required one has passed (return), one has failed or is
 * missing with nothing left running (throw at once), or `timeoutMs` has passed (throw, naming
 * what was still pending). The last reading is taken at the deadline itself, so a timeout reports
 * what GitHub said then.
 */
async function requireChecks(request, deps) {
    const { clock } = deps;
    const start = clock.now();
    const deadline = start + request.timeoutMs;
    let last;
    for (let readings = 1;; readings++) {
        let limited = false;
        try {
            last = (0,_check_verdicts__WEBPACK_IMPORTED_MODULE_2__/* .judge */ .S4)(await deps.read(request.sha), request.required, request.ownRunId);
        }
        catch (error) {
            if (!(0,_gatehouse_github_client_commit_checks__WEBPACK_IMPORTED_MODULE_1__.isRateLimited)(error))
                throw error;
            limited = true;
        }
        if (last && !limited) {
            const verdict = (0,_check_verdicts__WEBPACK_IMPORTED_MODULE_2__/* .verdictOf */ .Vj)(last);
            if (verdict === 'passed') {
                return { findings: last.findings, ownJobs: last.ownJobs, readings, waitedMs: clock.now() - start };
            }
            if (verdict === 'failed')
                throw notCleared(request, last, undefined);
        }
        const now = clock.now();
        if (now >= deadline)
            throw notCleared(request, last, { limited, timeoutMs: request.timeoutMs });
        const wait = Math.min(Math.max(nextWait(now - start), limited ? RATE_LIMIT_WAIT_MS : 0), deadline - now);
        _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .log.info */ .Rm.info(`${limited ? "GitHub's rate limit was hit" : waitingLine(request.sha, last)}; reading again in ` +
            `${(0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(wait)} (checks-timeout ${(0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(request.timeoutMs)}, ${(0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(now - start)} spent).`);
        await clock.sleep(wait);
    }
}
function waitingLine(sha, judgement) {
    const pending = judgement.findings.filter((finding) => finding.state === 'pending');
    const parts = pending.map((finding) => `${finding.name} (${finding.result})`);
    const absent = judgement.missing.map((missing) => missing.name);
    const text = [
        parts.length > 0 ? `${parts.join(', ')} still running` : '',
        absent.length > 0
            ? `not there yet: ${absent.join(', ')} (${judgement.othersRunning} other check(s) running)`
            : '',
    ]
        .filter(Boolean)
        .join('; ');
    return `Waiting for the checks on ${(0,_gatehouse_action_kit_short_sha__WEBPACK_IMPORTED_MODULE_4__/* .shortSha */ .F)(sha)}: ${text}`;
}
function requirement(required) {
    return required.kind === 'all' ? 'all' : required.names.map((name) => `'${name}'`).join(', ');
}
/** The failure: each failing, missing or still pending check with its conclusion and link. */
function notCleared(request, judgement, timedOut) {
    const head = `Commit ${request.sha} has not passed the checks input '${_required_checks__WEBPACK_IMPORTED_MODULE_3__/* .REQUIRE_CHECKS_INPUT */ .T}' asks for ` +
        `(${requirement(request.required)}), so nothing was deployed.`;
    const after = timedOut ? (0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(timedOut.timeoutMs) : '';
    if (!judgement) {
        return new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`${head} GitHub's rate limit kept the checks from being read for ${after} (checks-timeout). ` +
            'Try again later, or raise checks-timeout.');
    }
    const lines = [
        ...judgement.findings.filter((finding) => finding.state === 'failed').map(_check_verdicts__WEBPACK_IMPORTED_MODULE_2__/* .describeFinding */ .jb),
        ...judgement.missing.map((missing) => `${missing.name}: missing — ${missing.why}`),
        ...judgement.findings
            .filter((finding) => finding.state === 'pending')
            .map((finding) => `${finding.name} (${finding.kind}): still ${finding.result} after ${after} (checks-timeout)` +
            (finding.url ? ` — ${finding.url}` : '')),
    ];
    const passed = judgement.findings.filter((finding) => finding.state === 'passed').length;
    const tail = [
        passed > 0 ? `${passed} other check(s) passed.` : '',
        timedOut?.limited ? "The last reading hit GitHub's rate limit; these are from the one before." : '',
    ]
        .filter(Boolean)
        .join(' ');
    return new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`${head}\n${lines.map((line) => `- ${line}`).join('\n')}${tail ? `\n${tail}` : ''}`);
}


/***/ }),

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
