#!/usr/bin/env bash
# The benchmark, in one command from the repository root:   bench/bench.sh
#
# Builds the mock jar and the bench runner, fetches WireMock standalone (pinned in the parent pom) from Maven
# Central, installs wrk (Debian) if it is missing, then starts the mock, WireMock and a bare Javalin route on
# 127.0.0.1 and drives each with wrk at identical settings. Prints the table and writes reports/bench/bench.{json,md}.
# Every server it starts is stopped on exit, on failure and on Ctrl-C.
#
# Environment: BENCH_DURATION (s per measurement, 8), BENCH_WARMUP (20), BENCH_ROUNDS (5), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_JVM_FLAGS ("-Xms1g -Xmx1g"), MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk (Debian package)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi

echo "bench: building the mock jar and the bench runner"
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -Pbench -pl bench -am package -DskipTests

WIREMOCK_VERSION=$(sed -n 's:.*<wiremock.version>\(.*\)</wiremock.version>.*:\1:p' pom.xml | head -1)
PIDS="$ROOT/bench/target/bench-run/servers.pid"
mkdir -p "$(dirname "$PIDS")"
: > "$PIDS"
RUNNER=""
cleanup() {
  # the runner stops its servers itself; this catches what a killed runner left behind
  [ -n "$RUNNER" ] && kill "$RUNNER" 2>/dev/null && wait "$RUNNER" 2>/dev/null
  ours() { [ -n "$1" ] && grep -qa -e runpod-mock.jar -e wiremock-standalone -e BareJavalin "/proc/$1/cmdline" 2>/dev/null; }
  while read -r pid; do ours "$pid" && kill "$pid" 2>/dev/null || true; done < "$PIDS"
  sleep 1
  while read -r pid; do ours "$pid" && kill -9 "$pid" 2>/dev/null || true; done < "$PIDS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BENCH_PID_FILE="$PIDS" BENCH_WIREMOCK_VERSION="$WIREMOCK_VERSION" \
  java -jar bench/target/runpod-bench.jar "$ROOT" &
RUNNER=$!
wait "$RUNNER"
STATUS=$?
RUNNER=""
exit $STATUS
