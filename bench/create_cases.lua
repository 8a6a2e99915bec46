-- wrk script: every request creates a new case (unique per thread and
-- request) through POST /api/v1/cases. 5,000 petitioners over 21 matters,
-- received at scattered times of the last SCATTER_DAYS days (30 unless set),
-- so the repeat rule finds earlier cases and, out of order, marks later ones;
-- with SCATTER_DAYS=0, received as they are created, as a township's intake
-- registers them. Usage:
--   TOKEN=... [SCATTER_DAYS=30] wrk -t2 -c20 -d30s --latency -s bench/create_cases.lua http://127.0.0.1:9720
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  units = {"qingshan", "baishui", "dongling", "xihe", "nanping", "hrss", "court"}
  cats = {"land_requisition", "other", "law_litigation"}
  scatter = tonumber(os.getenv("SCATTER_DAYS") or "30") * 86400
end

function request()
  counter = counter + 1
  local back = 0
  if scatter > 0 then
    back = (counter * 7919) % scatter
  end
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - back)
  local body = string.format(
    '{"case_no":"WRK-%d-%d-%d","received_at":"%s","channel":"visit","category":"%s","unit":"%s","persons":%d,"level":"county","petitioner_id":"WRK-PERSON-%d"}',
    id, os.time(), counter, at, cats[counter % #cats + 1], units[counter % #units + 1], counter % 7 + 1, counter % 5000)
  return wrk.format("POST", "/api/v1/cases",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
