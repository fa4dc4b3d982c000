-- mcp-session JDBC store schema, version 2 (sqlite), for the default table prefix MCP_: each feed entry records its
-- session's principal, so that a reader sees only its own principal's entries. Applies after V1.
ALTER TABLE MCP_FEED ADD PRINCIPAL VARCHAR(256);

UPDATE MCP_FEED SET PRINCIPAL = COALESCE(
	(SELECT S.PRINCIPAL FROM MCP_SESSIONS S WHERE S.ID = MCP_FEED.SESSION_ID),
	(SELECT R.PRINCIPAL FROM MCP_REMOVED_SESSIONS R WHERE R.ID = MCP_FEED.SESSION_ID));

CREATE INDEX MCP_FEED_IX1 ON MCP_FEED (PRINCIPAL, SEQ);

UPDATE MCP_STORE SET VALUE_TEXT = '2' WHERE NAME = 'schema-version';
