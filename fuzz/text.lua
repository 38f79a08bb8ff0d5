-- fuzz target: the text functions (fold with and without its offset map, translit both ways,
-- sentences, words, utf8_valid, sanitize) on arbitrary bytes, with their invariants.
local T = require("dossier.core").text
local LANGS = { "en", "sr", "hr", "bs", "sh", "cnr" }

local function check(cond, what, s)
  if not cond then error(("fuzz: %s for %q"):format(what, s:sub(1, 200)), 0) end
end

return function(s)
  local lang = LANGS[#s % #LANGS + 1]
  local f = T.fold(s)
  local g, map = T.fold(s, lang, true)
  check(f == g, "fold differs with a map", s)
  check(#map == #g, "map length", s)
  for i = 1, #g, math.max(1, #g // 16) do
    local a, b = map:range(i, i)
    check(a >= 1 and b <= #s and a <= b + 1, "map range out of the source", s)
    local st = map(i)
    check(st >= 1 and st <= #s + 1, "map start out of the source", s)
  end
  map(#g + 1)
  T.translit(s, "Cyrl", "Latn")
  T.translit(s, "Latn", "Cyrl")
  local last = 0
  for a, b in T.sentences(s, lang) do
    check(a >= 1 and a > last and b >= a and b <= #s, "sentence span", s)
    last = b
  end
  last = 0
  for a, b, w in T.words(s) do
    check(a > last and b >= a and b <= #s and w == s:sub(a, b), "word span", s)
    last = b
  end
  local ok = T.utf8_valid(s)
  -- Lua's own strict decoder: no overlongs, surrogates or code points above U+10FFFF
  check(ok == (utf8.len(s) ~= nil), "utf8_valid disagrees with utf8.len", s)
  local clean = T.sanitize(s)
  check(T.utf8_valid(clean), "sanitize left invalid UTF-8", s)
end
