#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then lint, typecheck and every
# vitest test (unit, end-to-end through the bundles, dist freshness, workflow lint).
# Ends with one line: `N passed, N failed[, N skipped]` (lint and typecheck count as one test each).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --system-packages || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}
check lint pnpm exec biome check .
check typecheck pnpm exec tsc -p tsconfig.json --noEmit

mkdir -p .tmp
rm -f .tmp/vitest-results.json
pnpm exec vitest run
vitest_exit=$?
if [ -f .tmp/vitest-results.json ]; then
  read -r t_passed t_failed t_skipped < <(node -e '
    const r = require("./.tmp/vitest-results.json");
    console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests);')
else
  t_passed=0 t_failed=1 t_skipped=0
fi
passed=$((passed + t_passed))
failed=$((failed + t_failed))
if [ "$vitest_exit" -ne 0 ] && [ "$t_failed" -eq 0 ]; then failed=$((failed + 1)); fi

line="$passed passed, $failed failed"
[ "${t_skipped:-0}" -gt 0 ] && line="$line, $t_skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
