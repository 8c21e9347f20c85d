-- wrk script: one new leg per POST /v1/trips, paced so that all connections together send
-- about RATE requests per second (each connection waits CONNECTIONS × 1000 / RATE ms between
-- its requests, less its own latency being added on top).
local threads = {}

function setup(thread)
  thread:set("prefix", "s" .. tostring(#threads) .. "-" .. tostring(os.time()))
  table.insert(threads, thread)
end

function init(args)
  key = os.getenv("KEY")
  pause = tonumber(os.getenv("CONNECTIONS")) * 1000 / tonumber(os.getenv("RATE"))
  counter = 0
  failures = 0
end

function delay()
  return pause
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
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + (t:get("failures") or 0) end
  io.write(string.format("single: %d requests in %.1f s = %.0f req/s, %d not 200; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), failed,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
