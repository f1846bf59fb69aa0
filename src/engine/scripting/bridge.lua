-- incr-lab's bridge between the engine and Lua scripts (read src/engine/scripting.rs first).
--
-- Runs once per VM, with the VM's real globals. Scripts never see those: they run with `env`, a
-- read-only view holding what Redis 7.0's scripts see. A script runs as a coroutine; `redis.call`
-- (native.call, in Rust) yields a request — REQUEST, the thread it ran in, kind, raise, source,
-- line, arguments — to the engine, which answers with the reply, or with RAISE and an error table
-- when the call must fail: the coroutine that made the call then ends with that error where it
-- stands (it is abandoned, as if the error had unwound it). Lua 5.1 cannot yield across `pcall`,
-- so `pcall`, `xpcall` and `coroutine.*` are replaced by versions that run their function as a
-- coroutine and pass requests up (Redis' own tests call `redis.call` inside `pcall`).
--
-- Everything Rust calls is in `api`; `native` holds the functions written in Rust.
local api, native = ...

local type, select, tostring, tonumber, error, rawget = type, select, tostring, tonumber, error, rawget
local setmetatable, setfenv, loadstring, load, unpack = setmetatable, setfenv, loadstring, load, unpack
local lua_pcall, lua_xpcall = pcall, xpcall
local create, resume, status, yield, running = coroutine.create, coroutine.resume,
  coroutine.status, coroutine.yield, coroutine.running
local getinfo, sethook = debug.getinfo, debug.sethook
local format, byte, find, sub, floor = string.format, string.byte, string.find, string.sub, math.floor

-- The chunk name of this file: its frames are skipped when an error is located.
local BRIDGE_SOURCE = getinfo(1, 'S').source

-- The tag of the requests (a light userdata from Rust) and of the engine's "raise" answer.
local REQUEST = native.REQUEST
local RAISE = {}
api.RAISE = RAISE

-- Coroutines that a raising request ended (they stay suspended in the VM, dead to scripts).
local ended = setmetatable({}, { __mode = 'k' })

-- Coroutines the bridge runs a script or a pcall in (weak keys: they die with their run).
local ours = setmetatable({}, { __mode = 'k' })

-- Redis' error table for a message ("-CODE msg" or "msg"), as luaPushErrorBuff builds it.
local function trim(s)
  local first, last = 1, #s
  while first <= last and (byte(s, first) == 13 or byte(s, first) == 10) do first = first + 1 end
  while last >= first and (byte(s, last) == 13 or byte(s, last) == 10) do last = last - 1 end
  return sub(s, first, last)
end
local function error_table(text)
  local code, msg = 'ERR', text
  if byte(text, 1) == 45 then
    local space = find(text, ' ', 1, true)
    if space then
      code, msg = sub(text, 2, space - 1), sub(text, space + 1)
    else
      msg = sub(text, 2)
    end
  end
  return { err = code .. ' ' .. trim(msg) }
end
api.error_table = error_table

---------------------------------------------------------------------------------------------------
-- The step budget: a count hook on every coroutine a script runs in. Once spent, the hook fires
-- again every PERIOD instructions, so a pcall cannot swallow the kill for long.
local PERIOD = 1000
local spent, budget = 0, 0
local killed = { err = 'ERR Script killed' }
local function hook()
  spent = spent + PERIOD
  if spent > budget then error(killed) end
end
local function new_coroutine(f)
  local co = create(f)
  sethook(co, hook, '', PERIOD)
  return co
end

---------------------------------------------------------------------------------------------------
-- Yield-transparent pcall / xpcall / coroutine.*.

-- Runs `co` until it returns or raises, passing what it yields up to our own resumer. When the
-- request came from `co` itself and the answer is RAISE, `co` ends with that error.
local forward
local function forward_direct(co, first, ...)
  if first == RAISE then
    ended[co] = true
    return false, (...)
  end
  return forward(co, resume(co, first, ...))
end
function forward(co, ok, ...)
  if status(co) ~= 'suspended' then return ok, ... end
  local tag, origin = ...
  if tag == REQUEST and origin == co then return forward_direct(co, yield(...)) end
  return forward(co, resume(co, yield(...)))
end

local function is_lua_function(f)
  return type(f) == 'function' and getinfo(f, 'S').what ~= 'C'
end

-- Redis' pcall (luaRedisPcall): an error table's `err` string is what the caller gets.
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  end
  return false, e
end

-- redis.call and friends are Rust functions that yield: inside pcall they need a coroutine too.
local requests = { [native.call] = true, [native.pcall] = true, [native.acl_check_cmd] = true }
local function through_lua(f)
  if requests[f] then return function(...) return f(...) end end
  return f
end

local function redis_pcall(f, ...)
  f = through_lua(f)
  if not is_lua_function(f) then return pcall_result(lua_pcall(f, ...)) end
  local co = new_coroutine(f)
  ours[co] = true
  return pcall_result(forward(co, resume(co, ...)))
end

local function xpcall_result(handler, ok, ...)
  if ok then return true, ... end
  return false, handler((...))
end
local function redis_xpcall(f, handler)
  f = through_lua(f)
  if not is_lua_function(f) then return lua_xpcall(f, handler) end
  local co = new_coroutine(f)
  ours[co] = true
  return xpcall_result(handler, forward(co, resume(co)))
end

-- A script's own coroutine passes requests on instead of returning them.
local relay
local function relay_direct(co, first, ...)
  if first == RAISE then
    ended[co] = true
    return false, (...)
  end
  return relay(co, resume(co, first, ...))
end
function relay(co, ok, tag, origin, ...)
  if ok and tag == REQUEST and status(co) == 'suspended' then
    if origin == co then return relay_direct(co, yield(tag, origin, ...)) end
    return relay(co, resume(co, yield(tag, origin, ...)))
  end
  return ok, tag, origin, ...
end

local co_lib = {}
for k, v in pairs(coroutine) do co_lib[k] = v end
function co_lib.create(f)
  if not is_lua_function(f) then return create(f) end
  return new_coroutine(f)
end
function co_lib.resume(co, ...)
  if type(co) ~= 'thread' then return resume(co, ...) end
  if ended[co] then return false, 'cannot resume dead coroutine' end
  return relay(co, resume(co, ...))
end
function co_lib.status(co)
  if ended[co] then return 'dead' end
  return status(co)
end
local function wrap_result(ok, ...)
  if ok then return ... end
  local e = ...
  error(e, type(e) == 'string' and 2 or 1)
end
function co_lib.wrap(f)
  local co = co_lib.create(f)
  return function(...) return wrap_result(co_lib.resume(co, ...)) end
end
function co_lib.running()
  local co = running()
  if co == nil or ours[co] then return nil end
  return co
end
function co_lib.yield(...)
  -- Outside a script's own coroutine Lua 5.1 would be yielding across lua_pcall.
  if ours[running()] then error('attempt to yield across metamethod/C-call boundary', 0) end
  return yield(...)
end

---------------------------------------------------------------------------------------------------
-- The redis table.

api.log = {}
api.resp = 2

local redis = {}
redis.call = native.call
redis.pcall = native.pcall
redis.acl_check_cmd = native.acl_check_cmd
redis.sha1hex = native.sha1hex
redis.log = native.log
redis.setresp = native.setresp
redis.set_repl = native.set_repl
function redis.error_reply(...)
  local e = ...
  if select('#', ...) ~= 1 or type(e) ~= 'string' then
    return { err = 'ERR wrong number or type of arguments' }
  end
  if byte(e, 1) ~= 45 then e = '-' .. e end
  return error_table(e)
end
function redis.status_reply(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then
    return { err = 'ERR wrong number or type of arguments' }
  end
  return { ok = s }
end
function redis.replicate_commands() return true end
function redis.breakpoint() return false end
function redis.debug() end
redis.REDIS_VERSION = '7.0.15'
redis.REDIS_VERSION_NUM = 458767
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3

---------------------------------------------------------------------------------------------------
-- math.random: Redis' redisLrand48 (native.random), one state for the VM.

local math_lib = {}
for k, v in pairs(math) do math_lib[k] = v end
math_lib.random = native.random
math_lib.randomseed = native.randomseed

---------------------------------------------------------------------------------------------------
-- What scripts see: Redis' allow-listed globals, read-only.

local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function() error('Attempt to modify a readonly table', 2) end,
  })
end

-- `env` reads through `visible` (a table as __index, not a function: rilua 0.1.27 mis-runs a
-- function __index in a frame resumed after a nested coroutine yield, which every pcall around a
-- redis.call makes); only a missing global reaches the function that raises.
local visible = setmetatable({}, {
  __index = function(_, k)
    error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end,
})
local env = setmetatable({}, {
  __index = visible,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
})

local function sandboxed_loadstring(s, name)
  if type(s) == 'string' and byte(s, 1) == 27 then return nil, 'binary chunks are not allowed' end
  local f, e = loadstring(s, name)
  if f then setfenv(f, env) end
  return f, e
end
local function sandboxed_load(reader, name)
  local f, e = load(reader, name)
  if f then setfenv(f, env) end
  return f, e
end

for _, name in ipairs({ 'tostring', 'setmetatable', 'next', 'assert', 'tonumber', 'rawequal',
  'collectgarbage', 'getmetatable', 'rawset', 'type', 'select', 'unpack', 'gcinfo', 'pairs', 'rawget',
  'ipairs', '_VERSION' }) do
  visible[name] = _G[name]
end
visible.error = native.error
visible.pcall = redis_pcall
visible.xpcall = redis_xpcall
visible.loadstring = sandboxed_loadstring
visible.load = sandboxed_load
visible.string = readonly(string)
visible.table = readonly(table)
visible.math = readonly(math_lib)
visible.coroutine = readonly(co_lib)
visible.redis = readonly(redis)
for name, lib in pairs(native.libraries) do visible[name] = readonly(lib) end
visible._G = env
function visible.__redis__err__handler(err)
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  return err
end

---------------------------------------------------------------------------------------------------
-- Running scripts.

local scripts = {}
api.scripts = scripts

-- Compiles `body` under `key`; on a syntax error returns Lua's message.
function api.compile(key, body, chunkname)
  local f, e = loadstring(body, chunkname)
  if not f then return e end
  setfenv(f, env)
  scripts[key] = f
  return nil
end

function api.forget_all()
  for k in pairs(scripts) do scripts[k] = nil end
end

---------------------------------------------------------------------------------------------------
-- Function libraries (FUNCTION LOAD, FCALL). A library's code runs once, at load, with only
-- `redis.register_function`, `redis.log` and the version fields to see (function_lua.c's library
-- API); the functions it registers run later with the globals scripts see. Both through `fenv`,
-- whose __index is switched between the two views.

local function strict(t)
  return setmetatable(t, {
    __index = function(_, k)
      error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end,
  })
end

local load_redis = {}
local load_visible = strict({})
-- Functions run in a Lua VM of their own in Redis, whose cjson keeps its own settings.
local function_visible = setmetatable({ cjson = readonly(native.function_cjson) }, { __index = visible })
local fenv_meta = {
  __index = function_visible,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
}
local fenv = setmetatable({}, fenv_meta)

-- What the library being loaded registered: { name, callback, description, flags }.
local staged

local function register_error(text) error({ err = 'ERR ' .. text }) end

local function valid_name(name)
  return #name > 0 and not find(name, '[^%w_]')
end

local FLAGS = {
  ['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true,
  ['allow-cross-slot-keys'] = true,
}

function load_redis.register_function(...)
  if staged == nil then
    register_error('redis.register_function can only be called on FUNCTION LOAD command')
  end
  local n = select('#', ...)
  if n < 1 or n > 2 then register_error('wrong number of arguments to redis.register_function') end
  local first, second = ...
  local name, callback, description, flags
  if n == 1 then
    local args = first
    if type(args) ~= 'table' then
      register_error('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
    end
    for k, v in pairs(args) do
      if type(k) ~= 'string' and type(k) ~= 'number' then
        register_error('named argument key given to redis.register_function is not a string')
      end
      local key = string.lower(tostring(k))
      if key == 'function_name' then
        if type(v) ~= 'string' and type(v) ~= 'number' then
          register_error('function_name argument given to redis.register_function must be a string')
        end
        name = tostring(v)
      elseif key == 'description' then
        if type(v) ~= 'string' and type(v) ~= 'number' then
          register_error('description argument given to redis.register_function must be a string')
        end
        description = tostring(v)
      elseif key == 'callback' then
        if type(v) ~= 'function' then
          register_error('callback argument given to redis.register_function must be a function')
        end
        callback = v
      elseif key == 'flags' then
        if type(v) ~= 'table' then
          register_error('flags argument to redis.register_function must be a table representing function flags')
        end
        flags = {}
        for _, flag in pairs(v) do
          if type(flag) ~= 'string' or not FLAGS[string.lower(flag)] then
            register_error('unknown flag given')
          end
          flags[#flags + 1] = string.lower(flag)
        end
      else
        register_error('unknown argument given to redis.register_function')
      end
    end
    if name == nil then register_error('redis.register_function must get a function name argument') end
    if callback == nil then register_error('redis.register_function must get a callback argument') end
  else
    name, callback = first, second
    if type(name) ~= 'string' and type(name) ~= 'number' then
      register_error('first argument to redis.register_function must be a string')
    end
    name = tostring(name)
    if type(callback) ~= 'function' then
      register_error('second argument to redis.register_function must be a function')
    end
  end
  if not valid_name(name) then
    register_error('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long')
  end
  for _, f in ipairs(staged) do
    if f.name == name then register_error('Function already exists in the library') end
  end
  staged[#staged + 1] = { name = name, callback = callback, description = description, flags = flags or {} }
end
load_redis.log = native.log
load_redis.LOG_DEBUG, load_redis.LOG_VERBOSE, load_redis.LOG_NOTICE, load_redis.LOG_WARNING = 0, 1, 2, 3
load_redis.REDIS_VERSION = '7.0.15'
load_redis.REDIS_VERSION_NUM = 458767
load_visible.redis = readonly(strict(load_redis))

-- Runs a library's code (after its shebang line, whose newline it keeps): 'ok' and what it
-- registered (names, descriptions, flags), or 'compile' / 'register' and the error's text.
function api.load_library(code, steps)
  local f, e = loadstring(code, '@user_function')
  if not f then return 'compile', e end
  setfenv(f, fenv)
  fenv_meta.__index = load_visible
  staged = {}
  spent, budget = 0, steps
  killed = { err = 'ERR FUNCTION LOAD timeout' }
  local co = new_coroutine(f)
  local ok, err = resume(co)
  fenv_meta.__index = function_visible
  local registered = staged
  staged = nil
  if status(co) == 'suspended' then
    return 'register', 'ERR attempt to yield across metamethod/C-call boundary'
  end
  if not ok then
    if type(err) == 'table' and (type(err.err) == 'string' or type(err.err) == 'number') then
      return 'register', tostring(err.err)
    end
    return 'register', 'ERR ' .. tostring(err)
  end
  api.loaded = registered
  local names, descriptions, flags = {}, {}, {}
  for i, r in ipairs(registered) do
    names[i], descriptions[i], flags[i] = r.name, r.description or false, r.flags
  end
  return 'ok', names, descriptions, flags
end

-- Keeps the functions the last load registered, under 'function:<name>'.
function api.commit_library()
  for _, r in ipairs(api.loaded or {}) do scripts['function:' .. r.name] = r.callback end
  api.loaded = nil
end

function api.forget(key)
  scripts[key] = nil
end

local current, pending

-- Starts the script compiled under `key`. EVAL scripts get KEYS and ARGV as globals; functions
-- (`as_function`) get them as arguments, as FCALL passes them.
function api.start(key, keys, argv, steps, as_function)
  local f = scripts[key]
  spent, budget, api.resp = 0, steps, 2
  killed = { err = 'ERR Script killed after ' .. format('%.0f', steps) ..
    " Lua instructions (incr-lab's budget; Redis would answer BUSY until SCRIPT KILL)" }
  current = new_coroutine(f)
  ours[current] = true
  if as_function then
    visible.KEYS, visible.ARGV = nil, nil
    pending = { keys, argv }
  else
    visible.KEYS, visible.ARGV = keys, argv
    pending = nil
  end
end

-- Where an error happened, as __redis__err__handler finds it: the function that raised it, or its
-- caller when that is a C function; frames of this file are skipped.
local function locate(co)
  local level = 0
  local info = getinfo(co, level, 'Sl')
  if info and info.what == 'C' then
    level = level + 1
    info = getinfo(co, level, 'Sl')
  end
  while info and (info.source == BRIDGE_SOURCE or info.what == 'tail') do
    level = level + 1
    info = getinfo(co, level, 'Sl')
  end
  return info
end

-- The request the script is waiting on: which coroutine made it, and where.
local waiting_origin, waiting_source, waiting_line

-- What the engine learns when the script stops: a request (kind, raise, arguments…), its result,
-- or its error (message, source, line).
local function outcome(co, ok, ...)
  if status(co) == 'suspended' then
    local tag, origin, kind, raise_errors, source, line = ...
    if tag == REQUEST then
      waiting_origin, waiting_source, waiting_line = origin, source, line
      return kind, raise_errors, select(7, ...)
    end
    return 'error', 'ERR attempt to yield across metamethod/C-call boundary'
  end
  if ok then return 'done', (...) end
  local e = ...
  if type(e) ~= 'table' then e = { err = 'ERR ' .. tostring(e) } end
  local info = locate(co)
  local m = e.err
  if type(m) == 'number' then m = tostring(m) elseif type(m) ~= 'string' then m = nil end
  if info then return 'error', m, info.source, info.currentline end
  return 'error', m
end

-- Resumes the running script with the engine's answer: nothing at the start, the reply to its
-- request, or RAISE and an error table (the request failed and must raise).
function api.resume(...)
  if pending then
    local p = pending
    pending = nil
    return outcome(current, resume(current, p[1], p[2]))
  end
  local first, e = ...
  if first == RAISE and waiting_origin == current then
    local m = e.err
    return 'error', m, waiting_source, waiting_line
  end
  return outcome(current, resume(current, ...))
end

function api.finish()
  current = nil
  visible.KEYS, visible.ARGV = nil, nil
end

api.env = env
api.visible = visible
