-- A stand-in for dossier.rules with the same interface, for the extract and
-- CLI specs while the real engine is being written. Templates: `{lex:role}`,
-- `{set}`, `..` / `..N` gaps (ignored: any gap in the sentence), matched
-- left to right on the first occurrence after the previous slot.
local lexicon = require "dossier.lexicon"
local text = require "dossier.text"
local store = require "dossier.store"

local M = {}
local RS = {}
RS.__index = RS

function M.new(opts)
  return setmetatable({ name = opts and opts.name, lexes = {}, order = {}, defs = {}, list = {} }, RS)
end

function RS:lexicon(name, lex)
  self.lexes[name] = lex
  self.defs[name] = "lex:" .. name .. ":" .. #lex
end

function RS:terms(name, list)
  local lex = lexicon.new()
  for _, t in ipairs(list) do
    lex:add(t, t)
  end
  self.lexes[name] = lex
  self.defs[name] = "terms:" .. table.concat(list, "|")
end

function RS:rule(r)
  local slots = {}
  for body in r.pattern:gmatch("{([^}]*)}") do
    local set, role = body:match("^([%w_]+):([%w_]+)$")
    slots[#slots + 1] = { set = set or body, role = role or body }
  end
  r.slots = slots
  self.list[#self.list + 1] = r
end

function RS:rules()
  local t = {}
  for i, r in ipairs(self.list) do
    t[i] = r.name
  end
  return t
end

function RS:rule_hashes()
  local t = {}
  for _, r in ipairs(self.list) do
    local deps = {}
    for _, s in ipairs(r.slots) do
      deps[#deps + 1] = self.defs[s.set]
    end
    t[r.name] = store.doc_hash(r.name, r.type .. "\0" .. r.pattern .. "\0" .. table.concat(deps, "\0"))
  end
  return t
end

function RS:hash()
  local h, names = self:rule_hashes(), self:rules()
  table.sort(names)
  local parts = {}
  for _, n in ipairs(names) do
    parts[#parts + 1] = n .. "=" .. h[n]
  end
  return store.doc_hash("set", table.concat(parts, ";"))
end

local function match_rule(self, r, s, a, b)
  local m = { spans = {} }
  local pos, first = a, nil
  for _, slot in ipairs(r.slots) do
    local hit
    local ms = self.lexes[slot.set]:matches(s:sub(pos, b))[1]
    if ms then
      hit = { ms.id, ms.start + pos - 1, ms.stop + pos - 1 }
    else
      return nil
    end
    m[slot.role] = hit[1]
    m.spans[slot.role] = { hit[2], hit[3] }
    first = first or hit[2]
    pos = hit[3] + 1
  end
  local ev = r.event and r.event(m) or { actor1 = m.actor1, actor2 = m.actor2 }
  ev.rule, ev.type = r.name, ev.type or r.type
  ev.start, ev.stop, ev.sent_start, ev.sent_stop = first, pos - 1, a, b
  ev.modality, ev.negated = ev.modality or "asserted", ev.negated or false
  return { rule = r.name, type = r.type, start = first, stop = pos - 1, event = ev }
end

function RS:scan(s, ctx)
  local out = {}
  for a, b in text.sentences(s, ctx and ctx.lang) do
    for _, r in ipairs(self.list) do
      local ok, m = pcall(match_rule, self, r, s, a, b)
      if not ok then
        error("dossier.rules: rule '" .. r.name .. "': " .. tostring(m), 0)
      end
      out[#out + 1] = m
    end
  end
  local i = 0
  return function()
    i = i + 1
    return out[i]
  end
end

return M
