-- wrk script: POST one JSON body on every request and report in a parseable line.
-- Usage: wrk ... -s bench/wrk_post.lua URL -- BODY_FILE
-- Headers (Authorization) come from wrk's -H option, so one script serves every row.

function init(args)
  -- init runs in every wrk thread; wrk builds its request from these fields afterwards.
  local file = assert(io.open(args[1], "rb"), "cannot open body file " .. tostring(args[1]))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end

-- wrk's own report rounds percentiles and names units loosely; this line is exact
-- (microseconds, integers) and is what bench/wrk.py parses.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d p50_us=%.0f p90_us=%.0f " ..
    "p99_us=%.0f max_us=%.0f connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
