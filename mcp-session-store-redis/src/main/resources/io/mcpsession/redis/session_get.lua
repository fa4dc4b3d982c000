-- Reads a live session: its members, its log's position and its revision (for optimistic updates).
-- Reply: {'missing'} | {'ok', created, act, exp, init, cc, sc, pv, md, pr, epoch, latest, first, rev}
if not live() then
    return { 'missing' }
end
local reply = { 'ok' }
for _, value in ipairs(session_fields()) do
    reply[#reply + 1] = value
end
local p = redis.call('HMGET', META, 'epoch', 'seq', 'first', 'rev')
for i = 1, 4 do
    reply[#reply + 1] = p[i]
end
return reply
