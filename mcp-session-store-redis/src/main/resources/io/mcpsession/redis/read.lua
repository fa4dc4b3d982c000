-- Reads a live session's events with lo < seq <= min(hi, latest), oldest first, at most limit, optionally
-- filtered, together with the log's position in the same snapshot. The caller plans the read from that position
-- (the gap contract lives in ReadPlan) and reads again when the plan starts elsewhere. Events go on the page while
-- their data and metadata fit the byte budget (the first always does); cut says the budget stopped the page.
-- ARGV[10..]: lo, hi ('' for latest), limit, type, runId, since (ms) ('' for no filter), byte budget
-- Reply: {'missing'} | {'ok', epoch, latest, first, cut ('1' or '0'), then per event seq, id, type, data, runId,
-- metadata, ts}
local lo, limit = tonumber(ARGV[10]), tonumber(ARGV[12])
local typ, run, since = ARGV[13], ARGV[14], ARGV[15]
local budget = tonumber(ARGV[16])
if not live() then
    return { 'missing' }
end
local epoch, latest, first = position()
local hi = latest
if ARGV[11] ~= '' then
    hi = math.min(hi, tonumber(ARGV[11]))
end
local filtered = typ ~= '' or run ~= '' or since ~= ''
local since_ms = tonumber(since)

local reply, found, start = { 'ok', epoch, str(latest), str(first), '0' }, 0, lo + 1
local used = 0
while found < limit and start <= hi and reply[5] == '0' do
    -- Unfiltered reads fetch what they may return, a bounded chunk at a time; filtered ones scan in small chunks.
    local chunk = filtered and 64 or math.min(limit - found, 128)
    local entries = redis.call('XRANGE', EVENTS, str(start), str(hi), 'COUNT', chunk)
    for _, entry in ipairs(entries) do
        local event = event_fields(entry)
        if (typ == '' or event[3] == typ) and (run == '' or event[5] == run)
                and (since == '' or tonumber(event[7]) >= since_ms) then
            local bytes = #event[4] + #event[6]
            if found > 0 and used + bytes > budget then
                reply[5] = '1'
                break
            end
            used = used + bytes
            for _, value in ipairs(event) do
                reply[#reply + 1] = value
            end
            found = found + 1
            if found == limit then
                break
            end
        end
        start = tonumber(event[1]) + 1
    end
    if #entries < chunk then
        break
    end
end
return reply
