#!/usr/bin/env bash
# Builds the benchmark module and runs the whole suite (about 45 minutes on 2 cores), writing
# mcp-session-benchmarks/target/benchmark-results/results.md (the table of BENCHMARKS.md) and the raw results.
# The jdbc and redis rows need a PostgreSQL and a Redis: MCP_SESSION_BENCH_JDBC_URL (a jdbc:postgresql: URL)
# and MCP_SESSION_BENCH_REDIS_URL (a redis:// URL), else the servers the tests find (MCP_SESSION_TEST_POSTGRES_URL
# and MCP_SESSION_TEST_REDIS_URL, else the default local ports, else Testcontainers, else embedded servers).
#
# The nats and dynamodb rows need a NATS with JetStream and a DynamoDB endpoint: MCP_SESSION_BENCH_NATS_URL (a
# nats:// URL, else the default local port) and MCP_SESSION_BENCH_DYNAMODB_URL (an http:// endpoint, else the
# tests' DynamoDB: the default local dynalite port, else a dynalite the build installs with npm).
#
# Usage: mcp-session-benchmarks/run.sh [--parts=jmh,jdbc,nats,dynamodb,http,sse,replay,longpoll,memory,mcp]
#                                      [--jmh-profiler=jfr] [--out=DIR] [--smoke]
#
# The MCP transport against Spring AI's in-memory transport, on memory and PostgreSQL (3 minutes):
#   MCP_SESSION_BENCH_JDBC_URL='jdbc:postgresql://localhost:5432/test?user=postgres' \
#       mcp-session-benchmarks/run.sh --parts=mcp
set -euo pipefail
cd "$(dirname "$0")/.."

# 5,000 idle SSE streams hold about 5,000 descriptors in the server and as many in the client process.
want=16384
soft=$(ulimit -Sn)
hard=$(ulimit -Hn)
if [ "$soft" != unlimited ] && [ "$soft" -lt "$want" ]; then
    if [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ]; then
        ulimit -Sn "$want"
    else
        ulimit -Sn "$hard"
    fi
fi
echo "[bench] open files limit: $(ulimit -Sn)"

./mvnw -q -B -pl mcp-session-benchmarks -am package -DskipTests
cd mcp-session-benchmarks
exec java -Xms4g -Xmx4g -jar target/benchmarks.jar "$@"
