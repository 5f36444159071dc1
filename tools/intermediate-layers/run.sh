#!/usr/bin/env bash
# Compiles the intermediate-layer experiment against the built application's classes and runs one
# of its steps, e.g.
#   tools/intermediate-layers/run.sh Layers ../shared/data/fashion-5k MODEL.tflite /tmp/layers-5k
#   tools/intermediate-layers/run.sh HeldOut ../shared/data/fashion-5k /tmp/layers-5k/L13avg.emb,... 1024 \
#       OTHER_CATALOG /tmp/layers-other/L13avg.emb,...
# (5-fold figures: tools/learned-projection/run.sh with RAWDIM=1024 on the same caches).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
[ -n "${SKIP_BUILD:-}" ] || "$root/fashion" build >/dev/null
cp="$root/models/target/classes:$(ls "$root"/server/target/lib/*.jar | grep -v fashion-models | tr '\n' ':')"
out="$(mktemp -d)"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn -cp "$cp" -d "$out" "$here"/*.java "$root/tools/learned-projection/ProjectionSweep.java"
main="$1"; shift
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx8g \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  ${JAVA_OPTS:-} -cp "$out:$cp" "$main" "$@"
