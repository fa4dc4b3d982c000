-- Deletes the events of a live session with seq < before; earliestRetained moves up (at most to latest + 1).
-- ARGV[10]: before
-- Reply: {'missing'} | {'ok', evicted}
if not live() then
    return { 'missing' }
end
local _, latest = position()
local evicted = evict_through(math.min(tonumber(ARGV[10]) - 1, latest))
return { 'ok', str(evicted) }
