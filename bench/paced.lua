-- wrk script: each connection waits `delay()` milliseconds before its next request, so that
-- C connections send about RATE requests a second in all (C * 1000 / (delay + latency)).
-- wrk leaves the wait out of the latency it records. Set by bench/web.sh through the
-- environment: PACE_DELAY_MS.
local wait = tonumber(os.getenv("PACE_DELAY_MS") or "50")
function delay()
  return wait
end
