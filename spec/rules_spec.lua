-- luacheck: std +busted
-- Specs for dossier.rules: template compilation (every construct and each error), qty and date
-- slots in both languages, modality and negation cues, provenance offsets in Latin, Cyrillic
-- and mixed text, rule files, hashes, and the prefilter on real news.
-- Oracles: hand-checked sentences written here (expected substrings of the original text); the
-- recognisers' own parse functions; for real news, the same rule set with the prefilter off, and
-- a slow Lua reference for literal-word rules (dossier.text sentences + fold + whole-word find).
-- Real files are read at test time from ../shared/data or $DOSSIER_DATA (the tests that need
-- them are pending when absent).
local rules = require "dossier.rules"
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"
local C = require("dossier.core").scan

local DATA = os.getenv("DOSSIER_DATA") or "../shared/data"
local CHECK = os.getenv("DOSSIER_CHECK")

local cjson = require "cjson"

local function readable(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Marks the running test pending (busted's pending raises, so nothing after it runs): a test
-- whose data is absent is reported as not run, never as passed.
local function skip(msg) pending(msg) end

-- Documents of a JSONL news file: { text=, lang= }, at most `max` documents.
local function corpus(file, max)
  local path = DATA .. "/news/" .. file
  if not readable(path) then return nil end
  local docs = {}
  for line in io.lines(path) do
    local ok, doc = pcall(cjson.decode, line)
    if ok and type(doc.text) == "string" then
      docs[#docs + 1] = { text = doc.text, lang = type(doc.lang) == "string" and doc.lang or nil }
      if #docs >= max then break end
    end
  end
  return docs
end

local function actors()
  local lex = lexicon.new()
  lex:add("Russia", "RUS"):add("Rusij*", "RUS"):add("Moscow", "RUS"):add("Moskv*", "RUS")
  lex:add("North Korea", "PRK"):add("Severn* Korej*", "PRK"):add("Pyongyang", "PRK")
  lex:add("Iran", "IRN", { kind = "state" }):add("Kremlin", "RUS")
  return lex
end

local function base_set(opts)
  local rs = rules.new(opts or { lang = { "en", "sr" } })
  rs:lexicon("actor", actors())
  rs:terms("buy", { "buy*", "bought", "purchas*", "kupi*", "kupovin*", "nabav*" })
  rs:terms("sell", { "sell*", "sold", "prodaj*", "proda*" })
  rs:terms("arms", { "weapon*", "munition*", "shell*", "artillery shell*", "rocket*", "missile*",
    "oruzj*", "granat*", "raket*" })
  return rs
end

local function all(rs, s, ctx)
  local out = {}
  for m in rs:scan(s, ctx) do out[#out + 1] = m end
  return out
end

local function one(rs, s, ctx)
  local ms = all(rs, s, ctx)
  assert.are.equal(1, #ms, "expected one match in: " .. s)
  return ms[1]
end

local function span_text(s, m, name) return s:sub(m.spans[name][1], m.spans[name][2]) end

local function compile_error(rs, pattern)
  local ok, err = pcall(rs.rule, rs, { name = "r", pattern = pattern })
  assert.is_false(ok, "no error for " .. pattern)
  return err
end

describe("dossier.rules", function()
  describe("gaps without a set, optional words, lists", function()
    it("..N!set: a gap with no hit of the set in it", function()
      local rs = base_set()
      rs:rule { name = "buy", pattern = "{actor:buyer} ..8!actor {buy} .. {arms}" }
      -- the nearest actor before the verb is the buyer, not the first one in the sentence
      local s = "Moscow said Iran bought missiles."
      local m = one(rs, s)
      assert.are.equal("IRN", m.buyer)
      assert.are.equal("Iran bought missiles", s:sub(m.start, m.stop))
      -- the plain gap takes the leftmost actor
      local plain = base_set()
      plain:rule { name = "buy", pattern = "{actor:buyer} ..8 {buy} .. {arms}" }
      assert.are.equal("RUS", one(plain, s).buyer)
      -- `..!set` is the default width
      local d = base_set()
      d:rule { name = "buy", pattern = "{actor:buyer} ..!actor {buy}" }
      assert.are.equal("IRN", one(d, s).buyer)
    end)

    it("(a|b)? is an optional word group", function()
      local rs = base_set()
      rs:rule { name = "sell", pattern = "{actor:seller} {sell} {arms} (to|into)? {actor:buyer}" }
      assert.are.equal("RUS", one(rs, "North Korea sells shells to Russia").buyer)
      assert.are.equal("RUS", one(rs, "North Korea sells shells Russia").buyer)
      assert.are.same({}, all(rs, "North Korea sells shells for Russia"))
    end)

    it("{set:role+} binds every member of a list, in m.lists", function()
      local rs = base_set()
      rs:rule { name = "buy", pattern = "{actor:buyer+} {buy} {arms}",
        event = function(m)
          local evs = {}
          for _, a in ipairs(m.lists.buyer) do evs[#evs + 1] = { actor1 = a.id } end
          return evs
        end }
      local s = "Russia, Iran and North Korea bought missiles."
      local m = one(rs, s)
      assert.are.equal("RUS", m.buyer)
      local ids = {}
      for i, a in ipairs(m.lists.buyer) do ids[i] = a.id end
      assert.are.same({ "RUS", "IRN", "PRK" }, ids)
      assert.are.equal("Iran", s:sub(m.lists.buyer[2].span[1], m.lists.buyer[2].span[2]))
      -- one event per member
      assert.are.equal(3, #m.events)
      assert.are.equal(m.events[1], m.event)
      assert.are.equal("PRK", m.events[3].actor1)
      assert.are.equal("buy", m.events[3].rule)
      -- a single member is a list of one
      assert.are.equal(1, #one(rs, "Iran bought missiles").lists.buyer)
      -- emit_many passes every event
      local got = {}
      rs:emit_many({ s }, { "en" }, {}, { 7 }, 1, function(id, _, _, a1) got[#got + 1] = id .. a1 end)
      assert.are.same({ "7RUS", "7IRN", "7PRK" }, got)
    end)

    it("!{set} and !(words): not followed by", function()
      local rs = base_set()
      rs:rule { name = "buy", pattern = "{actor:buyer} {buy} !{actor} !(from|od)" }
      assert.are.equal("IRN", one(rs, "Iran bought.").buyer)
      assert.are.same({}, all(rs, "Iran bought Russia"))
      assert.are.same({}, all(rs, "Iran bought from them"))
      assert.are.equal("IRN", one(rs, "Iran bought fromage").buyer)
      for _, bad in ipairs { "{buy} ! {actor}", "{buy} !{actor:x}", "{buy} !{actor?}", "{buy} !x" } do
        assert.matches("'!'", compile_error(base_set(), bad))
      end
      assert.matches("no required item", compile_error(base_set(), "!{actor}"))
    end)

    it("dedupe: one event per sentence, type and actor pair", function()
      local function set(dedupe)
        local rs = rules.new { lang = "en", dedupe = dedupe }
        rs:lexicon("actor", actors())
        rs:terms("buy", { "buy*", "bought" }):terms("arms", { "missile*" })
        rs:rule { name = "full", type = "t", pattern = "{actor:a} {buy} {arms} from {actor:b}",
          event = function(m) return { actor1 = m.b, actor2 = m.a } end }
        rs:rule { name = "again", type = "t", pattern = "{actor:a} {buy}",
          event = function(m) return { actor2 = m.a } end }
        rs:rule { name = "other", type = "t", pattern = "{actor:actor1} {buy}" }
        return rs
      end
      local s = "Iran bought missiles from Russia. Iran bought them."
      local function events(rs)
        local out = {}
        for m in rs:scan(s) do
          out[#out + 1] = m.rule .. ":" .. tostring(m.event.actor1) .. ">" .. tostring(m.event.actor2)
        end
        return out
      end
      -- the second rule leaves open the supplier the first named: dropped in the first sentence
      assert.are.same({ "full:RUS>IRN", "other:IRN>nil", "again:nil>IRN", "other:IRN>nil" },
        events(set(true)))
      assert.are.equal(5, #events(set(false)))
      assert.are_not.equal(set(true):hash(), set(false):hash())
    end)

    it("a template word also matches a one-word phrase of a set that stands for it", function()
      local rs = base_set()
      rs:terms("launch", { "ispalil*", "launched" })
      rs:rule { name = "r", pattern = "{actor:a} {launch} balist* raket*" }
      rs:rule { name = "exact", pattern = "{actor:a} {launch} balisticke rakete" }
      rs:rule { name = "en", pattern = "{actor:a} launch* ..2 missile*" }
      -- "rakete" is a hit of the arms term raket*: the template stem raket* matches it
      local s = "Severna Koreja ispalila balističke rakete."
      local got = {}
      for m in rs:scan(s, { lang = "sr" }) do got[#got + 1] = m.rule .. " " .. m.a end
      -- a template word "rakete" is not stood for by the stem raket* (it also matches "raketama")
      assert.are.same({ "r PRK" }, got)
      -- the template stem launch* matches the term hit "launched"; missile* the arms hit
      assert.are.equal("en", one(rs, "Pyongyang launched a missile.", { lang = "en" }).rule)
      -- a phrase of several words stands for no single template word
      local ms = base_set()
      ms:rule { name = "r", pattern = "{actor:a} bought artillery" }
      assert.are.same({}, all(ms, "Iran bought artillery shells."))
    end)

    it("gives the event function the document's publication day", function()
      local rs = base_set()
      local seen
      rs:rule { name = "buy", pattern = "{actor} {buy}",
        event = function(m) seen = m.published return {} end }
      one(rs, "Iran bought it", { published = "2020-01-02" })
      assert.are.equal("2020-01-02", seen)
    end)
  end)

  describe("templates", function()
    it("binds lexicon roles and term sets, with spans in the original text", function()
      local rs = base_set()
      rs:rule { name = "buy", type = "arms_transfer", pattern = "{actor:buyer} .. {buy} .. {arms}" }
      local s = "Moscow bought artillery shells, officials said."
      local m = one(rs, s)
      assert.are.equal("buy", m.rule)
      assert.are.equal("arms_transfer", m.type)
      assert.are.equal("RUS", m.buyer)
      assert.are.equal("RUS", m.roles.buyer)
      assert.are.equal("Moscow bought artillery shells", s:sub(m.start, m.stop))
      assert.are.equal("Moscow", span_text(s, m, "buyer"))
      assert.are.equal("bought", span_text(s, m, "buy"))
      assert.are.equal("artillery shells", span_text(s, m, "arms"))
      -- a term slot gives the original text and the list entry that matched
      assert.are.equal("artillery shells", m.arms)
      assert.are.equal("artillery shell*", m.terms.arms)
      assert.are.equal("bought", m.terms.buy)
      assert.are.equal(1, m.sent_start)
      assert.are.equal(#s, m.sent_stop)
    end)

    it("keeps lexicon attrs and names unnamed lexicon slots after the set", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} .. {buy}" }
      local m = one(rs, "Iran buys drones.")
      assert.are.equal("IRN", m.actor)
      assert.are.same({ kind = "state" }, m.attrs.actor)
    end)

    it("numbers repeated unnamed slots", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} .. {actor}" }
      local m = one(rs, "Russia and Iran met.")
      assert.are.equal("RUS", m.actor)
      assert.are.equal("IRN", m.actor2)
    end)

    it("matches literal words folded, in both scripts", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{buy} od Koreje" }
      for _, s in ipairs { "kupila od Koreje", "КУПИЛА ОД КОРЕЈЕ", "kupila od koreje" } do
        local m = one(rs, s)
        assert.are.equal(s, s:sub(m.start, m.stop))
      end
      assert.are.equal(0, #all(rs, "kupila od Korejea"))  -- whole words only
      assert.are.equal(0, #all(rs, "kupila zaod Koreje"))
    end)

    it("matches word* stems to the end of the text word", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "sanction* {actor}" }
      local s = "New sanctions Iran."
      local m = one(rs, s)
      assert.are.equal("sanctions Iran", s:sub(m.start, m.stop))
      assert.are.equal(0, #all(rs, "unsanctioned Iran"))
    end)

    it("alternatives of words, stems and several words", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{buy} {arms} (from|iz|on behalf of|kod*) {actor:seller}" }
      local cases = {
        { "bought rockets from Iran", "IRN" },
        { "kupila granate iz Rusije", "RUS" },
        { "bought shells on behalf of Pyongyang", "PRK" },
        { "kupila granate kod Severne Koreje", "PRK" },
      }
      for _, c in ipairs(cases) do
        local m = one(rs, c[1])
        assert.are.equal(c[2], m.seller)
        assert.are.equal(c[1], c[1]:sub(m.start, m.stop))
      end
      assert.are.equal(0, #all(rs, "bought rockets to Iran"))
      -- the prefilter wants one word of each alternation (the longest of each alternative;
      -- a word holding another of the list adds nothing)
      assert.are.same({ { "from", "iz", "behalf", "kod" } }, rs._rules[1].compiled.anyof)
      rs:rule { name = "s", pattern = "(attack|attacks|napad|napadi) (on|na) {actor}" }
      assert.are.same({ { "attack", "napad" }, { "on", "na" } }, rs._rules[2].compiled.anyof)
      local m = one(rs, "The attacks on Iran")
      assert.are.equal("s", m.rule)
      assert.are.equal(0, #all(rs, "The attackers of Iran"))
    end)

    it("counts gaps in words: default 8, ..N at most N", function()
      local rs = base_set()
      rs:rule { name = "d", pattern = "{actor} .. {buy}" }
      rs:rule { name = "g2", pattern = "{actor} ..2 {buy}" }
      local function words(n)
        local t = {}
        for i = 1, n do t[i] = "w" .. i end
        return table.concat(t, " ")
      end
      for n = 0, 10 do
        local s = "Iran " .. words(n) .. (n > 0 and " " or "") .. "bought."
        local got = {}
        for _, m in ipairs(all(rs, s)) do got[m.rule] = true end
        assert.are.equal(n <= 8, got.d == true, "default gap, " .. n .. " words")
        assert.are.equal(n <= 2, got.g2 == true, "..2, " .. n .. " words")
      end
    end)

    it("ignores punctuation between items and counts a lexicon hit as one word", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} ..1 {buy}" }
      assert.are.equal(1, #all(rs, "Iran, Russia, bought"))   -- one word: the hit "Russia"
      assert.are.equal(1, #all(rs, "Iran (reportedly) bought"))
      assert.are.equal(0, #all(rs, "Iran quite reportedly bought"))
    end)

    it("optional slots: present, absent, first and last", function()
      local rs = base_set()
      rs:rule { name = "mid", pattern = "{buy} {qty?} {arms}" }
      local m = one(rs, "bought 500 rockets")
      assert.are.equal(500, m.qty)
      m = one(rs, "bought rockets")
      assert.is_nil(m.qty)
      assert.is_nil(m.spans.qty)
      local rs2 = base_set()
      rs2:rule { name = "last", pattern = "{buy} .. {arms} {actor?}" }
      local s = "bought rockets Iran"
      m = one(rs2, s)
      assert.are.equal("IRN", m.actor)
      assert.are.equal(s, s:sub(m.start, m.stop))
      m = one(rs2, "bought rockets.")
      assert.is_nil(m.actor)
      local rs3 = base_set()
      rs3:rule { name = "first", pattern = "{actor?} {buy} {arms}" }
      assert.are.equal("RUS", one(rs3, "Russia buys shells").actor)
      assert.is_nil(one(rs3, "They buy shells").actor)
    end)

    it("dates a match without a date slot from a date right after, inside or right before it", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} {buy} {arms}" }
      local ctx = { published = "2022-09-27", lang = "en" }
      local function date_of(s)
        local ms = {}
        for m in rs:scan(s, ctx) do ms[#ms + 1] = m end
        assert.are.equal(1, #ms, s)
        return ms[1].date, ms[1].date_precision, ms[1].event.date
      end
      assert.are.same({ "2022-03", "month", "2022-03" }, { date_of("Iran bought rockets in March.") })
      assert.are.same({ "2022-09-25", "day", "2022-09-25" },
        { date_of("Iran bought rockets from them on Sunday.") })
      assert.are.same({ "2017", "year", "2017" }, { date_of("In 2017 Iran bought rockets.") })
      assert.is_nil(date_of("Iran bought rockets and tanks and then many other things in March."))
      assert.is_nil(date_of("Iran bought rockets."))
      -- at most three words between: after the match, and before it
      assert.are.equal("2022-03", date_of("Iran bought rockets, one two three in March."))
      assert.is_nil(date_of("Iran bought rockets, one two three four in March."))
      assert.are.equal("2022-03", date_of("In March, one two three Iran bought rockets."))
      assert.is_nil(date_of("In March, one two three four Iran bought rockets."))
      assert.are.equal("2022-03", date_of("Iran bought rockets (1-2-3) in March."))
      assert.is_nil(date_of("Iran bought rockets (1-2-3-4) in March."))
      -- a date slot that matched wins over the nearby date
      local rs2 = base_set()
      rs2:rule { name = "r", pattern = "{actor:a} ..1 {date?} {buy} {arms}" }
      local m
      for x in rs2:scan("Iran on 3 May 2022 bought rockets in March.", ctx) do m = x end
      assert.are.equal("2022-05-03", m.date)
    end)

    it("gives the same events on the lean path that extract uses", function()
      local rs = base_set()
      rs:rule { name = "plain", pattern = "{actor:actor2} {buy} {qty?} {arms} .. from {actor:actor1}" }
      rs:rule { name = "fn", pattern = "{actor:a} {buy} {arms}",
        event = function(m) return { actor1 = m.a, item = m.arms } end }
      local doc = "Russia bought 500 rockets from Iran on Sunday. Iran bought shells."
      local ctx = { published = "2022-09-27", lang = "en" }
      local full, n1 = rs:run(doc, ctx)
      local lean, n2 = rs:run(doc, ctx, true)
      assert.are.equal(n1, n2)
      assert.are.equal(#full, #lean)
      assert.are.same({ "plain", "fn" }, { full[1].rule, full[2].rule })
      assert.are.equal(500, full[1].event.qty)
      assert.are.equal("2022-09-25", full[1].event.date)
      for k = 1, #full do assert.are.same(full[k].event, lean[k].event) end
    end)

    it("takes no colon, semicolon or bracket between the members of a list", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a+} {buy}" }
      assert.are.equal(2, #one(rs, "Iran, Russia buy").lists.a)
      assert.are.equal(1, #one(rs, "Iran: Russia buy").lists.a)
      assert.are.equal(1, #one(rs, "Iran (Russia) buy").lists.a)
    end)

    it("keeps the widest connector when a run of optional items between two others is absent", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} (has|had)? {qty?} ..3 {arms}" }
      assert.are.equal(500, one(rs, "Iran has 500 old rockets").qty)
      assert.are.equal(500, one(rs, "Iran 500 old rockets").qty)
      local m = one(rs, "Iran has very old rockets") -- the word, no quantity: the gap still applies
      assert.are.equal("IRN", m.a)
      assert.is_nil(m.qty)
      assert.are.equal("IRN", one(rs, "Iran very old rockets").a) -- neither
      assert.are.equal(0, #all(rs, "Iran has very many old new rockets"))
    end)

    it("keeps the wider connector when an optional slot between two others is absent", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} {qty?} ..3 {arms}" }
      local m = one(rs, "Iran 500 old rockets")
      assert.are.equal(500, m.qty)
      m = one(rs, "Iran has old rockets") -- no quantity: the gap still applies
      assert.are.equal("IRN", m.a)
      assert.is_nil(m.qty)
      assert.are.equal(0, #all(rs, "Iran has very many old rockets"))
      local rs2 = base_set()
      rs2:rule { name = "r", pattern = "{actor:a} ..2 {qty?} {arms}" }
      assert.are.equal(1, #all(rs2, "Iran bought some rockets"))
      assert.are.equal(30, one(rs2, "Iran bought 30 rockets").qty)
    end)

    it("raw PCRE2 between slashes, over folded text", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = [[{actor} /no\.? ?\d+/]] }
      local s = "Iran No. 5 and Iran no7"
      local ms = all(rs, s)
      assert.are.equal(2, #ms)
      assert.are.equal("Iran No. 5", s:sub(ms[1].start, ms[1].stop))
      assert.are.equal("Iran no7", s:sub(ms[2].start, ms[2].stop))
      local rs2 = base_set()
      rs2:rule { name = "slash", pattern = [[/a\/b/ {actor}]] }
      assert.are.equal(1, #all(rs2, "a/b Iran"))
    end)

    it("a phrase in two sets fills both kinds of slot", function()
      local rs = base_set()
      rs:terms("state", { "Iran", "Russia" })
      rs:rule { name = "a", pattern = "{actor:x} {buy}" }
      rs:rule { name = "b", pattern = "{state} {buy}" }
      local ms = all(rs, "Iran buys.")
      assert.are.equal(2, #ms)
      assert.are.equal("IRN", ms[1].x)
      assert.are.equal("Iran", ms[2].state)
    end)

    it("needs the hits of a rule's sets in its order, one hit per slot", function()
      -- the prefilter's order test against the same rules run on every sentence
      local function set(prefilter)
        local rs = rules.new { lang = { "en" }, prefilter = prefilter }
        rs:terms("x", { "alpha" })
        rs:terms("y", { "alpha", "beta" })
        rs:rule { name = "xy", pattern = "{x} .. {y}" }
        rs:rule { name = "yx", pattern = "{y} ..2 {x}" }
        rs:rule { name = "yyx", pattern = "{y} .. {y} .. {x}" }
        rs:rule { name = "free", pattern = "gamma .. delta" }
        return rs
      end
      local on, off = set(true), set(false)
      local cases = {
        { "alpha beta.", { "xy" } },
        { "beta alpha.", { "yx" } },
        { "alpha.", {} },
        { "alpha alpha.", { "xy", "yx" } },
        { "beta beta alpha.", { "yx", "yyx" } },
        { "alpha beta alpha.", { "xy", "yx", "yyx" } },
        { "beta x alpha y beta.", { "xy", "yx" } },
        { "gamma alpha delta beta.", { "xy", "free" } },
        { "", {} },
      }
      for _, c in ipairs(cases) do
        local got, want = {}, {}
        for _, m in ipairs(all(on, c[1])) do got[#got + 1] = m.rule end
        for _, m in ipairs(all(off, c[1])) do want[#want + 1] = m.rule end
        assert.are.same(c[2], got, c[1])
        assert.are.same(want, got, c[1])
      end
    end)

    it("fires several times in a sentence, without overlap within a rule", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} {buy}" }
      rs:rule { name = "s", pattern = "{buy} {arms}" }
      local s = "Iran buys rockets and Russia buys shells."
      local ms = all(rs, s)
      local got = {}
      for _, m in ipairs(ms) do got[#got + 1] = m.rule .. ":" .. s:sub(m.start, m.stop) end
      assert.are.same({ "r:Iran buys", "r:Russia buys", "s:buys rockets", "s:buys shells" }, got)
    end)

    it("stays within one sentence", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} .. {buy}" }
      assert.are.equal(0, #all(rs, "Iran said nothing. Others bought."))
      local ms = all(rs, "Iran said nothing. Russia then bought.")
      assert.are.equal(1, #ms)
      assert.are.equal(20, ms[1].sent_start)
    end)

    it("lists rule names in order and shows the compiled pattern", function()
      local rs = base_set()
      rs:rule { name = "b", pattern = "{buy}" }
      rs:rule { name = "a", pattern = "{sell}" }
      assert.are.same({ "b", "a" }, rs:rules())
      assert.is_string(rs:pattern("a"))
      assert.has_error(function() rs:pattern("zz") end, "dossier.rules: no rule 'zz'")
    end)
  end)

  describe("template errors name the rule and the offset", function()
    local cases = {
      { "{actor} .. {weapons}", "unknown set 'weapons' at template offset 13" },
      { "{actor} .. {buy", "unclosed '{' at template offset 12" },
      { "(from|iz {actor}", "unbalanced '(' at template offset 1" },
      { "{actor} from)", "unbalanced ')' at template offset 13" },
      { "{actor} (from||iz)", "empty alternative at template offset 15" },
      { "{actor} (|iz)", "empty alternative at template offset 10" },
      { "{actor} (from|)", "empty alternative at template offset 15" },
      { "{actor} ((a|b)|c)", "nested parentheses at template offset 10" },
      { "{actor} ..0 {buy}", "bad gap number 0 (1..64) at template offset 9" },
      { "{actor} ..65 {buy}", "bad gap number 65 (1..64) at template offset 9" },
      { "{actor} ..x {buy}", "bad gap '..x' at template offset 9" },
      { "{actor} ... {buy}", "bad gap '...' at template offset 9" },
      { "{actor} from? {buy}", "misplaced '?' at template offset 13" },
      { "{actor} (a|b)?? {buy}", "misplaced '?' (only {slot?} is optional) at template offset 15" },
      { "{actor} ..3!weapons {buy}", "unknown set 'weapons' at template offset 13" },
      { "{actor} ..!actor. {buy}", "bad gap '..!actor.' at template offset 9" },
      { "{qty+} {buy}", "only a set slot can be a list at template offset 2" },
      { "{actor} ? {buy}", "misplaced '?' (only {slot?} is optional) at template offset 9" },
      { "{act?or}", "misplaced '?' at template offset 5" },
      { ".. {buy}", "gap at the start of the template at template offset 1" },
      { "{buy} ..", "gap at the end of the template at template offset 7" },
      { "{buy} .. ..3 {arms}", "two gaps in a row at template offset 10" },
      { "{buy} /(x/", "bad regex: missing closing parenthesis (regex offset 3) at template offset 7" },
      { "{buy} /(x)/", "capturing group in a regex (use (?:...)) at template offset 7" },
      { "{buy} /abc", "unclosed '/' at template offset 7" },
      { "{buy} //", "empty regex at template offset 7" },
      { "{actor:type} {buy}", "reserved slot name 'type' at template offset 2" },
      { "{actor:a} {actor:a}", "role 'a' bound twice at template offset 12" },
      { "{actor:date} {buy}", "reserved slot name 'date' at template offset 2" },
      { "", "empty template at template offset 1" },
      { "{buy?} {qty?}", "no required item (every slot is optional) at template offset 1" },
      { "{buy} bu*y", "'*' only at the end of a word at template offset 7" },
      { "{buy} } x", "'}' without '{' at template offset 7" },
      { "{buy} a|b", "'|' outside parentheses at template offset 8" },
      { "{buy} {a b}", "bad slot '{a b}' at template offset 7" },
      { "{buy} ({x}|y)", "only words and stems inside alternatives at template offset 8" },
    }
    for _, c in ipairs(cases) do
      it("'" .. c[1] .. "'", function()
        local err = compile_error(base_set(), c[1])
        assert.are.equal("dossier.rules: rule 'r': " .. c[2], err)
      end)
    end

    it("checks rule fields, names and event functions", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{buy}" }
      assert.has_error(function() rs:rule { name = "r", pattern = "{buy}" } end,
        "dossier.rules: rule 'r' defined twice")
      assert.has_error(function() rs:rule { pattern = "{buy}" } end,
        "dossier.rules: rule needs a name (a string)")
      assert.has_error(function() rs:rule { name = "x", pattern = "{buy}", evnt = print } end,
        "dossier.rules: rule 'x': unknown field 'evnt'")
      assert.has_error(function() rs:rule { name = "x", pattern = "{buy}", event = print } end,
        "dossier.rules: rule 'x': event must be a Lua function (it is hashed), or the rule needs a version")
      assert.has_error(function() rs:rule { name = "x", pattern = 5 } end,
        "dossier.rules: rule 'x': pattern must be a string")
    end)

    it("checks sets and options", function()
      local rs = rules.new()
      assert.has_error(function() rs:terms("t", {}) end,
        "dossier.rules: terms 't' must be a non-empty list of strings")
      assert.has_error(function() rs:terms("t", { "a*b" }) end)
      assert.has_error(function() rs:terms("qty", { "a" }) end, "dossier.rules: 'qty' is a built-in slot")
      assert.has_error(function() rs:terms("a b", { "a" }) end)
      assert.has_error(function() rs:lexicon("x", {}) end,
        "dossier.rules: lexicon 'x' must be an open dossier.lexicon")
      assert.has_error(function() rules.new { prefiltr = false } end,
        "dossier.rules: unknown option 'prefiltr'")
      assert.has_error(function() rules.new { lang = "xx" } end, "dossier.rules: unsupported language 'xx'")
      local ok, err = pcall(rs.terms, rs, "t", { "a", 5 })
      assert.is_false(ok)
      assert.matches("entry 2 is not a string", err)
    end)

    -- Issue 17, item 5: a rule's pattern has a lower step budget than PCRE2's default
    -- (10,000,000, which this regex stays under on sixteen a's), and the error names the rule.
    it("a catastrophic raw regex stops at the rule step budget, naming the rule", function()
      local rs = rules.new {}
      rs:rule { name = "slow raw regex", pattern = "/(?:a|aa)+(?:a|aa)+(?:a|aa)+(?:a|aa)+(?:a|aa)+$/" }
      local ok, err = pcall(rs.run, rs, ("a"):rep(16) .. "c")
      assert.is_false(ok)
      assert.matches("dossier.rules: rule 'slow raw regex': match limit exceeded %(a rule's pattern may "
        .. "take 1000000 backtracking steps at a sentence position%)$", err)
      assert.same({}, rs:run(("a"):rep(8) .. "c"))
    end)
  end)

  describe("quantities and dates", function()
    local qty_cases = {
      { "Russia bought 500,000 shells", "en", 500000, "exact" },
      { "Russia bought millions of shells", "en", 1000000, "order_of_magnitude" },
      { "Russia bought more than 30 rockets", "en", 30, "at_least" },
      { "Russia bought 1.5 million shells", "en", 1500000, "exact" },
      { "Rusija je kupila više od 30 raketa", "sr", 30, "at_least" },
      { "Rusija je kupila 1.500 granata", "sr", 1500, "exact" },
      { "Rusija je kupila 2,5 miliona granata", "sr", 2500000, "exact" },
      { "Русија је купила више од 30 ракета", "sr", 30, "at_least" },
    }
    for _, c in ipairs(qty_cases) do
      it("{qty}: " .. c[1], function()
        local rs = base_set()
        rs:rule { name = "r", pattern = "{actor} .. {buy} {qty} {arms}" }
        local m = one(rs, c[1], { lang = c[2] })
        assert.are.equal(c[3], m.qty)
        assert.are.equal(c[4], m.qty_qualifier)
        assert.are.equal(c[3], m.event.qty)
        -- the span is exactly what qty.parse reads as that value
        local q = require("dossier.recognisers.qty")
        assert.are.equal(c[3], (q.parse(span_text(c[1], m, "qty"), c[2])))
      end)
    end

    it("{qty} units go to the event's unit", function()
      local rs = base_set()
      rs:terms("oil", { "oil", "nafte", "nafta" })
      rs:rule { name = "r", pattern = "{actor:actor1} .. {qty} {oil}",
        event = function(m) return { actor1 = m.actor1, qty = m.qty } end }
      local m = one(rs, "Iran shipped 500,000 barrels of oil", { lang = "en" })
      assert.are.equal(500000, m.qty)
      assert.are.equal("barrel", m.qty_unit)
      assert.are.equal("barrel", m.event.unit)
    end)

    local date_cases = {
      { "Russia bought shells on 24 March 2022", "2022-03-24", "day" },
      { "Rusija je kupila granate 24. marta 2022.", "2022-03-24", "day" },
      { "Russia bought shells last week", "2022-08-29", "week" },
      { "Rusija je kupila granate prošle nedelje", "2022-08-29", "week" },
      { "Русија је купила гранате у мају", "2022-05", "month" },
      { "Russia bought shells in 2006", "2006", "year" },
    }
    for _, c in ipairs(date_cases) do
      it("{date}: " .. c[1], function()
        local rs = base_set()
        rs:rule { name = "r", pattern = "{actor} .. {buy} {arms} ..2 {date}" }
        local m = one(rs, c[1], { published = "2022-09-06" })
        assert.are.equal(c[2], m.date)
        assert.are.equal(c[3], m.date_precision)
        assert.are.equal(c[2], m.event.date)
      end)
    end

    it("{date} relative without a publication date gives no date", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} {buy} {arms} {date}" }
      local m = one(rs, "Russia bought shells last week")
      assert.is_nil(m.date)
      assert.is_nil(m.date_precision)
      assert.are.equal("last week", span_text("Russia bought shells last week", m, "date"))
    end)

    it("checks ctx", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{buy}" }
      assert.has_error(function() rs:scan("x", { published = "6 Sep" }) end,
        "dossier.rules: ctx.published must be an ISO date 'YYYY-MM-DD'")
      assert.has_error(function() rs:scan("x", { lang = "de" }) end,
        "dossier.rules: unsupported language 'de'")
      assert.has_error(function() rs:scan(5) end, "dossier.rules: text must be a string, got number")
    end)
  end)

  describe("modality and negation", function()
    local cases = {
      { "Moscow bought artillery shells from North Korea.", "en", "asserted", false },
      { "Pyongyang denied that Moscow bought shells from North Korea.", "en", "denied", false },
      { "Moscow reportedly bought shells from North Korea.", "en", "hedged", false },
      { "Moscow plans to buy shells from North Korea.", "en", "planned", false },
      { "Moscow did not buy shells from North Korea.", "en", "asserted", true },
      { "Rusija nije kupila granate od Severne Koreje.", "sr", "asserted", true },
      { "Rusija je navodno kupila granate od Severne Koreje.", "sr", "hedged", false },
      { "Rusija planira da kupi granate od Severne Koreje.", "sr", "planned", false },
      { "Русија је негирала да је купила гранате од Северне Кореје.", "sr", "denied", false },
    }
    for _, c in ipairs(cases) do
      it(c[3] .. (c[4] and ", negated" or "") .. ": " .. c[1], function()
        local rs = base_set()
        rs:rule { name = "r", type = "arms_transfer", pattern = "{buy} {arms} .. (from|od) {actor:seller}",
          event = function(m) return { actor1 = m.seller, item = m.arms } end }
        local m = one(rs, c[1], { lang = c[2] })
        assert.are.equal(c[3], m.modality)
        assert.are.equal(c[4], m.negated)
        assert.are.equal(c[3], m.event.modality)
        assert.are.equal(c[4], m.event.negated)
        assert.are.equal("PRK", m.event.actor1)
        if c[3] ~= "asserted" or c[4] then assert.is_string(m.cue) end
      end)
    end
  end)

  describe("provenance", function()
    local rs = base_set()
    rs:rule { name = "p", type = "arms_transfer",
      pattern = "{actor:buyer} .. {buy} .. {qty?} {arms} .. (from|iz|od) {actor:seller}" }
    rs:rule { name = "q", type = "arms_transfer",
      pattern = "{actor:buyer} .. {buy} (from|od) {actor:seller} .. {arms}" }
    local cases = {
      { "Latin", "Intro. Moscow bought millions of artillery shells from North Korea. End.",
        "Moscow bought millions of artillery shells from North Korea",
        { buyer = "Moscow", buy = "bought", qty = "millions of", arms = "artillery shells",
          seller = "North Korea" } },
      { "Latin diacritics", "Kažu da je Rusija kupila od Severne Koreje milione granata.",
        "Rusija kupila od Severne Koreje milione granata",
        { buyer = "Rusija", buy = "kupila", seller = "Severne Koreje", arms = "granata" } },
      { "Cyrillic", "Кажу да је Русија купила од Северне Кореје милионе граната.",
        "Русија купила од Северне Кореје милионе граната",
        { buyer = "Русија", buy = "купила", seller = "Северне Кореје", arms = "граната" } },
      { "mixed", "Rusija je  купила\tод Severne Кореје gránата.",
        "Rusija je  купила\tод Severne Кореје gránата",
        { buyer = "Rusija", buy = "купила", seller = "Severne Кореје", arms = "gránата" } },
      { "decomposed accents", "Rusija je kupila od Severne Koreje granate\u{301}.",
        "Rusija je kupila od Severne Koreje granate\u{301}",
        { buyer = "Rusija", arms = "granate\u{301}" } },
    }
    for _, c in ipairs(cases) do
      it("offsets in the original text: " .. c[1], function()
        local ms = all(rs, c[2], { lang = "sr" })
        assert.are.equal(1, #ms)
        local m = ms[1]
        assert.are.equal(c[3], c[2]:sub(m.start, m.stop))
        for name, want in pairs(c[4]) do assert.are.equal(want, span_text(c[2], m, name), name) end
        assert.are.equal(m.start, m.event.start)
        assert.are.equal(m.stop, m.event.stop)
        local sent = c[2]:sub(m.sent_start, m.sent_stop)
        assert.truthy(sent:find(c[3], 1, true))
        assert.are.equal(c[2]:sub(m.sent_start, m.sent_start), sent:sub(1, 1))
      end)
    end

    it("offsets in long texts of many sentences, whitespace runs and both scripts", function()
      local r2 = base_set()
      r2:rule { name = "r", pattern = "{actor} {buy} .. {arms}" }
      local seps = { " ", "  ", "\t", "\r\n", " \u{A0} ", "   \t ", " \u{200B}", "\n" }
      local heads = { "Then", "Затим", "Potom", "Žalosno,", "A", "Када" }
      local parts, want = {}, {}
      for i = 1, 240 do
        local a, b, c = seps[i % #seps + 1], seps[(i * 3) % #seps + 1], seps[(i * 5) % #seps + 1]
        local m = "Iran" .. a .. "bought" .. b .. "shells"
        parts[#parts + 1] = heads[i % #heads + 1] .. a .. m .. "." .. c .. (i % 7 == 0 and "\n \n" or "")
        want[#want + 1] = m
      end
      local s = table.concat(parts)
      local ms = all(r2, s)
      assert.are.equal(#want, #ms)
      for i, m in ipairs(ms) do
        assert.are.equal(want[i], s:sub(m.start, m.stop))
        local head = heads[i % #heads + 1]
        assert.are.equal(head, s:sub(m.sent_start, m.sent_start + #head - 1))
        assert.are.equal("Iran", span_text(s, m, "actor"))
      end
    end)

    it("sentence bounds after whitespace runs of both kinds and non-ASCII text", function()
      local r2 = base_set()
      r2:rule { name = "r", pattern = "{actor} {buy} .. {arms}" }
      local seps = { " \u{A0}", "\t\u{2003} ", " \u{200B}", "\r\n\u{A0}\n", " \u{200B}\u{A0}", "\u{A0}" }
      local heads = { "Kažu.", "Кажу.", "Said.", "Đorđe.", "Šta\u{301}." }
      for _, sep in ipairs(seps) do
        for _, head in ipairs(heads) do
          for k = 0, 17 do -- the bound at every distance from a fold checkpoint
            local s = ("x"):rep(k) .. " " .. head .. sep .. "Iran bought shells." .. sep
              .. "Rusija kupila granate."
            local ms = all(r2, s, { lang = "sr" })
            assert.are.equal(2, #ms, s)
            assert.are.equal("Iran bought shells", s:sub(ms[1].start, ms[1].stop), s)
            assert.are.equal(ms[1].start, ms[1].sent_start, s)
            assert.are.equal("Rusija kupila granate", s:sub(ms[2].start, ms[2].stop), s)
            assert.are.equal(ms[2].start, ms[2].sent_start, s)
          end
        end
      end
    end)

    it("survives invalid UTF-8 and control bytes in the text", function()
      local s = "\255Iran\1 bought \2rockets\0 from Russia \xC3. Iran bought \x01\x03\x02 shells."
      local r2 = base_set()
      r2:rule { name = "r", pattern = "{actor} {buy} .. {arms}" }
      local ms = all(r2, s)
      assert.are.equal(1, #ms)
      assert.are.equal("Iran bought \x01\x03\x02 shells", s:sub(ms[1].start, ms[1].stop))
      local r3 = base_set()
      r3:rule { name = "r", pattern = "{buy} .. {arms}" }
      local m = all(r3, s)[1]
      assert.are.equal("bought \2rockets", s:sub(m.start, m.stop))
      for k = 0, 20 do -- a control byte at every place of the token text's 8-byte steps
        local pad = ("x"):rep(k)
        for _, t in ipairs { pad .. "\1 Iran bought \1shells.", "Iran bought " .. pad .. " \1 shells\3 now.",
          "Iran\4bought a" .. pad .. "\1" .. pad .. " shells." } do
          local mm = all(r2, t)
          assert.are.equal(1, #mm, t)
          assert.are.equal("Iran", t:sub(mm[1].start, mm[1].start + 3))
          assert.are.equal("shells", t:sub(mm[1].stop - 5, mm[1].stop))
        end
      end
      for _ = 1, 50 do
        local t = {}
        for i = 1, 200 do t[i] = string.char(math.random(0, 255)) end
        local junk = table.concat(t) .. " Iran bought shells " .. table.concat(t)
        for mm in r3:scan(junk) do assert.is_true(mm.start >= 1 and mm.stop <= #junk) end
      end
    end)
  end)

  describe("events", function()
    it("fills actor1/actor2/qty/date and the automatic columns without an event function", function()
      local rs = base_set()
      rs:rule { name = "r", type = "arms_transfer",
        pattern = "{actor:actor2} {buy} {qty} {arms} from {actor:actor1}" }
      local s = "Iran bought 500 rockets from Russia."
      local e = one(rs, s).event
      assert.are.same({ actor1 = "RUS", actor2 = "IRN", qty = 500, type = "arms_transfer", rule = "r",
        modality = "asserted", negated = false, start = 1, stop = #s - 1, sent_start = 1, sent_stop = #s }, e)
    end)

    it("drops a match when the event function returns nil", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} {buy}",
        event = function(m) if m.a == "IRN" then return { actor1 = m.a } end end }
      local ms = all(rs, "Iran buys. Russia buys.")
      assert.are.equal(1, #ms)
      assert.are.equal("IRN", ms[1].event.actor1)
    end)

    it("rejects keys that are not event columns, naming rule and key", function()
      local rs = base_set()
      rs:rule { name = "bad", pattern = "{actor:a} {buy}", event = function(m) return { buyer = m.a } end }
      assert.has_error(function() rs:scan("Iran buys.") end,
        "dossier.rules: rule 'bad': 'buyer' is not an event column")
      local rs2 = base_set()
      rs2:rule { name = "boom", pattern = "{actor:a} {buy}", event = function() error("oops", 0) end }
      assert.has_error(function() rs2:scan("Iran buys.") end,
        "dossier.rules: rule 'boom': event function failed: oops")
    end)

    it("copies ctx.doc_id and returns the sentence count from run", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor} {buy}" }
      local ms, n = rs:run("One. Two. Iran buys.", { doc_id = 7 })
      assert.are.equal(3, n)
      assert.are.equal(7, ms[1].doc_id)
    end)

    it("codes no texts and texts without matches in run_many and emit_many, and rejects bad arguments",
      function()
        local rs = base_set()
        rs:rule { name = "r", pattern = "{actor:actor1} {buy}" }
        -- no texts, and texts without matches
        local none, n0 = rs:run_many({})
        assert.same({}, none)
        assert.equal(0, n0)
        local empty, n1 = rs:run_many({ "", "Nothing here.", "" })
        assert.same({}, empty)
        assert.equal(1, n1)
        assert.equal(0, rs:emit_many({}, {}, {}, {}, 0, error))
        -- bad arguments to run_many
        assert.error_matches(function() rs:run_many("text") end, "texts must be a table")
        assert.error_matches(function() rs:run_many({ "a", 2 }) end, "text 2 must be a string")
        assert.error_matches(function() rs:run_many({ "a" }, { { published = "May 2010" } }) end,
          "ctx.published must be an ISO date")
        assert.error_matches(function() rs:run_many({ "a" }, { { lang = "xx" } }) end,
          "unsupported language 'xx'")
        -- to emit_many, and what emit raises
        local function fails(msg, ...)
          local args = table.pack(...)
          assert.error_matches(function() rs:emit_many(table.unpack(args, 1, args.n)) end, msg)
        end
        fails("texts must be a table", "a", {}, {}, {}, 1, print)
        fails("n must be a non%-negative", { "a" }, {}, {}, {}, -1, print)
        fails("emit must be a function", { "a" }, {}, {}, {}, 1, "f")
        fails("text 2 must be a string", { "a", 7 }, {}, {}, {}, 2, print)
        assert.error_matches(function() rs:emit_many({ "a" }, {}, { "May 2010" }, {}, 1, print) end,
          "days%[1%] must be an ISO date")
        assert.error_matches(function() rs:emit_many({ "a" }, { "xx" }, {}, {}, 1, print) end,
          "unsupported language 'xx'")
        local emitted = 0
        local function count() emitted = emitted + 1 end
        assert.equal(1, rs:emit_many({ "Iran buys." }, {}, {}, { 1 }, 1, count))
        assert.equal(1, emitted)
        assert.error_matches(function()
          rs:emit_many({ "Iran buys." }, {}, {}, { 1 }, 1, function() error("disk full") end)
        end, "disk full")
      end)

    it("allows scans from inside an event function", function()
      local rs = base_set()
      local inner = base_set()
      inner:rule { name = "i", pattern = "{arms}" }
      rs:rule { name = "r", pattern = "{actor:a} {buy}",
        event = function(m) return { actor1 = m.a, item = inner:run("shells and rockets")[2].arms } end }
      local ms = all(rs, "Iran buys. Russia buys.")
      assert.are.equal(2, #ms)
      assert.are.equal("rockets", ms[2].event.item)
    end)

    it("handles a document too big for the kept scratch, then small ones again #slow", function()
      local rs = base_set()
      rs:rule { name = "r", pattern = "{actor:a} ..2 {buy} {arms}" }
      local unit = "Iran then bought rockets. Nothing happened here at all, again. "
      local big = unit:rep((CHECK == "valgrind" and 1000000 or 5000000) // #unit)
      local ms, n = rs:run(big)
      assert.are.equal(#big // #unit, #ms)
      assert.are.equal(2 * (#big // #unit), n)
      local last = ms[#ms]
      assert.are.equal("Iran then bought rockets", big:sub(last.start, last.stop))
      assert.are.equal(1, #rs:run(unit))
    end)

    it("sees phrases added to a lexicon after the first scan", function()
      local lex = actors()
      local rs = rules.new()
      rs:lexicon("actor", lex)
      rs:terms("buy", { "buy*" })
      rs:rule { name = "r", pattern = "{actor:a} {buy}" }
      assert.are.equal(0, #all(rs, "Syria buys."))
      lex:add("Syria", "SYR")
      assert.are.equal("SYR", one(rs, "Syria buys.").a)
    end)
  end)

  describe("rule files", function()
    local function write(src)
      local path = os.tmpname()
      local f = assert(io.open(path, "w"))
      f:write(src)
      f:close()
      return path
    end

    it("loads a file returning a rule set", function()
      local path = write([[
        local rules = require "dossier.rules"
        local rs = rules.new { name = "t" }
        rs:terms("buy", { "buy*" })
        rs:rule { name = "r", pattern = "{buy}" }
        return rs
      ]])
      local rs = rules.load(path)
      os.remove(path)
      assert.are.same({ "r" }, rs:rules())
      assert.are.equal(1, #all(rs, "they buy"))
    end)

    it("names the file in every error", function()
      local srcs = {
        { "return 1 +", "unexpected symbol" },
        { "error('broken', 0)", "broken" },
        { "return 42", "must return a rule set %(got number%)" },
        { [[local rs = require("dossier.rules").new(); rs:terms("b", {"x"});
            rs:rule { name = "z", pattern = "{b} .. {nope}" }; return rs]],
          "rule 'z': unknown set 'nope' at template offset 9" },
      }
      for _, c in ipairs(srcs) do
        local path = write(c[1])
        local ok, err = pcall(rules.load, path)
        os.remove(path)
        assert.is_false(ok)
        assert.matches("^dossier%.rules: rule file '" .. path:gsub("%p", "%%%0") .. "'", err)
        assert.matches(c[2], err)
      end
      local rs, msg = rules.load("/nonexistent/rules.lua")
      assert.is_nil(rs)
      assert.are.equal("dossier.rules: cannot open rule file '/nonexistent/rules.lua'", msg)
    end)
  end)

  describe("hashes", function()
    local function build(opts)
      opts = opts or {}
      local lex = actors()
      if opts.extra then lex:add("Syria", "SYR") end
      local rs = rules.new { lang = { "en", "sr" } }
      rs:lexicon("actor", lex)
      rs:terms("buy", opts.buy or { "buy*", "bought" })
      rs:terms("arms", { "shell*", "rocket*" })
      rs:rule { name = "a", type = opts.atype or "arms_transfer",
        pattern = opts.apattern or "{actor:x} .. {buy} {arms}",
        event = opts.aevent or function(m) return { actor1 = m.x } end }
      rs:rule { name = "b", type = "meeting", pattern = "{arms} {qty?}" }
      return rs, lex
    end

    it("serialise with one serialiser, in C, functions written by rules", function()
      local cyc = {}
      cyc.self = cyc
      -- a hand-checked table of cases
      local cases = {
        { 1, "integer:1" }, { -7, "integer:-7" }, { 2.5, "float:2.5" }, { -0.0, "float:-0" },
        { 1 / 0, "float:inf" }, { math.mininteger, "integer:-9.2233720368547758e+18" },
        { (1 << 53) + 1, "integer:9007199254740992" }, { "", '""' },
        { "q\"b\\s\nn\0z\0019\r\127end", [["q\"b\\s\
n\0z\0019\13\127end"]] },
        { true, "true" }, { { 3, 2, 1 }, "{integer:1=integer:3;integer:2=integer:2;integer:3=integer:1;}" },
        { { b = { [2.5] = false, [true] = 1, c = "x" }, a = 1 },
          '{"a"=integer:1;"b"={true=integer:1;float:2.5=false;"c"="x";};}' },
        { cyc, '{"self"=<cycle>;}' },
      }
      for _, c in ipairs(cases) do
        assert.are.equal(c[2], rules._ser(c[1]))
        assert.are.equal(c[2], C.ser(c[1]))
      end
      -- functions: without a writer C declines, with one it writes what the writer returns
      assert.is_nil(C.ser({ f = print }))
      assert.are.equal('{"f"=<print>;"g"=integer:1;}',
        C.ser({ f = print, g = 1 }, function(v) return v == print and "<print>" or "?" end))
      assert.are.equal('{"f"=cfn;}', rules._ser({ f = print }))
      local fn = function() return 1 end
      assert.matches('^{"f"=fn:%x+;}$', rules._ser({ f = fn }))
      assert.error_matches(function() C.ser({ f = print }, function() error("no") end) end, "no")
      assert.error_matches(function() C.ser({ f = print }, function() return {} end) end, "returned a table")
      -- tables nested deeper than 64: an error with a writer, nil without
      local deep = {}
      local inner = deep
      for _ = 1, 100 do inner.x = {} inner = inner.x end
      assert.is_nil(C.ser(deep))
      assert.error_matches(function() rules._ser(deep) end, "nested deeper than 64")
      local ok64 = {}
      inner = ok64
      for _ = 1, 63 do inner.x = {} inner = inner.x end
      assert.are.equal(C.ser(ok64), rules._ser(ok64))
      -- a whole lexicon's lines in one call, and nil when an entry holds a function
      local lines = C.ser_lines({ "b", "a" }, { "B", 7 }, { { x = 1 } }, { 2, 1 })
      assert.are.equal("a\0" .. "7\0\nb\0B\0" .. rules._ser({ x = 1 }), lines)
      assert.is_nil(C.ser_lines({ "a" }, { "A" }, { { f = print } }, { 1 }))
      assert.error_matches(function() C.ser_lines({ "a" }, { {} }, {}, { 1 }) end, "id 1 is not")
    end)

    it("are stable for the same content", function()
      local a, b = build(), build()
      assert.are.equal(a:hash(), b:hash())
      assert.are.same(a:rule_hashes(), b:rule_hashes())
      assert.matches("^%x+$", a:hash())
      assert.are.equal(32, #a:hash())
    end)

    it("change for exactly the rules whose dependencies change", function()
      local base = build():rule_hashes()
      local function diff(rs)
        local h, out = rs:rule_hashes(), {}
        for _, name in ipairs { "a", "b" } do out[name] = h[name] ~= base[name] end
        return out
      end
      assert.are.same({ a = true, b = false }, diff(build { buy = { "buy*" } }))
      assert.are.same({ a = true, b = false }, diff(build { extra = true }))
      assert.are.same({ a = true, b = false }, diff(build { atype = "other" }))
      assert.are.same({ a = true, b = false }, diff(build { apattern = "{actor:x} ..3 {buy} {arms}" }))
      assert.are.same({ a = true, b = false },
        diff(build { aevent = function(m) return { actor2 = m.x } end }))
      -- the same code at other lines: the bytecode holds the lines, so the rule is re-coded
      assert.are.same({ a = true, b = false }, diff(build {
        aevent = function(m)
          -- a comment
          return { actor1 = m.x }
        end }))
      -- nested functions and float constants
      local function nested(k)
        return build { aevent = function(m)
          local f = function(x) return x * k end
          return { actor1 = m.x, qty = f(1.5) }
        end }
      end
      assert.are.equal(nested(2):rule_hashes().a, nested(2):rule_hashes().a)
      assert.are_not.equal(nested(2):rule_hashes().a, nested(3):rule_hashes().a)
      -- an upvalue the event function reads
      local function with(code)
        return build { aevent = function(m) return { actor1 = m.x, item = code } end }
      end
      assert.are_not.equal(with("x"):rule_hashes().a, with("y"):rule_hashes().a)
      assert.are.equal(with("x"):rule_hashes().a, with("x"):rule_hashes().a)
    end)

    it("stand for an event function by the rule's explicit version, whatever its code", function()
      local function versioned(version, event)
        local rs = rules.new { lang = { "en" } }
        rs:lexicon("actor", actors())
        rs:terms("buy", { "buy*" })
        rs:rule { name = "a", pattern = "{actor:x} .. {buy}", version = version, event = event }
        return rs:rule_hashes().a
      end
      local v1 = versioned(1, function(m) return { actor1 = m.x } end)
      -- other code, other lines, same version: same hash (before: the version was refused)
      assert.are.equal(v1, versioned(1, function(m)
        return { actor2 = m.x }
      end))
      assert.are_not.equal(v1, versioned(2, function(m) return { actor1 = m.x } end))
      assert.are_not.equal(v1, versioned("1", function(m) return { actor1 = m.x } end) .. "x")
      assert.error_matches(function() versioned(1.5, print) end, "version must be an integer or a string")
      -- a C function cannot be hashed, but a version stands for it
      assert.is_string(versioned("c-1", print))
    end)

    it("of the set changes with any rule or set", function()
      local h = build():hash()
      assert.are_not.equal(h, build { buy = { "buy*" } }:hash())
      assert.are_not.equal(h, build { extra = true }:hash())
      local rs, lex = build()
      local h1 = rs:hash()
      lex:add("Syria", "SYR")
      assert.are_not.equal(h1, rs:hash())
      local rs2 = build()
      rs2:rule { name = "c", pattern = "{buy}" }
      assert.are_not.equal(h, rs2:hash())
      assert.are.equal(build():rule_hashes().a, rs2:rule_hashes().a)
    end)
  end)

  describe("on real news", function()
    local path = DATA .. "/anchors/petrarch2/Phoenix.Countries.actors.txt"
    local NEWS_AND_ANCHORS = "needs " .. DATA .. "/news and " .. path

    -- A rule set of the kind the benchmark uses.
    local loaded -- the actor lexicon, loaded once for every rule set here
    local function news_set(prefilter, padding, padrules)
      loaded = loaded or assert(lexicon.load(path))
      local lex = loaded
      local rs = rules.new { lang = { "en", "sr" }, prefilter = prefilter }
      rs:lexicon("actor", lex)
      for i = 1, padding or 0 do -- unused sets: past 64 sets the prefilter works set by set
        rs:terms("pad" .. i, { "zzpad" .. i })
      end
      if padrules then -- rules that never match first: the real ones past the 64th
        rs:terms("pad", { "zzpad" })
        for i = 1, padrules do
          rs:rule { name = "pad" .. i, pattern = i % 2 == 0 and "{actor} .. {pad}" or "zzpad" .. i }
        end
      end
      rs:terms("say", { "said", "says", "told", "rekao", "rekla", "izjavio", "izjavila", "kaze" })
      rs:terms("meet", { "met", "meet*", "talks", "sastana*", "sastao", "sastala", "razgovor*" })
      rs:terms("trade", { "export*", "import*", "sell*", "sold", "buy*", "bought", "izvoz*", "uvoz*",
        "prodaj*",
        "kupi*" })
      rs:terms("money", { "dollar*", "euro*", "dinar*", "evra", "dolara" })
      rs:rule { name = "meet", pattern = "{actor:actor1} .. {meet} .. {actor:actor2}" }
      rs:rule { name = "trade", pattern = "{actor:actor1} ..4 {trade} .. {qty?} {money}" }
      rs:rule { name = "say", pattern = "{actor:actor1} ..3 {say}" }
      rs:rule { name = "year", pattern = "(in|u) /(?:19|20)\\d\\d/" }
      rs:rule { name = "date", pattern = "{trade} .. {date}" }
      rs:rule { name = "minister", pattern = "minist* .. {actor}" }
      rs:rule { name = "attack", pattern = "(attack|attacks|napad|napadi) (on|against|na) {actor}" }
      rs:rule { name = "talks", pattern = "(talks|held talks|razgovor*) .. (with|sa) {actor}" }
      return rs
    end

    local function key(m)
      local parts = { m.rule, m.start, m.stop, m.sent_start, m.sent_stop, m.modality, tostring(m.negated) }
      local names = {}
      for n in pairs(m.spans) do names[#names + 1] = n end
      table.sort(names)
      for _, n in ipairs(names) do
        parts[#parts + 1] = n .. "=" .. m.spans[n][1] .. "-" .. m.spans[n][2] .. ":" .. tostring(m[n])
      end
      return table.concat(parts, "|")
    end

    local function news_docs()
      local n = CHECK == "valgrind" and 40 or 300
      local docs = {}
      for _, f in ipairs { "bbc_news_2004-2005.jsonl", "sr_latn_setimes_ud_dev_test.jsonl",
        "politika_headlines_sr_cyrl.jsonl", "reuters21578.jsonl" } do
        for _, d in ipairs(corpus(f, n // 4) or {}) do docs[#docs + 1] = d end
      end
      return docs
    end

    it("gives the same matches with the prefilter off #slow", function()
      local docs = news_docs()
      if #docs == 0 or not readable(path) then return skip(NEWS_AND_ANCHORS) end
      local on, off, many = news_set(true), news_set(false), news_set(true, 70)
      local lots = news_set(true, 0, 70) -- over 64 rules
      local total = 0
      for _, d in ipairs(docs) do
        local a, b, c, e = {}, {}, {}, {}
        local ctx = { lang = d.lang, published = "2010-01-01" }
        for m in on:scan(d.text, ctx) do a[#a + 1] = key(m) end
        for m in off:scan(d.text, ctx) do b[#b + 1] = key(m) end
        for m in many:scan(d.text, ctx) do c[#c + 1] = key(m) end
        for m in lots:scan(d.text, ctx) do e[#e + 1] = key(m) end
        assert.are.same(b, a)
        assert.are.same(b, c)
        assert.are.same(b, e)
        total = total + #a
        for m in on:scan(d.text, ctx) do
          assert.is_true(m.start >= m.sent_start and m.stop <= m.sent_stop)
          for _, sp in pairs(m.spans) do assert.is_true(sp[1] >= m.start and sp[2] <= m.stop) end
        end
      end
      local least = CHECK == "valgrind" and 10 or 50
      assert.is_true(total > least, "too few matches to mean anything: " .. total)
    end)

    it("codes many texts in one run_many call as run codes each", function()
      local docs = news_docs()
      if #docs == 0 or not readable(path) then return skip(NEWS_AND_ANCHORS) end
      local rs = news_set(true)
      local texts, ctxs, want, sentences = {}, {}, {}, 0
      for i, d in ipairs(docs) do
        texts[i] = d.text
        -- every other text without a context: both languages, no publication date
        ctxs[i] = i % 2 == 0 and { lang = d.lang, published = "2010-01-01", doc_id = i } or nil
        local ms, nsent = rs:run(d.text, ctxs[i])
        for _, m in ipairs(ms) do want[#want + 1] = key(m) .. "|" .. tostring(m.doc_id) end
        sentences = sentences + nsent
      end
      local ms, nsent = rs:run_many(texts, ctxs)
      local got = {}
      for _, m in ipairs(ms) do got[#got + 1] = key(m) .. "|" .. tostring(m.doc_id) end
      assert.are.same(want, got)
      assert.equal(sentences, nsent)
      assert.is_true(#got > 20, "too few matches to mean anything: " .. #got)
    end)

    it("emits the events run_many gives, straight from the records (emit_many)", function()
      local docs = news_docs()
      if #docs == 0 or not readable(path) then return skip(NEWS_AND_ANCHORS) end
      local rs = news_set(true)
      -- every way a match field reaches the event: slots named as event fields (a lexicon,
      -- a term set, qty with its unit, date), other names (not in the event), a date slot
      -- under another name (the nearby date is then not looked for), event functions
      -- (attrs, a changed rule name, a dropped match)
      rs:terms("goods", { "oil", "gas", "wheat", "crude", "coffee", "sugar", "gold", "nafta",
        "psenica" })
      rs:rule { name = "ev_item", pattern = "{trade} ..8 {goods:item}" }
      rs:rule { name = "ev_qty", pattern = "{trade} ..6 {qty:qty} {money:unitless}" }
      rs:rule { name = "ev_roles", pattern = "{actor:seller} ..6 {trade} ..8 {actor:actor2}" }
      rs:rule { name = "ev_when", pattern = "{say} .. {date:when}" }
      rs:rule { name = "ev_date", pattern = "{actor:actor1} .. {date:date}" }
      rs:rule { name = "ev_fn", pattern = "{actor:a} ..4 {say}",
        event = function(m)
          if m.start % 3 == 0 then return nil end
          return { actor1 = m.a, rule = m.start % 3 == 1 and "ev_fn_odd" or nil,
            attrs = { len = m.stop - m.start } }
        end }
      local texts, langs, days, ids, ctxs = {}, {}, {}, {}, {}
      for i, d in ipairs(docs) do
        texts[i] = d.text
        if i % 2 == 0 then langs[i], days[i] = d.lang, "2010-01-01" end
        ids[i] = 1000 + i
        ctxs[i] = { lang = langs[i], published = days[i], doc_id = ids[i] }
      end
      local FIELDS = { "doc_id", "rule", "type", "actor1", "actor2", "item", "qty", "unit", "date",
        "modality", "negated", "start", "stop", "sent_start", "sent_stop", "attrs" }
      local function line(t)
        local out = {}
        for k, f in ipairs(FIELDS) do
          local v = t[k]
          out[k] = f .. "=" .. (type(v) == "table" and ("{len=" .. tostring(v.len) .. "}") or tostring(v))
        end
        return table.concat(out, "|")
      end
      local want = {}
      local ms, nsent = rs:run_many(texts, ctxs, true)
      for _, m in ipairs(ms) do
        local ev = m.event
        local t = { m.doc_id }
        for k = 2, #FIELDS do t[k] = ev[FIELDS[k]] end
        want[#want + 1] = line(t)
      end
      local got = {}
      local n = rs:emit_many(texts, langs, days, ids, #texts, function(...)
        got[#got + 1] = line({ ... })
      end)
      assert.equal(nsent, n)
      assert.are.same(want, got)
      local seen = {}
      for _, l in ipairs(got) do seen[l:match("rule=([%w_]+)")] = true end
      for _, r in ipairs { "ev_item", "ev_qty", "ev_roles", "ev_when", "ev_date", "ev_fn", "ev_fn_odd",
        "say" } do
        assert.is_true(seen[r], "no event of rule " .. r)
      end
    end)

    it("finds literal words where a slow Lua reference does", function()
      local docs = corpus("bbc_news_2004-2005.jsonl", CHECK == "valgrind" and 20 or 150)
      local docs2 = corpus("sr_latn_setimes_ud_dev_test.jsonl", CHECK == "valgrind" and 10 or 44)
      if not docs or not docs2 then return skip("needs " .. DATA .. "/news") end
      for _, d in ipairs(docs2) do docs[#docs + 1] = d end
      local rs = rules.new()
      rs:rule { name = "w", pattern = "(said|says|je|the)" }
      local function isword(c) return c ~= "" and c:match("[a-z0-9\128-\255]") ~= nil end
      for _, d in ipairs(docs) do
        local want = {}
        for a, b in text.sentences(d.text) do
          local sent = d.text:sub(a, b)
          local f, map = text.fold(sent, nil, true)
          local i = 1
          while true do
            local s, e = f:find("%f[%w\128-\255][a-z]+", i)
            if not s then break end
            while e < #f and isword(f:sub(e + 1, e + 1)) do e = e + 1 end
            local w = f:sub(s, e)
            local wanted = w == "said" or w == "says" or w == "je" or w == "the"
            if wanted and not isword(f:sub(s - 1, s - 1)) then
              local x, y = map:range(s, e)
              want[#want + 1] = (a + x - 1) .. "-" .. (a + y - 1)
            end
            i = e + 1
          end
        end
        local got = {}
        for m in rs:scan(d.text) do got[#got + 1] = m.start .. "-" .. m.stop end
        assert.are.same(want, got)
      end
    end)
  end)
end)
