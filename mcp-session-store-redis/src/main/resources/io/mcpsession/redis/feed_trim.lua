-- Retention of the feed: removes entries beyond max entries and, in a bounded batch, entries recorded before
-- the cutoff.
-- ARGV: new epoch, cutoff (ms), max entries, cap (most entries examined)
-- Reply: {removed}
local cutoff, max, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local _, latest, first = feed_position(ARGV[1])
local removed = 0
if latest - first + 1 > max then
    removed = trim_through(latest - max)
    first = latest - max + 1
end
local last, examined, done = first - 1, 0, false
while not done and examined < cap do
    local entries = redis.call('XRANGE', FEEDLOG, str(last + 1), '+', 'COUNT', 32)
    for _, raw in ipairs(entries) do
        local entry = entry_fields(raw)
        if tonumber(entry[4]) >= cutoff then
            done = true
            break
        end
        last = tonumber(entry[1])
        examined = examined + 1
    end
    done = done or #entries < 32
end
return { str(removed + trim_through(last)) }
