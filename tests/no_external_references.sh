#!/bin/sh
# Fails when a file of the repository refers to documents a user's clone does not have: the
# project's private design notes or its reference material outside the repository. The theory
# the code implements is in docs/theory.md and docs/references.md.
# Usage: no_external_references.sh SOURCE_DIR
set -u
src=${1:?usage: no_external_references.sh SOURCE_DIR}
# The patterns are split so that this script does not match itself.
theory="THEORY"".md"
design="DESIGN"".md"
outside="\.\./shared""/"

scan() {  # scan DIR: prints matching lines, exit 0 iff there are any
  if git -C "$1" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked and untracked files, not ignored ones (build trees, results).
    git -C "$1" grep -n -I --untracked -e "$theory" -e "$design" -e "$outside"
  else
    grep -rnI --exclude-dir=.git --exclude-dir='build*' --exclude-dir=results \
      -e "$theory" -e "$design" -e "$outside" "$1"
  fi
}

# The scan can fail: it must find a mention planted in a scratch directory.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf 'see %s\n' "$theory" >"$scratch/planted.txt"
if ! scan "$scratch" >/dev/null; then
  echo "self-check failed: the scan does not find a planted mention" >&2
  exit 1
fi

if scan "$src"; then
  echo "the files above refer to documents outside the repository; cite docs/theory.md instead" >&2
  exit 1
fi
echo "no references to documents outside the repository"
