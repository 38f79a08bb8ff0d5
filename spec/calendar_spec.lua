local calendar = require "dossier.calendar"

describe("dossier.calendar", function()
  it("numbers days from 1970-01-01 as os.time does, both ways", function()
    for z = -400, 25000, 7 do
      local t = os.date("!*t", z * 86400)
      assert.equal(z, calendar.days(t.year, t.month, t.day))
      local y, m, d = calendar.civil(z)
      assert.same({ t.year, t.month, t.day }, { y, m, d })
      assert.equal(os.date("!%Y-%m-%d", z * 86400), calendar.iso(z))
    end
  end)

  it("round-trips every day of four centuries, leap rules included", function()
    local z0, z1 = calendar.days(1900, 1, 1), calendar.days(2300, 12, 31)
    local prev_y, prev_m, prev_d = calendar.civil(z0 - 1)
    for z = z0, z1 do
      local y, m, d = calendar.civil(z)
      assert(calendar.days(y, m, d) == z)
      assert(calendar.valid(y, m, d))
      -- consecutive days: next day in the month, or day 1 of the next month
      local same_month = d == prev_d + 1 and m == prev_m and y == prev_y
      assert(same_month or d == 1 and prev_d == calendar.days_in(prev_y, prev_m))
      prev_y, prev_m, prev_d = y, m, d
    end
  end)

  it("knows leap years and month lengths", function()
    assert.is_true(calendar.is_leap(2000))
    assert.is_false(calendar.is_leap(1900))
    assert.is_true(calendar.is_leap(2024))
    assert.is_false(calendar.is_leap(2023))
    assert.equal(29, calendar.days_in(2024, 2))
    assert.equal(28, calendar.days_in(2100, 2))
    assert.equal(31, calendar.days_in(2022, 12))
    assert.is_false(calendar.valid(2022, 2, 29))
    assert.is_false(calendar.valid(2022, 13, 1))
    assert.is_false(calendar.valid(2022, 4, 31))
  end)

  it("parses full and partial ISO dates and rejects impossible ones", function()
    assert.same({ 2022, 3, 24 }, { calendar.parse("2022-03-24") })
    assert.same({ 2022, 3, 24 }, { calendar.parse("2022-03-24T10:00:00Z") })
    assert.same({ 2022, 3 }, { calendar.parse("2022-03") })
    assert.same({ 2022 }, { calendar.parse("2022") })
    assert.is_nil(calendar.parse("2022-02-30"))
    assert.is_nil(calendar.parse("2022-13"))
    assert.is_nil(calendar.parse("2022-3-4"))
    assert.is_nil(calendar.parse("March 2022"))
    assert.is_nil(calendar.parse(20220324))
    assert.is_nil(calendar.parse(nil))
  end)

  it("gives the days a whole or partial ISO date names, and says what is wrong with a bad one", function()
    local d = calendar.days
    assert.same({ d(2022, 8, 20), d(2022, 8, 20) }, { calendar.span("2022-08-20") })
    assert.same({ d(2024, 2, 1), d(2024, 2, 29) }, { calendar.span("2024-02") })
    assert.same({ d(2023, 1, 1), d(2023, 12, 31) }, { calendar.span("2023") })
    assert.same({ nil, "bad day in 2022-02-30" }, { calendar.span("2022-02-30") })
    assert.same({ nil, "bad month in 2022-13" }, { calendar.span("2022-13") })
    assert.same({ nil, "not an ISO date: 5 Sep 2022" }, { calendar.span("5 Sep 2022") })
    assert.same({ nil, "not an ISO date: 2022-08-20T10:00" }, { calendar.span("2022-08-20T10:00") })
    assert.same({ nil, "not a string" }, { calendar.span(20220820) })
  end)
end)
