-- Shared by every script that works on one session; RedisScripts puts it in front of each of them.
-- Every key of one session carries the session's hash tag, so a script touches exactly one cluster slot.
-- KEYS: the session's meta (hash), events (stream, entry id <seq>-0), ids (zset event id -> seq), state (hash),
--       fq (list of feed entries waiting for the sequencer) and fqn (hash: the queue's epoch and counter); when
--       the feed is numbered inline, then the feed's own feed, feedlog and cursor (see feed_lib.lua).
-- ARGV[1..9]: now (ms, the caller's clock), timeout (ms), key_ttl (ms, a backstop), feed ('0' off, 'q' queued for
--       the sequencer, 'n<max entries>' numbered inline), new_qe (an epoch for the feed queue, or the feed, if it
--       has none), feed_ttl (ms, backstop of the queue), channel (the wake-up channel), origin (the calling
--       instance), sid (the session id).
-- Numbers are stored as decimal text; '' stands for null in replies (no nullable field can be empty).
local META, EVENTS, IDS, STATE, FQ, FQN = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local NOW, TIMEOUT, KEY_TTL = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local FEED, NEW_QE, FEED_TTL = ARGV[4] ~= '0', ARGV[5], ARGV[6]
local FEED_INLINE_MAX = (string.sub(ARGV[4], 1, 1) == 'n') and tonumber(string.sub(ARGV[4], 2)) or nil
local CHANNEL, ORIGIN, SID = ARGV[7], ARGV[8], ARGV[9]

local SESSION_FIELDS = { 'created', 'act', 'exp', 'init', 'cc', 'sc', 'pv', 'md', 'pr' }

local function str(n)
    return string.format('%d', n)
end

-- Whether the session exists and has not expired at NOW: an expired session is gone for every request.
local function live()
    local exp = redis.call('HGET', META, 'exp')
    return exp ~= false and NOW <= tonumber(exp)
end

-- The log's epoch, latest seq and earliest retained seq.
local function position()
    local p = redis.call('HMGET', META, 'epoch', 'seq', 'first')
    return p[1], tonumber(p[2]), tonumber(p[3])
end

-- Activity: the idle timeout starts again (it only ever moves forward) and the backstop TTLs are renewed.
local function touch()
    local act = tonumber(redis.call('HGET', META, 'act'))
    if NOW > act then
        redis.call('HSET', META, 'act', str(NOW), 'exp', str(NOW + TIMEOUT))
    end
    redis.call('PEXPIRE', META, KEY_TTL)
    redis.call('PEXPIRE', EVENTS, KEY_TTL)
    redis.call('PEXPIRE', IDS, KEY_TTL)
    redis.call('PEXPIRE', STATE, KEY_TTL)
end

local function session_fields()
    local values = redis.call('HMGET', META, unpack(SESSION_FIELDS))
    for i = 1, #SESSION_FIELDS do
        values[i] = values[i] or ''
    end
    return values
end

-- Numbers feed entries ({type, timestamp, body}) into the feed in this same script: on one Redis (no cluster)
-- every script runs alone, so the feed's order is the commit order and an append costs one call. The feed's
-- epoch, trimming and stream fields are those of feed_lib.lua and feed_number.lua; a feed that has none starts a
-- new epoch. Other instances hear that the feed advanced from the hint the caller publishes ('a' or 'c', when
-- hinted), else from a hint of its own ('*' is no instance: this one hears it too).
local function number_inline(entries, principal, hinted)
    local FEED_HASH, FEED_LOG, FEED_CURSOR = KEYS[7], KEYS[8], KEYS[9]
    local p = redis.call('HMGET', FEED_HASH, 'epoch', 'seq', 'first')
    local seq, first = tonumber(p[2]), tonumber(p[3])
    if not p[1] then
        redis.call('DEL', FEED_LOG, FEED_CURSOR)
        redis.call('HSET', FEED_HASH, 'epoch', NEW_QE, 'seq', '0', 'first', '1')
        seq, first = 0, 1
    end
    for _, entry in ipairs(entries) do
        seq = seq + 1
        redis.call('XADD', FEED_LOG, str(seq) .. '-0', 'y', entry[1], 's', SID, 'ts', entry[2], 'b', entry[3],
            'p', principal)
    end
    redis.call('HSET', FEED_HASH, 'seq', str(seq))
    if seq - first + 1 > FEED_INLINE_MAX then
        redis.call('XTRIM', FEED_LOG, 'MINID', str(seq - FEED_INLINE_MAX + 1))
        redis.call('HSET', FEED_HASH, 'first', str(seq - FEED_INLINE_MAX + 1))
    end
    if not hinted then
        redis.call('PUBLISH', CHANNEL, '* f ' .. str(seq))
    end
end

-- Queues feed entries ({type, timestamp, body}) for the sequencer, in commit order, each with the session's
-- principal ('' for none) last, as it may hold any character (a body never holds a newline). Each gets
-- '<qe>:<n>', unique for the life of the queue, so numbering them twice is detected after a crash between
-- numbering and removal. hinted: the caller publishes an 'a' or 'c' hint, which tells other instances of an
-- inline numbering too.
local function enqueue(entries, hinted)
    if not FEED or #entries == 0 then
        return
    end
    local principal = redis.call('HGET', META, 'pr') or ''
    -- Entries that an instance in queue mode left here (a rolling upgrade) go first: behind them, queue too. The
    -- queue keeps its session announced until the sequencer has drained it.
    if FEED_INLINE_MAX and redis.call('EXISTS', FQ) == 0 then
        number_inline(entries, principal, hinted)
        return
    end
    local qe = redis.call('HGET', FQN, 'qe')
    if not qe then
        qe = NEW_QE
        redis.call('HSET', FQN, 'qe', qe)
    end
    local n = redis.call('HINCRBY', FQN, 'n', #entries) - #entries
    local items = {}
    for i, entry in ipairs(entries) do
        items[#items + 1] = qe .. ':' .. str(n + i) .. '\n' .. entry[1] .. '\n' .. entry[2] .. '\n' .. entry[3]
            .. '\n' .. principal
        if #items == 100 or i == #entries then
            redis.call('RPUSH', FQ, unpack(items))
            items = {}
        end
    end
    redis.call('PEXPIRE', FQ, FEED_TTL)
    redis.call('PEXPIRE', FQN, FEED_TTL)
end

-- A wake-up hint for the other instances: '<origin> <kind> <detail> <sid>' (ids never hold spaces).
local function publish(kind, detail)
    redis.call('PUBLISH', CHANNEL, ORIGIN .. ' ' .. kind .. ' ' .. detail .. ' ' .. SID)
end

-- An XRANGE entry as {seq, id, type, data, run, md, ts}; fields are always written in this order.
local function event_fields(entry)
    local f = entry[2]
    local id = entry[1]
    return { string.sub(id, 1, string.find(id, '-', 1, true) - 1), f[2], f[4], f[6], f[8], f[10], f[12] }
end

-- The seq of an event id while its event is retained, or nil: an id is deduplicated only while retained.
local function retained_seq(id, first)
    local seq = redis.call('ZSCORE', IDS, id)
    if not seq or tonumber(seq) < first then
        return nil
    end
    return seq
end

-- The retained original of an event id as event_fields, or nil.
local function stored(id, first)
    local seq = retained_seq(id, first)
    if not seq then
        return nil
    end
    local found = redis.call('XRANGE', EVENTS, seq, seq)
    if #found == 0 then
        return nil
    end
    return event_fields(found[1])
end

-- Stores one event with its seq and returns its feed body. ts is the event's timestamp (ms: its producer's, else
-- the caller's clock); 'at' records NOW, when it was appended, which the TTL counts from.
local function add_event(epoch, seq, id, typ, data, run, md, ts)
    local s = str(seq)
    redis.call('XADD', EVENTS, s .. '-0', 'i', id, 't', typ, 'd', data, 'r', run, 'm', md, 'ts', ts, 'at', str(NOW))
    redis.call('ZADD', IDS, s, id)
    return cjson.encode({ s, id, typ, data, run, md, ts, epoch })
end

-- When an XRANGE entry was appended (ms); events stored before 'at' existed were appended at their timestamp.
local function appended_at(entry)
    return tonumber(entry[2][14] or entry[2][12])
end

-- Removes the events with seq <= last; earliestRetained moves up. Returns how many went.
local function evict_through(last)
    local first = tonumber(redis.call('HGET', META, 'first'))
    if last < first then
        return 0
    end
    redis.call('XTRIM', EVENTS, 'MINID', str(last + 1))
    redis.call('ZREMRANGEBYSCORE', IDS, '-inf', str(last))
    redis.call('HSET', META, 'first', str(last + 1))
    return last - first + 1
end

-- Removes the session (its feed queue stays for the sequencer) and records why: the feed entry and a close hint.
-- Returns what unregistering it needs: {token, created, principal}.
local function remove(entry_type, reason)
    local info = redis.call('HMGET', META, 'tok', 'created', 'pr')
    enqueue({ { entry_type, str(NOW), '' } }, true)
    redis.call('UNLINK', META, EVENTS, IDS, STATE)
    publish('c', reason)
    return { info[1] or '', info[2] or '', info[3] or '' }
end
