-- Replaces a session's mutable members, if nobody changed them since the caller read revision ARGV[10]
-- (the merge patch is applied by the caller), counts as activity and queues a session.updated feed entry.
-- ARGV[10..]: revision, initialized ('1'/'0'), clientCapabilities, serverCapabilities, protocolVersion, metadata
-- Reply: {'missing'} | {'conflict'} | {'ok', created, act, exp, init, cc, sc, pv, md, pr}
if not live() then
    return { 'missing' }
end
if redis.call('HGET', META, 'rev') ~= ARGV[10] then
    return { 'conflict' }
end
redis.call('HSET', META, 'init', ARGV[11], 'md', ARGV[15])
local optional = { cc = ARGV[12], sc = ARGV[13], pv = ARGV[14] }
for field, value in pairs(optional) do
    if value == '' then
        redis.call('HDEL', META, field)
    else
        redis.call('HSET', META, field, value)
    end
end
redis.call('HINCRBY', META, 'rev', 1)
touch()
local fields = session_fields()
enqueue({ { 'session.updated', str(NOW), cjson.encode(fields) } })
local reply = { 'ok' }
for _, value in ipairs(fields) do
    reply[#reply + 1] = value
end
return reply
