-- wrk script: POST /v1/trips with batches of BATCH (default 5000) new bus legs, each
-- request with event ids never sent before. With BODIES=DIR, the bodies are the files
-- DIR/body-N.json made beforehand (thread t of T takes N = t, t + T, …), so the load
-- generator spends no CPU building them; past the last file, or without BODIES, each
-- thread builds its bodies (per-thread prefix and counter).
-- KEY: an operator key for source "bench" (scripts/serve-load.sh creates it).
local threads = {}

function setup(thread)
  thread:set("prefix", "t" .. tostring(#threads) .. "-" .. tostring(os.time()))
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  key = os.getenv("KEY")
  batch = tonumber(os.getenv("BATCH") or "5000")
  counter = 0
  failures = 0
  bodies = os.getenv("BODIES")
  step = tonumber(os.getenv("THREADS") or "1")
  file_number = index
end

local function prepared_body()
  if bodies == nil then return nil end
  local f = io.open(string.format("%s/body-%d.json", bodies, file_number), "rb")
  if f == nil then return nil end
  local body = f:read("*a")
  f:close()
  file_number = file_number + step
  return body
end

function request()
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}
  local body = prepared_body()
  if body ~= nil then return wrk.format("POST", "/v1/trips", headers, body) end
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    local n = counter * batch + i
    local day = 1 + n % 28
    parts[i] = string.format('{"event_id":"%s-%d","rider_id":"r%d","mode":"bus","start_time":"2024-05-%02dT07:00:00+08:00","end_time":"2024-05-%02dT07:20:00+08:00","distance_m":%d}',
      prefix, n, n % 50000, day, day, 2000 + n % 3000)
  end
  return wrk.format("POST", "/v1/trips", headers, '{"trips":[' .. table.concat(parts, ",") .. ']}')
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + (t:get("failures") or 0) end
  io.write(string.format("ingest: %d batches of %d legs, %d not 200\n", summary.requests, tonumber(os.getenv("BATCH") or "5000"), failed))
end
