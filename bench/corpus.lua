-- bench/corpus.lua: the one corpus loader of the benchmarks (bench/extract.lua, rules.lua,
-- store.lua, text.lua). The news corpus is ../shared/data/news (or under $DOSSIER_DATA), or
-- the JSONL file or directory in $CORPUS; the PETRARCH dictionaries are under the same data
-- directory. A benchmark whose data is absent says so and is skipped.
--
--    local corpus = require "corpus"            -- (bench/ on package.path)
--    local docs, bytes = corpus.docs { max = 40e6 }   -- { {text=, lang=}, ... }
local cjson = require "cjson.safe"
local sys = require "dossier.sys"

local M = {}

--- The data directory (the news corpus and the PETRARCH dictionaries live under it).
M.DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
--- The corpus: a JSONL file or a directory of them.
M.PATH = os.getenv("CORPUS") or (M.DATA .. "/news")
--- The PETRARCH actor dictionaries.
M.ANCHORS = M.DATA .. "/anchors/petrarch2/"

--- Whether a file or directory exists.
function M.exists(path)
  return sys.stat(path) ~= nil
end

--- The JSONL files of the corpus (or of `path`), in byte order of names; nil when there
-- are none. `names`: only the files with these base names, in that order.
function M.files(path, names)
  local found = sys.walk(path or M.PATH, function(n) return n:match("%.jsonl$") ~= nil end)
  if not found or #found == 0 then
    return nil
  end
  local out, by_name = {}, {}
  for i, f in ipairs(found) do
    out[i] = f.path
    by_name[f.path:match("[^/]+$")] = by_name[f.path:match("[^/]+$")] or f.path
  end
  if names then
    out = {}
    for _, n in ipairs(names) do out[#out + 1] = by_name[n] end
  end
  return #out > 0 and out or nil
end

--- The documents of the corpus with a non-empty text, in file order:
-- `{ {text=, lang=}, ... }` and their bytes of text, or nil when there is no corpus.
-- `opts.max`: stop once the texts reach this many bytes; `opts.names`: only these files;
-- `opts.path`: another corpus. Lines that are not JSON objects with a text are skipped.
function M.docs(opts)
  opts = opts or {}
  local files = M.files(opts.path, opts.names)
  if not files then
    return nil
  end
  local max = opts.max or math.huge
  local docs, n = {}, 0
  for _, f in ipairs(files) do
    for line in io.lines(f) do
      local doc = cjson.decode(line)
      local t = type(doc) == "table" and doc.text
      if type(t) == "string" and #t > 0 then
        docs[#docs + 1] = { text = t, lang = type(doc.lang) == "string" and doc.lang or nil }
        n = n + #t
        if n >= max then
          return docs, n
        end
      end
    end
  end
  return docs, n
end

return M
