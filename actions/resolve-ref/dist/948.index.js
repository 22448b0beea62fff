export const id = 948;
export const ids = [948];
export const modules = {

/***/ 5948:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   requireSuccessfulDeployment: () => (/* binding */ requireSuccessfulDeployment)
/* harmony export */ });
/* harmony import */ var _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3272);
/* harmony import */ var _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5185);


/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run), made by a trusted run of
 * a deploy workflow that recorded it in its own deploy history (see findVouchedDeployment).
 */
async function requireSuccessfulDeployment(github, rules, sha, environment) {
    const { found, refused } = await (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__.findVouchedDeployment)(github, new _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__.RunChecker(github, rules), {
        environment,
        sha,
    });
    if (found)
        return found;
    const tried = refused.length === 0
        ? 'it has no Gatehouse deployment there'
        : `none of its ${refused.length} Gatehouse deployment(s) there can be trusted: ${(0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_1__.describeRefusals)(refused)}`;
    throw new _gatehouse_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .ActionFailure */ .dR(`Commit ${sha} has not been deployed successfully to '${environment}' by a trusted run (${tried}). ` +
        `Input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`);
}


/***/ })

};
