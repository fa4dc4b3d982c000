-- Removes the queued feed entries up to '<qe>:<n>' once the sequencer has numbered them; deletes the queue
-- when it is empty (a queue that starts again gets a new qe).
-- ARGV[10..]: qe, n
-- Reply: {entries left, '1' when the queue was deleted else '0'}
local qe, n = ARGV[10], tonumber(ARGV[11])
while true do
    local head = redis.call('LINDEX', FQ, 0)
    if not head then
        break
    end
    local colon = string.find(head, ':', 1, true)
    local newline = string.find(head, '\n', 1, true)
    if string.sub(head, 1, colon - 1) ~= qe or tonumber(string.sub(head, colon + 1, newline - 1)) > n then
        break
    end
    redis.call('LPOP', FQ)
end
local left = redis.call('LLEN', FQ)
if left == 0 then
    redis.call('DEL', FQ, FQN)
    return { '0', '1' }
end
return { str(left), '0' }
