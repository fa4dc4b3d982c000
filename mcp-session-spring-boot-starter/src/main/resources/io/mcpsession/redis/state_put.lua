-- Writes one state value of a live session (one field: writes to other keys are never lost); counts as activity.
-- ARGV[10..]: key, value
-- Reply: {'missing'} | {'ok'}
if not live() then
    return { 'missing' }
end
redis.call('HSET', STATE, ARGV[10], ARGV[11])
touch()
return { 'ok' }
