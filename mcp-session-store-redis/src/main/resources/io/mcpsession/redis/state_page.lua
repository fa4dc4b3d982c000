-- Reads one page of a live session's state: the keys after ARGV[10] in byte order, at most ARGV[11], while their
-- values fit the byte budget ARGV[12] (the first always does).
-- Reply: {'missing'} | {'ok', more ('1' or '0'), key1, value1, key2, value2, ...}
if not live() then
    return { 'missing' }
end
local after, limit, budget = ARGV[10], tonumber(ARGV[11]), tonumber(ARGV[12])
local keys = redis.call('HKEYS', STATE)
table.sort(keys)
local page, used, more = {}, 0, '0'
for _, key in ipairs(keys) do
    if after == '' or key > after then
        if #page == limit then
            more = '1'
            break
        end
        local bytes = redis.call('HSTRLEN', STATE, key)
        if #page > 0 and used + bytes > budget then
            more = '1'
            break
        end
        used = used + bytes
        page[#page + 1] = key
    end
end
local reply = { 'ok', more }
if #page > 0 then
    local values = redis.call('HMGET', STATE, unpack(page))
    for i, key in ipairs(page) do
        reply[#reply + 1] = key
        reply[#reply + 1] = values[i]
    end
end
return reply
