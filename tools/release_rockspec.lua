-- Writes the rockspec of a release from rockspec/dossier-scm-1.rockspec, the one list of
-- modules: the same build, version VERSION-1, and as its source the release tarball
-- dossier-VERSION.tar.gz (made by `make dist` from the git tag vVERSION), which
-- `luarocks pack` puts into the source rock beside the rockspec.
--
--    lua5.4 tools/release_rockspec.lua VERSION [OUT [SCM_ROCKSPEC]]
--
-- rockspec/dossier-VERSION-1.rockspec is its output, checked by `make lint`.
local version, out, scm_path = arg[1], arg[2], arg[3] or "rockspec/dossier-scm-1.rockspec"
if not (version and version:find("^%d+%.%d+%.%d+$")) then
  io.stderr:write("usage: lua5.4 tools/release_rockspec.lua VERSION [OUT [SCM_ROCKSPEC]]"
    .. "  (VERSION like 0.1.0)\n")
  os.exit(2)
end
local f = assert(io.open(scm_path, "rb"))
local scm = f:read("a")
f:close()
local text, nv = scm:gsub('\nversion = "scm%-1"\n', ('\nversion = "%s-1"\n'):format(version), 1)
local ns
text, ns = text:gsub("\nsource = %b{}\n", ([[

source = {
  -- the release tarball, `git archive` of the tag v%s (`make dist`); the source rock
  -- dossier-%s-1.src.rock carries it
  url = "dossier-%s.tar.gz",
  dir = "dossier-%s",
}
]]):format(version, version, version, version), 1)
assert(nv == 1 and ns == 1, "rockspec/dossier-scm-1.rockspec: no version or source field to replace")
local spec = {}
assert(load(text, "=rockspec", "t", spec))()
assert(spec.version == version .. "-1")
if out then
  local w = assert(io.open(out, "wb"))
  w:write(text)
  w:close()
else
  io.write(text)
end
