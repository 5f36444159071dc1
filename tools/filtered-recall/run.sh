#!/usr/bin/env bash
# Compiles and runs FilteredRecall against the built application's classes, e.g.
#   tools/filtered-recall/run.sh INDEX/gen-000001 none masterCategory=Footwear gender=Women
# (-Dm=0,1000 -Dq=300 -Dreps=2 in JAVA_OPTS: see FilteredRecall.java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
"$root/fashion" build >/dev/null
cp="$(ls "$root"/server/target/lib/*.jar | tr '\n' ':')"
out="$(mktemp -d)"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -cp "$cp" -d "$out" "$here/FilteredRecall.java"
# shellcheck disable=SC2086
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector \
  -cp "$out:$cp" com.fashionsearch.searcher.FilteredRecall "$@"
