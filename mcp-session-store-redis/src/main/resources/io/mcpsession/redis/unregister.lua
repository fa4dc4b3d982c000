-- Frees a removed session's slot and takes it out of the listings, unless the id was registered again since
-- (the token names the removed session; '' when it never got registered).
-- ARGV: sid, token, now (ms), tombstone capacity
-- Reply: {'removed'} | {'kept'}
local sid = ARGV[1]
local registration = redis.call('HGET', REG, sid)
local token = ''
if registration then
    token = split(registration)
end
if token ~= ARGV[2] then
    return { 'kept' }
end
redis.call('ZREM', SESSIONS, sid)
if registration then
    retire(sid, registration, ARGV[3], tonumber(ARGV[4]))
end
return { 'removed' }
