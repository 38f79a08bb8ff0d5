-- Specs for dossier.sys: file status, the directory walk (sorted, hidden
-- entries left out, no directory twice), and the terminal and clock helpers.
local sys = require "dossier.sys"
local tmp = dofile("spec/helpers/tmp.lua")
local write = tmp.write

local function sh(cmd)
  assert(os.execute(cmd), cmd)
end

describe("dossier.sys", function()
  local dir
  setup(function()
    dir = tmp.dir()
    sh("mkdir -p '" .. dir .. "/b/inner' '" .. dir .. "/.hidden'")
    write(dir .. "/b/inner/2.txt", "two")
    write(dir .. "/b/1.txt", "one!")
    write(dir .. "/a.jsonl", "{}")
    write(dir .. "/.hidden/h.txt", "hidden")
    write(dir .. "/notes.md", "not wanted")
  end)
  teardown(tmp.clean)

  it("tells files from directories, with sizes, and says why a path cannot be read", function()
    assert.same({ "file", 4 }, { sys.stat(dir .. "/b/1.txt") })
    assert.equal("dir", (sys.stat(dir .. "/b")))
    assert.equal("other", (sys.stat("/dev/null")))
    local none, err = sys.stat(dir .. "/absent")
    assert.is_nil(none)
    assert.equal(dir .. "/absent: No such file or directory", err)
  end)

  it("walks depth first in byte order, leaves out hidden entries and unwanted files", function()
    local files, skipped = sys.walk(dir, function(n) return not n:match("%.md$") end)
    local paths = {}
    for i, f in ipairs(files) do
      paths[i] = f.path:sub(#dir + 2) .. "=" .. f.size
    end
    assert.same({ "a.jsonl=2", "b/1.txt=4", "b/inner/2.txt=3" }, paths)
    assert.same({}, skipped)
    assert.same({ { path = dir .. "/notes.md", size = 10 } }, (sys.walk(dir .. "/notes.md")))
    local none, err = sys.walk(dir .. "/absent")
    assert.is_nil(none)
    assert.equal(dir .. "/absent: No such file or directory", err)
  end)

  it("follows a link to a directory once, and lists links back and broken links as skipped", function()
    local d = dir .. "/links"
    sh("mkdir -p '" .. d .. "/real' && cd '" .. d .. "' && echo x > real/f.txt && ln -s real alias"
      .. " && ln -s . self && ln -s .. real/parent && ln -s nowhere.txt gone.txt && ln -s nowhere gone")
    local files, skipped = sys.walk(d, function(n) return n:match("%.txt$") end)
    -- "alias" sorts before "real": the walk reads the folder through the link, once
    assert.same({ { path = d .. "/alias/f.txt", size = 2 } }, files)
    assert.same({
      { path = d .. "/alias/parent", reason = "link to " .. d .. ", already read" },
      { path = d .. "/gone.txt", reason = "broken link" },
      { path = d .. "/real", reason = "same directory as " .. d .. "/alias, already read" },
      { path = d .. "/self", reason = "link to " .. d .. ", already read" },
    }, skipped)
  end)

  it("measures time on a monotonic clock and sleeps", function()
    local t0 = sys.now()
    sys.sleep(0.02)
    local dt = sys.now() - t0
    assert.is_true(dt >= 0.02 and dt < 5, tostring(dt))
    sys.sleep(-1) -- a negative time is no time
    assert.is_boolean(sys.isatty(0))
    assert.is_false(sys.isatty(99))
  end)

  it("takes the terminal width from $COLUMNS, else the terminal, else none", function()
    local cmd = "COLUMNS=%s lua5.4 -e 'package.path = \"lua/?.lua;lua/?/init.lua;\" .. package.path; "
      .. "package.cpath = \"build/?.so;\" .. package.cpath; "
      .. "io.write(tostring(require(\"dossier.sys\").terminal_width()))' </dev/null >%s 2>&1"
    local out = os.tmpname()
    local function width(cols)
      os.execute(cmd:format(cols, out))
      local f = assert(io.open(out))
      local s = f:read("a")
      f:close()
      return s
    end
    assert.equal("132", width("132"))
    assert.equal("nil", width("''")) -- no $COLUMNS and standard output is a file
    assert.equal("nil", width("abc"))
    os.remove(out)
  end)
end)
