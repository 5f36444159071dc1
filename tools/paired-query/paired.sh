#!/usr/bin/env bash
# Alternates two builds of the searcher on one filtered query line, ROUNDS times: a JVM each, so
# that a noisy machine slows both alike. Both checkouts must be built (./fashion builds its own).
#   tools/paired-query/paired.sh ../main . gender=Women 4 [INDEX_ROOT] [QUERIES_FVECS] [QUERIES]
set -euo pipefail
a=$1 b=$2 filter=$3 rounds=$4
work=/tmp/fbq-sorted/catalog-n44000-d4096-seed42
index=${5:-$work/index-m16-beam100-bbq}
fvecs=${6:-$work/queries.fvecs}
queries=${7:-200}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
here=$(cd "$(dirname "$0")" && pwd)
for ((i = 1; i <= rounds; i++)); do
  for build in "$a" "$b"; do
    printf '%s ' "$build"
    "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
      -cp "$build/server/target/fashion.jar:$build/server/target/lib/*" \
      "$here/PairedQuery.java" "$index" "$filter" "$queries" "$fvecs" 2>/dev/null | grep '^filter='
  done
done
