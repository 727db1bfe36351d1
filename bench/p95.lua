-- wrk script: replay the request lines of $BENCH_REQUESTS (method TAB path TAB cookie TAB body),
-- each thread from its own starting line, with a browser's headers ($BENCH_HEADERS, "Name: value"
-- a line, from bench/run.py's BROWSER_HEADERS); print latency percentiles wrk does not print by
-- default (values in microseconds).
local threads = {}
local lines = {}
local browser = {}
local counter = 0

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do table.insert(fields, field) end
  return fields
end

setup = function(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

init = function(args)
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  for line in file:lines() do
    if line ~= "" then table.insert(lines, split(line)) end
  end
  file:close()
  for header in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
    local name, value = header:match("^([^:]+): (.*)$")
    browser[name] = value
  end
  counter = offset or 0
end

request = function()
  counter = counter % #lines + 1
  local method, path, cookie, body = lines[counter][1], lines[counter][2], lines[counter][3], lines[counter][4]
  local headers = {}
  for name, value in pairs(browser) do headers[name] = value end
  if cookie ~= nil and cookie ~= "" then headers["Cookie"] = cookie end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  io.write(string.format("PCT p50=%d p95=%d p99=%d\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
