-- Marks sessions as having queued feed entries. Each announcement gets a new number, so the sequencer can tell
-- whether a session was announced again while it drained it.
-- ARGV: session ids
-- Reply: {announcement number}
local number = redis.call('INCR', DIRTY_SEQ)
for i = 1, #ARGV do
    redis.call('ZADD', DIRTY, number, ARGV[i])
end
return { str(number) }
