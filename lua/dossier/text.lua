--- dossier.text: folding for matching, Serbian transliteration, sentences, words and UTF-8 checks.
--
-- Everything here is implemented in C (`csrc/text.c`, `csrc/fold.c`); this file documents the
-- functions and re-exports them. Offsets are 1-based inclusive byte offsets, as `string.find`.
-- Invalid UTF-8 never raises or loops; each function says what it does with it.
--
--    local text = require "dossier.text"
--    local key, map = text.fold("Severnoj  Кореји", nil, true)  --> "severnoj koreji", map
--    local a, b = map:range(10, 15)                              -- "koreji" in the original
--
-- @module dossier.text
local core = require "dossier.core"
local C = core.text

local M = {}

--- Fold text to a matching key.
-- Lower case; diacritics removed (č ć → c, đ → dj, ß → ss, c + U+0301 → c); Serbian (and
-- Russian, Ukrainian, Macedonian) Cyrillic to Latin (љ → lj, џ → dz, ю → ju); whitespace runs
-- (Unicode spaces included) to one space; typographic quotes and dashes to ASCII. The full rule
-- set is in `csrc/fold.h`. Invalid bytes are copied through unchanged.
-- @tparam string s the text
-- @tparam[opt] string lang reserved: accepted and ignored (no rule depends on the language)
-- @tparam[opt] boolean withmap also return the map back to `s`
-- @treturn string the folded text
-- @return[opt] the map (when `withmap`): `map(i)` is the offset in `s` where the source of folded
-- byte `i` starts, `map(i, true)` where it ends (inclusive); `map(#folded + 1)` is `#s + 1`;
-- `map:range(a, b)` returns both ends of folded bytes `a..b` in `s`; `#map` is `#folded`.
-- Offsets out of range raise.
function M.fold(s, lang, withmap)
  return C.fold(s, lang, withmap)
end

--- Transliterate Serbian between Cyrillic and Latin.
-- `"Cyrl"` → `"Latn"` maps the 30 Serbian Cyrillic letters (Љ → Lj, or LJ inside an upper-case
-- word); `"Latn"` → `"Cyrl"` turns lj, nj, dž into љ, њ, џ (a decomposed c/s/z + U+030C and
-- c + U+0301 count as č, š, ž, ć). Other characters and invalid bytes are copied unchanged.
-- Digraph exceptions such as "nadživeti" are not handled (see doc/text.md).
-- @tparam string s the text
-- @tparam string from `"Cyrl"` or `"Latn"`
-- @tparam string to `"Cyrl"` or `"Latn"`; equal to `from` returns `s`
-- @treturn string the transliterated text
-- @raise on an unknown script name
function M.translit(s, from, to)
  return C.translit(s, from, to)
end

--- Iterate over sentences.
-- A sentence ends after a run of `.`, `!`, `?`, `…` (with closing quotes and brackets) that is
-- followed by whitespace, unless the next word starts with a lower-case letter or the period
-- follows an abbreviation, an initial or a number (see doc/text.md); a blank line also ends one.
-- Whitespace between sentences is not part of any sentence. Invalid bytes are ordinary text.
-- @tparam string s the text
-- @tparam[opt] string lang `"en"` for English abbreviations, `"sr"`, `"hr"`, `"bs"`, `"sh"` or
-- `"cnr"` for South Slavic ones; nil uses both lists. Other values raise.
-- @return an iterator yielding `start, stop`
function M.sentences(s, lang)
  return C.sentences(s, lang)
end

--- Iterate over words.
-- A word is a run of letters and digits (Latin, Greek, Cyrillic and the main letter blocks of
-- other scripts) with their combining marks; an apostrophe (' ’ ʼ) or hyphen (- ‐ ‑) between
-- two word characters, and `.` or `,` between two digits, stay inside the word
-- ("O'Brien", "Bosna-i-Hercegovina", "1,5"). Invalid bytes separate words.
-- @tparam string s the text
-- @return an iterator yielding `start, stop, word`
function M.words(s)
  return C.words(s)
end

--- Check that a string is well-formed UTF-8.
-- Rejects overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF, stray
-- continuation bytes and truncated sequences.
-- @tparam string s the bytes
-- @treturn boolean true if valid
-- @treturn[opt] integer the offset of the first invalid byte, when not valid
function M.utf8_valid(s)
  return C.utf8_valid(s)
end

--- Repair invalid UTF-8.
-- Each maximal invalid subpart (Unicode's "U+FFFD substitution of maximal subparts") becomes one
-- U+FFFD. A valid string is returned as is.
-- @tparam string s the bytes
-- @treturn string valid UTF-8
-- @treturn integer how many replacements were made
function M.sanitize(s)
  return C.sanitize(s)
end

return M
