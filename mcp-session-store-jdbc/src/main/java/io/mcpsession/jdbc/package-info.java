/**
 * The JDBC store: PostgreSQL, MariaDB, H2 and SQLite, shared by several instances.
 */
@NullMarked
package io.mcpsession.jdbc;

import org.jspecify.annotations.NullMarked;
