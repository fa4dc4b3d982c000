-- Creates a session with a new epoch. A live session of that id wins; an expired one that the sweeper has not
-- removed yet ends now, exactly as the sweeper would end it, and its leftovers go with it.
-- ARGV[10..]: epoch, token, clientCapabilities, serverCapabilities, protocolVersion, metadata, principal
-- Reply: {'exists'} | {'created', token, created, principal of a replaced expired session (or '', '', '')}
local epoch, token = ARGV[10], ARGV[11]
local cc, sc, pv, md, pr = ARGV[12], ARGV[13], ARGV[14], ARGV[15], ARGV[16]

local replaced = { '', '', '' }
local exp = redis.call('HGET', META, 'exp')
if exp then
    if NOW <= tonumber(exp) then
        return { 'exists' }
    end
    replaced = remove('session.expired', 'expired')
end
-- Keys left without their metadata (evicted, or a crash) belong to no history: a new epoch starts clean.
redis.call('UNLINK', EVENTS, IDS, STATE)

redis.call('HSET', META, 'epoch', epoch, 'seq', '0', 'first', '1', 'created', str(NOW), 'act', str(NOW),
        'exp', str(NOW + TIMEOUT), 'init', '0', 'md', md, 'rev', '0', 'tok', token)
local optional = { cc = cc, sc = sc, pv = pv, pr = pr }
for field, value in pairs(optional) do
    if value ~= '' then
        redis.call('HSET', META, field, value)
    end
end
redis.call('PEXPIRE', META, KEY_TTL)
enqueue({ { 'session.created', str(NOW), cjson.encode(session_fields()) } })
return { 'created', replaced[1], replaced[2], replaced[3] }
