-- luacheck: std +busted
-- Specs for dossier.kb: the sanctions measures as data.
-- Oracles: the fact sheet ../shared/data/sanctions-kb.md (or under $DOSSIER_DATA, or
-- $DOSSIER_FACT_SHEET; parsed at test time, the cross-checks pending when it is absent),
-- DESIGN §3.6's event vocabulary (../shared/DESIGN.md), and a hand-checked table of events
-- and the measures in force for them.
local kb = require "dossier.kb"

local FACT_SHEET = os.getenv "DOSSIER_FACT_SHEET"
  or (os.getenv "DOSSIER_DATA" or "../shared/data") .. "/sanctions-kb.md"
local DESIGN = "../shared/DESIGN.md"

local function read(path)
  local f = io.open(path, "rb")
  if not f then
    return nil
  end
  local s = f:read "a"
  f:close()
  return s
end

local function trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Rows of the markdown tables, per "## N." section: { [2] = { {cell, cell, ...}, ... } }
local function parse_tables(md)
  local sections, current = {}, nil
  for line in md:gmatch "[^\n]*" do
    local n = line:match "^## (%d+)%."
    if n then
      current = tonumber(n)
      sections[current] = {}
    elseif current and line:match "^|" and not line:match "^|%s*%-%-%-" then
      local cells = {}
      for cell in line:gmatch "|([^|]*)" do
        cells[#cells + 1] = trim(cell)
      end
      if cells[#cells] == "" then
        cells[#cells] = nil
      end
      table.insert(sections[current], cells)
    end
  end
  for _, rows in pairs(sections) do
    table.remove(rows, 1) -- header row
  end
  return sections
end

local MONTHS = {
  Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6,
  Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12,
}

local function iso(text) -- "14 Oct 2006" -> "2006-10-14"
  local d, m, y = text:match "(%d+) (%a%a%a) (%d%d%d%d)"
  if not d then
    return nil
  end
  return string.format("%s-%02d-%02d", y, MONTHS[m], tonumber(d))
end

local function day_before(s)
  local y, m, d = s:match "(%d+)-(%d+)-(%d+)"
  local t = os.time { year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 }
  return os.date("%Y-%m-%d", t - 86400)
end

local function ids(list)
  local out = {}
  for _, m in ipairs(list) do
    out[#out + 1] = m.id
  end
  table.sort(out)
  return out
end

local function sorted(t)
  table.sort(t)
  return t
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do
    c[k] = type(v) == "table" and copy(v) or v
  end
  return c
end

describe("dossier.kb", function()
  describe("measure shapes", function()
    it("loads measures from every regime file, each with a unique id", function()
      assert.is_true(#kb.measures >= 60)
      local seen, un, non_un = {}, 0, 0
      for _, m in ipairs(kb.measures) do
        assert.is_nil(seen[m.id], m.id)
        seen[m.id] = true
        if m.un then
          un = un + 1
        else
          non_un = non_un + 1
        end
        assert.equal(m, kb.get(m.id))
      end
      assert.is_true(un > 0 and non_un > 0)
      assert.is_nil(kb.get "no_such_measure")
    end)

    it("validates every measure", function()
      for _, m in ipairs(kb.measures) do
        assert(kb.validate(m))
      end
      assert.is_true(kb.validate_all(kb.measures))
    end)

    it("never cites a paragraph without verified status", function()
      for _, m in ipairs(kb.measures) do
        if m.paragraph ~= nil then
          assert.equal("verified", m.paragraph_status, m.id)
        elseif m.un then
          assert.matches("^paragraph unconfirmed %(fact sheet: ", m.paragraph_note, 1, false, m.id)
        end
        assert.is_not_nil(kb.cite(m):find(m.resolution, 1, true))
        if m.paragraph_status ~= "verified" then
          assert.is_nil(kb.cite(m):find "OP%d")
        end
      end
    end)

    it("tags non-UN regimes with un = false and a non-UN body", function()
      for _, m in ipairs(kb.measures) do
        assert.equal(m.body == "UN Security Council", m.un, m.id)
        if not m.un then
          assert.is_nil(m.paragraph)
        end
      end
    end)

    it("rejects malformed measures, naming the measure and the cause", function()
      local good = kb.get "dprk_1718_op8b"
      local cases = {
        { function(m) m.paragraph_status = "content only" end, "paragraph cited without verified" },
        { function(m) m.paragraph_status = "V" end, "paragraph_status" },
        { function(m) m.paragraph = nil end, "verified measure without a paragraph" },
        { function(m) m.applies_to[1].type = "arms_sale" end, "unknown event type arms_sale" },
        { function(m) m.applies_to[1].actor1 = "North Korea" end, "alpha%-3" },
        { function(m) m.applies_to[1] = { type = "arms_transfer" } end, "actor1 or actor2" },
        { function(m) m.applies_to[1].type = "drone_transfer" end, "not an event shape" },
        { function(m) m.applies_to[1].items = { "Rakete" } end, "lower%-case ASCII" },
        { function(m) m.activities = {} end, "activities must not be empty" },
        { function(m) m.activities = { "arms_smuggling" } end, "unknown activity key" },
        { function(m) m.in_force_from = "2006-02-30" end, "in_force_from" },
        { function(m) m.in_force_from = "14 Oct 2006" end, "in_force_from" },
        { function(m) m.in_force_until = "2001-01-01" end, "before in_force_from" },
        { function(m) m.in_force_from = "2005-01-01" end, "in force before adoption" },
        { function(m) m.year = 2007 end, "adopted does not match year" },
        { function(m) m.binding = "maybe" end, "unknown binding" },
        { function(m) m.body = "NATO" end, "unknown body" },
        { function(m) m.un = false end, "un must be true" },
        { function(m) m.id = "Bad Id" end, "id must be" },
        { function(m) m.source = nil end, "source" },
        { function(m) m.obligation = nil end, "obligation" },
      }
      for i, case in ipairs(cases) do
        local m = copy(good)
        case[1](m)
        local ok, err = kb.validate(m)
        assert.is_nil(ok, "case " .. i)
        assert.matches("^dossier%.kb: measure ", err)
        assert.matches(case[2], err, 1, false, "case " .. i .. ": " .. err)
      end
      local unconfirmed = copy(kb.get "dprk_1874_op9")
      unconfirmed.paragraph_note = "OP9?"
      assert.matches("paragraph_note", select(2, kb.validate(unconfirmed)))
      assert.matches("must be a table", select(2, kb.validate "x"))
      local dup = { good, copy(good) }
      assert.matches("duplicate measure id dprk_1718_op8b", select(2, kb.validate_all(dup)))
    end)

    it("keeps dates sane: ISO days, in order, the repatriation deadline a day before", function()
      for _, m in ipairs(kb.measures) do
        for _, k in ipairs { "adopted", "in_force_from", "in_force_until", "deadline" } do
          if m[k] then
            assert.matches("^20[0-3]%d%-[01]%d%-[0-3]%d$", m[k], 1, false, m.id .. "." .. k)
          end
        end
        if m.in_force_until then
          assert.is_true(m.in_force_until >= m.in_force_from, m.id)
        end
        if m.adopted then
          assert.is_true(m.in_force_from >= m.adopted, m.id)
        end
      end
      local op8 = kb.get "dprk_2397_op8"
      assert.equal("2019-12-22", op8.deadline)
      assert.equal(op8.deadline, day_before(op8.in_force_from))
      -- superseded measures end the day before their successor starts
      local function until_of(id) return kb.get(id).in_force_until end
      assert.equal(day_before(kb.get("dprk_2371_op8").in_force_from), until_of "dprk_2321_op26b")
      assert.equal(day_before(kb.get("dprk_2397_op4").in_force_from), until_of "dprk_2375_op15")
      assert.equal(day_before(kb.get("dprk_2397_op5").in_force_from), until_of "dprk_2375_op14")
    end)

    it("parses full and partial ISO dates into day ranges", function()
      assert.same({ "2022-08-20", "2022-08-20" }, { kb.date_range "2022-08-20" })
      assert.same({ "2022-08-01", "2022-08-31" }, { kb.date_range "2022-08" })
      assert.same({ "2024-02-01", "2024-02-29" }, { kb.date_range "2024-02" })
      assert.same({ "2023-02-01", "2023-02-28" }, { kb.date_range "2023-02" })
      assert.same({ "2022-01-01", "2022-12-31" }, { kb.date_range "2022" })
      assert.is_nil((kb.date_range "2022-13"))
      assert.is_nil((kb.date_range "2023-02-29"))
      assert.is_nil((kb.date_range "24 March 2022"))
      assert.is_nil((kb.date_range(20220324)))
    end)

    it("uses only event types of DESIGN §3.6, and all of them are known", function()
      local design = read(DESIGN)
      if design then
        local list = design:match "Event types:(.-)Actors:"
        local from_design = {}
        local seen = {}
        for t in list:gmatch "`([%w_]+)`" do
          if not seen[t] then -- "(an ICBM is coded `icbm_launch` only)" repeats one
            seen[t] = true
            from_design[#from_design + 1] = t
          end
        end
        assert.same(sorted(from_design), sorted(copy(kb.EVENT_TYPES)))
      else
        print("kb_spec: " .. DESIGN .. " absent, event vocabulary checked against kb.EVENT_TYPES only")
      end
      local known = {}
      for _, t in ipairs(kb.EVENT_TYPES) do
        known[t] = true
      end
      for key, shapes in pairs(kb.activities) do
        for _, s in ipairs(shapes) do
          assert.is_true(known[s.type], key)
        end
      end
      for _, m in ipairs(kb.measures) do
        for _, e in ipairs(m.applies_to) do
          assert.is_true(known[e.type], m.id)
        end
      end
    end)

    it("codes measures on ballistic launches for ICBMs too", function()
      for _, m in ipairs(kb.measures) do
        local ballistic, icbm = {}, {}
        for _, e in ipairs(m.applies_to) do
          if e.type == "ballistic_launch" then
            ballistic[e.actor1] = true
          elseif e.type == "icbm_launch" then
            icbm[e.actor1] = true
          end
        end
        for actor in pairs(ballistic) do
          assert.is_true(icbm[actor] == true, m.id)
        end
      end
    end)

    it("keeps context facts (vetoes, Panel of Experts) apart from the measures", function()
      local by_id = {}
      for _, c in ipairs(kb.context) do
        assert.is_not_nil((kb.date_range(c.date)), c.id)
        assert.is_nil(kb.get(c.id))
        by_id[c.id] = c
      end
      assert.equal("2022-05-26", by_id.veto_2022_05_26.date)
      assert.same({ "RUS", "CHN" }, by_id.veto_2022_05_26.actors)
      assert.equal("2024-04-30", by_id.poe_lapse.date)
    end)
  end)

  describe("against the fact sheet", function()
    local md = read(FACT_SHEET)
    local tables = md and parse_tables(md)

    local function need_sheet()
      if not md then
        pending("fact sheet " .. FACT_SHEET .. " absent: cross-check skipped")
        return false
      end
      return true
    end

    local function find_row(m)
      local src = m.source
      if src.section == "§2" then
        for _, row in ipairs(tables[2]) do
          if row[1] == src.res and row[2] == src.para and row[4]:find(src.activity, 1, true) then
            return row, row[2], row[5]
          end
        end
      elseif src.section == "§4" then
        for _, row in ipairs(tables[4]) do
          if row[1] == src.para and row[3]:find(src.activity, 1, true) then
            return row, "Annex B para " .. row[1], row[5]
          end
        end
      end
    end

    it("finds each UN measure's row, with the same status and paragraph", function()
      if not need_sheet() then
        return
      end
      assert.is_true(#tables[2] > 50 and #tables[4] == 4)
      for _, m in ipairs(kb.measures) do
        if m.un then
          local row, para, st = find_row(m)
          assert.is_not_nil(row, "no fact-sheet row for " .. m.id)
          assert.equal(m.resolution, m.source.res, m.id)
          local letter = st:match "^([VCU])"
          assert.equal(kb.STATUS[letter], m.paragraph_status, m.id)
          if m.paragraph_status == "verified" then
            assert.equal(para, m.paragraph, m.id)
          else
            local shown = para == "(not found)" and "not found" or para
            assert.equal("paragraph unconfirmed (fact sheet: " .. shown .. ")", m.paragraph_note, m.id)
          end
        end
      end
    end)

    it("covers every measure row of §2 and §4", function()
      if not need_sheet() then
        return
      end
      local covered = {}
      for _, m in ipairs(kb.measures) do
        if m.un then
          covered[find_row(m)] = true
        end
      end
      for _, row in ipairs(tables[2]) do
        if row[2] ~= "—" and row[4] ~= "—" then
          assert.is_true(covered[row] == true, "§2 row not in kb: " .. row[1] .. " " .. row[2])
        end
      end
      for _, row in ipairs(tables[4]) do
        assert.is_true(covered[row] == true, "§4 row not in kb: " .. row[1])
      end
    end)

    it("dates DPRK measures from the adoption dates of §1", function()
      if not need_sheet() then
        return
      end
      local adopted = {}
      for _, row in ipairs(tables[1]) do
        adopted[row[1]:match "^(%d+)"] = iso(row[2])
      end
      for _, m in ipairs(kb.measures) do
        if m.regime == "DPRK" then
          assert.equal(adopted[m.resolution], m.adopted, m.id)
          assert.is_true(m.in_force_from >= m.adopted, m.id)
        end
      end
    end)

    it("ends the 2231 measures the day before §4's expiry date", function()
      if not need_sheet() then
        return
      end
      for _, m in ipairs(kb.measures) do
        if m.source.section == "§4" then
          local row = find_row(m)
          local until_day = iso(row[4])
          assert.is_not_nil(until_day, m.id)
          assert.equal(day_before(until_day), m.in_force_until, m.id)
        end
      end
    end)
  end)

  describe("measures_for", function()
    -- Hand-checked against sanctions-kb.md §2, §4 and §6 (ids sorted).
    local cases = {
      { "DPRK arms to Russia, Sep 2022 (fact sheet §6)",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", date = "2022-09-05" },
        { "dprk_1718_op8b", "dprk_1874_op9", "dprk_2270_op6_export" } },
      { "arms to the DPRK",
        { type = "arms_transfer", actor1 = "RUS", actor2 = "PRK", date = "2022-01-10" },
        { "dprk_1718_op8a_i", "dprk_1874_op10", "dprk_2270_op6_import" } },
      { "DPRK arms exports before 1874",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "IRN", date = "2008-05" },
        { "dprk_1718_op8b" } },
      { "nothing before 1718",
        { type = "arms_transfer", actor1 = "PRK", actor2 = "SYR", date = "2006-10-13" }, {} },
      { "Iranian drones to Russia, Aug 2022",
        { type = "drone_transfer", actor1 = "IRN", actor2 = "RUS", date = "2022-08-20" },
        { "iran_2231_b4" } },
      { "drones to Iran are covered too (to OR from)",
        { type = "drone_transfer", actor1 = "RUS", actor2 = "IRN", date = "2022-08-20" },
        { "iran_2231_b4" } },
      { "last day of Annex B para 4",
        { type = "drone_transfer", actor1 = "IRN", actor2 = "RUS", date = "2023-10-17" },
        { "iran_2231_b4" } },
      { "Transition Day: nothing under 2231",
        { type = "drone_transfer", actor1 = "IRN", actor2 = "RUS", date = "2023-10-18" }, {} },
      { "Iranian drones, Nov 2023",
        { type = "drone_transfer", actor1 = "IRN", actor2 = "RUS", date = "2023-11-01" }, {} },
      { "a month that straddles Transition Day",
        { type = "drone_transfer", actor1 = "IRN", actor2 = "RUS", date = "2023-10" },
        { "iran_2231_b4" } },
      { "Russian drones elsewhere are no UN matter",
        { type = "drone_transfer", actor1 = "RUS", actor2 = "BLR", date = "2022-08-20" }, {} },
      { "Iranian arms exports before 18 Oct 2020",
        { type = "arms_transfer", actor1 = "IRN", actor2 = "RUS", date = "2020-10-17" },
        { "iran_2231_b6b" } },
      { "Iranian arms exports after 18 Oct 2020, item unknown",
        { type = "arms_transfer", actor1 = "IRN", actor2 = "RUS", date = "2020-10-18" }, {} },
      { "Iranian missiles in 2022 fall under para 4",
        { type = "arms_transfer", actor1 = "IRN", actor2 = "RUS", date = "2022-11",
          item = "ballistic missiles" },
        { "iran_2231_b4" } },
      { "arms to Iran in 2019",
        { type = "arms_transfer", actor1 = "RUS", actor2 = "IRN", date = "2019-06-01",
          item = "rakete" },
        { "iran_2231_b4", "iran_2231_b5" } },
      { "DPRK workers in Russia, Aug 2022",
        { type = "workers_abroad", actor1 = "PRK", actor2 = "RUS", date = "2022-08" },
        { "dprk_2371_op11", "dprk_2375_op17", "dprk_2397_op8" } },
      { "the repatriation deadline day itself",
        { type = "workers_abroad", actor1 = "PRK", actor2 = "CHN", date = "2019-12-22" },
        { "dprk_2371_op11", "dprk_2375_op17" } },
      { "the day after the deadline",
        { type = "workers_abroad", actor1 = "PRK", actor2 = "CHN", date = "2019-12-23" },
        { "dprk_2371_op11", "dprk_2375_op17", "dprk_2397_op8" } },
      { "workers before 2375",
        { type = "workers_abroad", actor1 = "PRK", actor2 = "RUS", date = "2017-09-10" },
        { "dprk_2371_op11" } },
      { "workers going to the DPRK are not covered",
        { type = "workers_abroad", actor1 = "RUS", actor2 = "PRK", date = "2022-08" }, {} },
      { "the veto is an event, not a violation",
        { type = "sanctions_veto", actor1 = "RUS", actor2 = "PRK", date = "2022-05-26" }, {} },
      { "ICBM of 24 March 2022",
        { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24" },
        { "dprk_1718_op2", "dprk_1718_op5", "dprk_1874_op2", "dprk_2087_op3" } },
      { "ballistic launches in 2022",
        { type = "ballistic_launch", actor1 = "PRK", date = "2022" },
        { "dprk_1718_op2", "dprk_1718_op5", "dprk_1874_op2", "dprk_2087_op3" } },
      { "nuclear test of 3 Sep 2017",
        { type = "nuclear_test", actor1 = "PRK", date = "2017-09-03" },
        { "dprk_1718_op2", "dprk_1874_op2", "dprk_2087_op3" } },
      { "Iranian launches are only a call",
        { type = "ballistic_launch", actor1 = "IRN", date = "2022-03-08" }, {} },
      { "coal under the 2321 cap",
        { type = "coal_export", actor1 = "PRK", actor2 = "CHN", date = "2017-03-01" },
        { "dprk_2270_op29", "dprk_2321_op26b" } },
      { "coal after the full ban",
        { type = "coal_export", actor1 = "PRK", actor2 = "CHN", date = "2017-09-01" },
        { "dprk_2270_op29", "dprk_2371_op8" } },
      { "refined petroleum in 2018: caps of 2397",
        { type = "oil_transfer", actor1 = "RUS", actor2 = "PRK", date = "2018-06-01",
          item = "refined petroleum" },
        { "dprk_2397_op4", "dprk_2397_op5" } },
      { "jet fuel adds the aviation-fuel ban",
        { type = "oil_transfer", actor1 = "RUS", actor2 = "PRK", date = "2018-06-01", item = "jet fuel" },
        { "dprk_2270_op31", "dprk_2397_op4", "dprk_2397_op5" } },
      { "condensates in Oct 2017",
        { type = "oil_transfer", actor1 = "CHN", actor2 = "PRK", date = "2017-10-02",
          item = "kondenzat" },
        { "dprk_2375_op13", "dprk_2375_op14", "dprk_2375_op15" } },
      { "ship-to-ship transfer",
        { type = "ship_to_ship", actor1 = "PAN", actor2 = "PRK", date = "2019-04-01" },
        { "dprk_2375_sts" } },
      { "seafood exports",
        { type = "other_export", actor1 = "PRK", actor2 = "CHN", date = "2018-02-01", item = "seafood" },
        { "dprk_2371_op9" } },
      { "textiles (folded Serbian item)",
        { type = "other_export", actor1 = "PRK", actor2 = "CHN", date = "2018-02-01", item = "tekstil" },
        { "dprk_2375_op16" } },
      { "an export of unknown goods matches no item-specific measure",
        { type = "other_export", actor1 = "PRK", actor2 = "CHN", date = "2018-02-01" }, {} },
      { "luxury cars to the DPRK",
        { type = "other_export", actor1 = "ITA", actor2 = "PRK", date = "2015-05-05",
          item = "luxury cars" },
        { "dprk_1718_op8a_iii" } },
      { "South Korean drones are not Iranian",
        { type = "drone_transfer", actor1 = "KOR", actor2 = "SRB", date = "2022-05" }, {} },
    }
    for _, case in ipairs(cases) do
      it("returns the measures in force for: " .. case[1], function()
        assert.same(sorted(case[3]), ids(kb.measures_for(case[2])))
      end)
    end

    it("returns calls and commitments only with opts.all", function()
      local icbm = { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24" }
      local all = ids(kb.measures_for(icbm, { all = true }))
      local expected = {
        "dprk_1718_op2", "dprk_1718_op5", "dprk_1874_op2", "dprk_2087_op3", "dprk_2397_op27",
      }
      assert.same(sorted(expected), all)
      local iran = { type = "ballistic_launch", actor1 = "IRN", date = "2022-03-08" }
      assert.same({ "iran_2231_b3" }, ids(kb.measures_for(iran, { all = true })))
      local workers = { type = "workers_abroad", actor1 = "PRK", actor2 = "RUS", date = "2017-01-01" }
      assert.same({}, ids(kb.measures_for(workers)))
      assert.same({ "dprk_2321_workers_call" }, ids(kb.measures_for(workers, { all = true })))
    end)

    it("filters UN and non-UN measures with opts.un", function()
      local own = copy(kb.get "dprk_1718_op8b")
      own.id, own.body, own.un, own.paragraph = "eu_test_arms", "EU", false, nil
      own.paragraph_status = "content only"
      assert(kb.validate(own))
      local list = { kb.get "dprk_1718_op8b", own }
      local ev = { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", date = "2022-09-05" }
      assert.same({ "dprk_1718_op8b", "eu_test_arms" }, ids(kb.measures_for(ev, { measures = list })))
      assert.same({ "dprk_1718_op8b" }, ids(kb.measures_for(ev, { measures = list, un = true })))
      assert.same({ "eu_test_arms" }, ids(kb.measures_for(ev, { measures = list, un = false })))
      -- the shipped non-UN acts have no verified activity scope, so they never match
      for _, m in ipairs(kb.measures_for(ev, { all = true })) do
        assert.is_true(m.un)
      end
    end)

    it("groups reaffirmations under one obligation with a verified primary", function()
      local ev = { type = "arms_transfer", actor1 = "PRK", actor2 = "RUS", date = "2022-09-05" }
      local groups = kb.group(kb.measures_for(ev))
      assert.equal(1, #groups)
      assert.equal("dprk_arms_export", groups[1].obligation)
      assert.equal("dprk_1718_op8b", groups[1].primary.id)
      assert.same({ "dprk_1874_op9", "dprk_2270_op6_export" }, ids(groups[1].supporting))
      assert.equal("1718 OP8(b)", kb.cite(groups[1].primary))
      assert.equal("1874 (paragraph unconfirmed)", kb.cite(groups[1].supporting[1]))

      local icbm = kb.group(kb.measures_for { type = "icbm_launch", actor1 = "PRK", date = "2022-03-24" })
      assert.equal(2, #icbm)
      assert.equal("dprk_2087_op3", icbm[1].primary.id)
      assert.equal("dprk_1718_op5", icbm[2].primary.id) -- no verified member: the first one
      assert.same({}, kb.group {})
    end)

    it("is pure: the same event gives the same answer and is not modified", function()
      local ev = { type = "workers_abroad", actor1 = "PRK", actor2 = "RUS", date = "2022-08" }
      local before = copy(ev)
      assert.same(ids(kb.measures_for(ev)), ids(kb.measures_for(ev)))
      assert.same(before, ev)
    end)

    it("raises on programmer errors", function()
      assert.has_error(function() kb.measures_for "arms" end,
        "dossier.kb: measures_for expects an event table")
      assert.has_error(function() kb.measures_for { type = "arms_sale", date = "2022" } end,
        "dossier.kb: unknown event type arms_sale")
      assert.has_error(function() kb.measures_for { type = "arms_transfer" } end,
        "dossier.kb: event.date: not a string")
      assert.has_error(function() kb.measures_for { type = "arms_transfer", date = "2022-02-30" } end,
        "dossier.kb: event.date: bad day in 2022-02-30")
      assert.has_error(function() kb.measures_for { type = "arms_transfer", date = "5 Sep 2022" } end,
        "dossier.kb: event.date: not an ISO date: 5 Sep 2022")
    end)
  end)
end)

-- The example corpus and its answer key (examples/corpus/): the key must agree with the text
-- (every quote is in its article), with itself (incidents, origins, conflicts derived from the
-- per-article coding) and with dossier.kb (violations = measures in force on incident dates).
describe("example corpus answer key", function()
  local CORPUS = "examples/corpus/news"
  local cjson = require "cjson"
  local answers = dofile "examples/corpus/answers.lua"

  local STANCE_OF = { asserted = "assert", historic = "assert", hedged = "hedge", planned = "plan",
    denied = "deny" }
  local QUALIFIERS = { exact = true, at_least = true, about = true, order_of_magnitude = true }
  local STANCES = { assert = true, deny = true, hedge = true, plan = true }
  local function ACTOR_OK(a)
    return a == nil or a == "EU" or (type(a) == "string" and a:match "^%u%u%u$")
  end

  local docs, order = {}, {}
  local p = io.popen("ls " .. CORPUS .. "/*.jsonl")
  for path in p:lines() do
    for line in io.lines(path) do
      local d = cjson.decode(line)
      docs[d.id] = d
      order[#order + 1] = d.id
    end
  end
  p:close()

  local function set(list)
    local s = {}
    for _, v in ipairs(list or {}) do
      s[v] = true
    end
    return s
  end

  local function keys(s)
    local out = {}
    for k in pairs(s) do
      out[#out + 1] = k
    end
    table.sort(out)
    return out
  end

  local by_incident = {}
  for _, inc in ipairs(answers.incidents) do
    by_incident[inc.id] = inc
  end

  it("has well-formed articles in every language and script, 25-40 of them", function()
    assert.is_true(#order >= 25 and #order <= 40)
    local combos, outlets, seen = {}, {}, {}
    for _, id in ipairs(order) do
      local d = docs[id]
      assert.is_nil(seen[id], id)
      seen[id] = true
      assert.equal(d.outlet, d.source, id)
      assert.is_not_nil(kb.date_range(d.date), id)
      assert.matches("^%d%d%d%d%-%d%d%-%d%d$", d.date)
      assert.is_true(d.lang == "en" or d.lang == "sr" or d.lang == "hr", id)
      assert.is_true(d.script == "Latn" or d.script == "Cyrl", id)
      -- Serbian Cyrillic letters are two-byte sequences starting with 0xD0 or 0xD1
      assert.equal(d.script == "Cyrl", d.text:find "[\208\209][\128-\191]" ~= nil, id)
      assert.matches("^https://example%.org/", d.url)
      assert.is_true(#d.title > 0 and #d.text > 100, id)
      combos[d.lang .. "-" .. d.script] = true
      outlets[d.outlet] = true
    end
    assert.same({ "en-Latn", "hr-Latn", "sr-Cyrl", "sr-Latn" }, keys(combos))
    assert.is_true(#keys(outlets) >= 5)
  end)

  it("codes every article, and every quote is in its article's text", function()
    local coded = {}
    for _, a in ipairs(answers.articles) do
      local d = docs[a.id]
      assert.is_not_nil(d, "answer for unknown article " .. a.id)
      assert.equal(d.outlet, a.outlet, a.id)
      coded[a.id] = true
      for _, group in ipairs { a.events, a.claims, a.traps } do
        for _, x in ipairs(group) do
          assert.is_truthy(d.text:find(x.quote, 1, true), a.id .. ": quote not in text: " .. x.quote)
        end
      end
    end
    for _, id in ipairs(order) do
      assert.is_true(coded[id] == true, "article without an answer: " .. id)
    end
    assert.equal(#order, answers.counts.articles)
  end)

  it("agrees with dossier.text on sentences: counts, and each quote inside one sentence", function()
    local ok_text, text = pcall(require, "dossier.text")
    if not ok_text then
      pending "dossier.core not built: sentence checks skipped"
      return
    end
    for _, a in ipairs(answers.articles) do
      local d = docs[a.id]
      local spans = {}
      for first, last in text.sentences(d.text, d.lang) do
        spans[#spans + 1] = { first, last }
      end
      assert.equal(a.sentences, #spans, a.id)
      for _, group in ipairs { a.events, a.claims, a.traps } do
        for _, x in ipairs(group) do
          local qs = d.text:find(x.quote, 1, true)
          local qe = qs + #x.quote - 1
          local inside = false
          for _, sp in ipairs(spans) do
            inside = inside or (qs >= sp[1] and qe <= sp[2])
          end
          assert.is_true(inside, a.id .. ": quote crosses a sentence boundary: " .. x.quote)
        end
      end
    end
  end)

  it("keeps ANSWERS.md in step with answers.lua", function()
    local md = dofile "examples/corpus/answers_md.lua"
    local page = read "examples/corpus/ANSWERS.md"
    local at = page:find(md.MARKER, 1, true)
    assert.is_not_nil(at, "ANSWERS.md lacks the generated-part marker")
    local generated = page:sub(at + #md.MARKER + 2)
    assert.equal(md.render(answers, kb, docs), generated,
      "ANSWERS.md is stale: run lua5.4 examples/corpus/answers_md.lua")
  end)

  it("uses the shared vocabulary for events and claims", function()
    local known = set(kb.EVENT_TYPES)
    for _, a in ipairs(answers.articles) do
      for i, e in ipairs(a.events) do
        local where = a.id .. " event " .. i
        assert.is_true(known[e.type] == true, where)
        assert.is_truthy(ACTOR_OK(e.actor1) and ACTOR_OK(e.actor2), where)
        assert.is_not_nil(STANCE_OF[e.modality], where)
        assert.is_boolean(e.negated, where)
        assert.is_not_nil(kb.date_range(e.date), where)
        assert.is_true(e.date_from == "text" or e.date_from == "published", where)
        if e.qty then
          assert.is_true(QUALIFIERS[e.qty_qualifier] == true, where)
        end
        if e.incident then
          local inc = by_incident[e.incident]
          assert.is_not_nil(inc, where)
          assert.same({ inc.type, inc.actor1, inc.actor2 }, { e.type, e.actor1, e.actor2 }, where)
          assert.is_false(e.negated and e.modality == "asserted", where) -- a negated fact is no incident
        end
      end
      for i, c in ipairs(a.claims) do
        local where = a.id .. " claim " .. i
        assert.is_true(STANCES[c.stance] == true, where)
        -- the origin is the end of the relay chain, or the outlet itself
        assert.equal(#c.via > 0 and c.via[#c.via] or a.outlet, c.origin, where)
        for _, n in ipairs(c.events or {}) do
          assert.is_not_nil(a.events[n], where)
        end
      end
    end
  end)

  it("lists each incident's mentions as the articles that code it", function()
    local derived = {}
    for _, a in ipairs(answers.articles) do
      for _, e in ipairs(a.events) do
        if e.incident then
          derived[e.incident] = derived[e.incident] or {}
          derived[e.incident][a.id] = true
        end
      end
    end
    for _, inc in ipairs(answers.incidents) do
      assert.same(keys(derived[inc.id] or {}), sorted(copy(inc.mentions)), inc.id)
      assert.is_not_nil(kb.date_range(inc.date), inc.id)
    end
    assert.equal(answers.counts.incidents, #answers.incidents)
    local keywords_only = 0
    for _, a in ipairs(answers.articles) do
      if a.keywords_only then
        keywords_only = keywords_only + 1
        assert.same({}, a.events)
      end
    end
    assert.equal(answers.counts.keywords_only, keywords_only)
    assert.is_true(keywords_only >= 4)
  end)

  -- origins[incident][stance] = set, derived from the per-article coding
  local function derive_origins()
    local origins, speakers = {}, {}
    local function add(inc, stance, origin, actors)
      origins[inc] = origins[inc] or {}
      origins[inc][stance] = origins[inc][stance] or {}
      origins[inc][stance][origin] = true
      local side = stance == "deny" and "deny" or "support"
      speakers[inc] = speakers[inc] or { support = {}, deny = {} }
      if type(actors) == "string" then
        actors = { actors }
      end
      for _, act in ipairs(actors or {}) do
        speakers[inc][side][act] = true
      end
    end
    for _, a in ipairs(answers.articles) do
      local covered = {}
      for _, c in ipairs(a.claims) do
        for _, n in ipairs(c.events or {}) do
          covered[n] = true
          local inc = a.events[n].incident
          if inc then
            add(inc, c.stance, c.origin, c.speaker_actor)
          end
        end
      end
      for n, e in ipairs(a.events) do
        if e.incident and not covered[n] then
          add(e.incident, STANCE_OF[e.modality], a.outlet)
        end
      end
    end
    return origins, speakers
  end

  it("counts independent origins per proposition from the relay chains", function()
    local origins, speakers = derive_origins()
    for _, inc in ipairs(answers.incidents) do
      local want = answers.propositions[inc.id]
      assert.is_not_nil(want, inc.id)
      local got = origins[inc.id] or {}
      local support = {}
      for _, stance in ipairs { "assert", "deny", "hedge", "plan" } do
        local want_set = sorted(copy(want.origins[stance] or {}))
        assert.same(want_set, keys(got[stance] or {}), inc.id .. " " .. stance)
        if stance ~= "deny" then
          for o in pairs(got[stance] or {}) do
            support[o] = true
          end
        end
      end
      assert.equal(want.independent, #keys(support), inc.id)
      if want.speakers then
        assert.same(sorted(copy(want.speakers.support or {})), keys(speakers[inc.id].support), inc.id)
        assert.same(sorted(copy(want.speakers.deny or {})), keys(speakers[inc.id].deny), inc.id)
      end
    end
  end)

  it("finds the conflicts: assert against deny, and quantities that disagree", function()
    local origins = derive_origins()
    local stance_conflicts, qty_conflicts = {}, {}
    for inc, by in pairs(origins) do
      if by.deny and (by.assert or by.hedge or by.plan) then
        stance_conflicts[inc] = true
      end
    end
    local qtys = {}
    for _, a in ipairs(answers.articles) do
      for _, e in ipairs(a.events) do
        if e.incident and e.qty then
          qtys[e.incident] = qtys[e.incident] or {}
          table.insert(qtys[e.incident], e)
        end
      end
    end
    -- two reported quantities are incompatible when no count satisfies both
    local function range(e)
      if e.qty_qualifier == "exact" then
        return e.qty, e.qty
      elseif e.qty_qualifier == "at_least" then
        return e.qty, math.huge
      elseif e.qty_qualifier == "about" then
        return e.qty * 0.8, e.qty * 1.2
      end
      return e.qty, e.qty * 1000 -- order of magnitude: "millions", "hundreds"
    end
    for inc, list in pairs(qtys) do
      for i = 1, #list do
        for j = i + 1, #list do
          local lo1, hi1 = range(list[i])
          local lo2, hi2 = range(list[j])
          if hi1 < lo2 or hi2 < lo1 then
            qty_conflicts[inc] = true
          end
        end
      end
    end
    local want_stance, want_qty = {}, {}
    for _, c in ipairs(answers.conflicts) do
      if c.kind == "stance" then
        want_stance[c.incident] = true
        assert.same(sorted(copy(c.deny)), keys(origins[c.incident].deny), c.incident)
        assert.same(sorted(copy(c.assert)), keys(origins[c.incident].assert), c.incident)
      elseif c.kind == "qty" then
        want_qty[c.incident] = true
      end
    end
    assert.same(keys(want_stance), keys(stance_conflicts))
    assert.same(keys(want_qty), keys(qty_conflicts))
  end)

  it("lists as violations exactly the UN measures in force on each incident's date", function()
    local listed = {}
    for _, v in ipairs(answers.violations) do
      listed[v.incident] = v
    end
    local modalities = {}
    for _, a in ipairs(answers.articles) do
      for _, e in ipairs(a.events) do
        if e.incident then
          modalities[e.incident] = modalities[e.incident] or {}
          modalities[e.incident][e.modality] = true
        end
      end
    end
    local rows, rows_unplanned, obligations, obligations_unplanned, with_measures = 0, 0, 0, 0, 0
    for _, inc in ipairs(answers.incidents) do
      local ev = { type = inc.type, actor1 = inc.actor1, actor2 = inc.actor2, date = inc.date }
      local got = kb.measures_for(ev)
      local v = listed[inc.id]
      assert.same(v and sorted(copy(v.measures)) or {}, ids(got), inc.id)
      for _, m in ipairs(got) do
        assert.is_true(m.un, inc.id)
      end
      if v then
        with_measures = with_measures + 1
        local groups = {}
        for _, g in ipairs(kb.group(got)) do
          groups[g.obligation] = g.primary.id
        end
        assert.same(v.obligations, groups, inc.id)
        local mod = modalities[inc.id]
        local standing = (mod.asserted and mod.denied) and "disputed"
          or (not mod.asserted and mod.planned) and "planned" or "asserted"
        assert.equal(v.standing, standing, inc.id)
        rows = rows + #got
        obligations = obligations + #kb.group(got)
        if standing ~= "planned" then
          rows_unplanned = rows_unplanned + #got
          obligations_unplanned = obligations_unplanned + #kb.group(got)
        end
      end
    end
    local c = answers.counts
    assert.same({ c.incidents_with_un_measures, c.violation_rows, c.violation_rows_excluding_planned },
      { with_measures, rows, rows_unplanned })
    assert.same({ c.obligations, c.obligations_excluding_planned }, { obligations, obligations_unplanned })
  end)
end)
