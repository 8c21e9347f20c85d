-- wrk script: one new leg per POST /v1/trips, paced (pace.lua) so that all threads together send
-- about RATE requests per second.
dofile(os.getenv("WRK_DIR") .. "/pace.lua")
local threads = {}

function setup(thread)
  thread:set("prefix", "s" .. tostring(#threads) .. "-" .. tostring(os.time()))
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

function request()
  counter = counter + 1
  local day = 1 + counter % 28
  return wrk.format("POST", "/v1/trips", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key},
    string.format('{"trips":[{"event_id":"%s-%d","rider_id":"q%d","mode":"bus","start_time":"2024-06-%02dT08:00:00+08:00","end_time":"2024-06-%02dT08:20:00+08:00","distance_m":%d}]}',
      prefix, counter, counter % 20000, day, day, 2000 + counter % 3000))
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  report("single", summary, latency, threads)
end
