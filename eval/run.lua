-- eval/run.lua: `make eval`. Scores the shipped rule set and claims on both halves of the gold
-- set, prints the two tables and writes the figures to eval/results.json.
--
--   lua5.4 eval/run.lua [GOLD_DIR [RESULTS.json]]
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local eval = require "dossier.eval"

local dir, out = arg[1] or "eval/gold", arg[2] or "eval/results.json"
local results = {}
for _, half in ipairs { "dev", "test" } do
  local r = eval.run({ dir .. "/" .. half .. ".jsonl" })
  io.write(("== %s half: "):format(half), eval.format(r), "\n")
  results[half] = r
end
local f = assert(io.open(out, "wb"))
f:write(eval.encode(results), "\n")
f:close()
print("wrote " .. out .. " (dev: tune on it, `dossier eval eval/gold/dev.jsonl --errors`; "
  .. "test: report only)")
