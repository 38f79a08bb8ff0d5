--- dossier.regex: PCRE2 regular expressions, a drop-in for lrexlib's `rex_pcre2`.
--
-- Everything is implemented in C (csrc/regex.c); this module re-exports it:
--
--    local rex = require "dossier.regex"
--    rex.find("Severna Koreja", "\\w+$", nil, "u")      --> 9, 14
--    for w in rex.gmatch("Северна Кореја", "\\w+", "u") do print(w) end
--
-- Functions: `new, find, match, gmatch, gsub, split, count, flags, config,
-- version, maketables`, plus `limits` and `cachesize`. Methods of a compiled
-- regex: `exec, tfind, find, match, gmatch, gsub, split, count, dfa_exec,
-- fullinfo, patterninfo, jit_compile, limits, close`.
-- See doc/regex.md for the reference and every difference from lrexlib.
-- @module dossier.regex
local core = require "dossier.core"

return core.regex
