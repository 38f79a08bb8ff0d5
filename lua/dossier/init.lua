--- dossier: text matching, an event store and analyses for news and OSINT work.
--
-- `require "dossier"` gives the facade. Each part is a module of its own and is
-- loaded the first time it is used, so a script that only needs regular
-- expressions pays for nothing else:
--
--    local dossier = require "dossier"
--    local rex = dossier.regex          -- same as require "dossier.regex"
--    local db = dossier.open("news.db") -- dossier.store.open
--    dossier.extract(db, require "dossier.rules.sanctions")
--
-- @module dossier
local core = require "dossier.core"

local M = {
  _VERSION = "dossier " .. core.version,
  version = core.version,
}

-- Parts that load on first use, by field name.
local parts = {
  regex = "dossier.regex",
  text = "dossier.text",
  lexicon = "dossier.lexicon",
  store = "dossier.store",
  rules = "dossier.rules",
  extract = "dossier.extract", -- callable: dossier.extract(db, rs [, opts])
  kb = "dossier.kb",
  sanctions = "dossier.sanctions",
  claims = "dossier.claims",
  report = "dossier.report",
  cli = "dossier.cli",
}

-- `pairs(dossier)` lists every part (loading those not yet loaded), so the REPL shows and
-- completes them all, not only the few fields loaded so far.
local function each_field(t)
  for k in pairs(parts) do
    local _ = t[k]
  end
  return next, t, nil
end

setmetatable(M, {
  __index = function(t, k)
    local name = parts[k]
    if name then
      local m = require(name)
      rawset(t, k, m)
      return m
    end
  end,
  __pairs = each_field,
})

--- Open (or create) an event store; see `dossier.store.open`.
-- @tparam string path a file name or `":memory:"`
-- @tparam[opt] table opts options for `dossier.store.open`
-- @return the store
function M.open(path, opts)
  return require("dossier.store").open(path, opts)
end

return M
