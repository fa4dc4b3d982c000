-- The sweeper's visit of one session: removes it when it has expired (writing session.expired), otherwise
-- evicts events beyond the count limit and, in a bounded batch, events appended longer than the TTL ago, and says
-- when the session next needs a visit. Also reports the feed entries still queued, so that none is ever forgotten.
-- ARGV[10..]: cutoff (ms: events before it go), max events, cap (most events examined), event ttl (ms)
-- Reply: {'gone', queued} | {'expired', token, created, principal, queued} | {'live', evicted, next visit, queued}
local cutoff, max, cap, ttl = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local exp = redis.call('HGET', META, 'exp')
if not exp then
    return { 'gone', str(redis.call('LLEN', FQ)) }
end
exp = tonumber(exp)
if NOW > exp then
    local reply = remove('session.expired', 'expired')
    table.insert(reply, 1, 'expired')
    reply[#reply + 1] = str(redis.call('LLEN', FQ))
    return reply
end

local _, latest, first = position()
local evicted = 0
if latest - first + 1 > max then
    evicted = evict_through(latest - max)
    first = latest - max + 1
end
local last, examined, oldest, more = first - 1, 0, nil, false
while oldest == nil do
    if examined >= cap then
        more = true
        break
    end
    local entries = redis.call('XRANGE', EVENTS, str(last + 1), '+', 'COUNT', 32)
    for _, entry in ipairs(entries) do
        local at = appended_at(entry)
        if at >= cutoff then
            oldest = at
            break
        end
        last = tonumber(event_fields(entry)[1])
        examined = examined + 1
    end
    if #entries < 32 then
        break
    end
end
evicted = evicted + evict_through(last)

local next_visit = math.min(exp, NOW + ttl)
if more then
    next_visit = NOW
elseif oldest ~= nil then
    next_visit = math.min(exp, oldest + ttl)
end
return { 'live', str(evicted), str(next_visit), str(redis.call('LLEN', FQ)) }
