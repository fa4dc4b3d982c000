-- Appends a batch atomically and contiguously, in order: as append.lua for each event, where a duplicate (also
-- one repeated inside the batch) gets its original in place, and a batch that does not fit a rejecting log
-- stores nothing.
-- ARGV[10..]: max events, reject ('1' to refuse when full), then per event: id, type, data, runId, metadata,
-- timestamp (ms)
-- Reply: {'missing'} | {'full'} | {'ok', epoch, latest, then per event 'n', seq | 'd', <the fields of append.lua>}
local max, reject = tonumber(ARGV[10]), ARGV[11] == '1'
local count = (#ARGV - 11) / 6
if not live() then
    return { 'missing' }
end
local epoch, latest, first = position()

local fresh, seen = 0, {}
for i = 0, count - 1 do
    local id = ARGV[12 + i * 6]
    if not seen[id] and not retained_seq(id, first) then
        fresh = fresh + 1
    end
    seen[id] = true
end
if reject and latest - first + 1 + fresh > max then
    return { 'full' }
end

local reply, entries, seq = { 'ok', epoch, '' }, {}, latest
for i = 0, count - 1 do
    local at = 12 + i * 6
    local original = stored(ARGV[at], first)
    if original then
        reply[#reply + 1] = 'd'
        for _, value in ipairs(original) do
            reply[#reply + 1] = value
        end
    else
        seq = redis.call('HINCRBY', META, 'seq', 1)
        local body = add_event(epoch, seq, ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4],
            ARGV[at + 5])
        entries[#entries + 1] = { 'event.appended', str(NOW), body }
        reply[#reply + 1] = 'n'
        reply[#reply + 1] = str(seq)
    end
end
if not reject and seq - first + 1 > max then
    evict_through(seq - max)
end
touch()
enqueue(entries, true)
if seq > latest then
    publish('a', str(seq))
end
reply[3] = str(seq)
return reply
