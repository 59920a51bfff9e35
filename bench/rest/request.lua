-- wrk script of the REST and MCP benchmarks (bench/rest/run.sh, bench/mcp/run.sh). The request
-- comes from the environment:
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    request body (POST), sent with Content-Type: application/json
--   BENCH_KEY     API key, sent as Authorization: Bearer <key> when set
--   BENCH_HEADERS more headers, "Name: value" separated by "|" (the MCP benchmark's)
-- and the URL's path from wrk's command line. done() prints one machine-readable line:
--   RESULT requests=N seconds=S rps=R p50_us=.. p90_us=.. p99_us=.. max_us=.. errors=E non2xx=N
-- where errors counts connect, read, write and timeout errors and non2xx the responses whose
-- status is not 2xx or 3xx (wrk's summary.errors.status).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local key = os.getenv("BENCH_KEY")

wrk.method = method
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
for header in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(header, "^%s*([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
