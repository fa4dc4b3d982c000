-- Numbers the queued entries of several sessions into the feed, each session's in its queue order, if the caller
-- still holds the sequencer's lease. An entry numbered before (the sequencer stopped between numbering it and
-- removing it from its queue) is skipped, so nothing is numbered twice. Enforces max entries.
-- ARGV: lease token, new epoch, max entries, then per session: sid, n, and its n queued entries
--       ('<qe>:<n>\n<type>\n<ts>\n<body>\n<principal>'; entries queued before principals were recorded end
--       with the body and belong to no principal)
-- Reply: {'lost'} | {'ok', latest}
if redis.call('GET', LEASE) ~= ARGV[1] then
    return { 'lost' }
end
local _, seq, first = feed_position(ARGV[2])
local before = seq
local at = 4
while at <= #ARGV do
    local sid, count = ARGV[at], tonumber(ARGV[at + 1])
    local cursor = redis.call('HGET', CURSOR, sid) or ':0'
    local colon = string.find(cursor, ':', 1, true)
    local last_qe, last_n = string.sub(cursor, 1, colon - 1), tonumber(string.sub(cursor, colon + 1))
    local advanced = false
    for i = at + 2, at + 1 + count do
        local entry = ARGV[i]
        local c = string.find(entry, ':', 1, true)
        local n1 = string.find(entry, '\n', c + 1, true)
        local n2 = string.find(entry, '\n', n1 + 1, true)
        local n3 = string.find(entry, '\n', n2 + 1, true)
        local qe, n = string.sub(entry, 1, c - 1), tonumber(string.sub(entry, c + 1, n1 - 1))
        if qe ~= last_qe or n > last_n then
            seq = seq + 1
            local n4 = string.find(entry, '\n', n3 + 1, true)
            local body = n4 and string.sub(entry, n3 + 1, n4 - 1) or string.sub(entry, n3 + 1)
            local principal = n4 and string.sub(entry, n4 + 1) or ''
            redis.call('XADD', FEEDLOG, str(seq) .. '-0', 'y', string.sub(entry, n1 + 1, n2 - 1), 's', sid,
                    'ts', string.sub(entry, n2 + 1, n3 - 1), 'b', body, 'p', principal)
            last_qe, last_n, advanced = qe, n, true
        end
    end
    if advanced then
        redis.call('HSET', CURSOR, sid, last_qe .. ':' .. str(last_n))
    end
    at = at + 2 + count
end
if seq > before then
    redis.call('HSET', FEED, 'seq', str(seq))
    local max = tonumber(ARGV[3])
    if seq - first + 1 > max then
        trim_through(seq - max)
    end
end
return { 'ok', str(seq) }
