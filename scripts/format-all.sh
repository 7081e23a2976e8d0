#!/bin/sh
# One-time (and thereafter occasional) reformat of the whole tree with the checked-in Biome settings
# (biome.json: 2 spaces, single quotes, no semicolons, no trailing commas, 170 columns).
# `npm test` runs `biome format .` (format:check), which fails on any file this would change.
# Run it on a clean tree, review `git diff --stat`, and commit the result on its own
# ("Format the tree with Biome"), so that it never mixes with a behaviour change in review or blame.
set -e
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "format-all: commit or stash your changes first, so the reformat is a commit of its own." >&2
  exit 1
fi
node_modules/.bin/biome format --write .
git diff --shortstat
echo "format-all: review, then: git commit -am 'Format the tree with Biome (scripts/format-all.sh)'"
