-- bench/lexicon.lua: dossier.lexicon against lrexlib (one big alternation, JIT), LPeg (a trie
-- grammar) and the Hyperscan API (bench/hs_lexicon.c, compiled here into build/ against the
-- installed libhs: Debian's libvectorscan-dev, or libhyperscan-dev, which conflict; the
-- benchmark names the library actually linked, from ldd, dpkg and hs_version()), with 100,
-- 1,000, 10,000 and 100,000 real names from the Phoenix actor files, whole-word,
-- case-insensitive, over the news text (../shared/data/news/*.jsonl "text" fields, or the
-- file/dir in CORPUS).
--
-- Fairness: dossier's figure includes folding the text (case, diacritics, Cyrillic) and
-- mapping offsets back; Hyperscan and PCRE2 only do ASCII caseless matching on the raw
-- bytes; LPeg's includes string.lower. Hyperscan counts every (overlapping) occurrence,
-- dossier and the others leftmost-longest non-overlapping ones: counts differ slightly.
-- lrexlib and LPeg run on a sample of the text (they are much slower); MB/s is per byte.
-- Times are CPU time on both sides (os.clock here, CLOCK_PROCESS_CPUTIME_ID in hs_lexicon.c).
-- dossier and Hyperscan alternate, REPS rounds (LEXICON_BENCH_REPS, default 5), one scan each
-- per round; figures are medians with the range, ratios computed per round.
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = (os.getenv("DOSSIER_CPATH") or "build/?.so;") .. package.cpath

local lexicon = require "dossier.lexicon"

local DATA = "../shared/data"
local CORPUS = os.getenv("CORPUS")
local MAX = tonumber(os.getenv("BENCH_MB") or "24") * 1e6 -- text for dossier and Vectorscan
local SAMPLE = 1.5e6 -- text for lrexlib and LPeg

local function clock() return os.clock() end
local REPS = tonumber(os.getenv("LEXICON_BENCH_REPS") or "5")

local stats = require "stats"
local median, range = stats.median, stats.range


local function best_of(n, f)
  local best, r = math.huge, nil
  for _ = 1, n do
    local t = clock()
    r = f()
    best = math.min(best, clock() - t)
  end
  return best, r
end

-- Corpus ------------------------------------------------------------------------------------
local function load_corpus()
  local files = {}
  local src = CORPUS or (DATA .. "/news")
  local p = io.popen('ls -1 "' .. src .. '" 2>/dev/null')
  local listing = p and p:read("a") or ""
  if p then p:close() end
  if listing:find("%.jsonl") then
    for name in listing:gmatch("[^\n]+") do
      if name:match("%.jsonl$") then files[#files + 1] = src .. "/" .. name end
    end
  elseif io.open(src) then
    files[1] = src
  end
  if #files == 0 then return nil end
  local ok, cjson = pcall(require, "cjson")
  local parts, n = {}, 0
  for _, f in ipairs(files) do
    for line in io.lines(f) do
      local t
      if f:match("%.jsonl$") then
        if ok then
          local okd, doc = pcall(cjson.decode, line)
          t = okd and type(doc) == "table" and doc.text or nil
        end
      else
        t = line
      end
      if type(t) == "string" then
        parts[#parts + 1] = t
        n = n + #t + 1
      end
      if n >= MAX then break end
    end
    if n >= MAX then break end
  end
  return table.concat(parts, "\n")
end

local text = load_corpus()
if not text then
  print("bench/lexicon: no corpus (../shared/data/news or CORPUS): skipped")
  return
end
-- The sample starts at a line boundary in the middle of the text (English news).
local sample
do
  local from = text:find("\n", #text // 2, true) or 0
  sample = text:sub(from + 1, from + SAMPLE)
end

-- Names ---------------------------------------------------------------------------------------
local phoenix = {}
for _, f in ipairs { "Countries", "International", "MilNonState" } do
  phoenix[#phoenix + 1] = DATA .. "/anchors/petrarch2/Phoenix." .. f .. ".actors.txt"
end
local names, seen = {}, {}
for _, path in ipairs(phoenix) do
  local fh = io.open(path)
  if fh then
    for line in fh:lines() do
      local name = line:match("^%s*%+?([^%s#%[]+)")
      if name and not name:find("*", 1, true) then
        local ok, key = pcall(lexicon.key, (name:gsub("_", " ")))
        if ok and #key >= 3 and not key:find("[^%w%s%.%-']") and not seen[key] then
          seen[key] = true
          names[#names + 1] = key
        end
      end
    end
    fh:close()
  end
end
if #names < 1000 then
  print("bench/lexicon: Phoenix actor files not found: skipped")
  return
end
local real = #names
-- Beyond the real names: pairs of real first words and last words (still real-looking).
local i = 0
while #names < 100000 do
  i = i + 1
  local a = names[i % real + 1]:match("^%S+")
  local b = names[(i // real * 7919 + i * 31) % real + 1]:match("%S+$")
  local key = a .. " " .. b
  if not seen[key] then
    seen[key] = true
    names[#names + 1] = key
  end
end
-- Shuffle deterministically so every size mixes countries, organisations and groups.
local rng = 12345
for k = #names, 2, -1 do
  rng = (rng * 1103515245 + 12345) % 2147483648
  local j = rng % k + 1
  names[k], names[j] = names[j], names[k]
end

print(("corpus %.1f MB (sample for lrexlib/LPeg %.1f MB); %d real Phoenix names, padded to %d")
  :format(#text / 1e6, #sample / 1e6, real, #names))

-- Hyperscan / Vectorscan --------------------------------------------------------------------
-- HS_LIBRARY_PATH runs the baseline against another libhs.so.5 (e.g. Intel's Hyperscan,
-- extracted with `apt-get download libhyperscan5; dpkg -x`, while libvectorscan-dev is the
-- installed one: the two packages conflict).
local hs_env = os.getenv("HS_LIBRARY_PATH") and ("LD_LIBRARY_PATH=" .. os.getenv("HS_LIBRARY_PATH") .. " ")
  or ""
local hs_bin = "build/hs_lexicon"
local hs_ok = os.execute("mkdir -p build && cc -O2 -o " .. hs_bin
  .. " bench/hs_lexicon.c $(pkg-config --cflags --libs libhs) 2>/dev/null")

-- What libhs the baseline really runs: the file the loader maps (ldd), the Debian package
-- that owns it, and the version the library reports. Vectorscan and Intel's Hyperscan share
-- the API, header and soname, so the name comes from the package, not from the build.
local function read_cmd(cmd)
  local p = io.popen(cmd .. " 2>/dev/null")
  local out = p and p:read("a") or ""
  if p then p:close() end
  return out
end

local HS_NAME, HS_LIB = "Hyperscan API", "?"
if hs_ok then
  local so = read_cmd(hs_env .. "ldd " .. hs_bin):match("libhs%.so[%w.]*%s*=>%s*(%S+)")
  if so then
    local file = read_cmd('realpath "' .. so .. '"'):match("%S+") or so
    local owner = read_cmd('dpkg-query -S "' .. file .. '"'):match("^([^:]+):")
      or read_cmd('dpkg-query -S "/usr' .. file .. '"'):match("^([^:]+):")
      or read_cmd('dpkg-query -S "' .. file:gsub("^/usr", "") .. '"'):match("^([^:]+):")
    local ver = owner and read_cmd("dpkg-query -W -f='${Version}' " .. owner) or ""
    local hsver = read_cmd(hs_env .. hs_bin .. " --version"):match("version=(%d+%.%d+%.%d+)")
    if owner and owner:find("vectorscan", 1, true) then
      HS_NAME = "Vectorscan"
    elseif owner and owner:find("hyperscan", 1, true) then
      HS_NAME = "Hyperscan"
    elseif hsver then -- not from a package (HS_LIBRARY_PATH): Intel's last release is 5.4.2
      local a, b, c = hsver:match("(%d+)%.(%d+)%.(%d+)")
      HS_NAME = (tonumber(a) * 1e6 + tonumber(b) * 1e3 + tonumber(c) <= 5004002) and "Hyperscan"
        or "Vectorscan"
    end
    HS_LIB = ("%s (%s %s)"):format(file, owner or "no package", ver)
  end
end
print(("baseline: %s, hs_version() %s, linked: %s; %d alternating rounds"):format(HS_NAME,
  hs_ok and (read_cmd(hs_env .. hs_bin .. " --version"):match("version=(.-)%s*$") or "?") or "-",
  HS_LIB, REPS))
local tmpdir = os.tmpname()
os.remove(tmpdir)
os.execute('mkdir -p "' .. tmpdir .. '"')
local corpus_file = tmpdir .. "/corpus.txt"
do
  local f = assert(io.open(corpus_file, "wb"))
  f:write(text)
  f:close()
end

local function write_names(list)
  local nf = tmpdir .. "/names.txt"
  local f = assert(io.open(nf, "wb"))
  f:write(table.concat(list, "\n"), "\n")
  f:close()
  return nf
end

-- One scan of the corpus by the Hyperscan baseline (its compile is not timed).
local function run_hs(nf, file, repeat_)
  if not hs_ok then return nil, "not built (libvectorscan-dev or libhyperscan-dev?)" end
  local p = io.popen(hs_env .. hs_bin .. " " .. nf .. " " .. (file or corpus_file) .. " "
    .. (repeat_ or 1) .. " 2>&1")
  local out = p:read("a")
  p:close()
  local mbps, matches = out:match("MBps=([%d%.]+) matches=(%d+)")
  if not mbps then return nil, out:gsub("\n", " ") end
  return tonumber(mbps), tonumber(matches), tonumber(out:match("compile_s=([%d%.]+)"))
end

-- lrexlib -----------------------------------------------------------------------------------
local has_rex, rex = pcall(require, "rex_pcre2")

local function run_rex(list)
  if not has_rex then return nil, "rex_pcre2 not installed" end
  local alts = {}
  for k, n in ipairs(list) do alts[k] = n:gsub("[^%w ]", "\\%0") end
  local t = clock()
  local ok, r = pcall(rex.new, "\\b(?:" .. table.concat(alts, "|") .. ")\\b", "i")
  if not ok then return nil, "does not compile: " .. tostring(r):sub(1, 80) end
  if r.jit_compile then pcall(r.jit_compile, r) end
  local ct = clock() - t
  local budget = #list >= 10000 and 3e5 or #sample -- cap: it gets slow
  local subj = sample:sub(1, budget)
  local dt, c = best_of(1, function() return rex.count(subj, r) end)
  return #subj / 1e6 / dt, c, ct, #subj
end

-- LPeg: a trie grammar tried at each word start, skipping the rest of a word otherwise.
local has_lpeg, lpeg = pcall(require, "lpeg")

local function run_lpeg(list)
  if not has_lpeg then return nil, "lpeg not installed" end
  if #list > 10000 then return nil, "skipped above 10,000 names (grammar build too slow)" end
  local P, R = lpeg.P, lpeg.R
  local t = clock()
  local trie = {}
  for _, n in ipairs(list) do
    local node = trie
    for c in n:gmatch(".") do
      node[c] = node[c] or {}
      node = node[c]
    end
    node[""] = true
  end
  local word = R("az", "09", "\128\255")
  local function build(node)
    local alt
    for c, child in pairs(node) do
      if c ~= "" then
        local p = P(c) * build(child)
        alt = alt and (alt + p) or p
      end
    end
    if node[""] then
      local stop = -word -- whole word (names end with a letter, digit or '.')
      alt = alt and (alt + stop) or stop
    end
    return alt or P(false)
  end
  local names_p = build(trie)
  local count = 0
  local hit = names_p / function() count = count + 1 end
  local scan = ((hit + word ^ 1 + (1 - word)) ) ^ 0
  local ct = clock() - t
  local subj = sample
  local dt = best_of(1, function()
    count = 0
    lpeg.match(scan, subj:lower())
    return count
  end)
  return #subj / 1e6 / dt, count, ct, #subj
end

-- dossier -------------------------------------------------------------------------------------
local function run_dossier(list)
  collectgarbage()
  collectgarbage() -- twice: userdata with __gc are freed one cycle later
  local kb0 = collectgarbage("count")
  local t = clock()
  local lex = lexicon.new()
  for _, n in ipairs(list) do lex:add(n, n) end
  local add_t = clock() - t
  t = clock()
  lex:build()
  local build_t = clock() - t
  collectgarbage()
  collectgarbage()
  local lua_bytes = (collectgarbage("count") - kb0) * 1024
  local st = lex:stats()
  return lex, add_t, build_t, st.bytes / #list, lua_bytes / #list
end

-- Run -----------------------------------------------------------------------------------------
local function fmt(x) return x and ("%.1f"):format(x) or "-" end

for _, N in ipairs { 100, 1000, 10000, 100000 } do
  local list = table.move(names, 1, N, 1, {})
  print(("\n== %d names"):format(N))
  local lex, add_t, build_t, c_bytes, l_bytes = run_dossier(list)
  local nf = write_names(list)
  -- alternating rounds: one dossier scan, one Hyperscan scan
  local d, h, ratio = {}, {}, {}
  local d_count, h_count, h_ct, h_err
  for k = 1, REPS do
    local dt
    dt, d_count = best_of(1, function() return lex:count(text) end)
    d[k] = #text / 1e6 / dt
    local mbps, cnt, ct = run_hs(nf)
    if mbps then
      h[k], h_count, h_ct = mbps, cnt, ct
      ratio[k] = d[k] / mbps
    else
      h_err = cnt
    end
  end
  local dlo, dhi = range(d)
  print(("dossier   %8s MB/s (%s-%s)  %7d matches  add %.3f s, build %.3f s, %.0f B/phrase"
    .. " automaton + %.0f B/phrase Lua tables (fold included)"):format(fmt(median(d)), fmt(dlo),
    fmt(dhi), d_count, add_t, build_t, c_bytes, l_bytes))
  if #h == REPS then
    local hlo, hhi = range(h)
    local rlo, rhi = range(ratio)
    print(("%-10s%8s MB/s (%s-%s)  %7d matches  compile %.3f s   dossier/%s = %.2fx (%.2f-%.2f)")
      :format(HS_NAME:lower(), fmt(median(h)), fmt(hlo), fmt(hhi), h_count, h_ct, HS_NAME:lower(),
        median(ratio), rlo, rhi))
  else
    print(HS_NAME .. ": " .. tostring(h_err))
  end
  local d_mbps = median(d)
  if N == 100 and #h == REPS then
    -- The same on text that stays in the CPU cache: a 256 KB slice, best of 20 scans each.
    local slice = text:sub(1, 256 * 1024)
    local sf = tmpdir .. "/slice.txt"
    local fh = assert(io.open(sf, "wb"))
    fh:write(slice)
    fh:close()
    local dc, hc, rc = {}, {}, {}
    for k = 1, REPS do
      dc[k] = #slice / 1e6 / best_of(20, function() return lex:count(slice) end)
      hc[k] = run_hs(nf, sf, 20)
      rc[k] = dc[k] / hc[k]
    end
    local rlo, rhi = range(rc)
    print(("in cache (256 KB, best of 20): dossier %s MB/s, %s %s MB/s, dossier/%s = %.2fx (%.2f-%.2f)")
      :format(fmt(median(dc)), HS_NAME:lower(), fmt(median(hc)), HS_NAME:lower(), median(rc), rlo, rhi))
    os.remove(sf)
  end
  local r_mbps, r_count, r_ct, r_len = run_rex(list)
  if r_mbps then
    print(("lrexlib   %8s MB/s  %7d matches  compile+JIT %.3f s (on %.2f MB, dossier finds %d there)"
      .. "   dossier/lrexlib = %.1fx"):format(fmt(r_mbps), r_count, r_ct, r_len / 1e6,
      lex:count(sample:sub(1, r_len)), d_mbps / r_mbps))
  else
    print("lrexlib: " .. tostring(r_count))
  end
  local l_mbps, l_count, l_ct, l_len = run_lpeg(list)
  if l_mbps then
    print(("lpeg      %8s MB/s  %7d matches  grammar %.3f s (on %.2f MB, dossier finds %d there)"
      .. "   dossier/lpeg = %.1fx"):format(fmt(l_mbps), l_count, l_ct, l_len / 1e6,
      lex:count(sample:sub(1, l_len)), d_mbps / l_mbps))
  else
    print("lpeg: " .. tostring(l_count))
  end
end

-- Phoenix dictionaries: load (parse + add) and build time.
do
  local t = clock()
  local all = lexicon.new()
  for _, path in ipairs(phoenix) do lexicon.load(path, "tabari", all) end
  local load_t = clock() - t
  t = clock()
  all:build()
  local build_t = clock() - t
  local st = all:stats()
  print(("\nPhoenix actors (3 files): %d phrases; load (parse+fold+add) %.3f s, build %.3f s;"
    .. " automaton %.0f B/phrase"):format(#all, load_t, build_t, st.bytes / #all))
end

os.remove(corpus_file)
os.remove(tmpdir .. "/names.txt")
os.remove(tmpdir)
