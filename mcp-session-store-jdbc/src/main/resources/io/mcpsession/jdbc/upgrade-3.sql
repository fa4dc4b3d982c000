-- Upgrades the mcp-session JDBC store's tables from schema version 2 to 3 (every platform): an event keeps its
-- producer's timestamp (EVENT_TIME) apart from when the store appended it (CREATED_AT, which the TTL counts from);
-- events of earlier versions have none and read as appended.
ALTER TABLE %TABLE_PREFIX%EVENTS ADD EVENT_TIME BIGINT;

UPDATE %TABLE_PREFIX%STORE SET VALUE_TEXT = '3' WHERE NAME = 'schema-version';
