# shellcheck shell=bash
# target local with `command`: the platform rolls itself back (kubectl rollout undo, railway…),
# with ROLLBACK_TO and DEPLOY_ENVIRONMENT in its environment.
bash -euo pipefail -c "${GH_COMMAND}" gatehouse-rollback </dev/null
