--- dossier.sys: the operating-system helpers the other modules share.
--
-- A directory walk and file status (on lua-filesystem, Debian's
-- `lua-filesystem`), and from the C core: is a descriptor a terminal, a
-- monotonic clock, a sleep, this process and whether another one still
-- runs. Nothing here knows about documents or stores.
--
--    local sys = require "dossier.sys"
--    local files, skipped = sys.walk("corpus/")
--    for _, f in ipairs(files) do print(f.path, f.size) end
--
-- @module dossier.sys
local lfs = require "lfs"
local core = require "dossier.core"

local M = {}

--- Whether file descriptor `fd` is a terminal.
-- @tparam[opt=2] integer fd
-- @treturn boolean
M.isatty = core.sys.isatty

--- Monotonic seconds (for rates and ETAs, not dates).
-- @treturn number
M.now = core.sys.now

--- Sleep `seconds` (a fraction is fine).
-- @tparam number seconds
M.sleep = core.sys.sleep

--- This process's id.
-- @treturn integer
M.pid = core.sys.pid

--- Whether a process with this id runs on this machine.
-- @tparam integer pid
-- @treturn boolean
M.alive = core.sys.alive

local tty_cols -- the terminal's answer to terminal_width: nil not asked yet, false none

--- The width of the terminal standard output writes to, in columns: `$COLUMNS` when set,
-- else the terminal's own (asked once, with `stty size`), else nil (not a terminal).
-- @treturn integer|nil
function M.terminal_width()
  local c = math.tointeger(tonumber(os.getenv("COLUMNS") or ""))
  if c and c > 0 then return c end
  if tty_cols == nil then
    tty_cols = false
    if M.isatty(1) then
      local p = io.popen("stty size 2>/dev/null </dev/tty", "r")
      if p then
        local cols = math.tointeger(tonumber((p:read("a") or ""):match("%d+%s+(%d+)")))
        p:close()
        if cols and cols > 0 then tty_cols = cols end
      end
    end
  end
  return tty_cols or nil
end

--- This machine's name.
-- @treturn string
M.host = core.sys.host

--- The number of processors online (at least 1): `dossier.extract`'s default number of jobs.
-- @treturn integer
M.cores = core.sys.cores

local KIND = { file = "file", directory = "dir" }

-- "path: reason" from lua-filesystem's "cannot obtain information from file 'path': reason".
local function why(path, err)
  return path .. ": " .. (tostring(err):match("': (.*)$") or tostring(err))
end

--- What `path` is, following symbolic links.
-- @tparam string path
-- @return `"file"`, `"dir"` or `"other"`, and the size in bytes; or nil, message
function M.stat(path)
  local a, err = lfs.attributes(path)
  if not a then
    return nil, why(path, err)
  end
  return KIND[a.mode] or "other", a.size
end

-- Sorted entry names of a directory (without . and ..), or nil, message.
local function names_of(path)
  local ok, iter, dir, _, closing = pcall(lfs.dir, path)
  if not ok then
    return nil, (tostring(iter):gsub("^cannot open ", ""))
  end
  local names = {}
  for n in iter, dir, nil, closing do
    if n ~= "." and n ~= ".." then
      names[#names + 1] = n
    end
  end
  table.sort(names)
  return names
end

local function is_link(path)
  local a = lfs.symlinkattributes(path)
  return a ~= nil and a.mode == "link"
end

local function join(dir, name)
  return (dir:gsub("/+$", "")) .. "/" .. name
end

-- One directory of the walk: its files into w.files, its subdirectories in
-- turn; a directory already read (same device and inode) is skipped.
local function walk_dir(w, path, depth)
  local names, err = names_of(path)
  if not names then
    return nil, err
  end
  for _, n in ipairs(names) do
    local p = join(path, n)
    if n:sub(1, 1) ~= "." then
      local a = lfs.attributes(p)
      if not a then
        if w.want(n) then
          w.skipped[#w.skipped + 1] = { path = p, reason = "broken link" }
        end
      elseif a.mode == "directory" then
        local key = a.dev .. ":" .. a.ino
        if w.seen[key] then
          w.skipped[#w.skipped + 1] = { path = p, reason = (is_link(p) and "link to " or "same directory as ")
            .. w.seen[key] .. ", already read" }
        elseif depth >= w.max_depth then
          w.skipped[#w.skipped + 1] = { path = p, reason = "deeper than " .. w.max_depth .. " levels" }
        else
          w.seen[key] = p
          local ok, e = walk_dir(w, p, depth + 1)
          if not ok then
            return nil, e
          end
        end
      elseif a.mode == "file" and w.want(n) then
        w.files[#w.files + 1] = { path = p, size = a.size }
      end
    end
  end
  return true
end

--- The files under `path`, depth first in byte order of names; hidden
-- entries (names starting with ".") are left out. Symbolic links are
-- followed, but no directory is read twice (same device and inode): a link
-- back into the tree (`ln -s . a`) is skipped and listed, as are broken links
-- and directories deeper than 64 levels. A `path` that is a file is the one
-- file listed.
-- @tparam string path a file or a directory
-- @tparam[opt] function want `want(name)`: false leaves out a file of the
-- directories walked (by its name); default: every file
-- @return `{{path=, size=}, ...}` and the skipped entries
-- `{{path=, reason=}, ...}`; or nil, message when path cannot be read
function M.walk(path, want)
  local a, err = lfs.attributes(path)
  if not a then
    return nil, why(path, err)
  end
  if a.mode ~= "directory" then
    return a.mode == "file" and { { path = path, size = a.size } } or {}, {}
  end
  local w = { files = {}, skipped = {}, seen = { [a.dev .. ":" .. a.ino] = path },
    want = want or function() return true end, max_depth = 64 }
  local ok, werr = walk_dir(w, path, 0)
  if not ok then
    return nil, werr
  end
  return w.files, w.skipped
end

return M
