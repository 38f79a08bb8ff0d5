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
end)
