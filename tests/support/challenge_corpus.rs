//! Client programs the challenge checker's tests and benchmark share (Lua run as clients).

#![allow(dead_code)]

/// Read, add one, write back: loses updates when two clients interleave.
pub const NAIVE: &str = "local n = tonumber(redis.call('GET', KEYS[1]) or '0')\n\
                         redis.call('SET', KEYS[1], n + 1)";
/// The atomic increment.
pub const INCR: &str = "redis.call('INCR', KEYS[1])";
/// Optimistic locking: WATCH, read, MULTI, write, EXEC, retried while EXEC answers nil.
pub const WATCH: &str = "for i = 1, 5 do\n\
  redis.call('WATCH', KEYS[1])\n\
  local n = tonumber(redis.call('GET', KEYS[1]) or '0')\n\
  redis.call('MULTI')\n\
  redis.call('SET', KEYS[1], n + 1)\n\
  if redis.call('EXEC') then return 1 end\n\
end\n\
return redis.error_reply('gave up')";
/// Three read-then-write increments: six round trips.
pub const SIX: &str = "for i = 1, 3 do\n\
  local n = tonumber(redis.call('GET', KEYS[1]) or '0')\n\
  redis.call('SET', KEYS[1], n + 1)\n\
end";
