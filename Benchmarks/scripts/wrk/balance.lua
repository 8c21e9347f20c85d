-- wrk script: GET /v1/riders/rN/balance for riders the ingest script credits, paced to about
-- RATE requests per second over all connections (see single.lua).
local threads = {}

function setup(thread)
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
  return wrk.format("GET", "/v1/riders/r" .. tostring((counter * 7919) % 50000) .. "/balance", {["Authorization"] = "Bearer " .. key})
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + (t:get("failures") or 0) end
  io.write(string.format("balance: %d requests in %.1f s = %.0f req/s, %d not 200; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), failed,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
