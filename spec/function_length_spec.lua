-- No Lua function of dossier's is longer than 120 lines (issue 18): a longer one is a module
-- waiting to be split. The lengths come from the compiler itself (`luac -p -l` lists every
-- function with its first and last line), not from guessing at `end`s.
local LIMIT = 120
local LUAC = os.getenv("LUAC") or "luac5.4"

-- {file=, first=, last=} for every function the compiler finds in path.
local function functions_of(path)
  local p = assert(io.popen(LUAC .. " -p -l '" .. path .. "' 2>&1"))
  local out = {}
  for line in p:lines() do
    local first, last = line:match("^function <[^>]-:(%d+),(%d+)>")
    if first then
      out[#out + 1] = { file = path, first = tonumber(first), last = tonumber(last) }
    end
  end
  assert(p:close(), "luac failed on " .. path)
  return out
end

local function lua_files(dir)
  local p = assert(io.popen("find '" .. dir .. "' -name '*.lua' | sort"))
  local out = {}
  for f in p:lines() do
    out[#out + 1] = f
  end
  p:close()
  return out
end

describe("the Lua sources", function()
  it("measure function lengths from the compiler's line ranges", function()
    local tmp = os.tmpname()
    local f = assert(io.open(tmp, "w"))
    f:write("local function a()\n  return 1\nend\n\nlocal t = {}\nfunction t.b(x)\n",
      ("  x = x + 1\n"):rep(130), "  return x\nend\nreturn a, t\n")
    f:close()
    local fs = functions_of(tmp)
    os.remove(tmp)
    assert.same({ { 1, 3 }, { 6, 138 } }, { { fs[1].first, fs[1].last }, { fs[2].first, fs[2].last } })
  end)

  it("have no function over " .. LIMIT .. " lines", function()
    local long = {}
    local files = lua_files("lua")
    assert.is_true(#files > 20)
    for _, path in ipairs(files) do
      for _, fn in ipairs(functions_of(path)) do
        local n = fn.last - fn.first + 1
        if n > LIMIT then
          long[#long + 1] = ("%s:%d: %d lines"):format(fn.file, fn.first, n)
        end
      end
    end
    assert.same({}, long)
  end)
end)
