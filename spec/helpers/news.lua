-- Spec helper: folded sentences of the first documents of news JSONL files under
-- `data`/news (files that are not there are skipped), for comparing a recogniser with a
-- slow reference on real text. Read without a JSON library: the "text" field only.
--
--   local news = dofile("spec/helpers/news.lua")
--   local sents = news.sentences(DATA, { "bbc_news_2004-2005.jsonl" }, 8)
local text = require "dossier.text"

local M = {}

function M.sentences(data, files, docs_per_file, out)
  out = out or {}
  for _, file in ipairs(files) do
    local fh = io.open(data .. "/news/" .. file)
    if fh then
      local docs = 0
      for line in fh:lines() do
        docs = docs + 1
        if docs > docs_per_file then break end
        local body = (line:match('"text": "(.-[^\\])"') or ""):gsub("\\n", " ")
        for a, b in text.sentences(body) do out[#out + 1] = text.fold(body:sub(a, b)) end
      end
      fh:close()
    end
  end
  return out
end

return M
