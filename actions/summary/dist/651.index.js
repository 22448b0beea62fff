export const id = 651;
export const ids = [651];
export const modules = {

/***/ 7651:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   restoreHistory: () => (/* binding */ restoreHistory)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3272);
/* harmony import */ var _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5520);


/**
 * The search for the newest trusted history artifact, through the Actions API. Every failure
 * becomes `failed` with its reason: the deploy's own result must never depend on its history.
 */
async function restoreHistory(options) {
    const artifactName = (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .historyArtifactName */ .gm)(options.environment);
    try {
        const rules = (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .trustRules */ .gN)(options.trust, (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .runOrigin */ .sd)(options.env), "input 'restore-history'");
        const github = await (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .createGithubClient */ .zZ)(options);
        const search = await (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .findTrustedHistory */ .Jn)(github, new _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__/* .RunChecker */ .N(github, rules), options.environment, options.fileName);
        const passedOver = search.skipped.map(({ artifact, why, untrusted }) => ({
            artifactId: artifact.id,
            ...(artifact.workflow_run?.id === undefined ? {} : { runId: artifact.workflow_run.id }),
            why,
            untrusted,
        }));
        if (search.found) {
            const { artifact, run, text } = search.found;
            return {
                kind: 'restored',
                text,
                artifact: { id: artifact.id, name: artifact.name },
                run: { id: run.run.id, path: run.run.path, ref: run.ref },
                passedOver,
            };
        }
        if (search.exhausted) {
            return {
                kind: 'failed',
                why: `no ${artifactName} artifact from a trusted run among the newest ones looked at (${passedOver.length} passed over).`,
            };
        }
        return { kind: 'none', artifactName, passedOver };
    }
    catch (error) {
        const status = error.status;
        const hint = status === 403 ? ' The job needs permissions: actions: read.' : '';
        return { kind: 'failed', why: `could not look for ${artifactName}: ${(0,_gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}${hint}` };
    }
}


/***/ })

};
