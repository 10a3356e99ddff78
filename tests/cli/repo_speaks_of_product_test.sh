#!/usr/bin/env bash
# The repository speaks of the product only: no file says who or what wrote or transcribed it.
# Scans every tracked text file for authorship notes; prints each hit with file:line and fails on any.
set -u
SRC="$1"
cd "$SRC" || exit 2
pattern='transcribed (from|by)[^.]*\((helper|agent|assistant)|\bhelper [A-H]\b|\(helper [A-Z]\)|written by (an? )?(helper|agent|assistant|ai\b)|whoever writes|the coordinator|\bthe lead\b|lead.s rule|\bthe brief\b|assignment brief|main session|another helper|other helpers|\bI (transcribed|checked|kept|did not|cannot|treated|also added)\b|earlier in the session'
hits=$(git ls-files -z -- ':!tests/cli/repo_speaks_of_product_test.sh' | xargs -0 grep -n -I -i -E "$pattern" 2>/dev/null)
if [ -n "$hits" ]; then
  echo "Authorship notes found (the repo speaks of the product only):"
  echo "$hits"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "1 passed, 0 failed"
