#!/usr/bin/env bash
# Runs the scenario groups (plan §6.4) in order, each as its own process, and sums their results.
# Every scenario number of a selected group must report PASS or FAIL; one that does not (a group that
# crashed or stopped early) is counted as FAIL. The last line is "N passed, N failed"; the exit code is
# non-zero when anything failed.
#   TEST_GROUPS  groups to run, space-separated (default: smoke files modes replica data gc-reconcile errors)
#   RUN_INIT=1   run init-data.sh first (stop with an error if it fails)
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

# group → first and last scenario number
declare -A FIRST=([smoke]=1 [files]=4 [modes]=12 [replica]=19 [data]=23 [gc-reconcile]=25 [errors]=27)
declare -A LAST=([smoke]=3 [files]=11 [modes]=18 [replica]=22 [data]=24 [gc-reconcile]=26 [errors]=30)
: "${TEST_GROUPS:=smoke files modes replica data gc-reconcile errors}"
: "${RUN_INIT:=0}"

if [ "$RUN_INIT" = "1" ]; then
  bash "$SCRIPT_DIR/init-data.sh" || { log_fail "init-data.sh failed"; exit 2; }
fi

for group in $TEST_GROUPS; do
  if [ -z "${FIRST[$group]:-}" ]; then
    log_fail "unknown group '$group'"
    FAIL_COUNT=$((FAIL_COUNT + 1))
    continue
  fi
  out="$LIB_TMP/$group.out"
  log_info "=== group $group (scenarios ${FIRST[$group]}-${LAST[$group]}) ==="
  bash "$SCRIPT_DIR/test-$group.sh" | tee "$out"
  rc=${PIPESTATUS[0]}
  for n in $(seq "${FIRST[$group]}" "${LAST[$group]}"); do
    if grep -q "^PASS $n " "$out"; then
      PASS_COUNT=$((PASS_COUNT + 1))
    elif grep -q "^FAIL $n " "$out"; then
      FAIL_COUNT=$((FAIL_COUNT + 1))
    else
      fail "$n" "$group" "scenario did not report (test-$group.sh exited with $rc)"
    fi
  done
  if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
    fail "${LAST[$group]}" "$group" "test-$group.sh exited with $rc although no scenario failed"
  fi
done
finish
