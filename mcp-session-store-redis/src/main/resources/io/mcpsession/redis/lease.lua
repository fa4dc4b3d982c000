-- Takes or renews a lease (the sequencer's, the sweeper's) for ARGV[2] ms, or releases it when ARGV[3] is '1'.
-- Only the holder's token renews or releases it; a lease nobody renews lapses by itself.
-- KEYS: the lease
-- ARGV: token, ttl (ms), release ('1'/'0')
-- Reply: {'1' when the caller holds the lease now, else '0'}
local holder = redis.call('GET', KEYS[1])
if ARGV[3] == '1' then
    if holder == ARGV[1] then
        redis.call('DEL', KEYS[1])
    end
    return { '0' }
end
if holder == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return { '1' }
end
if not holder then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return { '1' }
end
return { '0' }
