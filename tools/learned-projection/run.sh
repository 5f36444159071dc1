#!/usr/bin/env bash
# Compiles and runs ProjectionSweep against the built application's classes, e.g.
#   tools/learned-projection/run.sh ../shared/data/fashion-5k /tmp/ix/cache/mobilenet-v1__*.emb \
#       articleType,subCategory,gender,usage,baseColour 0.75 30 256
# (edit the blends array in ProjectionSweep.java to choose the variants scored; ENS, BETA, TRAINFRAC
# and FOLDS_RUN in the environment: see ProjectionSweep.java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
"$root/fashion" build >/dev/null
cp="$root/models/target/classes:$(ls "$root"/server/target/lib/*.jar | grep -v fashion-models | tr '\n' ':')"
out="$(mktemp -d)"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -cp "$cp" -d "$out" "$here/ProjectionSweep.java"
OMP_NUM_THREADS=1 exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$out:$cp" ProjectionSweep "$@"
