-- Specs for dossier.vocab: the shared vocabulary has one owner, and the modules that use a
-- list use that one (the same table, not a copy).
local vocab = require "dossier.vocab"

describe("dossier.vocab", function()
  it("groups the languages it reads and reads their tags", function()
    assert.same({ "en", "en", "sx", "sx", "sx" },
      { vocab.lang_group("en"), vocab.lang_group("EN-gb"), vocab.lang_group("sr-Latn"),
        vocab.lang_group("hr"), vocab.lang_group("cnr") })
    assert.same({ "sr", "bs" }, { vocab.lang_code("sr-Cyrl"), vocab.lang_code("BS") })
    assert.is_nil(vocab.lang_code("de"))
    assert.is_nil(vocab.lang_group(nil))
    assert.is_nil(vocab.lang_code(12))
  end)

  it("is where kb, qty, the cues and the rules take their lists from", function()
    assert.equal(vocab.EVENT_TYPES, require("dossier.kb").EVENT_TYPES)
    assert.is_true(vocab.is_event_type.icbm_launch and vocab.is_modality.historic)
    assert.is_nil(vocab.is_event_type.picnic)
    -- every group vocab knows is one the recognisers accept, and no other
    local qty, cues, rules = require "dossier.recognisers.qty", require "dossier.recognisers.cues",
      require "dossier.rules"
    for code in pairs(vocab.LANG_GROUPS) do
      assert.has_no.errors(function() qty.find("5 tons", 1, code) end)
      assert.has_no.errors(function() cues.modality("they will send it", 1, 4, code) end)
      assert.has_no.errors(function() rules.new { lang = { code } } end)
    end
    assert.has_error(function() qty.find("5 tons", 1, "de") end)
  end)

  it("checks a language argument once for every module, naming what the caller wrote", function()
    assert.equal("sx", vocab.check_lang("sr-Latn", "m: "))
    assert.is_nil(vocab.check_lang(nil, "m: "))
    assert.has_error(function() vocab.check_lang("de", "m: ") end, "m: unsupported language 'de'")
    assert.has_error(function() vocab.check_lang(5, "m: ") end, "m: lang must be a string or nil, got number")
    local rules, cues = require "dossier.rules", require "dossier.recognisers.cues"
    assert.has_error(function() rules.new { lang = { "de" } } end, "dossier.rules: unsupported language 'de'")
    assert.has_error(function() cues.modality("x", 1, 1, "fr") end,
      "dossier.recognisers.cues: unsupported language 'fr'")
  end)

  it("is where sanctions and claims take the counted, one-actor event types from", function()
    assert.is_true(vocab.is_counted_type.icbm_launch and vocab.is_counted_type.nuclear_test)
    assert.is_nil(vocab.is_counted_type.arms_transfer)
    assert.equal(vocab.is_counted_type, require("dossier.claims").COUNT_TYPES)
    for _, t in ipairs(vocab.COUNTED_TYPES) do assert.is_true(vocab.is_event_type[t]) end
  end)

  it("owns the actor lexicons: the rule set and claims read the same list", function()
    local lists = vocab.actor_lists()
    assert.is_true(#lists >= 1)
    assert.equal(vocab.ACTOR_LEXICONS, require("dossier.claims").ACTOR_LEXICONS)
    assert.equal(lists, vocab.actor_lists()) -- loaded once
  end)
end)
