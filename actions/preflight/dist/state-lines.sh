# shellcheck shell=bash
# Reads deploy-state.json back by its fixed line layout (see deploy-state.ts): each entry is one
# line of JSON, so sed can pick current, previous and the history out without a JSON parser.
gh_state_current() { sed -n 's/^  "current": \(.*\),$/\1/p' -- "$1"; }
gh_state_previous() { sed -n 's/^  "previous": \(.*\),$/\1/p' -- "$1"; }
gh_state_history() { sed -n '/^  "history": \[$/,/^  \]$/s/^    \({.*}\),\{0,1\}$/\1/p' -- "$1"; }
