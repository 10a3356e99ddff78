# Sourced by the shell tests (tests/cli/*.sh, tests/delivery/*.sh): pass/fail counters and
# `check NAME CONDITION...`, which runs CONDITION, counts it as passed when it exits 0, and otherwise prints
# "FAIL: NAME" and counts it as failed. A test ends with its own summary line and `test $fail -eq 0`.
fail=0
passed=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi
}
