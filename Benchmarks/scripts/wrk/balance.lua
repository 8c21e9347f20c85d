-- wrk script: GET /v1/riders/rN/balance for riders the ingest script credits, paced to about
-- RATE requests per second over all threads (pace.lua).
dofile(os.getenv("WRK_DIR") .. "/pace.lua")
local threads = {}

function setup(thread)
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
  return wrk.format("GET", "/v1/riders/r" .. tostring((counter * 7919) % 50000) .. "/balance", {["Authorization"] = "Bearer " .. key})
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  report("balance", summary, latency, threads)
end
