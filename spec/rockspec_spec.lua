-- Specs for the rockspecs: the release rock has the version `dossier --version` prints, and
-- the same build as the development rockspec it is made from (tools/release_rockspec.lua).
local core = require "dossier.core"

local function load_spec(path)
  local env = {}
  local chunk = assert(loadfile(path, "t", env))
  chunk()
  return env
end

describe("the rockspecs", function()
  local release = "rockspec/dossier-" .. core.version .. "-1.rockspec"

  it("ship a release rockspec with the version dossier --version prints", function()
    local f = io.open(release, "rb")
    assert.truthy(f, "missing " .. release)
    f:close()
    local spec = load_spec(release)
    assert.equal("dossier", spec.package)
    assert.equal(core.version .. "-1", spec.version)
    assert.equal("dossier-" .. core.version .. ".tar.gz", spec.source.url)
    assert.equal("dossier-" .. core.version, spec.source.dir)
    assert.is_nil(spec.source.url:find("^git%+file:"))
    local p = io.popen("lua5.4 bin/dossier --version")
    local out = p:read("a")
    p:close()
    assert.truthy(out:find("^dossier " .. core.version:gsub("%.", "%%.") .. " "), out)
  end)

  it("build the release as the development rockspec does, as the tool writes it", function()
    local scm = load_spec("rockspec/dossier-scm-1.rockspec")
    local rel = load_spec(release)
    assert.same(scm.build, rel.build)
    assert.same(scm.dependencies, rel.dependencies)
    assert.same(scm.external_dependencies, rel.external_dependencies)
    local p = io.popen("lua5.4 tools/release_rockspec.lua " .. core.version)
    local written = p:read("a")
    p:close()
    local f = assert(io.open(release, "rb"))
    assert.equal(written, f:read("a"))
    f:close()
  end)
end)
