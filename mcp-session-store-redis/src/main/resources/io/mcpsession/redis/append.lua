-- Appends one event to a live session, all in this one call: idempotency on the event id (a duplicate, also a
-- racing one, gets the stored original), the next seq, the event, retention by count (reject refuses, evict-oldest
-- trims and moves earliestRetained), activity, the feed entry and the wake-up hint.
-- ARGV[10..]: max events, reject ('1' to refuse when full), id, type, data, runId ('' for none), metadata,
-- timestamp (ms: the producer's, else the caller's clock)
-- Reply: {'missing'} | {'full'} | {'ok', epoch, latest, 'n', seq}
--        | {'ok', epoch, latest, 'd', seq, id, type, data, runId, metadata, timestamp}
local max, reject, id = tonumber(ARGV[10]), ARGV[11] == '1', ARGV[12]
if not live() then
    return { 'missing' }
end
local epoch, latest, first = position()
local original = stored(id, first)
if original then
    touch()
    local reply = { 'ok', epoch, str(latest), 'd' }
    for _, value in ipairs(original) do
        reply[#reply + 1] = value
    end
    return reply
end
if reject and latest - first + 2 > max then
    return { 'full' }
end
local seq = redis.call('HINCRBY', META, 'seq', 1)
local body = add_event(epoch, seq, id, ARGV[13], ARGV[14], ARGV[15], ARGV[16], ARGV[17])
if not reject and seq - first + 1 > max then
    evict_through(seq - max)
end
touch()
-- The entry's own timestamp is the time of the append; the event in its body keeps its own.
enqueue({ { 'event.appended', str(NOW), body } }, true)
publish('a', str(seq))
return { 'ok', epoch, str(seq), 'n', str(seq) }
