-- Load a local HTML file in headless Chromium and report what a browser saw.
--
-- How console errors are caught, without DevTools: Chromium started with
-- `--enable-logging=stderr --v=0` writes every console message of the page (console.log/error,
-- uncaught exceptions, Content-Security-Policy refusals, failed loads) to stderr as
--   [pid:tid:date:INFO:CONSOLE:line] "message", source: file:///... (line)
-- so `console` below is every such line. `--dump-dom` prints the DOM after load (the parsed and
-- rendered tree, not our source text), which the specs search for elements. Each run gets a
-- fresh `--user-data-dir`, and LD_PRELOAD/ASAN_OPTIONS are cleared so a sanitizer run of the
-- suite does not inject ASan into the browser.
local M = {}

--- The Chromium binary, or nil when none is installed ($DOSSIER_CHROMIUM overrides).
function M.find()
  local candidates = { os.getenv("DOSSIER_CHROMIUM") or "", "/usr/bin/chromium", "/usr/bin/chromium-browser" }
  for _, p in ipairs(candidates) do
    if p ~= "" then
      local f = io.open(p, "r")
      if f then f:close(); return p end
    end
  end
  return nil
end

local function sh_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("a")
  f:close()
  return s
end

--- Run Chromium on `file` (an absolute path). `mode` is "dom" (default) or "screenshot" with
-- `shot` the PNG path and `size` like "1280,1600".
-- @return { dom = string, console = {lines...}, stderr = string, ok = boolean }
function M.run(bin, file, opts)
  opts = opts or {}
  local tmp = os.tmpname()
  os.remove(tmp)
  assert(os.execute("mkdir -p " .. sh_quote(tmp .. "/profile")))
  local args = {
    "env", "-u", "LD_PRELOAD", "-u", "ASAN_OPTIONS", "-u", "UBSAN_OPTIONS",
    "timeout", "120", bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" .. tmp .. "/profile",
    "--enable-logging=stderr", "--v=0",
  }
  if opts.shot then
    args[#args + 1] = "--screenshot=" .. opts.shot
    args[#args + 1] = "--window-size=" .. (opts.size or "1280,1600")
  else
    args[#args + 1] = "--dump-dom"
  end
  args[#args + 1] = "file://" .. file
  local q = {}
  for i, a in ipairs(args) do q[i] = sh_quote(a) end
  local cmd = table.concat(q, " ") .. " > " .. sh_quote(tmp .. "/out") .. " 2> " .. sh_quote(tmp .. "/err")
  local ok = os.execute(cmd)
  local res = { ok = ok == true, dom = slurp(tmp .. "/out"), stderr = slurp(tmp .. "/err"), console = {} }
  for line in res.stderr:gmatch("[^\n]+") do
    if line:find(":CONSOLE", 1, true) or line:find("Uncaught", 1, true) then
      res.console[#res.console + 1] = line
    end
  end
  os.execute("rm -rf " .. sh_quote(tmp))
  return res
end

return M
