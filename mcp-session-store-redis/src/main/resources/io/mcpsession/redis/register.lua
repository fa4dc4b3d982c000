-- Registers a created session for listing and sweeping; a registration of an earlier session of that id that
-- was never removed is retired first.
-- ARGV: sid, first visit (ms), token, created (ms), principal ('' when anonymous), now (ms), tombstone capacity
-- Reply: {'ok'}
local sid, token, created, principal = ARGV[1], ARGV[3], ARGV[4], ARGV[5]
local previous = redis.call('HGET', REG, sid)
if previous then
    retire(sid, previous, ARGV[6], tonumber(ARGV[7]))
end
redis.call('HDEL', TOMB, sid)
redis.call('ZREM', TOMB_ORDER, sid)
redis.call('ZADD', SESSIONS, ARGV[2], sid)
redis.call('HSET', REG, sid, token .. '\n' .. created .. '\n' .. principal)
redis.call('ZADD', CREATED, 0, created_member(created, sid))
redis.call('ZADD', OWNED, 0, owned_member(principal, created, sid))
return { 'ok' }
