-- bench/text.lua — throughput of dossier.text on the news corpus, against baselines measured in
-- the same run: fold vs Lua's string.lower (ASCII only, no whitespace folding) and vs a
-- table-driven UTF-8-aware Lua fold; words vs string.gmatch; sentences vs a naive Lua splitter.
-- Run from the repository root: lua5.4 bench/text.lua (CORPUS=dir to use other JSONL files).
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath

local text = require "dossier.text"
local corpus = require "corpus"

local dir = corpus.PATH

-- The texts of the named corpus files, at most `limit` bytes, one string.
local function load(files, limit)
  local docs = corpus.docs { names = files, max = limit } or {}
  local parts = {}
  for i, d in ipairs(docs) do parts[i] = d.text end
  return table.concat(parts, "\n")
end

-- Seconds of CPU per call of fn(), repeating until at least `min` seconds have passed.
local function time(fn, min)
  min = min or 0.4
  local n, t0 = 0, os.clock()
  repeat
    fn()
    n = n + 1
  until os.clock() - t0 >= min
  return (os.clock() - t0) / n
end

local function mbs(bytes, secs) return bytes / secs / 1e6 end

-- Baseline: a UTF-8-aware fold in plain Lua, driven by a code point table (built with
-- text.fold outside the timed region, so both produce the same key).
local lua_map, lua_space = {}, {}
for cp = 0, 0x3000 do lua_map[cp] = text.fold(utf8.char(cp)) end
for cp = 0xFE00, 0xFEFF do lua_map[cp] = text.fold(utf8.char(cp)) end
for _, cp in ipairs({ 9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
  0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 }) do
  lua_space[cp] = true
end
local function lua_fold(s)
  local out, n, in_space = {}, 0, false
  for _, c in utf8.codes(s) do
    if lua_space[c] then
      if not in_space then n = n + 1; out[n] = " "; in_space = true end
    else
      local f = lua_map[c] or utf8.char(c)
      if f ~= "" then n = n + 1; out[n] = f; in_space = false end
    end
  end
  return table.concat(out)
end

local function lua_sentences(s)
  local n = 0
  for _ in s:gmatch("[^.!?]+[.!?]+") do n = n + 1 end
  return n
end

local LIMIT = tonumber(os.getenv("BENCH_BYTES")) or 8e6
local corpora = {
  { "English (BBC, Reuters)", { "bbc_news_2004-2005.jsonl", "reuters21578.jsonl" } },
  { "Serbian Latin (alo.rs, SETimes)",
    { "alo_articles_sr_latn.jsonl", "sr_latn_setimes_ud_dev_test.jsonl" } },
  { "Serbian Cyrillic (Politika, SETimes)", { "politika_headlines_sr_cyrl.jsonl",
    "sr_cyrl_translit_setimes_ud_dev_test.jsonl" } },
}

print(("dossier.text benchmark (CPU seconds via os.clock; corpus %s)"):format(dir))
for _, c in ipairs(corpora) do
  local s = load(c[2], LIMIT)
  if #s == 0 then
    print(("\n%s: corpus not found, skipped"):format(c[1]))
  else
    local ascii = select(2, s:gsub("[\128-\255]", "")) / #s
    print(("\n%s: %.1f MB, %.1f%% non-ASCII bytes"):format(c[1], #s / 1e6, 100 * ascii))
    local t_fold = time(function() return text.fold(s) end)
    local t_map = time(function() return text.fold(s, nil, true) end)
    local t_lower = time(function() return s:lower() end)
    local small = s:sub(1, 1000000):gsub("[\128-\191]*$", "")
    local bad = text.utf8_valid(small) and 0 or 1
    local t_lua = bad == 0 and time(function() return lua_fold(small) end) or nil
    if t_lua and lua_fold(small) ~= text.fold(small) then print("  (the Lua baseline's key differs)") end
    local f = mbs(#s, t_fold)
    print(("  fold              %8.1f MB/s"):format(f))
    print(("  fold + map        %8.1f MB/s"):format(mbs(#s, t_map)))
    print(("  string.lower      %8.1f MB/s   fold/lower ratio %.2fx"):format(mbs(#s, t_lower),
      t_lower / t_fold))
    if t_lua then
      print(("  Lua utf8 fold     %8.1f MB/s   fold/Lua ratio   %.1fx (on the first %.1f MB)"):format(
        mbs(#small, t_lua), (t_lua / #small) / (t_fold / #s), #small / 1e6))
    end
    local nw = 0
    local t_words = time(function() nw = 0; for _ in text.words(s) do nw = nw + 1 end end)
    local t_gm = time(function() local n = 0; for _ in s:gmatch("[%w\128-\255]+") do n = n + 1 end end)
    print(("  words             %8.1f MB/s   (%d words)   gmatch baseline %.1f MB/s, ratio %.2fx"):format(
      mbs(#s, t_words), nw, mbs(#s, t_gm), t_gm / t_words))
    local ns = 0
    local t_sent = time(function() ns = 0; for _ in text.sentences(s) do ns = ns + 1 end end)
    local t_ls = time(function() return lua_sentences(s) end)
    print(("  sentences         %8.1f MB/s   (%d sentences)   naive gmatch %.1f MB/s, ratio %.2fx"):format(
      mbs(#s, t_sent), ns, mbs(#s, t_ls), t_ls / t_sent))
    local t_valid = time(function() return text.utf8_valid(s) end)
    local t_ulen = time(function() return utf8.len(s) end)
    print(("  utf8_valid        %8.1f MB/s   utf8.len %.1f MB/s, ratio %.2fx"):format(
      mbs(#s, t_valid), mbs(#s, t_ulen), t_ulen / t_valid))
  end
end
