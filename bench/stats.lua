--- Statistics the benchmarks report: the median of a list of timings and its range.
--
--    local stats = require "stats"             -- (bench/ on package.path)
--    print(stats.median { 3, 1, 2 }, stats.range { 3, 1, 2 })  --> 2  1  3
local M = {}

--- The median of a non-empty list of numbers (the mean of the middle two for an even count).
function M.median(t)
  local c = table.move(t, 1, #t, 1, {})
  table.sort(c)
  local n = #c
  return n % 2 == 1 and c[(n + 1) // 2] or (c[n // 2] + c[n // 2 + 1]) / 2
end

--- The smallest and the largest of a non-empty list of numbers.
function M.range(t)
  return math.min(table.unpack(t)), math.max(table.unpack(t))
end

return M
