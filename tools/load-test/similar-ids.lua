-- GET /api/items/{id}/similar?k=10[&FILTER] with ids read from a file, one per line
local ids = {}
local filter = ""
local counter = 0
function init(args)
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
  filter = args[2] or ""
  counter = math.random(1, #ids)
end
function request()
  counter = counter % #ids + 1
  return wrk.format("GET", "/api/items/" .. ids[counter] .. "/similar?k=10" .. filter)
end
function done(summary, latency, requests)
  io.write(string.format("wrk requests=%d non2xx=%d p50_ms=%.2f p99_ms=%.2f rps=%.0f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
