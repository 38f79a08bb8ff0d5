-- bench/tabari/corpus.lua: the sentences both coders read in bench/tabari.lua.
--
-- English news from ../shared/data/news (the same files bench/extract.lua reads): the first
-- N/2 sentences of reuters21578.jsonl and the first N/2 of bbc_news_2004-2005.jsonl, in file
-- order, split by dossier.text.sentences(text, "en") as dossier.extract splits them. Kept
-- only what TABARI can take as one record (its limits, TABARI.h): at most 2,000 bytes
-- (MAX_SENTENCE 2048) and 120 words (MAX_LEX 128 literals), at least 3 words. Whitespace
-- runs become one space, and the text is made ASCII (TABARI reads bytes as ASCII and calls
-- toupper/isalpha on them): typographic quotes and dashes become ASCII, currency signs their
-- codes, accented letters their folded ASCII letters; anything else is dropped. Both coders
-- get exactly these bytes.
--
-- Two files are written:
--   TEXT  TABARI's text format: "YYMMDD ID" line, the sentence in lines of at most 200
--         bytes (MAX_TAB_INPUT 256), a blank line.
--   TSV   one sentence a line: ISO date, tab, id, tab, sentence (dossier's side).
-- The date is the article's (Reuters 1987); BBC articles carry none and get 2005-01-01.
local M = {}

local FILES = {
  { file = "reuters21578.jsonl", tag = "R" },
  { file = "bbc_news_2004-2005.jsonl", tag = "B", date = "2005-01-01" },
}

local MAP = {
  ["\u{2018}"] = "'", ["\u{2019}"] = "'", ["\u{201A}"] = "'", ["\u{201B}"] = "'",
  ["\u{201C}"] = '"', ["\u{201D}"] = '"', ["\u{201E}"] = '"', ["\u{201F}"] = '"',
  ["\u{2010}"] = "-", ["\u{2011}"] = "-", ["\u{2012}"] = "-", ["\u{2013}"] = "-", ["\u{2014}"] = "-",
  ["\u{2015}"] = "-", ["\u{2212}"] = "-", ["\u{2026}"] = "...", ["\u{00A0}"] = " ",
  ["\u{00A3}"] = "GBP ", ["\u{20AC}"] = "EUR ", ["\u{00A5}"] = "JPY ", ["\u{00B4}"] = "'",
  ["\u{00AB}"] = '"', ["\u{00BB}"] = '"',
}

-- ASCII text of s: see above. Returns the text and the number of characters dropped.
function M.ascii(s, fold)
  local dropped = 0
  s = s:gsub("[\xC2-\xF4][\x80-\xBF]*", function(ch)
    local m = MAP[ch]
    if m then return m end
    local f = fold(ch)
    if f:find("^[%w]+$") then return f end
    dropped = dropped + 1
    return ""
  end)
  s = s:gsub("[\x80-\xFF]", "") -- stray continuation or invalid bytes
  return s, dropped
end

local function wrap(s, width)
  local lines, line = {}, nil
  for w in s:gmatch("%S+") do
    while #w > width do -- (a "word" longer than a line: cut it)
      if line then lines[#lines + 1] = line; line = nil end
      lines[#lines + 1] = w:sub(1, width)
      w = w:sub(width + 1)
    end
    if not line then
      line = w
    elseif #line + 1 + #w <= width then
      line = line .. " " .. w
    else
      lines[#lines + 1] = line
      line = w
    end
  end
  if line then lines[#lines + 1] = line end
  return lines
end

-- write(news_dir, n, text_path, tsv_path) -> stats { sentences=, bytes=, per_source=, skipped=, dropped= }
function M.write(dir, n, text_path, tsv_path)
  local cjson = require "cjson"
  local text = require "dossier.text"
  local per = n // #FILES
  local out_t = assert(io.open(text_path, "wb"))
  local out_s = assert(io.open(tsv_path, "wb"))
  local st = { sentences = 0, bytes = 0, per_source = {}, skipped = 0, dropped = 0 }
  for _, src in ipairs(FILES) do
    local path = dir .. "/" .. src.file
    local f = io.open(path, "rb")
    if not f then
      out_t:close(); out_s:close()
      return nil, "missing " .. path
    end
    local k = 0
    for line in f:lines() do
      if k >= per then break end
      local ok, doc = pcall(cjson.decode, line)
      if ok and type(doc) == "table" and type(doc.text) == "string" then
        local date = type(doc.date) == "string" and doc.date:match("^%d%d%d%d%-%d%d%-%d%d") or src.date
        local body = doc.text
        for s, e in text.sentences(body, "en") do
          if k >= per then break end
          local sent, d = M.ascii(body:sub(s, e), text.fold)
          sent = sent:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
          local _, words = sent:gsub("%S+", "")
          if #sent > 2000 or words > 120 or words < 3 then
            st.skipped = st.skipped + 1
          else
            k = k + 1
            st.dropped = st.dropped + d
            local id = ("%s%05d"):format(src.tag, k)
            out_t:write(date:sub(3, 4), date:sub(6, 7), date:sub(9, 10), " ", id, "\n")
            for _, l in ipairs(wrap(sent, 200)) do out_t:write(l, "\n") end
            out_t:write("\n")
            out_s:write(date, "\t", id, "\t", sent, "\n")
            st.bytes = st.bytes + #sent
          end
        end
      end
    end
    f:close()
    st.per_source[src.file] = k
    st.sentences = st.sentences + k
  end
  assert(out_t:close())
  assert(out_s:close())
  return st
end

return M
