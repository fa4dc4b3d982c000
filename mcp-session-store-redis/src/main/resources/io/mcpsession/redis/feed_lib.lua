-- Shared by the scripts of the global feed; RedisScripts puts it in front of each of them. The feed lives under
-- the store's global hash tag (one cluster slot).
-- KEYS: feed (hash: epoch, seq = latest, first = earliest retained), feedlog (stream, entry id <seq>-0, fields
--       y = type, s = session id, ts, b = body, p = the session's principal, '' for none), cursor (hash sid -> '<qe>:<n>' of the last queued entry of that
--       session numbered), lease (the sequencer's lease), dirty (zset sid -> announcement number: sessions with
--       queued entries) and dirty_seq (the announcement counter).
local FEED, FEEDLOG, CURSOR, LEASE, DIRTY, DIRTY_SEQ = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]

local function str(n)
    return string.format('%d', n)
end

-- The feed's epoch, latest and earliest retained seq; a feed that has none (new, or Redis was flushed) starts
-- a new epoch here. What a partial loss left of the old epoch (a Redis evicting keys, a wipe that was not
-- atomic) goes with it: its log would block the new seqs, its cursors would skip entries never numbered.
local function feed_position(new_epoch)
    local p = redis.call('HMGET', FEED, 'epoch', 'seq', 'first')
    if not p[1] then
        redis.call('DEL', FEEDLOG, CURSOR)
        redis.call('HSET', FEED, 'epoch', new_epoch, 'seq', '0', 'first', '1')
        return new_epoch, 0, 1
    end
    return p[1], tonumber(p[2]), tonumber(p[3])
end

-- An XRANGE entry of the feed as {seq, type, sid, ts, body, principal}.
local function entry_fields(entry)
    local f = entry[2]
    local id = entry[1]
    return { string.sub(id, 1, string.find(id, '-', 1, true) - 1), f[2], f[4], f[6], f[8], f[10] or '' }
end

-- Removes the entries with seq <= last; earliestRetained moves up. Returns how many went.
local function trim_through(last)
    local first = tonumber(redis.call('HGET', FEED, 'first'))
    if last < first then
        return 0
    end
    redis.call('XTRIM', FEEDLOG, 'MINID', str(last + 1))
    redis.call('HSET', FEED, 'first', str(last + 1))
    return last - first + 1
end
