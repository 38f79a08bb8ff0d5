-- A short tour of dossier.regex on a few lines of our own news text.
-- Run from the repository root: bin/dossier run :memory: examples/regex.lua
local rex = require "dossier.regex"

local text = table.concat({
  "PYONGYANG, 3 Nov 2022 - North Korea fired 23 missiles on Wednesday, officials in Seoul said.",
  "Moskva je, prema pisanju lista, kupila od Severne Koreje više od 1.000.000 granata.",
  "Москва је од Северне Кореје купила ракете, наводи агенција.",
  "Analysts in Zagreb doubt the figure of 1,000,000 shells; Pyongyang denied any sale.",
}, "\n")

local function say(fmt, ...) io.write(string.format(fmt, ...), "\n") end

say("%s on PCRE2 %s (JIT: %s)\n", rex._VERSION, rex.version(),
  tostring(rex.config().JIT ~= 0))

-- 1. Find: offsets are 1-based and inclusive, like string.find.
local s, e = rex.find(text, [[\d+ missiles]])
say("find        %q at %d..%d", text:sub(s, e), s, e)

-- 2. With the `u` flag, \w and case-insensitivity understand č ć š ž đ and Cyrillic.
say("\ncase forms of Korea in both scripts (flags \"iu\"):")
for word in rex.gmatch(text, [[\b(?:severn\w*\s+)?(?:korej\w*|кореј\w*|северн\w*\s+кореј\w*)]], "iu") do
  say("  %s", word)
end

-- 3. Numbers with thousands separators, either convention, normalised by gsub.
say("\nquantities:")
for n in rex.gmatch(text, [[\b\d{1,3}(?:[.,]\d{3})+\b|\b\d+\b(?= missiles)]]) do
  local value = rex.gsub(n, "[.,]", "")
  say("  %-12s -> %d", n, math.tointeger(tonumber(value)))
end

-- 4. Count and split.
say("\nsentences ending in 'said.' or 'agencija.': %d",
  rex.count(text, [[(?:said|агенција)\.$]], "mu"))
local lines = 0
for _ in rex.split(text, "\n") do lines = lines + 1 end
say("lines: %d", lines)

-- 5. A catastrophic pattern hits a limit and raises a clear error instead of hanging.
local ok, err = pcall(rex.find, string.rep("a", 30) .. "!", "(a+)+$")
say("\n(a+)+$ on 30 a's and '!': %s", ok and "matched?!" or err)

say("\nNext: `make test` runs the specs; README.md has the full reference.")
