package redislimit

import "github.com/redis/go-redis/v9"

// The scripts read the time from Redis (TIME), so that every process counts
// on one clock whatever the skew between their machines; times are integer
// microseconds, exact in Lua's doubles and in sorted-set scores.
// string.format('%d') writes them without Lua's %.14g rounding.

// acquireScript books the earliest send time the windows allow.
//
// KEYS[1] sorted set of booked send times, KEYS[2] the pause ("paused
// until", µs), KEYS[3] a counter naming the set's members.
// ARGV[1] pause cap (µs, 0 none), ARGV[2] budget-wait cap (µs, 0 none),
// then pairs: requests, window length (µs).
//
// Returns {status, wait µs}: 0 booked (send after wait), 1 paused (wait,
// then ask again), 2 paused beyond the cap, 3 budget wait beyond the cap
// (nothing booked for 1, 2 and 3).
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then
  local w = paused - now
  local cap = tonumber(ARGV[1])
  if cap > 0 and w > cap then return {2, w} end
  return {1, w}
end
local longest = 0
for i = 3, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i + 1])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - longest))
local n = redis.call('ZCARD', KEYS[1])
local at = now
if n > 0 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  at = math.max(at, tonumber(last[2]))
end
for i = 3, #ARGV, 2 do
  local req = tonumber(ARGV[i])
  if n >= req then
    local old = redis.call('ZRANGE', KEYS[1], -req, -req, 'WITHSCORES')
    at = math.max(at, tonumber(old[2]) + tonumber(ARGV[i + 1]))
  end
end
local w = at - now
local cap = tonumber(ARGV[2])
if cap > 0 and w > cap then return {3, w} end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], string.format('%d', at), string.format('%d', seq))
local ttl = math.floor((w + longest) / 1000) + 1000
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
return {0, w}
`)

// pauseScript makes KEYS[1] ("paused until") at least now + ARGV[1] µs.
var pauseScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + wait > paused then
  redis.call('SET', KEYS[1], string.format('%d', now + wait), 'PX', math.floor(wait / 1000) + 1)
end
return 0
`)

// pausedScript returns how long (µs) KEYS[1] still pauses sending, 0 if not.
var pausedScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return paused - now end
return 0
`)
