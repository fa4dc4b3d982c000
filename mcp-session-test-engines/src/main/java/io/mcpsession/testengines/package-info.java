/**
 * Finds the servers that the project's tests and benchmarks run against, in one order for every engine: the
 * {@code MCP_SESSION_TEST_*} variable, else the server on its default local port when it answers, else a
 * Testcontainers container where Docker runs, else a server that a Maven artifact ships, else a failure that
 * names what to set. A test that needs a server never skips: a skipped test would hide a broken store.
 */
@NullMarked
package io.mcpsession.testengines;

import org.jspecify.annotations.NullMarked;
