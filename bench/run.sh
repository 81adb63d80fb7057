#!/usr/bin/env bash
# The benchmark in one command: each stage beside a Flink Kafka-to-Kafka pass-through (see bench/README.md).
#   bench/run.sh [stage ...] [--events N] [--runs R] [--profile] [--flink key=value] ...
# QA_SKIP_BUILD=1 skips the Maven build; QA_MVN_FLAGS adds Maven flags (e.g. -o for offline).
# QA_BENCH_JAVA_OPTS adds JVM flags. Other QA_* variables reach both jobs' Settings alike.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/bench/target"
MVN=("$ROOT/mvnw" -q -B ${QA_MVN_FLAGS:-})

if [[ "${QA_SKIP_BUILD:-0}" != "1" ]]; then
  echo "building qa-bench and the modules it depends on ..." >&2
  "${MVN[@]}" install -DskipTests -pl bench -am
fi
if [[ ! -d "$OUT/classes" ]]; then
  echo "bench/target/classes is missing: build first (unset QA_SKIP_BUILD)" >&2
  exit 2
fi

CP_FILE="$OUT/classpath.txt"
if [[ "${QA_SKIP_BUILD:-0}" != "1" || ! -s "$CP_FILE" || "$ROOT/bench/pom.xml" -nt "$CP_FILE" ]]; then
  "${MVN[@]}" dependency:build-classpath -pl bench -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE" >&2
fi

mkdir -p "$OUT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -Xmx6g \
  --add-opens java.base/java.util=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  -Dlog4j2.configurationFile="$OUT/classes/log4j2-bench.properties" \
  -Dbench.log="$OUT/bench.log" \
  ${QA_BENCH_JAVA_OPTS:-} \
  -cp "$OUT/classes:$(cat "$CP_FILE")" \
  dev.qaengine.bench.Bench --out "$OUT" "$@"
