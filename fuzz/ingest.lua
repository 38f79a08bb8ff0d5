-- fuzz target: the JSONL line reader and ingest. The input is written as a .jsonl file and
-- ingested into an in-memory store (bad lines are reported and skipped: an answer); the C
-- line reader also reads it directly with a small line limit.
local dossier = require "dossier"
local core = require "dossier.core"
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local path = dir .. "/in.jsonl"
local db, runs = nil, 0

return function(s)
  if not db or runs % 200 == 0 then
    if db then db:close() end
    db = dossier.open(":memory:")
  end
  runs = runs + 1
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
  pcall(db.ingest, db, path, { max_line = 4096 })
  pcall(function()
    local r <close> = assert(core.store.lines(path, 64))
    local total = 0
    while true do
      local line, _, len = r:read()
      if line == nil then break end
      if line then total = total + #line else total = total + len end
      if #s > 0 and total > #s then error("fuzz: the reader gave more bytes than the file holds", 0) end
    end
  end)
end
