-- Reads numbered feed entries with seq > lo, oldest first, at most limit, optionally filtered, with the feed's
-- position in the same snapshot (the caller plans the read from it, as read.lua's caller does). Entries go on the
-- page while their bodies fit the byte budget (the first always does); cut says the budget stopped the page.
-- ARGV: new epoch, lo, limit, types (',a,b,' or '' for all), sid ('' for all), scope ('' for every principal,
--       else '=' and the one principal, '=' alone for the anonymous sessions), byte budget
-- Reply: {'ok', epoch, latest, first, cut ('1' or '0'), then per entry seq, type, sid, ts, body, principal}
local lo, limit, types, sid, scope = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local budget = tonumber(ARGV[7])
local epoch, latest, first = feed_position(ARGV[1])
local filtered = types ~= '' or sid ~= '' or scope ~= ''
local principal = string.sub(scope, 2)

local reply, found, start = { 'ok', epoch, str(latest), str(first), '0' }, 0, lo + 1
local used = 0
while found < limit and start <= latest and reply[5] == '0' do
    local chunk = filtered and 64 or math.min(limit - found, 128)
    local entries = redis.call('XRANGE', FEEDLOG, str(start), str(latest), 'COUNT', chunk)
    for _, raw in ipairs(entries) do
        local entry = entry_fields(raw)
        if (types == '' or string.find(types, ',' .. entry[2] .. ',', 1, true)) and (sid == '' or entry[3] == sid)
                and (scope == '' or entry[6] == principal) then
            local bytes = #entry[5]
            if found > 0 and used + bytes > budget then
                reply[5] = '1'
                break
            end
            used = used + bytes
            for _, value in ipairs(entry) do
                reply[#reply + 1] = value
            end
            found = found + 1
            if found == limit then
                break
            end
        end
        start = tonumber(entry[1]) + 1
    end
    if #entries < chunk then
        break
    end
end
return reply
