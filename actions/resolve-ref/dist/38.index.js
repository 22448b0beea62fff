export const id = 38;
export const ids = [38];
export const modules = {

/***/ 7038:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubSource: () => (/* binding */ githubSource)
/* harmony export */ });
/* harmony import */ var _gatehouse_github_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5185);

/** Refs looked up through the GitHub REST API (commits, branches and git refs endpoints). */
function githubSource(github) {
    return {
        name: `the GitHub repository ${github.repository}`,
        // 422 is GitHub's answer for a SHA-shaped ref it has no commit for.
        commit: async (sha) => (await github.get('/repos/{owner}/{repo}/commits/{ref}', { ref: sha }, { missingOn422: true }))?.sha,
        branch: async (name) => (await github.get('/repos/{owner}/{repo}/branches/{branch}', {
            branch: name,
        }))?.commit.sha,
        tag: (name) => (0,_gatehouse_github_client__WEBPACK_IMPORTED_MODULE_0__.tagCommit)(github, name),
    };
}


/***/ })

};
