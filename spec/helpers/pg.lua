-- Spec helper: a throwaway PostgreSQL cluster (initdb and pg_ctl in a temporary directory, a Unix
-- socket there and nowhere else, trust authentication for its own user), started on first use and
-- stopped and removed by `stop` (call it from a teardown). Run as root, the server runs as the
-- `postgres` user (or `nobody`), since PostgreSQL refuses to run as root.
--
--   local pg = dofile("spec/helpers/pg.lua")
--   teardown(pg.stop)
--   local why = pg.unavailable()          -- nil, or why the specs are pending
--   local db = dossier.open(pg.database()) -- a new, empty database on the cluster
local M = {}
local cluster -- { dir =, bin =, runas = } once started
local count = 0

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local ok = p:close()
  return ok, out
end

-- The directory of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin.
local function bindir()
  local ok, out = sh("command -v initdb")
  if ok and out:find("%S") then
    local path = out:match("^%s*(.-)%s*$")
    local real = select(2, sh("readlink -f " .. q(path))):match("^%s*(.-)%s*$")
    return real:match("^(.*)/[^/]*$")
  end
  ok, out = sh("ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1")
  out = out:match("^%s*(.-)%s*$")
  if ok and out ~= "" and io.open(out .. "/initdb") then
    return out
  end
end

-- The user the server runs as: nil when we are not root, else postgres or nobody.
local function server_user()
  local _, uid = sh("id -u")
  if tonumber(uid) ~= 0 then
    return nil
  end
  for _, u in ipairs({ "postgres", "nobody" }) do
    if sh("id -u " .. u) then
      return u
    end
  end
  return false
end

--- nil when the cluster can run here, else why not (the reason a pending spec gives).
function M.unavailable()
  if os.getenv("DOSSIER_CHECK") then
    return "the PostgreSQL specs run a server of their own, not under DOSSIER_CHECK ("
      .. os.getenv("DOSSIER_CHECK") .. "); make test-pg runs them"
  end
  if not bindir() then
    return "PostgreSQL is not installed (no initdb on PATH nor in /usr/lib/postgresql/*/bin): "
      .. "apt-get install postgresql, or make check-deps as root"
  end
  if server_user() == false then
    return "running as root and no unprivileged user (postgres, nobody) to run the server as"
  end
  if not require("dossier.core").pg then
    return "dossier was built without libpq"
  end
  if cluster and cluster.failed then
    return cluster.failed
  end
  return nil
end

-- The server's own commands, as its user, without the sanitizer runtime an ASan run preloads
-- (PostgreSQL's binaries are not built for it, and hang under it).
local function as_server(cmd)
  if cluster.runas then
    return "env -u LD_PRELOAD runuser -u " .. cluster.runas .. " -- " .. cmd
  end
  return "env -u LD_PRELOAD " .. cmd
end

--- Start the cluster (once); returns the libpq key=value string of its `postgres` database.
-- The specs' cluster skips fsync (nothing in it outlives them); `opts.bench` keeps fsync on with
-- synchronous_commit off, which is the durability SQLite's WAL with synchronous=NORMAL gives.
function M.start(opts)
  if cluster and not cluster.failed then
    return cluster.info
  end
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -m 700 " .. q(dir)))
  cluster = { dir = dir, bin = bindir(), runas = server_user() or nil }
  if cluster.runas then
    assert(os.execute("chown " .. cluster.runas .. " " .. q(dir)))
  end
  local data = dir .. "/data"
  local ok, out = sh(as_server(q(cluster.bin .. "/initdb") .. " -D " .. q(data)
    .. " -A trust -U dossier -E UTF8 --locale=C.UTF-8 --no-sync"))
  if ok then
    ok, out = sh(as_server(q(cluster.bin .. "/pg_ctl") .. " -D " .. q(data) .. " -l " .. q(dir .. "/log")
      .. " -w -t 60 -o " .. q("-k " .. dir .. " -c listen_addresses='' " .. (opts and opts.bench
        and "-c synchronous_commit=off" or "-c fsync=off -c full_page_writes=off"))
      .. " start"))
  end
  if not ok then
    cluster.failed = "the throwaway PostgreSQL cluster did not start: " .. out
    os.execute("rm -rf " .. q(dir))
    error(cluster.failed)
  end
  cluster.info = ("host=%s port=5432 user=dossier dbname=postgres"):format(dir)
  return cluster.info
end

--- A new, empty database on the cluster (started when needed): its libpq key=value string.
function M.database()
  local info = M.start()
  count = count + 1
  local name = ("dossier_spec_%d_%d"):format(count, math.random(1e9))
  local conn <close> = require("dossier.core").pg.connect(info, function() end)
  conn:exec("CREATE DATABASE " .. name)
  return info:gsub("dbname=postgres", "dbname=" .. name), name
end

--- The cluster's socket directory (the host of its conninfo), or nil when it is not running.
function M.host()
  return cluster and not cluster.failed and cluster.dir or nil
end

--- Stop the cluster (immediately) and remove its directory.
function M.stop()
  if not cluster or cluster.failed then
    cluster = nil
    return
  end
  sh(as_server(q(cluster.bin .. "/pg_ctl") .. " -D " .. q(cluster.dir .. "/data") .. " -m immediate -w stop"))
  os.execute("rm -rf " .. q(cluster.dir))
  cluster = nil
end

return M
