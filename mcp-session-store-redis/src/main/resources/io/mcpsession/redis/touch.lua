-- Records activity on a live session.
-- Reply: {'missing'} | {'ok', created, act, exp, init, cc, sc, pv, md, pr}
if not live() then
    return { 'missing' }
end
touch()
local reply = { 'ok' }
for _, value in ipairs(session_fields()) do
    reply[#reply + 1] = value
end
return reply
