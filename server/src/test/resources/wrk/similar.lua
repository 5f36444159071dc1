-- wrk script for the HTTP load figures in BENCHMARKS.md: GET /api/items/{id}/similar with a
-- product id drawn from 0..N-1 (the synthetic catalog of `fashion bench query`) and a filter drawn
-- from a fixed list, so that requests do not repeat one query.
-- usage: wrk -t2 -c8 -d30s -s similar.lua http://127.0.0.1:7070 -- 44000
local n = 44000
local filters = {
  "",
  "&masterCategory=Footwear",
  "&gender=Women",
  "&articleType=Tshirts",
  "&gender=Women&masterCategory=Footwear&baseColour=Black",
}
local counter = 0

function init(args)
  if args[1] then n = tonumber(args[1]) end
  math.randomseed(42 + (tonumber(tostring({}):sub(8), 16) or 0) % 1000)
end

function request()
  counter = counter + 1
  local id = math.random(0, n - 1)
  local filter = filters[(counter % #filters) + 1]
  return wrk.format("GET", "/api/items/" .. id .. "/similar?k=10" .. filter)
end

function done(summary, latency, requests)
  io.write(string.format("wrk requests=%d errors_status=%d errors_socket=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
