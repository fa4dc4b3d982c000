-- Writes one state value of a live session (one field: writes to other keys are never lost); counts as activity.
-- A new key is refused while the session holds max-keys.
-- ARGV[10..]: key, value, max keys
-- Reply: {'missing'} | {'ok'} | {'full'}
if not live() then
    return { 'missing' }
end
if redis.call('HEXISTS', STATE, ARGV[10]) == 0 and redis.call('HLEN', STATE) >= tonumber(ARGV[12]) then
    return { 'full' }
end
redis.call('HSET', STATE, ARGV[10], ARGV[11])
touch()
return { 'ok' }
