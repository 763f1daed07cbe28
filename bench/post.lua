-- post.lua — wrk script: durable ticket creation, POST /api/v1/tickets.
--
-- Environment:
--   BENCH_TOKEN   bearer token (required)
--   BENCH_QUOTA   optional: each wrk thread stops itself after this many 201s
--                 (the loader for "create N tickets"; run.sh stops wrk itself
--                 once the store holds N tickets)
-- done() prints one machine-readable line:
--   RESULT requests=… duration_s=… rps=… created=… created_per_s=… other=… p50_ms=… p99_ms=… errors=…

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local quota = tonumber(os.getenv("BENCH_QUOTA") or "")

wrk.method = "POST"
wrk.path = "/api/v1/tickets"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.body = '{"kind":"incident","title":"Mail server does not answer",' ..
	'"description":"Since 09:00 the mail server times out for the whole sales floor; ' ..
	'webmail works, Outlook does not.","impact":2,"urgency":2}'

local threads = {}
function setup(thread)
	table.insert(threads, thread)
end

created, other = 0, 0
function response(status, headers, body)
	if status == 201 then
		created = created + 1
		if quota and created >= quota then
			wrk.thread:stop()
		end
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + (t:get("created") or 0)
		o = o + (t:get("other") or 0)
	end
	local s = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d duration_s=%.3f rps=%.1f created=%d created_per_s=%.1f other=%d p50_ms=%.3f p99_ms=%.3f errors=%d\n",
		summary.requests, s, summary.requests / s, c, c / s, o,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		e.connect + e.read + e.write + e.timeout))
end
