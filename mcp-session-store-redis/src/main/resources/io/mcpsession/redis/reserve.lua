-- Takes a max-sessions slot for a session about to be created, before it is (so a crash never leaves a session
-- the sweeper cannot find). An id already holding a slot keeps it.
-- ARGV: sid, max sessions, first visit (ms)
-- Reply: {'ok'} | {'full'}
if redis.call('ZSCORE', SESSIONS, ARGV[1]) then
    return { 'ok' }
end
if redis.call('ZCARD', SESSIONS) >= tonumber(ARGV[2]) then
    return { 'full' }
end
redis.call('ZADD', SESSIONS, ARGV[3], ARGV[1])
return { 'ok' }
