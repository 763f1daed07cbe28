-- events.lua — wrk script: durable event intake, POST /api/v1/events, with
-- the dedup path hot: every request repeats one of BENCH_KEYS open problems
-- (default 50), so each is counted on an existing alert.
--
-- Environment: BENCH_TOKEN (an events-scoped token, required), BENCH_KEYS,
--   BENCH_PATH (default /api/v1/events; /api/v1/integrations/alertmanager
--   posts Alertmanager notifications instead), BENCH_BATCH (events or
--   alerts per request, default 1: {"events":[…]} / "alerts":[…]).
-- "stored" counts events, not requests.
-- done() prints one machine-readable line:
--   RESULT requests=… duration_s=… stored=… stored_per_s=… other=… p50_ms=… p99_ms=… errors=…

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local keys = tonumber(os.getenv("BENCH_KEYS") or "50")
local path = os.getenv("BENCH_PATH") or "/api/v1/events"
local batch = tonumber(os.getenv("BENCH_BATCH") or "1")

local threads = {}
local counter = 0
function setup(thread)
	counter = counter + 1
	thread:set("id", counter)
	table.insert(threads, thread)
end

local function one_event(k)
	return string.format(
		'{"source":"bench","resource":"bench-ci-%d","check":"cpu%d","severity":"critical",' ..
		'"summary":"CPU load 97%% on bench-ci-%d","at":"2026-01-01T00:00:00Z"}', k % 10, k, k % 10)
end

local function one_alert(k)
	return string.format(
		'{"status":"firing","labels":' ..
		'{"alertname":"HighCPU","instance":"bench-ci-%d:9100","severity":"critical"},' ..
		'"annotations":{"summary":"CPU high"},"startsAt":"2026-01-01T00:00:00Z",' ..
		'"endsAt":"0001-01-01T00:00:00Z","fingerprint":"%016x"}', k % 10, k)
end

local bodies = {}
function init(args)
	for k = 1, keys do
		local parts = {}
		for b = 0, batch - 1 do
			local kk = (k + b) % keys + 1
			parts[#parts + 1] = path == "/api/v1/events" and one_event(kk) or one_alert(kk)
		end
		if path == "/api/v1/events" then
			bodies[k] = batch == 1 and parts[1] or ('{"events":[' .. table.concat(parts, ",") .. ']}')
		else
			bodies[k] = '{"version":"4","groupKey":"{}:{alertname=\\"HighCPU\\"}","status":"firing",' ..
				'"receiver":"itsm","groupLabels":{},"commonLabels":{},"commonAnnotations":{},' ..
				'"externalURL":"http://am:9093","alerts":[' .. table.concat(parts, ",") .. ']}'
		end
	end
end

local n = 0
function request()
	n = n + 1
	return wrk.format("POST", path, {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. token,
	}, bodies[(n + id * 7) % keys + 1])
end

stored, other = 0, 0
function response(status, headers, body)
	if status == 202 or status == 200 then
		stored = stored + batch
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local s, o = 0, 0
	for _, t in ipairs(threads) do
		s = s + (t:get("stored") or 0)
		o = o + (t:get("other") or 0)
	end
	local d = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_s=%.3f stored=%d stored_per_s=%.1f other=%d p50_ms=%.3f p99_ms=%.3f errors=%d\n",
		summary.requests, d, s, s / d, o, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout))
end
