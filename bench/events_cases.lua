-- wrk script, the first half of bench/add_events.sh: every request creates a
-- case EVB-<thread>-<n> received 20 days ago, and at the end each thread's
-- count is written to the file $COUNTS for add_events.lua. Run it with the
-- same number of threads as add_events.lua.
local threads = {}
counter = 0 -- a global: done() reads it with thread:get

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  at = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 20 * 86400)
  units = {"qingshan", "baishui", "dongling", "xihe", "nanping", "hrss", "court"}
end

-- wrk calls request() once per thread before the run and sends nothing of
-- it: that first call is a throwaway, so no case or step is skipped
local primed = false

function request()
  if not primed then
    primed = true
    return wrk.format("GET", "/healthz")
  end
  counter = counter + 1
  local body = string.format(
    '{"case_no":"EVB-%d-%d","received_at":"%s","channel":"visit","category":"other","unit":"%s","persons":1,"level":"county","petitioner_id":"EVB-PERSON-%d-%d"}',
    id, counter, at, units[counter % #units + 1], id, counter)
  return wrk.format("POST", "/api/v1/cases",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status >= 300 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end

function done(summary, latency, requests)
  local f = io.open(os.getenv("COUNTS"), "w")
  for _, thread in ipairs(threads) do
    f:write(thread:get("counter"), "\n")
  end
  f:close()
end
