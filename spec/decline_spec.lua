-- luacheck: std +busted
-- Specs for dossier.lexicon.decline (case forms of state names and adjectives) and for the
-- generated forms in the shipped lexicon (dossier.lexicon.world), in both scripts.
-- Oracles: hand-checked paradigms from the Serbian and Croatian grammars (written out here),
-- dossier.text.fold and dossier.text.translit for the Cyrillic spellings.
local decline = require "dossier.lexicon.decline"
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"

local function set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

describe("dossier.lexicon.decline", function()
  it("declines feminine -a names through the five cases", function()
    assert.same({ "Srbija", "Srbije", "Srbiji", "Srbiju", "Srbijom" }, decline.forms("Srbija"))
    assert.same({ "Kina", "Kine", "Kini", "Kinu", "Kinom" }, decline.forms("Kina"))
    assert.same({ "Koreja", "Koreje", "Koreji", "Koreju", "Korejom" }, decline.forms("Koreja"))
  end)

  it("softens k before the dative -i (Amerika → Americi)", function()
    assert.same({ "Amerika", "Amerike", "Americi", "Ameriku", "Amerikom" }, decline.forms("Amerika"))
  end)

  it("declines adjectival feminine names (Hrvatska, Nemačka) as adjectives", function()
    assert.same({ "Hrvatska", "Hrvatske", "Hrvatskoj", "Hrvatsku", "Hrvatskom" },
      decline.forms("Hrvatska"))
    assert.same({ "Nemačka", "Nemačke", "Nemačkoj", "Nemačku", "Nemačkom" }, decline.forms("Nemačka"))
  end)

  it("gives Russian surnames in -ov/-ev the adjective's instrumental too (sa Lavrovim)", function()
    assert.same({ "Lavrovom", "Lavrovim" }, decline.cases("Lavrov")[5])
    assert.same({ "Zaevom", "Zaevim" }, decline.cases("Zaev")[5])
    assert.same({ "Putinom" }, decline.cases("Putin")[5])
  end)

  it("declines masculine, neuter and foreign names", function()
    assert.same({ "Iran", "Irana", "Iranu", "Iranom" }, decline.forms("Iran"))
    assert.same({ "Kosovo", "Kosova", "Kosovu", "Kosovom" }, decline.forms("Kosovo"))
    assert.same({ "Egipat", "Egipta", "Egiptu", "Egiptom" }, decline.forms("Egipat"))
    assert.same({ "Bangladeš", "Bangladeša", "Bangladešu", "Bangladešem" }, decline.forms("Bangladeš"))
    assert.same({ "Čile", "Čilea", "Čileu", "Čileom" }, decline.forms("Čile"))
    assert.same({ "Mali", "Malija", "Maliju", "Malijem" }, decline.forms("Mali"))
  end)

  it("makes adjectives agree with the head noun of a multiword name", function()
    assert.same({ "Severna Koreja", "Severne Koreje", "Severnoj Koreji", "Severnu Koreju",
      "Severnom Korejom" }, decline.forms("Severna Koreja"))
    assert.same({ "Južna Afrika", "Južne Afrike", "Južnoj Africi", "Južnu Afriku", "Južnom Afrikom" },
      decline.forms("Južna Afrika"))
    assert.same({ "Novi Zeland", "Novog Zelanda", "Novom Zelandu", "Novim Zelandom" },
      decline.forms("Novi Zeland"))
  end)

  it("declines plural names", function()
    assert.same({ "Sjedinjene Američke Države", "Sjedinjenih Američkih Država",
      "Sjedinjenim Američkim Državama" }, decline.forms("Sjedinjene Američke Države"))
    assert.same({ "Ujedinjeni Arapski Emirati", "Ujedinjenih Arapskih Emirata",
      "Ujedinjenim Arapskim Emiratima", "Ujedinjene Arapske Emirate" },
      decline.forms("Ujedinjeni Arapski Emirati"))
    assert.same({ "Filipini", "Filipina", "Filipinima", "Filipine" }, decline.forms("Filipini"))
  end)

  it("declines both parts of 'X i Y' and leaves words after the head alone", function()
    assert.same({ "Bosna i Hercegovina", "Bosne i Hercegovine", "Bosni i Hercegovini",
      "Bosnu i Hercegovinu", "Bosnom i Hercegovinom" }, decline.forms("Bosna i Hercegovina"))
    assert.same({ "Republika Kongo", "Republike Kongo", "Republici Kongo", "Republiku Kongo",
      "Republikom Kongo" }, decline.forms("Republika Kongo"))
  end)

  it("declines a capitalised noun in apposition, and native neuters in -e", function()
    assert.same({ "Savezna Republika Jugoslavija", "Savezne Republike Jugoslavije",
      "Saveznoj Republici Jugoslaviji", "Saveznu Republiku Jugoslaviju",
      "Saveznom Republikom Jugoslavijom" }, decline.forms("Savezna Republika Jugoslavija"))
    assert.same({ "Europsko vijeće", "Europskog vijeća", "Europskom vijeću", "Europskim vijećem" },
      decline.forms("Europsko vijeće"))
    assert.same({ "Opća skupština", "Opće skupštine", "Općoj skupštini", "Opću skupštinu",
      "Općom skupštinom" }, decline.forms("Opća skupština"))
  end)

  it("keeps an indeclinable name as it is, and refuses no name", function()
    assert.same({ "Kongo - Kinšasa" }, decline.forms("Kongo - Kinšasa", "indecl"))
    assert.has_error(function() decline.forms("") end,
      "dossier.lexicon.decline: forms expects a name (a non-empty string)")
    assert.has_error(function() decline.forms(nil) end)
  end)

  it("gives every form of a hard adjective", function()
    assert.same({ "srpski", "srpskog", "srpskoga", "srpskom", "srpskome", "srpskomu", "srpskoj",
      "srpsku", "srpska", "srpske", "srpsko", "srpskih", "srpskim", "srpskima" },
      decline.adjective_forms("srpski"))
    assert.has_error(function() decline.adjective_forms("Iran") end)
  end)

  it("proposes the adjectives a name may have", function()
    local function has(name, adj) return set(decline.adjective_candidates(name))[adj] end
    assert.truthy(has("Srbija", "srpski"))
    assert.truthy(has("Rusija", "ruski"))
    assert.truthy(has("Sirija", "sirijski"))
    assert.truthy(has("Italija", "italijanski"))
    assert.truthy(has("Hrvatska", "hrvatski"))
    assert.truthy(has("Irak", "irački"))
    assert.truthy(has("Meksiko", "meksički"))
    assert.truthy(has("Kanada", "kanadski"))
    assert.truthy(has("Severna Koreja", "severnokorejski"))
    assert.truthy(has("Dominikanska Republika", "dominikanski"))
    assert.falsy(has("Dominikanska Republika", "republički"))
  end)
end)

describe("generated South Slavic forms in dossier.lexicon.world", function()
  local lex
  local function lexicon_once()
    if not lex then
      lex = lexicon.new()
      for _, e in ipairs(require "dossier.lexicon.world") do lex:add(e[1], e[2], e[3]) end
    end
    return lex
  end
  -- The single match of `s` (it must cover the whole text): code, attrs.
  local function find(s)
    local m = lexicon_once():matches(s)
    assert.are.equal(1, #m, "one match in '" .. s .. "'")
    assert.are.equal(1, m[1].start)
    assert.are.equal(#s, m[1].stop)
    return m[1].id, m[1].attrs
  end

  local SAMPLES = {
    { "Србији", "SRB" }, { "Sjedinjenim Američkim Državama", "USA" }, { "srpskog", "SRB" },
    { "Putinom", "RUS" }, { "Severnoj Koreji", "PRK" }, { "Hrvatske", "HRV" },
    { "Kosova", "XKX" }, { "Tramp", "USA" }, { "Sjevernoj Koreji", "PRK" },
    { "Bosne i Hercegovine", "BIH" }, { "Južnoj Koreji", "KOR" }, { "iračkih", "IRQ" },
    { "Vučićem", "SRB" }, { "Si Đinpinga", "CHN" }, { "Beograda", "SRB" },
    { "Sovjetskog Saveza", "SUN" }, { "Jugoslavije", "YUG" }, { "Generalne skupštine", "UNO" },
    { "Evropske unije", "EU" }, { "Kim Džong Una", "PRK" }, { "Saudijske Arabije", "SAU" },
  }

  it("finds each sample in Latin, in Cyrillic and folded", function()
    for _, c in ipairs(SAMPLES) do
      local latin = c[1]:find("[\208\209]") and text.translit(c[1], "Cyrl", "Latn") or c[1]
      local cyrillic = text.translit(latin, "Latn", "Cyrl")
      for _, s in ipairs { latin, cyrillic, text.fold(cyrillic) } do
        assert.are.equal(c[2], (find(s)), s)
      end
    end
    assert.are.equal("srbiji", text.fold("Србији"))
  end)

  it("gives leaders their dated roles", function()
    local code, attrs = find("Tramp")
    assert.are.equal("USA", code)
    assert.truthy(attrs.person)
    assert.same({ { "USA", "2017-01-20", "2021-01-20" }, { "USA", "2025-01-20" } }, attrs.roles)
    local _, putin = find("Putinom")
    assert.same({ { "RUS", "1999-08-09" } }, putin.roles)
    local _, tudjman = find("Tuđmana")
    assert.are.equal("1999-12-10", tudjman.roles[1][3])
  end)

  it("marks names that are common words: cap and upper", function()
    assert.truthy(select(2, find("Mali")).cap)
    assert.truthy(select(2, find("Chad")).cap)
    assert.truthy(select(2, find("Turkey")).cap)
    assert.truthy(select(2, find("SAD")).upper)
    assert.truthy(select(2, find("ROK")).upper)
    assert.falsy(select(2, find("Srbija")).cap)
  end)
end)
