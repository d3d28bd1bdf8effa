#!/usr/bin/env bash
# The house style, enforced: every C++ file as clang-format makes it (.clang-format), and the
# bug-catching checks of .clang-tidy over daemon/. Needs a configured build for clang-tidy's
# compile_commands.json and the generated protobuf headers.
#
# Usage: scripts/check-style.sh [BUILD_DIR]    (default build/asan)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}

mapfile -t cxx < <(git ls-files '*.cpp' '*.hpp' '*.h')
if ! clang-format --dry-run --Werror "${cxx[@]}"; then
  echo "style: the files above differ from .clang-format; run: clang-format -i \$(git ls-files '*.cpp' '*.hpp' '*.h')" >&2
  exit 1
fi

mapfile -t sources < <(git ls-files 'daemon/*.cpp')
# gcc's warning flags in compile_commands.json are not all clang's.
printf '%s\n' "${sources[@]}" |
  xargs -P 2 -n 8 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option \
    2> >(grep -v '^[0-9]* warnings generated' >&2)
echo "style: clang-format and clang-tidy clean (${#cxx[@]} files formatted, ${#sources[@]} checked)"
