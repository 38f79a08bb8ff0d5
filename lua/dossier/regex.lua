--- dossier.regex: PCRE2 regular expressions, a drop-in for lrexlib's `rex_pcre2`.
--
-- Everything is implemented in C (csrc/regex.c); this module re-exports it:
--
--    local rex = require "dossier.regex"
--    rex.find("Severna Koreja", "\\w+$", nil, "u")      --> 9, 14
--    for w in rex.gmatch("Северна Кореја", "\\w+", "u") do print(w) end
--
-- Offsets are 1-based byte offsets, end inclusive. `cf` is a number or letters
-- (`i m s x U`, and `u` for UTF + UCP); `ef` a number; `lo` a locale name or
-- tables from `maketables`. Unset captures are `false`. String patterns given
-- to the module functions are compiled once and cached (LRU). See the README
-- for the full reference and every difference from lrexlib.
-- @module dossier.regex
local core = require "dossier.core"

--- Compile a pattern (JIT-compiled when PCRE2 has a JIT).
-- @function new
-- @tparam string patt the pattern
-- @param[opt] cf compile flags: number or letters
-- @param[opt] lo locale name or chartables
-- @return a regex object

--- Find the first match.
-- @function find
-- @param subj subject string
-- @param patt pattern string or regex object
-- @tparam[opt=1] int init start offset, negative counts from the end
-- @param[opt] cf compile flags
-- @tparam[opt] int ef execution flags
-- @param[opt] lo locale
-- @return start, end, captures... or nil

--- Like `find`, returning the captures (or the whole match).
-- @function match
-- @return captures... or nil

--- Iterate over matches: `for caps... in rex.gmatch(subj, patt, [cf], [ef], [lo])`.
-- @function gmatch
-- @return iterator

--- Iterate over the sections between separators:
-- `for section, caps... in rex.split(subj, sep, [cf], [ef], [lo])`.
-- @function split
-- @return iterator

--- Replace matches: `rex.gsub(subj, patt, repl, [n], [cf], [ef], [lo])`.
-- `repl` is a string with `%0`-`%9`, a table or a function; `n` a number or a function.
-- @function gsub
-- @return result, number of matches, number of substitutions

--- Count matches: `rex.count(subj, patt, [cf], [ef], [lo])`.
-- @function count
-- @treturn int

--- PCRE2's constants by lrexlib's names (`CASELESS`, `UTF`, `ERROR_NOMATCH`, ...).
-- @function flags
-- @tparam[opt] table tb table to fill
-- @treturn table

--- PCRE2's build configuration (`PCRE2_CONFIG_JIT`, ...).
-- @function config
-- @tparam[opt] table tb table to fill
-- @treturn table

--- PCRE2's version string.
-- @function version
-- @treturn string

--- Character tables for the current LC_CTYPE locale, usable as `lo`.
-- @function maketables
-- @return chartables

--- Module-wide match limits; returns the previous ones. `match` (backtracking steps),
-- `depth` and `heap` (KiB) are PCRE2's (JIT obeys `match` only); `time` is the budget in
-- milliseconds of one match attempt of a pattern with backreferences (default 1000), whose
-- steps are not bounded in cost: such a pattern runs with automatic callouts that stop it
-- when the time has passed or when a Lua hook appears (Ctrl-C in the `lua` interpreter).
-- Hitting a limit raises an error naming the pattern. Regex objects have `r:limits` with the
-- same fields (absent ones follow the module; `{}` clears them).
-- @function limits
-- @tparam[opt] table t `{match=, depth=, heap=, time=}`
-- @treturn table

--- Size of the cache of string patterns; returns the previous size (0 disables).
-- @function cachesize
-- @tparam[opt] int n
-- @treturn int

--- Statistics of the cache of string patterns.
-- @function cachestats
-- @treturn table `{size=, count=, hits=, misses=}`

return core.regex
