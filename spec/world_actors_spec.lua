-- luacheck: std +busted
-- Specs for dossier.lexicon.world, the generated actor lexicon (tools/gen_actors.lua).
-- Oracles: the hand-kept lexicon dossier.lexicon.actors (world must cover every entry with the
-- same code and special attrs), DESIGN §3.6's code vocabulary, dossier.lexicon.key for what
-- counts as the same phrase, and the documented shape of attrs (doc/actors.md). The
-- generator's output is not compared with the checked-in file: CLDR may be absent here.
local lexicon = require "dossier.lexicon"
local actors = require "dossier.lexicon.actors"
local world = require "dossier.lexicon.world"

local MAX_PHRASES = 12000
local BODIES = { UNO = true, EU = true, NATO = true, IAEA = true, AU = true, ASEAN = true,
  OPEC = true, OSCE = true, CIS = true, SCO = true, GCC = true, ARL = true, G7 = true, G20 = true }

-- Folded key → list of entries.
local by_key
local function keys()
  if not by_key then
    by_key = {}
    for _, e in ipairs(world) do
      local k = lexicon.key(e[1])
      local list = by_key[k] or {}
      by_key[k] = list
      list[#list + 1] = e
    end
  end
  return by_key
end

-- The code of a person entry on an ISO date, as doc/actors.md describes (nil: not in office).
local function code_on(attrs, date)
  for _, r in ipairs(attrs.roles) do
    if (not r[2] or date >= r[2]) and (not r[3] or date <= r[3]) then return r[1] end
  end
  return nil
end

describe("dossier.lexicon.world", function()
  it("stays under the phrase budget", function()
    assert.is_true(#world > 5000, "a real lexicon")
    assert.is_true(#world <= MAX_PHRASES, #world .. " phrases")
  end)

  -- Each check collects its problems and asserts once: 9,000 asserts would take a second.
  it("covers every entry of actors.lua with the same code and its special attrs", function()
    local k, problems = keys(), {}
    for _, e in ipairs(actors) do
      local list = k[lexicon.key(e[1])]
      local a, w = e[3] or {}, list and list[1][3] or {}
      if not list then
        problems[#problems + 1] = "missing: " .. e[1]
      elseif e[2] ~= list[1][2] or a.occupied ~= w.occupied or a.upper ~= w.upper
        or a.kind ~= w.kind then
        problems[#problems + 1] = "differs: " .. e[1]
      end
    end
    assert.same({}, problems)
  end)

  it("has no phrase under two codes unless both are dated roles", function()
    local problems = {}
    for key, list in pairs(keys()) do
      for i = 2, #list do
        if list[i][2] ~= list[1][2] and not (list[i][3].roles and list[1][3].roles) then
          problems[#problems + 1] = key
        end
      end
    end
    assert.same({}, problems)
  end)

  local ISO = "^%d%d%d%d%-%d%d%-%d%d$"

  -- What is wrong with one dated role, or nil.
  local function role_problem(r)
    if not (r[1]:match("^%u%u%u$") or BODIES[r[1]]) then return "code " .. r[1] end
    if r[2] and not r[2]:match(ISO) or r[3] and not r[3]:match(ISO) then return "date" end
    if r[2] and r[3] and r[2] > r[3] then return "ends before it starts" end
    if r[3] and r[3] < "1987-01-01" then return "ends before 1987" end
    if r[2] == nil and r[3] and r[1] ~= "SUN" and r[1] ~= "YUG" then return "open start" end
    return nil
  end

  -- What is wrong with one entry, or nil.
  local function entry_problem(e)
    local code, a = e[2], e[3]
    if type(e[1]) ~= "string" then return "phrase" end
    if not (code:match("^%u%u%u$") or BODIES[code]) then return "code " .. code end
    if a.kind ~= (BODIES[code] and "body" or "state") then return "kind " .. tostring(a.kind) end
    if a.cap and a.upper then return "cap and upper" end
    if not a.roles then return nil end
    -- a place with roles names a predecessor state before a date (Moscow: SUN, then RUS)
    if not a.person and not (a.roles[1][1] == "SUN" or a.roles[1][1] == "YUG") then
      return "roles without person"
    end
    for _, r in ipairs(a.roles) do
      local p = role_problem(r)
      if p then return p end
    end
    if a.roles[#a.roles][1] ~= code then return "code is not the latest role's" end
    return nil
  end

  it("dates Russia before 1992 as the Soviet Union, Serbia before 1992-04-27 as Yugoslavia", function()
    local byphrase = {}
    for _, e in ipairs(world) do byphrase[e[1]] = e end
    for _, c in ipairs { { "Moscow", "SUN", "RUS" }, { "Kremlin", "SUN", "RUS" }, { "Srbija", "YUG", "SRB" },
      { "Belgrade*", "YUG", "SRB" } } do
      local e = assert(byphrase[c[1]], c[1])
      assert.equal(c[3], e[2], c[1])
      assert.equal(c[2], e[3].roles[1][1], c[1])
    end
    assert.is_nil(byphrase["Russian Federation"][3].roles)
    assert.equal("RUS", byphrase["Putin*"][2])
    assert.is_nil(byphrase["Putin*"][3].roles)
  end)

  it("uses DESIGN's codes and well-formed attrs", function()
    local problems = {}
    for _, e in ipairs(world) do
      local p = entry_problem(e)
      if p then problems[#problems + 1] = e[1] .. ": " .. p end
    end
    assert.same({}, problems)
  end)

  it("compiles into one lexicon", function()
    if os.getenv("DOSSIER_CHECK") == "valgrind" then pending("slow under valgrind") return end
    local lex = lexicon.new()
    for _, e in ipairs(world) do lex:add(e[1], e[2], e[3]) end
    lex:build()
    assert.are.equal(#world, #lex)
  end)

  it("has every state, the bodies of DESIGN and the historic states of the gold set", function()
    local codes = {}
    for _, e in ipairs(world) do codes[e[2]] = true end
    local n = 0
    for c in pairs(codes) do if c:match("^%u%u%u$") then n = n + 1 end end
    assert.is_true(n >= 190, n .. " states")
    for c in pairs(BODIES) do assert.truthy(codes[c], c) end
    for _, c in ipairs { "SUN", "YUG", "XKX", "PSE", "SYR", "ISR", "CAN", "TUR", "SRB", "HRV" } do
      assert.truthy(codes[c], c)
    end
  end)

  it("resolves a leader's dated roles against a date", function()
    local k = keys()
    local tramp = k[lexicon.key("Tramp")][1][3]
    assert.are.equal("USA", code_on(tramp, "2019-06-01"))
    assert.is_nil(code_on(tramp, "2022-06-01"))
    assert.are.equal("USA", code_on(tramp, "2025-03-01"))
    local milosevic = k[lexicon.key("Miloševića")][1][3]
    assert.are.equal("SRB", code_on(milosevic, "1995-01-01"))
    assert.are.equal("YUG", code_on(milosevic, "1999-01-01"))
    assert.are.equal("YUG", k[lexicon.key("Milošević")][1][2])
    -- officials South Slavic news quotes, in their case forms and both scripts
    assert.are.equal("SRB", code_on(k[lexicon.key("Joksimović")][1][3], "2018-03-01"))
    assert.is_nil(code_on(k[lexicon.key("Joksimović")][1][3], "2023-03-01"))
    assert.are.equal("RUS", code_on(k[lexicon.key("Bocan-Harčenkom")][1][3], "2019-10-01"))
    assert.are.equal("EU", code_on(k[lexicon.key("Federiku Mogerini")][1][3], "2016-10-01"))
    assert.are.equal("MKD", code_on(k[lexicon.key("Ђорђе Иванов")][1][3], "2015-10-01"))
  end)

  it("names a leader by the surname alone, within the dated roles, unless it is a word", function()
    local k = keys()
    local blair = k[lexicon.key("Blair")]
    assert.truthy(blair, "Blair")
    assert.are.equal("GBR", code_on(blair[1][3], "2005-03-01"))
    assert.is_nil(code_on(blair[1][3], "1987-03-01"))
    assert.are.equal("JPN", code_on(k[lexicon.key("Nakasone")][1][3], "1987-04-01"))
    assert.are.equal("PAK", code_on(k[lexicon.key("Musharraf")][1][3], "2005-03-01"))
    -- common words and given names are no surnames of their own
    for _, w in ipairs { "Brown", "Major", "Sharon", "Abbas" } do assert.is_nil(k[lexicon.key(w)], w) end
  end)
end)
