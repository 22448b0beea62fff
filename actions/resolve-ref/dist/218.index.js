export const id = 218;
export const ids = [218];
export const modules = {

/***/ 6218:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   requireSuccessfulDeployment: () => (/* binding */ requireSuccessfulDeployment)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3328);

/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run). A deployment counts when
 * its latest status is `success`.
 */
async function requireSuccessfulDeployment(github, sha, environment) {
    const deployments = (await github.get('/repos/{owner}/{repo}/deployments', {
        sha,
        environment,
        per_page: 30,
    })) ?? [];
    for (const deployment of deployments) {
        const statuses = (await github.get('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            deployment_id: deployment.id,
            per_page: 1,
        })) ?? [];
        // GitHub lists statuses newest first.
        if (statuses[0]?.state === 'success')
            return deployment.id;
    }
    const tried = deployments.length === 0
        ? 'it has no deployment there'
        : `none of its ${deployments.length} deployment(s) there ended in success`;
    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Commit ${sha} has not been deployed successfully to '${environment}' (${tried}); ` +
        `input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`);
}


/***/ })

};
