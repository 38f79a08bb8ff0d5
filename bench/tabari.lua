-- bench/tabari.lua: TABARI 0.8.4 and dossier on the same 20,000 English news sentences.
--
--   lua5.4 bench/tabari.lua --tabari-src DIR --dicts DIR [--runs N] [--sentences N]
--   make bench-tabari TABARI_SRC=DIR TABARI_DICT=DIR [RUNS=N]
--
-- DIR are checkouts of github.com/philip-schrodt/TABARI-Code and TABARI-Dictionaries (fetched
-- outside this project; nothing of them is copied into it). Steps (bench/tabari/README.md):
--   1. build TABARI (bench/tabari/build.sh: g++ -std=gnu++98 -O2) into build/tabari/;
--   2. run its Validate suite (bench/tabari/validate.sh) and stop unless it passes with 0
--      mismatches;
--   3. write the sentences (bench/tabari/corpus.lua): 10,000 from Reuters, 10,000 from BBC,
--      as TABARI's text records and as lines for dossier;
--   4. run the three contenders N times (default 5), one after the other, never two at once,
--      the order turned round every run: (a) TABARI with its CAMEO dictionaries, (b) dossier
--      with its shipped rules, (c) dossier with TABARI's actor dictionaries and rules generated
--      from TABARI's verb patterns (bench/tabari/verbs.lua); each run once on all sentences and
--      once on one sentence (its dictionary load: process start to exit);
--   5. print medians with the fastest and slowest run, and write build/tabari/results.md.
-- Never part of `make test` or CI: it needs the two repositories.
local DIR = arg[0]:match("^(.*)/bench/[^/]*$") or "."
package.path = DIR .. "/lua/?.lua;" .. DIR .. "/lua/?/init.lua;" .. DIR .. "/bench/?.lua;" .. package.path
package.cpath = DIR .. "/build/?.so;" .. package.cpath

local function die(msg)
  io.stderr:write("bench/tabari: ", msg, "\n")
  os.exit(1)
end

local opts = {
  ["tabari-src"] = os.getenv("TABARI_SRC"), dicts = os.getenv("TABARI_DICT"),
  runs = os.getenv("RUNS") or "5", sentences = "20000",
  news = DIR .. "/../shared/data/news", anchors = DIR .. "/../shared/data/anchors/tabari",
  work = DIR .. "/build/tabari",
}
do
  local i = 1
  while i <= #arg do
    local k = arg[i]:match("^%-%-(.+)$")
    if not k or opts[k] == nil and k ~= "tabari-src" and k ~= "dicts" then
      die("unknown argument " .. arg[i] .. "\nusage: lua5.4 bench/tabari.lua --tabari-src DIR --dicts DIR "
        .. "[--runs N] [--sentences N] [--news DIR] [--anchors DIR] [--work DIR]")
    end
    opts[k] = arg[i + 1] or die("--" .. k .. " needs a value")
    i = i + 2
  end
end
local RUNS = math.tointeger(tonumber(opts.runs)) or die("--runs must be a number")
local NSENT = math.tointeger(tonumber(opts.sentences)) or die("--sentences must be a number")
if RUNS < 1 then die("--runs must be at least 1") end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
local function sh(cmd) return os.execute(cmd) == true end
local function exists(p) return sh("test -e " .. q(p)) end
local function read(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- ---------------------------------------------------------------------------
-- what is needed, said plainly when missing

local SRC, DICTS = opts["tabari-src"], opts.dicts
if not SRC or not DICTS then
  die("needs the TABARI repositories: --tabari-src DIR (a checkout of github.com/philip-schrodt/TABARI-Code) "
    .. "and --dicts DIR (github.com/philip-schrodt/TABARI-Dictionaries), or TABARI_SRC= and TABARI_DICT=")
end
if not exists(DIR .. "/build/dossier/core.so") then die("dossier is not built: run make first") end
local missing_tools = {}
for _, t in ipairs { { "g++", "g++" }, { "script", "bsdutils" }, { "/usr/bin/time", "time" },
  { "unzip", "unzip" }, { "timeout", "coreutils" } } do
  if not sh("command -v " .. q(t[1]) .. " >/dev/null 2>&1") then missing_tools[#missing_tools + 1] = t[2] end
end
if not sh("test -e /usr/include/ncurses.h || test -e /usr/include/curses.h") then
  missing_tools[#missing_tools + 1] = "libncurses-dev"
end
if #missing_tools > 0 then
  die("missing tools; install them with: apt-get install " .. table.concat(missing_tools, " ")
    .. " (or: make bench-tabari, which does so as root)")
end
local SRC_FILES = { "TABARI.h", "TABARI.cp", "process.cp", "CAMEO.091003.master.verbs" }
local DICT_FILES = { "CountryInfo.120116.actors.zip", "Internatnl.120521.actors", "PSU.120522.agents",
  "CAMEO.09b5.options" }
for _, f in ipairs(SRC_FILES) do
  if not exists(SRC .. "/" .. f) then
    die(SRC .. "/" .. f .. " not found: --tabari-src must be a checkout of "
      .. "github.com/philip-schrodt/TABARI-Code (commit 65e3d8e, TABARI 0.8.4b2)")
  end
end
for _, f in ipairs(DICT_FILES) do
  if not exists(DICTS .. "/" .. f) then die(DICTS .. "/" .. f .. " not found: --dicts must be a checkout of "
    .. "github.com/philip-schrodt/TABARI-Dictionaries") end
end
for _, f in ipairs { "reuters21578.jsonl", "bbc_news_2004-2005.jsonl" } do
  if not exists(opts.news .. "/" .. f) then
    die(opts.news .. "/" .. f .. " not found (the news corpus; --news DIR)")
  end
end
local SUITE = exists(opts.anchors .. "/Validate.text") and opts.anchors or SRC

local WORK = opts.work
assert(sh("mkdir -p " .. q(WORK)))

-- ---------------------------------------------------------------------------
-- 1-2. build and validate

local BIN = WORK .. "/bin/TABARI"
print("== building TABARI from " .. SRC)
if not sh("sh " .. q(DIR .. "/bench/tabari/build.sh") .. " " .. q(SRC) .. " " .. q(WORK .. "/bin")) then
  die("building TABARI failed (above)")
end
print("== TABARI's Validate suite (" .. SUITE .. ")")
if not sh("sh " .. q(DIR .. "/bench/tabari/validate.sh") .. " " .. q(BIN) .. " " .. q(SUITE) .. " "
    .. q(WORK .. "/validate")) then
  die("the Validate suite did not pass: no timing (the screen is in " .. WORK .. "/validate/screen.txt)")
end

-- ---------------------------------------------------------------------------
-- 3. the sentences, and TABARI's run directory

local RUN = WORK .. "/run" -- TABARI takes no hyphen in the names it is given: all are relative, here
assert(sh("rm -rf " .. q(RUN) .. " && mkdir -p " .. q(RUN)))
local corpus = require "tabari.corpus"
local st = assert(corpus.write(opts.news, NSENT, RUN .. "/news.txt", RUN .. "/news.tsv"))
local MB = st.bytes / 1e6
print(("== %d sentences (%s), %.2f MB; %d too short or too long for a TABARI record left out")
  :format(st.sentences, (function()
    local t = {}
    for f, n in pairs(st.per_source) do t[#t + 1] = n .. " " .. f end
    table.sort(t)
    return table.concat(t, ", ")
  end)(), MB, st.skipped))
do -- one-sentence files for the load runs
  local txt = read(RUN .. "/news.txt")
  local first = txt:match("^(.-\n)\n")
  local f = assert(io.open(RUN .. "/one.txt", "wb")); f:write(first, "\n"); f:close()
  local tsv = read(RUN .. "/news.tsv")
  f = assert(io.open(RUN .. "/one.tsv", "wb")); f:write(tsv:match("^[^\n]*\n")); f:close()
end
assert(sh("cp " .. q(BIN) .. " " .. q(RUN .. "/TABARI")))
assert(sh("unzip -o -q " .. q(DICTS .. "/CountryInfo.120116.actors.zip") .. " -d " .. q(RUN)))
for _, f in ipairs { "Internatnl.120521.actors", "PSU.120522.agents", "CAMEO.09b5.options" } do
  assert(sh("cp " .. q(DICTS .. "/" .. f) .. " " .. q(RUN .. "/" .. f)))
end
assert(sh("cp " .. q(SRC .. "/CAMEO.091003.master.verbs") .. " " .. q(RUN .. "/CAMEO.091003.master.verbs")))
local PROJECT = [[
dossier bench/tabari.lua: TABARI with its CAMEO dictionaries
<actorsfile> CountryInfo.120116.actors
<actorsfile> Internatnl.120521.actors
<agentsfile> PSU.120522.agents
<verbsfile> CAMEO.091003.master.verbs
<optionsfile> CAMEO.09b5.options
<textfile> news.txt
<outputfile> news.evt
<errorfile> news.err
<coder> BENCH
]]
do
  -- Loading these dictionaries TABARI stops at every entry it rejects (duplicate actors,
  -- lines without a code) and at an obsolete option, waiting for a key: C (continue) answers
  -- each, typed ahead from a file; 400 are more than it asks for.
  local f = assert(io.open(RUN .. "/keys", "wb"))
  f:write(("C\n"):rep(400))
  f:close()
end

-- ---------------------------------------------------------------------------
-- 4. the runs

local TIMEF = "%e %U %S %M"
local function timed(path)
  local s = read(path) or ""
  local e, u, sy, m = s:match("([%d.]+) ([%d.]+) ([%d.]+) (%d+)%s*$")
  if not e then return nil end
  return { wall = tonumber(e), cpu = tonumber(u) + tonumber(sy), rss = tonumber(m) / 1024 }
end

local function tabari(text)
  local f = assert(io.open(RUN .. "/bench.project", "wb"))
  f:write(PROJECT)
  f:close()
  os.remove(RUN .. "/news.evt")
  os.remove(RUN .. "/time.txt")
  local cmd = "/usr/bin/time -f '" .. TIMEF .. "' -o time.txt ./TABARI -aq bench.project -t " .. text
    .. " -o news.evt"
  local ok = sh("cd " .. q(RUN) .. " && TERM=xterm LINES=50 COLUMNS=200 timeout 900 script -q -e -c "
    .. q(cmd) .. " /dev/null < keys > screen.raw 2>&1")
  local screen = (read(RUN .. "/screen.raw") or ""):gsub("\27%[[%d;?]*[%a@]", "\n")
  local t = timed(RUN .. "/time.txt")
  local recs = tonumber(screen:match("Records coded:%s*(%d+)"))
  local evts = tonumber(screen:match("Events coded :%s*(%d+)"))
  local loop = tonumber(screen:match("Time %(secs%)%s*:%s*([%d.]+)"))
  if not (ok and t and recs and evts and loop) then
    die("TABARI did not finish the run on " .. text .. " (its screen is in " .. RUN .. "/screen.raw)")
  end
  t.records, t.events, t.loop_cpu = recs, evts, loop
  return t
end

local function dossier(mode, tsv)
  local out = RUN .. "/dossier." .. mode .. ".evt"
  local cmd = "/usr/bin/time -f '" .. TIMEF .. "' -o " .. q(RUN .. "/time.txt") .. " lua5.4 "
    .. q(DIR .. "/bench/tabari/dossier.lua") .. " " .. mode .. " " .. q(RUN .. "/" .. tsv) .. " " .. q(out)
  if mode == "tabari" then
    cmd = cmd .. " " .. q(RUN .. "/CAMEO.091003.master.verbs") .. " "
      .. q(RUN .. "/CountryInfo.120116.actors," .. RUN .. "/Internatnl.120521.actors") .. " "
      .. q(RUN .. "/PSU.120522.agents")
  end
  local p = assert(io.popen(cmd .. " 2>" .. q(RUN .. "/dossier.err")))
  local s = p:read("a")
  p:close()
  local t = timed(RUN .. "/time.txt")
  local r = s:match("RESULT (.*)")
  if not (t and r) then
    die("dossier (" .. mode .. ") failed: " .. (read(RUN .. "/dossier.err") or "") .. s)
  end
  for k, v in r:gmatch("([%w_]+)=([%d.]+)") do t[k] = tonumber(v) end
  t.loop_cpu = t.code_cpu
  return t
end

local CONTENDERS = {
  { key = "a", name = "(a) TABARI 0.8.4, CAMEO dictionaries",
    full = function() return tabari("news.txt") end, load = function() return tabari("one.txt") end },
  { key = "b", name = "(b) dossier, shipped rules",
    full = function() return dossier("shipped", "news.tsv") end,
    load = function() return dossier("shipped", "one.tsv") end },
  { key = "c", name = "(c) dossier, TABARI's dictionaries + generated rules",
    full = function() return dossier("tabari", "news.tsv") end,
    load = function() return dossier("tabari", "one.tsv") end },
}
local results = {}
for _, c in ipairs(CONTENDERS) do results[c.key] = {} end
for r = 1, RUNS do
  local order = {}
  for i = 1, #CONTENDERS do order[i] = CONTENDERS[r % 2 == 1 and i or #CONTENDERS + 1 - i] end
  for _, c in ipairs(order) do
    local full = c.full()
    local load = c.load()
    full.load_wall, full.load_cpu_run = load.wall, load.cpu
    results[c.key][r] = full
    io.write(("run %d %s: %.2f s wall, %.2f s CPU, loop %.2f s CPU, load %.2f s, %.0f MB, %d events\n")
      :format(r, c.name, full.wall, full.cpu, full.loop_cpu, load.wall, full.rss, full.events))
    io.flush()
  end
end

-- ---------------------------------------------------------------------------
-- 5. the table

local function stat(list, f)
  local v = {}
  for i, x in ipairs(list) do v[i] = f(x) end
  table.sort(v)
  local n = #v
  local med = n % 2 == 1 and v[(n + 1) // 2] or (v[n // 2] + v[n // 2 + 1]) / 2
  return med, v[1], v[n]
end
local function fmt(list, f, pat)
  local m, lo, hi = stat(list, f)
  if lo == hi then return pat:format(m) end
  return (pat .. " (" .. pat .. "–" .. pat .. ")"):format(m, lo, hi)
end
local function group(n)
  local s = ("%d"):format(math.floor(n + 0.5))
  return (s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", ""))
end
local function fmtn(list, f)
  local m, lo, hi = stat(list, f)
  if lo == hi then return group(m) end
  return group(m) .. " (" .. group(lo) .. "–" .. group(hi) .. ")"
end

local N = st.sentences
local lines = {}
local function out(s)
  print(s)
  lines[#lines + 1] = s
end
out("")
out(("%d sentences (%.2f MB of text), %d runs of each, alternating; median (range over the runs)")
  :format(N, MB, RUNS))
out("")
out("| contender | sentences/s end to end (wall) | MB/s end to end (wall) | sentences/s end to end (CPU) "
  .. "| sentences/s in the coding loop (CPU) | dictionary load, s (wall) | peak RSS, MB | events |")
out("|---|---|---|---|---|---|---|---|")
for _, c in ipairs(CONTENDERS) do
  local l = results[c.key]
  out(("| %s | %s | %s | %s | %s | %s | %s | %s |"):format(c.name,
    fmtn(l, function(x) return N / x.wall end),
    fmt(l, function(x) return MB / x.wall end, "%.2f"),
    fmtn(l, function(x) return N / x.cpu end),
    fmtn(l, function(x) return N / x.loop_cpu end),
    fmt(l, function(x) return x.load_wall end, "%.2f"),
    fmt(l, function(x) return x.rss end, "%.0f"),
    fmtn(l, function(x) return x.events end)))
end
out("")
local a, b, c = results.a, results.b, results.c
local function ratio(x, y, f)
  local mx = stat(x, f)
  local my = stat(y, f)
  return my / mx
end
local e2e = function(x) return x.wall end
local e2c = function(x) return x.cpu end
local loop = function(x) return x.loop_cpu end
out(("medians, as a multiple of TABARI's speed: dossier shipped %.1fx end to end (wall), %.1fx (CPU), "
  .. "%.1fx in the coding loop; dossier at TABARI's size %.2fx, %.2fx, %.2fx"):format(ratio(b, a, e2e),
  ratio(b, a, e2c), ratio(b, a, loop), ratio(c, a, e2e), ratio(c, a, e2c), ratio(c, a, loop)))
local c1 = c[1]
out(("(c) ran %d rules and %d actor and agent phrases; (b) %d rules, %d actor phrases")
  :format(c1.rules, c1.phrases, b[1].rules, b[1].phrases))
local f = io.open(WORK .. "/results.md", "wb")
if f then
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
  print("written to " .. WORK .. "/results.md")
end
