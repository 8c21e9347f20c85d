-- Shared by the paced wrk scripts (loaded with dofile, before the script sets NAME and
-- defines request()): wrk's setup, init, delay, response and done for a constant rate. Each wrk
-- thread spaces its requests THREADS × 1000 / RATE ms apart on the wall clock (through
-- LuaJIT's ffi), so all threads together send about RATE requests per second as long as a
-- connection is free; a request that comes back late does not push the schedule back
-- (as in wrk2), so slow responses show in the latency instead of lowering the rate.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } pace_timespec;
  int clock_gettime(int clock, pace_timespec *tp);
]]
local now_ts = ffi.new("pace_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, now_ts)
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local interval = tonumber(os.getenv("THREADS") or "1") * 1000 / tonumber(os.getenv("RATE"))
local next_send = nil

function paced_delay()
  local now = now_ms()
  if next_send == nil then next_send = now end
  local wait = next_send - now
  next_send = next_send + interval
  if wait < 0 then return 0 end
  return wait
end

local threads = {}

function setup(thread)
  thread:set("prefix", "p" .. tostring(#threads) .. "-" .. tostring(os.time()))
  table.insert(threads, thread)
end

function init(args)
  key = os.getenv("KEY")
  counter = 0
  failures = 0
end

function delay()
  return paced_delay()
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + (t:get("failures") or 0) end
  io.write(string.format("%s: %d requests in %.1f s = %.0f req/s, %d not 200; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    NAME, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), failed,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
