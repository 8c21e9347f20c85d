-- wrk script: GET /v1/riders/rN/balance for riders the ingest script credits, paced to about
-- RATE requests per second over all threads (pace.lua).
dofile(os.getenv("WRK_DIR") .. "/pace.lua")
NAME = "balance"

function request()
  counter = counter + 1
  return wrk.format("GET", "/v1/riders/r" .. tostring((counter * 7919) % 50000) .. "/balance", {["Authorization"] = "Bearer " .. key})
end
