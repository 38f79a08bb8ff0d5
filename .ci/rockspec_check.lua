-- Checks that the rockspec lists every C source and every Lua module of the
-- tree, so a LuaRocks install never silently lacks a file.
local path = assert(arg[1], "usage: rockspec_check.lua ROCKSPEC")
local spec = {}
assert(loadfile(path, "t", spec))()
local mods = spec.build.modules
local listed_c, listed_lua = {}, {}
for _, src in ipairs(mods["dossier.core"].sources) do listed_c[src] = true end
for name, file in pairs(mods) do
  if type(file) == "string" then listed_lua[file] = name end
end

local missing = {}
local function each(cmd, fn)
  local p = assert(io.popen(cmd))
  for line in p:lines() do fn(line) end
  p:close()
end
each("ls csrc/*.c", function(f)
  if not listed_c[f] then missing[#missing + 1] = f end
end)
each("find lua -name '*.lua' | sort", function(f)
  local want = f:gsub("^lua/", ""):gsub("/init%.lua$", ""):gsub("%.lua$", ""):gsub("/", ".")
  if listed_lua[f] ~= want then missing[#missing + 1] = f .. " (as " .. want .. ")" end
end)
if spec.build.install and spec.build.install.bin then
  for _, f in pairs(spec.build.install.bin) do
    assert(io.open(f), "rockspec lists a missing file: " .. f):close()
  end
end
if #missing > 0 then
  io.stderr:write("rockspec does not list: ", table.concat(missing, ", "), "\n")
  os.exit(1)
end
print("rockspec: every module listed")
