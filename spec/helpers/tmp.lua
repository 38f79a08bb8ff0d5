-- Spec helper: temporary files, directories and stores, removed by `clean` (call it from a
-- teardown). Each `dofile` gives its own list, so a spec file cleans only what it made.
--
--   local tmp = dofile("spec/helpers/tmp.lua")
--   teardown(tmp.clean)
--   local dir = tmp.dir()                      -- an empty directory
--   tmp.write(dir .. "/a.jsonl", '{"text": "x"}\n')
--   local db, path = tmp.store()               -- a new store in a file of its own
local M = {}
local made = {}

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.quote = q

--- A fresh temporary file name (the file exists, empty), removed by clean.
function M.name()
  local p = os.tmpname()
  made[#made + 1] = p
  return p
end

--- A store file's name, without the file: removes p and its -wal and -shm files.
function M.remove_store(p)
  os.remove(p)
  os.remove(p .. "-wal")
  os.remove(p .. "-shm")
end

--- A new empty directory, removed (with its content) by clean.
function M.dir()
  local p = M.name()
  os.remove(p)
  assert(os.execute("mkdir -p " .. q(p)))
  return p
end

--- A new store in a temporary file: the store and the file's name.
function M.store(opts)
  local p = M.name()
  M.remove_store(p)
  return require("dossier.store").open(p, opts), p
end

function M.write(path, s)
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

--- Removes everything made so far (files, directories, stores with their -wal and -shm).
function M.clean()
  for _, p in ipairs(made) do
    os.execute("rm -rf " .. q(p) .. " " .. q(p .. "-wal") .. " " .. q(p .. "-shm"))
  end
  made = {}
end

return M
