#!/usr/bin/env bash
# Runs `fashion bench load` against two builds of fashion serve, one at a time, on the loopback
# interface: the mixed workload alone, then with 24 and with 96 threads uploading a 7,000 x 7,000 PNG.
# Each run starts a fresh server (so its VmHWM is that run's peak) and is bounded in time and requests.
#   tools/load-test/compare.sh BASE_CHECKOUT INDEX CATALOG [SECONDS]
# BASE_CHECKOUT: another built checkout (its ./fashion and server/target); this checkout is "after".
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE="${1:?base checkout}"; INDEX="${2:?index folder}"; CATALOG="${3:?catalog folder}"; SECONDS_PER_RUN="${4:-30}"
PORT=7093

run_one() { # label checkout oversized
  local label="$1" checkout="$2" oversized="$3" pid
  "$checkout/fashion" serve --index "$INDEX" --port "$PORT" --host 127.0.0.1 > "/tmp/load-serve-$label-$oversized.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/health" > /dev/null 2>&1 && break
    sleep 1
  done
  echo "=== $label oversized=$oversized (server pid $pid, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$HERE/fashion" bench load --url "http://127.0.0.1:$PORT" --catalog "$CATALOG" --clients 8 \
    --oversized "$oversized" --duration-s "$SECONDS_PER_RUN" --max-requests 100000 --pid "$pid" 2>&1 | grep -v '^WARNING'
  if ! kill -0 "$pid" 2>/dev/null; then echo "server $label died during the run:"; grep -m3 -i 'error\|exception' "/tmp/load-serve-$label-$oversized.log" || true; fi
  echo "server log OutOfMemoryError lines: $(grep -c 'OutOfMemoryError' "/tmp/load-serve-$label-$oversized.log" || true)"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

for oversized in 0 24 96; do
  run_one before "$BASE" "$oversized"
  run_one after "$HERE" "$oversized"
done
