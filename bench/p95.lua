-- wrk script: replay the request lines of $BENCH_REQUESTS (method TAB path TAB cookie TAB body),
-- each thread from its own starting line, with a browser's headers; print latency percentiles
-- wrk does not print by default (values in microseconds).
local threads = {}
local lines = {}
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
  counter = offset or 0
end

request = function()
  counter = counter % #lines + 1
  local method, path, cookie, body = lines[counter][1], lines[counter][2], lines[counter][3], lines[counter][4]
  local headers = {
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ["Accept-Encoding"] = "gzip, deflate, br, zstd",  -- what Chrome 123 and later send
    ["Accept-Language"] = "en-GB,en;q=0.9,fr;q=0.8",
  }
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
