export const id = 760;
export const ids = [760];
export const modules = {

/***/ 9760:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubSource: () => (/* binding */ githubSource)
/* harmony export */ });
/** Refs looked up through the GitHub REST API (commits, branches and git refs endpoints). */
function githubSource(github) {
    /** An annotated tag points at a tag object; follow it to the commit. */
    const peel = async (object) => {
        let current = object;
        for (let depth = 0; current.type === 'tag' && depth < 5; depth++) {
            const tag = await github.get('/repos/{owner}/{repo}/git/tags/{tag_sha}', {
                tag_sha: current.sha,
            });
            if (!tag)
                return undefined;
            current = tag.object;
        }
        return current.type === 'commit' ? current.sha : undefined;
    };
    return {
        name: `the GitHub repository ${github.repository}`,
        // 422 is GitHub's answer for a SHA-shaped ref it has no commit for.
        commit: async (sha) => (await github.get('/repos/{owner}/{repo}/commits/{ref}', { ref: sha }, { missingOn422: true }))?.sha,
        branch: async (name) => (await github.get('/repos/{owner}/{repo}/branches/{branch}', {
            branch: name,
        }))?.commit.sha,
        tag: async (name) => {
            const ref = await github.get('/repos/{owner}/{repo}/git/ref/{ref}', {
                ref: `tags/${name}`,
            });
            return ref ? peel(ref.object) : undefined;
        },
    };
}


/***/ })

};
