-- wrk script: every request adds the next step to a case that
-- events_cases.lua created: first each of a thread's cases is accepted, then
-- each is replied to, its reply delivered and evaluated, so the steps of
-- one case are a thread's whole round of cases apart. Usage (as
-- bench/add_events.sh runs it):
--   TOKEN=... COUNTS=... wrk -t2 -c20 -d30s --latency -s bench/add_events.lua http://127.0.0.1:9734
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  local n = 0
  for line in io.lines(os.getenv("COUNTS")) do
    n = n + 1
    if n == id then
      -- the last requests of the first run may have gone unanswered
      cases = tonumber(line) - 100
    end
  end
  local day = function(d) return os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - d * 86400) end
  steps = {
    '{"type":"accepted","at":"' .. day(19) .. '"}',
    '{"type":"replied","at":"' .. day(18) .. '"}',
    '{"type":"reply_delivered","at":"' .. day(17) .. '"}',
    '{"type":"evaluated","at":"' .. day(16) .. '","result":"satisfied"}',
  }
end

-- wrk calls request() once per thread before the run and sends nothing of
-- it: that first call is a throwaway, so no case or step is skipped
local primed = false

function request()
  if not primed then
    primed = true
    return wrk.format("GET", "/healthz")
  end
  local step = math.floor(counter / cases) + 1 -- LuaJIT: no integer division
  local n = counter % cases + 1
  counter = counter + 1
  if step > #steps then
    error("out of cases: run events_cases.lua longer")
  end
  return wrk.format("POST", string.format("/api/v1/cases/EVB-%d-%d/events", id, n),
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, steps[step])
end

function response(status, headers, body)
  if status >= 300 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
