-- Ends the sequencer's work on drained sessions: clears each one's announcement unless it was announced again
-- meanwhile, and forgets its numbering cursor once its queue is gone (a new queue gets a new qe).
-- ARGV: lease token, then per session: sid, the announcement number the sequencer started from, '1' when its
--       queue is gone
-- Reply: {'lost'} | {'ok'}
if redis.call('GET', LEASE) ~= ARGV[1] then
    return { 'lost' }
end
for at = 2, #ARGV, 3 do
    local sid = ARGV[at]
    local number = redis.call('ZSCORE', DIRTY, sid)
    if number and tonumber(number) == tonumber(ARGV[at + 1]) then
        redis.call('ZREM', DIRTY, sid)
    end
    if ARGV[at + 2] == '1' then
        redis.call('HDEL', CURSOR, sid)
    end
end
return { 'ok' }
