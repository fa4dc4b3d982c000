-- Shared by the scripts of the session registry; RedisScripts puts it in front of each of them. The registry
-- lives under the store's global hash tag (one cluster slot): it is touched when sessions are created or
-- removed and by the sweeper, never by appends.
-- KEYS: sessions (zset sid -> when the sweeper next visits; membership is a max-sessions slot), reg (hash
--       sid -> '<token>\n<created ms>\n<principal>'), created (lex zset '<created ms, 15 digits>\n<sid>'), owned
--       (lex zset '<owner>\n<created>\n<sid>', owner '-' when anonymous, else '=<principal>'), tomb (hash
--       sid -> '<created>\n<principal>' of removed sessions, so a list cursor naming one still places the next
--       page) and tomb_order (zset sid -> removal time, to keep tomb bounded).
local SESSIONS, REG, CREATED, OWNED, TOMB, TOMB_ORDER = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]

local function split(value)
    local first = string.find(value, '\n', 1, true)
    local second = string.find(value, '\n', first + 1, true)
    return string.sub(value, 1, first - 1), string.sub(value, first + 1, second - 1), string.sub(value, second + 1)
end

local function created_member(created, sid)
    return string.format('%015d', tonumber(created)) .. '\n' .. sid
end

local function owned_member(principal, created, sid)
    local owner = '-'
    if principal ~= '' then
        owner = '=' .. principal
    end
    return owner .. '\n' .. created_member(created, sid)
end

-- Takes a registration out of the listings and leaves a bounded tombstone in its place.
local function retire(sid, registration, now, capacity)
    local _, created, principal = split(registration)
    redis.call('ZREM', CREATED, created_member(created, sid))
    redis.call('ZREM', OWNED, owned_member(principal, created, sid))
    redis.call('HDEL', REG, sid)
    redis.call('HSET', TOMB, sid, created .. '\n' .. principal)
    redis.call('ZADD', TOMB_ORDER, now, sid)
    local excess = redis.call('ZCARD', TOMB_ORDER) - capacity
    if excess > 0 then
        local popped = redis.call('ZPOPMIN', TOMB_ORDER, excess)
        for i = 1, #popped, 2 do
            redis.call('HDEL', TOMB, popped[i])
        end
    end
end
