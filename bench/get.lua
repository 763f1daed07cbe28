-- get.lua — wrk script for read benchmarks (itsm and nginx alike).
--
-- Without BENCH_RANDOM_MAX it requests the URL given to wrk, unchanged.
-- With BENCH_RANDOM_MAX=N it requests BENCH_PATH_PREFIX .. k for a random
-- k in 1..N (e.g. /api/v1/tickets/INC-), to read across a large store.
-- Auth comes from wrk's -H option.  done() prints one machine-readable line:
--   RESULT requests=… duration_s=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… non2xx=… errors=…

local random_max = tonumber(os.getenv("BENCH_RANDOM_MAX") or "")
local prefix = os.getenv("BENCH_PATH_PREFIX") or "/api/v1/tickets/INC-"

local counter = 0
function setup(thread)
	counter = counter + 1
	thread:set("seed", counter * 7919 + os.time())
end

function init(args)
	if random_max then
		math.randomseed(seed or os.time())
	end
end

if random_max then
	function request()
		return wrk.format("GET", prefix .. math.random(1, random_max))
	end
end

function done(summary, latency, requests)
	local s = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d errors=%d\n",
		summary.requests, s, summary.requests / s,
		latency:percentile(50) / 1000, latency:percentile(90) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000,
		e.status, e.connect + e.read + e.write + e.timeout))
end
