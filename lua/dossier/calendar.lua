--- Civil-calendar arithmetic on day numbers, shared by the date recogniser,
-- the sanctions grouping and the report timeline.
--
-- A day number counts days from 1970-01-01 (day 0) in the proleptic Gregorian
-- calendar, so date differences and windows are integer arithmetic. The
-- conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`.
-- @module dossier.calendar
local M = {}

local MDAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- Is `y` a leap year?
function M.is_leap(y)
  return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
end

--- Number of days in month `m` of year `y`.
function M.days_in(y, m)
  return (m == 2 and M.is_leap(y)) and 29 or MDAYS[m]
end

--- Is `y-m-d` a real calendar date?
function M.valid(y, m, d)
  return y >= 1 and m >= 1 and m <= 12 and d >= 1 and d <= M.days_in(y, m)
end

--- Day number of the date `y-m-d`.
function M.days(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

--- The date of day number `z`: `y, m, d`.
function M.civil(z)
  z = z + 719468
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  return m <= 2 and y + 1 or y, m, d
end

--- ISO text (`"2022-03-24"`) of day number `z`.
function M.iso(z)
  return string.format("%04d-%02d-%02d", M.civil(z))
end

--- Parse the ISO date at the start of `s` (`2022`, `2022-03`, `2022-03-24`,
-- anything after a full date ignored): `y, m, d` with `m`, `d` nil when absent,
-- or nil when `s` is not a string or not a real date.
function M.parse(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then
    y, m = s:match("^(%d%d%d%d)%-(%d%d)$")
    if not y then
      y = s:match("^(%d%d%d%d)$")
      if not y then return nil end
    end
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m and (m < 1 or m > 12) then return nil end
  if d and not M.valid(y, m, d) then return nil end
  return y, m, d
end

--- The days an ISO date names, whole or partial (`"2022"`, `"2022-08"`, `"2022-08-20"`, and
-- nothing after it): the day numbers of its first and last day, or nil and a reason naming
-- what was written (`"not an ISO date: 5 Sep 2022"`, `"bad month in 2022-13"`,
-- `"bad day in 2022-02-30"`).
-- @tparam string s
-- @treturn integer|nil first day
-- @treturn integer|string last day, or the reason
function M.span(s)
  if type(s) ~= "string" then return nil, "not a string" end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y, m = s:match("^(%d%d%d%d)%-(%d%d)$") end
  if not y then y = s:match("^(%d%d%d%d)$") end
  if not y then return nil, "not an ISO date: " .. s end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m and (m < 1 or m > 12) then return nil, "bad month in " .. s end
  if d and not M.valid(y, m, d) then return nil, "bad day in " .. s end
  if d then
    local z = M.days(y, m, d)
    return z, z
  elseif m then
    return M.days(y, m, 1), M.days(y, m, M.days_in(y, m))
  end
  return M.days(y, 1, 1), M.days(y, 12, 31)
end

return M
