#!/usr/bin/env bash
# Measures how many usage events per second billing-service bills, on this machine, against real Kafka and
# real PostgreSQL: packages the service, puts a backlog on a 3-partition topic, starts the packaged service and
# times it from the first ledger line to the last. Usage: bench/consumer-throughput.sh [events] (default 100000).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -pl billing-service verify -Dit.test=ConsumerThroughputBench -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dbench.events="${1:-100000}" 2>&1 | grep -E "consumer throughput|Tests run:|FAIL|BUILD"
