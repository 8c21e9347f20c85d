-- wrk script: one new leg per POST /v1/trips, paced (pace.lua) so that all threads together send
-- about RATE requests per second; event ids are new (per-thread prefix and counter).
dofile(os.getenv("WRK_DIR") .. "/pace.lua")
NAME = "single"

function request()
  counter = counter + 1
  local day = 1 + counter % 28
  return wrk.format("POST", "/v1/trips", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key},
    string.format('{"trips":[{"event_id":"%s-%d","rider_id":"q%d","mode":"bus","start_time":"2024-06-%02dT08:00:00+08:00","end_time":"2024-06-%02dT08:20:00+08:00","distance_m":%d}]}',
      prefix, counter, counter % 20000, day, day, 2000 + counter % 3000))
end
