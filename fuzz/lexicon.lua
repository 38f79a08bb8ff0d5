-- fuzz target: the gazetteer. The input's lines are names (added, built, then scanned over
-- the input itself), and the input is also loaded as a TABARI .actors file and as TSV.
local lexicon = require "dossier.lexicon"
local tmp = os.tmpname()

return function(s)
  local lex = lexicon.new()
  local n = 0
  for line in s:gmatch("[^\n]+") do
    if pcall(lex.add, lex, line, n) then n = n + 1 end
    if n >= 64 then break end
  end
  if pcall(lex.build, lex) then
    pcall(lex.count, lex, s)
    pcall(function()
      for a, b in lex:scan(s) do
        if a < 1 or b > #s or b < a - 1 then error(("fuzz: scan span %d..%d of %d"):format(a, b, #s), 0) end
      end
    end)
    pcall(lex.matches, lex, s)
  end
  lex:close()
  local f = assert(io.open(tmp, "wb"))
  f:write(s)
  f:close()
  for _, format in ipairs { "tabari", "tsv" } do
    local ok, l = pcall(lexicon.load, tmp, format)
    if ok and l then pcall(function() l:build(); l:count(s) end) end
  end
end
