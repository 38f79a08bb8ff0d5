-- The README's Lua blocks run as printed and show what they print. Each ```lua block of README.md
-- is run in its own environment (with `rex` at hand, as its reference section says, and the
-- store and report written to a temporary folder), after these lines are rewritten into checks:
-- - `print(...) --> X`: the line prints X (words compared, so columns may be aligned);
-- - `CALL --> N M ...` (a call statement shown returning numbers): it returns N, M, ...;
-- - `CALL --> error "MSG"`: it raises MSG;
-- - `--> a  b  c` on a line of its own (rows a loop prints): that row is printed.
local README = "README.md"

local function blocks()
  local f = assert(io.open(README, "rb"))
  local s = f:read("a")
  f:close()
  local out = {}
  for code in s:gmatch("\n```lua\n(.-)\n```") do out[#out + 1] = code end
  return out
end

local function words(s)
  local t = {}
  for w in tostring(s):gmatch("%S+") do t[#t + 1] = w end
  return table.concat(t, " ")
end

local function q(s)
  return ("%q"):format(s)
end

-- The block with its `-->` lines turned into calls of the checkers below.
local function rewrite(code)
  local out = {}
  for line in (code .. "\n"):gmatch("([^\n]*)\n") do
    local call, msg = line:match("^(%S.-%b())%s*%-%->%s*error%s+\"(.*)\"%s*$")
    local pcall_, want = line:match("^(print%b())%s*%-%->%s*(.-)%s*$")
    local expr, nums = line:match("^([%w_.:]+%b())%s*%-%->%s*(%d[%d%s,]*)")
    local row = line:match("^%-%->%s*(.-)%s*$")
    if call then
      out[#out + 1] = ("__raises(%s, %s, function() return %s end)"):format(q(call), q(msg), call)
    elseif pcall_ then
      out[#out + 1] = ("%s; __printed(%s, %s)"):format(pcall_, q(pcall_), q(want))
    elseif expr then
      local list = {}
      for n in nums:gmatch("%d+") do list[#list + 1] = n end
      out[#out + 1] = ("__returns(%s, {%s}, %s)"):format(q(expr), table.concat(list, ", "), expr)
    elseif row then
      out[#out + 1] = ("__shown(%s)"):format(q((row:gsub("%s*%.%.%..*$", ""))))
    else
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n")
end

local function run(k, code, tmp)
  code = code:gsub('"news%.db"', q(tmp .. "/news.db")):gsub('"report%.html"', q(tmp .. "/report.html"))
  local printed, shown, checks = {}, {}, 0
  local env = setmetatable({}, { __index = _G })
  env.rex = require "dossier.regex"
  env.print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    printed[#printed + 1] = table.concat(parts, "\t", 1, parts.n)
  end
  env.__printed = function(line, want)
    assert.equal(words(want), words(printed[#printed]), ("README block %d: %s"):format(k, line))
    checks = checks + 1
  end
  env.__returns = function(expr, want, ...)
    for i, n in ipairs(want) do
      assert.equal(tonumber(n), (select(i, ...)), ("README block %d: %s"):format(k, expr))
    end
    checks = checks + 1
  end
  env.__raises = function(call, msg, f)
    local ok, e = pcall(f)
    assert.is_false(ok, ("README block %d: %s should raise"):format(k, call))
    assert.matches(msg, tostring(e), 1, true)
    checks = checks + 1
  end
  env.__shown = function(row) shown[#shown + 1] = row end
  local chunk = assert(load(rewrite(code), "=README block " .. k, "t", env))
  chunk()
  local have = {}
  for _, p in ipairs(printed) do have[words(p)] = true end
  for _, row in ipairs(shown) do
    assert.is_true(have[words(row)], ("README block %d shows a row it does not print: %s"):format(k, row))
    checks = checks + 1
  end
  return checks
end

describe("README.md", function()
  local tmp
  setup(function()
    tmp = os.tmpname()
    os.remove(tmp)
    assert(os.execute("mkdir -p '" .. tmp .. "'"))
  end)
  teardown(function() os.execute("rm -rf '" .. tmp .. "'") end)

  it("runs every Lua block as printed, with the output it shows", function()
    local list, checks = blocks(), 0
    assert.is_true(#list >= 4, "README Lua blocks: " .. #list)
    for k, code in ipairs(list) do
      local ok, n = pcall(run, k, code, tmp)
      assert(ok, ("README Lua block %d: %s"):format(k, tostring(n)))
      checks = checks + n
    end
    assert.is_true(checks >= 8, "checks: " .. checks)
  end)
end)
