#!/usr/bin/env bash
# The whole engine on this machine, with nothing installed but a JDK 17+:
# a Kafka broker (KRaft), Redis and a Flink cluster running every job, in one JVM, and the control plane
# (Spring Boot) as a child process of it.
#
#   ./local/run.sh           build what is needed, start the stack, print its endpoints and admin key, then "ready"
#   ./local/run.sh --demo    the same, plus a demo event catalog defined through the control plane's API and
#                            sample traffic through its POST /api/v1/events and straight to Kafka, with a live tally
#
# Ctrl-C stops everything; the next start reuses the data in local/data. See local/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULE=local/launcher
CP_FILE="$MODULE/target/classpath.txt"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "run.sh: no java found; install a JDK 17+ (or set JAVA_HOME)" >&2
  exit 1
fi
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
if [[ -z "$JAVA_MAJOR" || "${JAVA_MAJOR%%.*}" -lt 17 ]]; then
  echo "run.sh: Java 17 or newer is needed (found: ${JAVA_MAJOR:-unknown})" >&2
  exit 1
fi

# Extra Maven arguments, e.g. QA_MAVEN_ARGS=-o to build offline.
read -r -a MVN_EXTRA <<< "${QA_MAVEN_ARGS:-}"
MVN=(./mvnw -q -B ${MVN_EXTRA[@]+"${MVN_EXTRA[@]}"})

if [[ "${QA_SKIP_BUILD:-0}" != "1" ]]; then
  echo "run.sh: building the launcher, the control plane and the modules they need (QA_SKIP_BUILD=1 skips this) ..."
  # One reactor run: install the launcher and its sibling modules (the control plane's Boot jar included:
  # the launcher names it as a build-order dependency), and write each module's runtime classpath to its
  # target/classpath.txt (a relative outputFile resolves against each module's dir).
  "${MVN[@]}" install -DskipTests -pl "$MODULE" -am \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
  touch "$CP_FILE" # the plugin leaves an unchanged file untouched; its time tells when it was checked
elif [[ ! -f "$CP_FILE" || "$MODULE/pom.xml" -nt "$CP_FILE" || pom.xml -nt "$CP_FILE" ]]; then
  echo "run.sh: QA_SKIP_BUILD=1: only resolving the launcher's classpath ..."
  "${MVN[@]}" dependency:build-classpath -pl "$MODULE" -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
  touch "$CP_FILE"
fi
if [[ ! -d "$MODULE/target/classes/dev" ]]; then
  echo "run.sh: $MODULE is not built; run without QA_SKIP_BUILD=1 once" >&2
  exit 1
fi

export QA_DATA_DIR="${QA_DATA_DIR:-$ROOT/local/data}"
mkdir -p "$QA_DATA_DIR/logs"

# Flink and RocksDB need these opens on Java 17+.
OPENS=(--add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
       --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED)
read -r -a JAVA_OPTS <<< "${QA_JAVA_OPTS:--Xmx3g}"

# exec: the JVM replaces this shell, so Ctrl-C / kill -INT / kill -TERM reach its shutdown hook directly.
exec "$JAVA" "${JAVA_OPTS[@]}" "${OPENS[@]}" \
    -cp "$MODULE/target/classes:$(cat "$CP_FILE")" \
    dev.qaengine.local.LocalStack "$@"
