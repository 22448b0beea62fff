export const id = 903;
export const ids = [903];
export const modules = {

/***/ 4903:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gitSource: () => (/* binding */ gitSource)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8418);
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3272);
/* harmony import */ var _gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7504);



/**
 * Refs looked up with git in a checkout: the fallback when there is no token. Local refs first
 * (a full checkout has them all), then `ls-remote origin` for what a shallow checkout lacks.
 */
async function gitSource(workspace) {
    // @actions/exec serves: these git queries take no input and need no timeout. Exit codes are answers.
    const git = (...args) => (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H)('git', args, { cwd: workspace, silent: true, ignoreReturnCode: true });
    const inside = await git('rev-parse', '--is-inside-work-tree').catch(() => {
        throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1("Input 'token' is empty, so refs are resolved with git, but git is not installed on this runner. " +
            'Pass a token (the default is github.token), or install git.');
    });
    if (inside.exitCode !== 0) {
        // "Not a repository" is the caller's to explain; any other refusal (dubious ownership) is said as git said it.
        const why = /not a git repository/.test(inside.stderr) ? undefined : (0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_2__/* .explainGitError */ .et)(inside.stderr);
        if (why)
            throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`git cannot read ${workspace}: ${why}.`);
        return undefined;
    }
    if (inside.stdout.trim() !== 'true')
        return undefined;
    const hasOrigin = (await git('remote')).stdout.split('\n').includes('origin');
    const revParse = async (name) => {
        const result = await git('rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`);
        return result.exitCode === 0 ? result.stdout.trim() : undefined;
    };
    /** `ls-remote` answers a ref and, for annotated tags, its peeled `^{}` line; the peeled one wins. */
    const lsRemote = async (ref) => {
        if (!hasOrigin)
            return undefined;
        const result = await git('ls-remote', '--end-of-options', 'origin', ref, `${ref}^{}`);
        if (result.exitCode !== 0) {
            const why = (0,_gatehouse_action_kit_known_errors__WEBPACK_IMPORTED_MODULE_2__/* .explainGitError */ .et)(result.stderr);
            throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_1__/* .ActionFailure */ .dR(`git ls-remote origin ${ref} failed${why ? `: ${why}` : ''}. git said: ${result.stderr.trim()}`);
        }
        const lines = result.stdout
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('\t'));
        const peeled = lines.find(([, name]) => name === `${ref}^{}`);
        return (peeled ?? lines.find(([, name]) => name === ref))?.[0];
    };
    const first = async (...candidates) => {
        for (const candidate of candidates) {
            const sha = await candidate();
            if (sha)
                return sha;
        }
        return undefined;
    };
    return {
        name: `the git checkout in ${workspace}`,
        commit: async (sha) => revParse(sha),
        branch: (name) => first(() => revParse(`refs/remotes/origin/${name}`), () => revParse(`refs/heads/${name}`), () => lsRemote(`refs/heads/${name}`)),
        tag: (name) => first(() => revParse(`refs/tags/${name}`), () => lsRemote(`refs/tags/${name}`)),
    };
}


/***/ })

};
