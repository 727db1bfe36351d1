-- Print latency percentiles wrk does not print by default (values in microseconds).
done = function(summary, latency, requests)
  io.write(string.format("PCT p50=%d p95=%d p99=%d\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
