-- Reads one state value (ARGV[10] = key) or, when ARGV[10] is '', every value of a live session.
-- Reply: {'missing'} | {'ok', value or nothing} | {'ok', key1, value1, key2, value2, ...}
if not live() then
    return { 'missing' }
end
if ARGV[10] == '' then
    local all = redis.call('HGETALL', STATE)
    table.insert(all, 1, 'ok')
    return all
end
local value = redis.call('HGET', STATE, ARGV[10])
if value then
    return { 'ok', value }
end
return { 'ok' }
