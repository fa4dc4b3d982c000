-- Removes one state value of a live session; counts as activity.
-- ARGV[10]: key
-- Reply: {'missing'} | {'ok', '1' when the key existed, else '0'}
if not live() then
    return { 'missing' }
end
local removed = redis.call('HDEL', STATE, ARGV[10])
touch()
return { 'ok', str(removed) }
