--- A one-line progress bar for long jobs (ingest, extract) on a terminal.
--
--    local bar = progress.bar(io.stderr, total_bytes, clock, function(n, rate, docs)
--      return ("%d docs  %.1f MB/s"):format(docs, rate / 1e6)
--    end)
--    bar(bytes_done, false, docs)   -- redrawn at most five times a second
--    bar(total_bytes, true, docs)   -- the last call ends the line
--
-- Internal to dossier; callers decide whether to draw at all (a terminal, or
-- a handle the user gave).
-- @module dossier.progress
local M = {}

local WIDTH = 24 -- cells of the bar itself

--- Make a progress bar.
-- @param out a file handle to draw on
-- @tparam number total the amount that means 100%
-- @tparam function clock returns seconds (a monotonic clock)
-- @tparam function describe `describe(amount, rate, ...)` → the text shown after the percentage
-- @treturn function `draw(amount, done, ...)`: the extra arguments go to `describe`
function M.bar(out, total, clock, describe)
  local t0, last = clock(), -1
  return function(amount, done, ...)
    local now = clock()
    if not done and now - last < 0.2 then return end
    last = now
    local elapsed = now - t0
    local rate = elapsed > 0 and amount / elapsed or 0
    local frac = total > 0 and math.min(amount / total, 1) or 1
    local eta = rate > 0 and math.max(total - amount, 0) / rate or 0
    local fill = math.floor(frac * WIDTH + 0.5)
    out:write(("\r[%s%s] %3d%%  %s  ETA %d:%02d "):format(("#"):rep(fill), ("."):rep(WIDTH - fill),
      math.floor(frac * 100 + 0.5), describe(amount, rate, ...), math.floor(eta / 60),
      math.floor(eta % 60)))
    if done then out:write("\n") end
  end
end

return M
