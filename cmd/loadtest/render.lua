-- wrk script for the same load as cmd/loadtest, for a C load generator that
-- takes less of the machine's CPU from the server under test:
--   wrk -t2 -c16 -d30s --latency -s cmd/loadtest/render.lua http://127.0.0.1:8080
-- REPORT names the report JSON (default: the template's example);
-- FORMAT is pdf (default) or docx.
local file = os.getenv("REPORT") or "templates/gov-info-disclosure-annual/2021/example.json"
local f = assert(io.open(file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.path = "/api/v1/render?format=" .. (os.getenv("FORMAT") or "pdf")

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("renders/s %.1f   p50 %.1f ms   p99 %.1f ms   errors %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
