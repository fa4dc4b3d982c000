-- mcp-session JDBC store schema, version 3 (postgresql), for the default table prefix MCP_: an event keeps its producer's
-- timestamp (EVENT_TIME) apart from when the store appended it (CREATED_AT, which the TTL counts from); events of
-- earlier versions have none and read as appended. Applies after V2.
ALTER TABLE MCP_EVENTS ADD EVENT_TIME BIGINT;

UPDATE MCP_STORE SET VALUE_TEXT = '3' WHERE NAME = 'schema-version';
