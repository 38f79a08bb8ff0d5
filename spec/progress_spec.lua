local progress = require "dossier.progress"

-- A sink that records what is written, and a clock the test moves.
local function sink()
  local s = { text = "" }
  function s:write(...) self.text = self.text .. table.concat({ ... }) end
  return s
end

describe("dossier.progress", function()
  it("draws percent, the caller's text and an ETA on one line", function()
    local out, now = sink(), 0
    local bar = progress.bar(out, 100, function() return now end, function(n, rate, docs)
      return ("%d units  %d docs  %.0f/s"):format(n, docs, rate)
    end)
    now = 10
    bar(25, false, 3)
    -- 25 of 100 in 10 s: 2.5/s, 75 left: 30 s
    assert.equal("\r[######..................]  25%  25 units  3 docs  2/s  ETA 0:30 ", out.text)
  end)

  it("redraws at most five times a second, but always draws the end", function()
    local out, now = sink(), 0
    local bar = progress.bar(out, 10, function() return now end, function(n) return tostring(n) end)
    now = 1
    bar(1)
    local after_first = #out.text
    now = 1.1
    bar(2)
    assert.equal(after_first, #out.text)
    now = 1.15
    bar(10, true)
    assert.truthy(out.text:find("100%%  10  ETA 0:00 \n$"), out.text)
  end)

  it("copes with a zero total and a zero elapsed time", function()
    local out = sink()
    local bar = progress.bar(out, 0, function() return 5 end, function() return "x" end)
    bar(0, true)
    assert.equal("\r[########################] 100%  x  ETA 0:00 \n", out.text)
  end)
end)
