#!/bin/sh
# Runs every fuzz target of the module for FUZZTIME each (default 10s):
# the targets are found, not listed, so a new Fuzz function is fuzzed by
# make fuzz without editing anything.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
n=0
for file in $(git ls-files '*_test.go'); do
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		pkg=./$(dirname "$file")
		echo "fuzz: $pkg $target ($FUZZTIME)"
		$GO test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg"
		n=$((n + 1))
	done
done
echo "fuzz: $n targets, none failed"
