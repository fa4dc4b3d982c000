-- Ends the sequencer's work on a drained session: clears its announcement unless it was announced again
-- meanwhile, and forgets its numbering cursor once its queue is gone (a new queue gets a new qe).
-- ARGV: lease token, sid, the announcement number the sequencer started from, '1' when the queue is gone
-- Reply: {'lost'} | {'ok'}
if redis.call('GET', LEASE) ~= ARGV[1] then
    return { 'lost' }
end
local sid = ARGV[2]
local number = redis.call('ZSCORE', DIRTY, sid)
if number and tonumber(number) == tonumber(ARGV[3]) then
    redis.call('ZREM', DIRTY, sid)
end
if ARGV[4] == '1' then
    redis.call('HDEL', CURSOR, sid)
end
return { 'ok' }
