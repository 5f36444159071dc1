#!/usr/bin/env bash
# Compiles the fine-tuning experiment against the built application's classes and runs one of its
# steps on one thread, e.g.
#   tools/fine-tune/run.sh Extract ../shared/data/fashion-5k MODEL.tflite CACHE.emb /tmp/block12.bin
#   tools/fine-tune/run.sh FineTune ../shared/data/fashion-5k MODEL.tflite CACHE.emb /tmp/block12.bin
# (FineTune's settings come from the environment: see FineTune.java). JAVA_OPTS adds JVM options.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
[ -n "${SKIP_BUILD:-}" ] || "$root/fashion" build >/dev/null
cp="$root/models/target/classes:$(ls "$root"/server/target/lib/*.jar | grep -v fashion-models | tr '\n' ':')"
out="$(mktemp -d)"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn -cp "$cp" -d "$out" "$here"/*.java "$root/tools/learned-projection/ProjectionSweep.java"
main="$1"; shift
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec nice -n 10 "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx6g \
  -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G \
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=1 \
  --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  ${JAVA_OPTS:-} -cp "$out:$cp" "$main" "$@"
