package io.mcpsession.autoconfigure;

/**
 * The stores mcp-session can use, in the order they are detected.
 */
public enum StoreType {

    /** A JDBC database (PostgreSQL, MariaDB, H2, SQLite). */
    JDBC,

    /** Redis. */
    REDIS,

    /** NATS JetStream. */
    NATS,

    /** DynamoDB. */
    DYNAMODB,

    /** This JVM's memory. */
    MEMORY

}
