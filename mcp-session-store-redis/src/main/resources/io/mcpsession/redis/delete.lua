-- Deletes a session with its events and state, or ends it as expired when it already was.
-- Reply: {'missing'} | {'deleted' | 'expired', token, created, principal}
local exp = redis.call('HGET', META, 'exp')
if not exp then
    return { 'missing' }
end
local reply
if NOW > tonumber(exp) then
    reply = remove('session.expired', 'expired')
    table.insert(reply, 1, 'expired')
else
    reply = remove('session.deleted', 'deleted')
    table.insert(reply, 1, 'deleted')
end
return reply
