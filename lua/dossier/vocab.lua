--- dossier.vocab: the shared vocabulary, each list once.
--
-- The languages dossier reads and the group each belongs to, the event types the rules code
-- and the sanctions measures name, and the modalities an event can have. The modules that
-- use them (rules, extract, the recognisers, kb, eval, sanctions) take them from here.
--
--    local vocab = require "dossier.vocab"
--    vocab.lang_group("sr-Latn")   --> "sx"
--    vocab.is_event_type.icbm_launch --> true
--
-- @module dossier.vocab
local M = {}

--- Language codes (the primary subtag of a BCP 47 tag) → their group: `"en"` (English) or
-- `"sx"` (South Slavic: Serbian, Croatian, Bosnian, Serbo-Croatian, Montenegrin), which share
-- their word lists, separators and sentence rules.
M.LANG_GROUPS = { en = "en", sr = "sx", hr = "sx", bs = "sx", sh = "sx", cnr = "sx" }

--- The actor lexicons, as module names, most general first (`dossier.lexicon.world`, generated
-- and large, may be absent; `dossier.lexicon.actors`, the hand-kept list of the first release).
-- Each returns an array of `{phrase, code [, attrs]}`.
M.ACTOR_LEXICONS = { "dossier.lexicon.world", "dossier.lexicon.actors" }

local actor_lists
--- The installed actor lexicons of `ACTOR_LEXICONS`, in its order, loaded once. The rule set
-- takes the first (the most general installed); claims' speakers take them all.
-- @treturn table an array of entry arrays
function M.actor_lists()
  if actor_lists then return actor_lists end
  actor_lists = {}
  for _, name in ipairs(M.ACTOR_LEXICONS) do
    local ok, list = pcall(require, name)
    if ok and type(list) == "table" then actor_lists[#actor_lists + 1] = list end
  end
  return actor_lists
end

--- The language code of a tag (`"sr-Latn"` → `"sr"`, `"EN"` → `"en"`) when dossier reads
-- that language, else nil.
-- @tparam string tag
-- @treturn string|nil
function M.lang_code(tag)
  if type(tag) ~= "string" then return nil end
  local code = (tag:match("^(%a+)") or ""):lower()
  return M.LANG_GROUPS[code] and code or nil
end

--- The group (`"en"` or `"sx"`) of a language tag, or nil when dossier does not read it.
-- @tparam string tag
-- @treturn string|nil
function M.lang_group(tag)
  local code = M.lang_code(tag)
  return code and M.LANG_GROUPS[code]
end

--- The group of a language argument a caller passed, checked: nil stays nil, a tag dossier
-- reads gives its group, anything else raises an error naming what the caller wrote.
-- @tparam string|nil lang the argument
-- @tparam string mod the message prefix of the module that checks (`"dossier.recognisers.qty: "`)
-- @tparam[opt=1] integer level the error level, relative to the caller of `check_lang`
-- @treturn string|nil `"en"`, `"sx"` or nil
function M.check_lang(lang, mod, level)
  if lang == nil then return nil end
  level = (level or 1) + 1
  if type(lang) ~= "string" then error(mod .. "lang must be a string or nil, got " .. type(lang), level) end
  local g = M.lang_group(lang)
  if not g then error(mod .. "unsupported language '" .. lang .. "'", level) end
  return g
end

--- The event types the rules code and the measures name, in their usual order.
M.EVENT_TYPES = {
  "arms_transfer", "drone_transfer", "ballistic_launch", "icbm_launch", "nuclear_test",
  "workers_abroad", "oil_transfer", "coal_export", "other_export", "ship_to_ship",
  "sanctions_imposed", "sanctions_veto", "sanctions_evasion", "meeting",
}

--- The event types whose events are countable acts with one actor (a launch, a test): a
-- mention without a quantity is one act, a quantity counts acts ("more than 30 missiles" is 30
-- launches), and actor2 (a target area, say) plays no part in telling two of them apart.
M.COUNTED_TYPES = { "ballistic_launch", "icbm_launch", "nuclear_test" }

--- The modalities of an event.
M.MODALITIES = { "asserted", "planned", "hedged", "denied", "historic" }

local function set_of(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end

--- `EVENT_TYPES` as a set.
M.is_event_type = set_of(M.EVENT_TYPES)
--- `COUNTED_TYPES` as a set.
M.is_counted_type = set_of(M.COUNTED_TYPES)
--- `MODALITIES` as a set.
M.is_modality = set_of(M.MODALITIES)

return M
