-- Specs for dossier.core.workers: forked worker processes, the messages between them and the
-- parent (a string and a batch of texts), and the packing of rows of scalars.
local core = require "dossier.core"
local sys = require "dossier.sys"
local workers = core.workers

describe("dossier.core.workers", function()
  it("packs and unpacks scalars, nil included", function()
    local v = { 1, nil, 2.5, "a\0b", true, false, math.mininteger, -0.0, "", nil }
    local t, n = workers.unpack(workers.pack(v, 10))
    assert.equal(10, n)
    for i = 1, 10 do
      assert.equal(v[i], t[i])
      assert.equal(math.type(v[i]), math.type(t[i]))
    end
    -- packed strings concatenate
    local t2, n2 = workers.unpack(workers.pack({ "x" }, 1) .. workers.pack({ nil, 7 }, 2))
    assert.equal(3, n2)
    assert.same({ "x", nil, 7 }, t2)
    assert.error_matches(function() workers.pack({ {} }, 1) end, "cannot pack a table (value 1)", nil, true)
    assert.error_matches(function() workers.unpack("\5\1") end, "cut short", nil, true)
  end)

  it("sends a string and a batch of texts each way", function()
    local pool <close> = workers.spawn(2, function(i, chan)
      local tb = core.batch.new()
      while true do
        local s = chan:recv(tb)
        if not s then return end
        tb:add("from " .. i)
        chan:send(s:upper(), tb)
      end
    end)
    assert.equal(2, #pool)
    for i = 1, 2 do
      pool:send(i, "hello " .. i, core.batch.new({ "a", "", ("x"):rep(100000) }))
    end
    for i = 1, 2 do
      local got = core.batch.new()
      assert.equal("HELLO " .. i, pool:recv(i, got))
      assert.equal(4, #got)
      assert.equal("", got:text(2))
      assert.equal(100000, got:size(3))
      assert.equal("from " .. i, got:text(4))
    end
  end)

  it("says how a worker ended when it dies before answering, and reaps it", function()
    local pool = workers.spawn(1, function(_, chan)
      chan:recv()
      os.exit(3)
    end)
    local pid = pool:pid(1)
    assert.is_true(pid > 0 and pid ~= sys.pid())
    pool:send(1, "go")
    -- (under valgrind, the child's own leak check turns its status into valgrind's error code)
    local status = os.getenv("DOSSIER_CHECK") == "valgrind" and "%d+" or "3"
    assert.error_matches(function() pool:recv(1) end,
      "worker 1 %(pid " .. pid .. "%) exited with status " .. status .. " before it answered")
    pool:close()
    assert.equal(0, pool:pid(1))
    assert.is_false(sys.alive(pid))
    assert.error_matches(function() workers.spawn(0, print) end, "between 1 and 256")
  end)

  it("says which signal killed a worker", function()
    local pool <close> = workers.spawn(1, function(_, chan)
      chan:recv()
      os.execute("kill -9 " .. sys.pid())
      sys.sleep(10)
    end)
    pool:send(1, "go")
    local want = "worker 1 (pid " .. pool:pid(1) .. ") was killed by signal 9"
    assert.error_matches(function() pool:recv(1) end, want, nil, true)
  end)
end)

describe("dossier.sys.cores", function()
  it("counts the processors online, as getconf does", function()
    local p = assert(io.popen("getconf _NPROCESSORS_ONLN 2>/dev/null"))
    local n = tonumber(p:read("a"))
    p:close()
    if not n then
      pending("getconf is not available")
      return
    end
    assert.equal(n, sys.cores())
  end)
end)
