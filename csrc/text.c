/*
** text.c — dossier.text: folding with a map back to the source, Serbian
** Cyrillic/Latin transliteration, sentence and word iterators, UTF-8
** validation and repair.
**
** The folding rules live in fold.c (shared with the lexicon); this file binds
** them to Lua and adds the parts that need a notion of "letter" and "case":
** a small, table-free classification of the scripts our users read (Latin,
** Greek, Cyrillic first; the main letter blocks of other scripts so that
** their words are not cut). It is not a Unicode database: see doc/text.md.
**
** Invalid UTF-8 never stops anything: every function here treats a byte that
** does not start a valid character as a one-byte unit of its own (what it
** becomes is documented per function).
*/
#include <stdint.h>
#include <string.h>

#include "dossier.h"
#include "fold.h"
#include "text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DS_BAD    0xFFFFFFFFu /* code point of an invalid byte */
#define DS_MAP_MT "dossier.text.map"

/* ------------------------------------------------------------------------ */
/* Decoding and character classes                                           */
/* ------------------------------------------------------------------------ */

/* Code point at s[i] and its length; an invalid byte is DS_BAD, length 1. */
static size_t ds_next(const char *s, size_t len, size_t i, uint32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  size_t n;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  n = ds_utf8_decode(s, len, i, cp);
  if (n == 0) {
    *cp = DS_BAD;
    return 1;
  }
  return n;
}

/* Start of the character that ends at s[i-1] (i > 0); *cp as ds_next. */
static size_t ds_prev(const char *s, size_t i, uint32_t *cp) {
  size_t j = i - 1, lim = i >= 4 ? i - 4 : 0;
  if ((unsigned char)s[j] < 0x80) {
    *cp = (unsigned char)s[j];
    return j;
  }
  while (j > lim && ((unsigned char)s[j] & 0xC0) == 0x80) j--;
  if (ds_utf8_decode(s, i, j, cp) == i - j) return j;
  *cp = DS_BAD;
  return i - 1;
}

static inline int ds_is_space(uint32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF;
}

/* Combining marks and the zero-width joiners: they continue a word. */
static int ds_is_mark(uint32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x483 && cp <= 0x489) ||
         (cp >= 0x591 && cp <= 0x5BD) || (cp >= 0x610 && cp <= 0x61A) ||
         (cp >= 0x64B && cp <= 0x65F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0xAD || cp == 0x200C || cp == 0x200D;
}

static int ds_is_digit(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9) ||
         (cp >= 0x966 && cp <= 0x96F) || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Letters from U+0080 on; ds_is_letter answers ASCII itself, inline. */
static int ds_is_letter_ext(uint32_t cp) {
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp < 0x2C2) return cp != 0xD7 && cp != 0xF7 && cp != 0x2BC; /* ʼ is an apostrophe */
  if (cp < 0x370) return 0;
  if (cp < 0x400)
    return cp != 0x375 && cp != 0x37E && cp != 0x384 && cp != 0x385 && cp != 0x387 && cp != 0x3F6;
  if (cp < 0x530) return cp < 0x482 || cp > 0x489;
  return (cp >= 0x531 && cp <= 0x556) || (cp >= 0x561 && cp <= 0x587) ||
         (cp >= 0x5D0 && cp <= 0x5EA) || (cp >= 0x620 && cp <= 0x64A) ||
         (cp >= 0x66E && cp <= 0x6D3) || (cp >= 0x900 && cp <= 0x963) ||
         (cp >= 0x10A0 && cp <= 0x10FF) || (cp >= 0x1E00 && cp <= 0x1FBC) ||
         (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

static inline int ds_is_letter(uint32_t cp) {
  return cp < 0x80 ? (cp | 0x20) - 'a' < 26u : ds_is_letter_ext(cp);
}

static inline int ds_is_alnum(uint32_t cp) {
  if (cp < 0x80) return (cp | 0x20) - 'a' < 26u || cp - '0' < 10u;
  return ds_is_letter_ext(cp) || ds_is_digit(cp);
}

/* 1 upper (or title) case, -1 lower case, 0 uncased or unknown. */
static int ds_case(uint32_t cp) {
  if (cp < 0x80) return cp - 'A' < 26u ? 1 : cp - 'a' < 26u ? -1 : 0;
  if (cp < 0x100) {
    if (cp == 0xD7 || cp == 0xF7 || cp < 0xAA) return 0;
    if (cp >= 0xC0 && cp <= 0xDE) return 1;
    return (cp >= 0xDF || cp == 0xAA || cp == 0xB5 || cp == 0xBA) ? -1 : 0;
  }
  if (cp < 0x180) { /* Latin Extended-A alternates case, with shifts */
    if (cp == 0x138 || cp == 0x149 || cp == 0x17F) return -1;
    if (cp == 0x178) return 1;
    if ((cp >= 0x139 && cp <= 0x148) || cp >= 0x179) return (cp & 1) ? 1 : -1;
    return (cp & 1) ? -1 : 1;
  }
  if (cp >= 0x1C4 && cp <= 0x1CC) return (cp - 0x1C4) % 3 == 2 ? -1 : 1;
  if (cp >= 0x200 && cp <= 0x233) return (cp & 1) ? -1 : 1;
  if (cp >= 0x250 && cp <= 0x2AF) return -1;
  if (cp == 0x386 || (cp >= 0x388 && cp <= 0x38F) || (cp >= 0x391 && cp <= 0x3AB)) return 1;
  if (cp == 0x390 || (cp >= 0x3AC && cp <= 0x3CE)) return -1;
  if (cp >= 0x400 && cp <= 0x42F) return 1;
  if (cp >= 0x430 && cp <= 0x45F) return -1;
  if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
      (cp >= 0x4D0 && cp <= 0x52F) || (cp >= 0x1E00 && cp <= 0x1E95) ||
      (cp >= 0x1EA0 && cp <= 0x1EFF))
    return (cp & 1) ? -1 : 1;
  if (cp >= 0x4C1 && cp <= 0x4CE) return (cp & 1) ? 1 : -1;
  if (cp == 0x4C0 || cp == 0x1E9E || (cp >= 0xFF21 && cp <= 0xFF3A)) return 1;
  if (cp == 0x4CF || (cp >= 0x1E96 && cp <= 0x1E9D) || (cp >= 0xFF41 && cp <= 0xFF5A)) return -1;
  return 0;
}

/* ------------------------------------------------------------------------ */
/* fold and its map                                                         */
/* ------------------------------------------------------------------------ */

/*
** The map of one fold, compact: about 1.2 bytes per source byte instead of
** the 8 of a plain size_t array (a 10 MB text would need 80 MB). For folded
** byte i, start(i) is the 0-based source start of its unit (fold.h). We keep
** step[i] = start(i) - start(i-1), one byte, with 255 meaning "look it up
** in exc" (sorted pairs i, start(i); a step of 255+ needs 255 source bytes,
** so there are at most len/255 of them), and check[b] = start(64 b), so a
** lookup adds at most 63 steps. Everything is inside the userdata block, so
** Lua owns and frees it; the source string is the user value, which keeps
** `src` valid for ds_fold_unit_end.
*/
#define DS_MAP_BLOCK 64
#define DS_MAP_CHUNK 16384

typedef struct {
  size_t n, len, nexc;
  const char *src;
  size_t *check;
  size_t *exc;
  unsigned char *step;
} ds_map;

static ds_map *ds_checkmap(lua_State *L) {
  return (ds_map *)luaL_checkudata(L, 1, DS_MAP_MT);
}

static size_t ds_map_exc(const ds_map *m, size_t i) {
  size_t lo = 0, hi = m->nexc; /* the entry exists: binary search for it */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->exc[2 * mid] <= i)
      lo = mid;
    else
      hi = mid;
  }
  return m->exc[2 * lo + 1];
}

/* start(i), 0-based; start(n) = len. */
static size_t ds_map_start(const ds_map *m, size_t i) {
  size_t b, v;
  if (i >= m->n) return m->len;
  b = i / DS_MAP_BLOCK;
  v = m->check[b];
  for (size_t k = b * DS_MAP_BLOCK + 1; k <= i; k++)
    v = m->step[k] == 255 ? ds_map_exc(m, k) : v + m->step[k];
  return v;
}

/* Record start(i) = v; prev is start(i-1). */
static void ds_map_put(ds_map *m, size_t i, size_t v, size_t prev) {
  size_t d = v - prev;
  if (i % DS_MAP_BLOCK == 0) m->check[i / DS_MAP_BLOCK] = v;
  if (i > 0 && d >= 255) {
    m->step[i] = 255;
    m->exc[2 * m->nexc] = i;
    m->exc[2 * m->nexc + 1] = v;
    m->nexc++;
  } else {
    m->step[i] = (unsigned char)(i > 0 ? d : 0);
  }
}

/* End of the next piece to fold from p: a cut point (fold.h), p < q <= len. */
static size_t ds_next_cut(const char *s, size_t len, size_t p) {
  size_t lo = p;
  for (;;) {
    size_t hi = len - lo > DS_MAP_CHUNK ? lo + DS_MAP_CHUNK : len;
    size_t q = ds_fold_cut(s, len, lo, hi);
    if (q) return q;
    lo = hi;
  }
}

/* Folded offset argument at index idx, 1..hi. */
static size_t ds_checkoff(lua_State *L, int idx, size_t hi) {
  lua_Integer i = luaL_checkinteger(L, idx);
  if (i < 1 || (lua_Unsigned)i > hi)
    luaL_error(L, "dossier.text: folded offset %I out of range 1..%I", i, (lua_Integer)hi);
  return (size_t)i - 1;
}

/* map(i) → source start of folded byte i; map(i, true) → its source end. */
static int ds_map_call(lua_State *L) {
  ds_map *m = ds_checkmap(L);
  int last = lua_toboolean(L, 3);
  size_t i = ds_checkoff(L, 2, last ? m->n : m->n + 1);
  if (last)
    lua_pushinteger(L, (lua_Integer)ds_fold_unit_end(m->src, m->len, ds_map_start(m, i)));
  else
    lua_pushinteger(L, (lua_Integer)ds_map_start(m, i) + 1);
  return 1;
}

/* map:range(a, b) → start, stop of folded bytes a..b in the source. */
static int ds_map_range(lua_State *L) {
  ds_map *m = ds_checkmap(L);
  size_t a = ds_checkoff(L, 2, m->n), b = ds_checkoff(L, 3, m->n);
  if (b < a)
    return luaL_error(L, "dossier.text: empty folded range %I..%I", (lua_Integer)a + 1,
                      (lua_Integer)b + 1);
  lua_pushinteger(L, (lua_Integer)ds_map_start(m, a) + 1);
  lua_pushinteger(L, (lua_Integer)ds_fold_unit_end(m->src, m->len, ds_map_start(m, b)));
  return 2;
}

static int ds_map_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)ds_checkmap(L)->n);
  return 1;
}

static int ds_map_tostring(lua_State *L) {
  ds_map *m = ds_checkmap(L);
  lua_pushfstring(L, "dossier.text.map (%I folded bytes of %I)", (lua_Integer)m->n,
                  (lua_Integer)m->len);
  return 1;
}

/*
** Fold with a map: piece by piece (cut at unit boundaries), through a
** scratch array of full starts that is then packed into the map.
*/
static int ds_fold_mapped(lua_State *L, const char *s, size_t len) {
  size_t bound = ds_fold_bound(len), nblocks, nexc, chunk = 0, p, o = 0, prev = 0;
  size_t *scratch;
  ds_map *m;
  luaL_Buffer b;
  char *out;
  if (bound > (SIZE_MAX / 4 - sizeof(ds_map)) / 2)
    return luaL_error(L, "dossier.text: string too large to map");
  nblocks = bound / DS_MAP_BLOCK + 1;
  nexc = len / 255 + 1;
  m = (ds_map *)lua_newuserdatauv(
      L, sizeof(ds_map) + (nblocks + 2 * nexc) * sizeof(size_t) + bound + 1, 1);
  m->n = m->nexc = 0;
  m->len = len;
  m->src = s;
  m->check = (size_t *)(m + 1);
  m->exc = m->check + nblocks;
  m->step = (unsigned char *)(m->exc + 2 * nexc);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  luaL_setmetatable(L, DS_MAP_MT);
  /* The largest piece sizes the scratch (usually DS_MAP_CHUNK or less). */
  for (p = 0; p < len; p = ds_next_cut(s, len, p))
    if (ds_next_cut(s, len, p) - p > chunk) chunk = ds_next_cut(s, len, p) - p;
  scratch = (size_t *)lua_newuserdatauv(L, (ds_fold_bound(chunk) + 1) * sizeof(size_t), 0);
  out = luaL_buffinitsize(L, &b, bound);
  for (p = 0; p < len;) {
    size_t q = ds_next_cut(s, len, p), k = ds_fold(s + p, q - p, out + o, scratch);
    for (size_t j = 0; j < k; j++) {
      ds_map_put(m, o + j, scratch[j] + p, prev);
      prev = scratch[j] + p;
    }
    o += k;
    p = q;
  }
  m->n = o;
  luaL_pushresultsize(&b, o);
  lua_remove(L, -2); /* the scratch */
  lua_insert(L, -2); /* folded, map */
  return 2;
}

/* fold(s [, lang [, withmap]]) → folded [, map] */
static int ds_text_fold(lua_State *L) {
  size_t len, n;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out;
  if (!lua_isnoneornil(L, 2))
    luaL_checktype(L, 2, LUA_TSTRING); /* reserved: no rule depends on it */
  if (lua_toboolean(L, 3)) return ds_fold_mapped(L, s, len);
  out = luaL_buffinitsize(L, &b, ds_fold_bound(len));
  n = ds_fold(s, len, out, NULL);
  luaL_pushresultsize(&b, n);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* translit                                                                  */
/* ------------------------------------------------------------------------ */

/* Serbian Cyrillic U+0400..U+045F to Latin; NULL: not a Serbian letter. */
static const char *const ds_cyr2lat[96] = {
    NULL, NULL, "Đ", NULL, NULL, NULL, NULL, NULL, "J", "Lj", "Nj", "Ć",  NULL, NULL, NULL, "Dž",
    "A",  "B",  "V", "G",  "D",  "E",  "Ž",  "Z",  "I", NULL, "K",  "L",  "M",  "N",  "O",  "P",
    "R",  "S",  "T", "U",  "F",  "H",  "C",  "Č",  "Š", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "a",  "b",  "v", "g",  "d",  "e",  "ž",  "z",  "i", NULL, "k",  "l",  "m",  "n",  "o",  "p",
    "r",  "s",  "t", "u",  "f",  "h",  "c",  "č",  "š", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, "đ", NULL, NULL, NULL, NULL, NULL, "j", "lj", "nj", "ć",  NULL, NULL, NULL, "dž",
};

static void ds_add_cp(luaL_Buffer *b, uint32_t cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    luaL_addchar(b, (char)cp);
    return;
  }
  if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    n = 2;
  } else {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    n = 3;
  }
  u[n - 1] = (char)(0x80 | (cp & 0x3F));
  luaL_addlstring(b, u, n);
}

static void ds_cyrl_to_latn(const char *s, size_t len, luaL_Buffer *b) {
  size_t i = 0;
  uint32_t prev = 0;
  while (i < len) {
    uint32_t cp;
    size_t n = ds_next(s, len, i, &cp);
    const char *lat = NULL;
    if (cp >= 0x400 && cp < 0x460) lat = ds_cyr2lat[cp - 0x400];
    if (!lat) {
      luaL_addlstring(b, s + i, n);
    } else if (cp == 0x409 || cp == 0x40A || cp == 0x40F) {
      /* Љ Њ Џ: "LJ" inside an upper-case word, "Lj" otherwise. */
      uint32_t next = 0;
      int upper;
      if (i + n < len) ds_next(s, len, i + n, &next);
      upper = ds_case(next) > 0 || (ds_case(prev) > 0 && ds_case(next) >= 0 && !ds_is_alnum(next));
      luaL_addchar(b, lat[0]);
      if (upper)
        ds_add_cp(b, cp == 0x409 ? 'J' : cp == 0x40A ? 'J' : 0x17D);
      else
        luaL_addstring(b, lat + 1);
    } else {
      luaL_addstring(b, lat);
    }
    prev = cp;
    i += n;
  }
}

/*
** The Latin letter at s[i], with a following combining caron or acute
** composed into it (c + U+030C → č), since real web text has both forms.
*/
static size_t ds_latin_at(const char *s, size_t len, size_t i, uint32_t *cp) {
  size_t n = ds_next(s, len, i, cp);
  uint32_t m;
  if (i + n < len && (unsigned char)s[i + n] == 0xCC && ds_next(s, len, i + n, &m) == 2) {
    uint32_t base = *cp | 0x20, up = *cp < 'a';
    if (m == 0x30C && (base == 'c' || base == 's' || base == 'z')) {
      *cp = (base == 'c' ? 0x10C : base == 's' ? 0x160 : 0x17D) + !up;
      return n + 2;
    }
    if (m == 0x301 && base == 'c') {
      *cp = 0x106 + !up;
      return n + 2;
    }
  }
  return n;
}

/* Serbian Latin letter (lower case) to Cyrillic lower case; 0 if none. */
static uint32_t ds_lat2cyr(uint32_t lc) {
  static const uint16_t ascii[26] = {0x430, 0x431, 0x446, 0x434, 0x435, 0x444, 0x433, 0x445, 0x438,
                                     0x458, 0x43A, 0x43B, 0x43C, 0x43D, 0x43E, 0x43F, 0,     0x440,
                                     0x441, 0x442, 0x443, 0x432, 0,     0,     0,     0x437};
  if (lc - 'a' < 26u) return ascii[lc - 'a'];
  switch (lc) {
  case 0x10D:
    return 0x447; /* č */
  case 0x107:
    return 0x45B; /* ć */
  case 0x111:
    return 0x452; /* đ */
  case 0x161:
    return 0x448; /* š */
  case 0x17E:
    return 0x436; /* ž */
  default:
    return 0;
  }
}

/* Lower-case form of the Latin letters ds_lat2cyr knows. */
static uint32_t ds_latin_lower(uint32_t cp) {
  if (cp - 'A' < 26u) return cp + 32;
  if (cp == 0x10C || cp == 0x106 || cp == 0x110 || cp == 0x160 || cp == 0x17D) return cp + 1;
  return cp;
}

/*
** If the word starting at s[i] must stay in Latin, return its end, else 0.
** Such words hold a Latin letter outside the Serbian alphabet (q, w, x, y,
** ö ...: "Wall Street", "Björk"), or are Roman numerals written with I, V, X
** in capitals, at least two letters ("II", "XVI": centuries, "Barozo II").
*/
static size_t ds_keep_latin_word(const char *s, size_t len, size_t i) {
  int foreign = 0, roman = 1;
  size_t letters = 0;
  while (i < len) {
    uint32_t cp;
    size_t n = ds_latin_at(s, len, i, &cp);
    if (ds_is_mark(cp)) {
      i += n;
      continue;
    }
    if (!ds_is_letter(cp)) break;
    letters++;
    roman &= cp == 'I' || cp == 'V' || cp == 'X';
    if (cp < 0x250 && !(cp >= 0x1C4 && cp <= 0x1CC) && !ds_lat2cyr(ds_latin_lower(cp))) foreign = 1;
    i += n;
  }
  return foreign || (roman && letters >= 2) ? i : 0;
}

static void ds_latn_to_cyrl(const char *s, size_t len, luaL_Buffer *b) {
  size_t i = 0;
  uint32_t prev = 0;
  while (i < len) {
    uint32_t cp, lc, cyr, next = 0;
    size_t n = ds_latin_at(s, len, i, &cp), n2 = 0, keep;
    int upper;
    if (!ds_is_letter(prev) && !ds_is_mark(prev) && ds_is_letter(cp) &&
        (keep = ds_keep_latin_word(s, len, i)) != 0) {
      luaL_addlstring(b, s + i, keep - i);
      prev = 'a';
      i = keep;
      continue;
    }
    prev = cp;
    if (cp >= 0x1C4 && cp <= 0x1CC) { /* the digraph letters Ǆ ǅ ǆ ... */
      static const uint16_t dig[9] = {0x40F, 0x40F, 0x45F, 0x409, 0x409,
                                      0x459, 0x40A, 0x40A, 0x45A};
      ds_add_cp(b, dig[cp - 0x1C4]);
      i += n;
      continue;
    }
    lc = ds_latin_lower(cp);
    cyr = ds_lat2cyr(lc);
    if (!cyr) {
      luaL_addlstring(b, s + i, n);
      i += n;
      continue;
    }
    upper = lc != cp;
    if (i + n < len && (lc == 'l' || lc == 'n' || lc == 'd')) {
      n2 = ds_latin_at(s, len, i + n, &next);
      next = ds_latin_lower(next);
      if ((lc == 'l' || lc == 'n') && next == 'j')
        cyr = lc == 'l' ? 0x459 : 0x45A;
      else if (lc == 'd' && next == 0x17E)
        cyr = 0x45F;
      else
        n2 = 0;
    }
    /* Upper case: U+0430..U+044F minus 0x20, U+0450..U+045F minus 0x50. */
    if (upper) cyr -= cyr >= 0x450 ? 0x50 : 0x20;
    ds_add_cp(b, cyr);
    i += n + n2;
  }
}

static int ds_script(lua_State *L, int idx) {
  const char *name = luaL_checkstring(L, idx);
  if (strcmp(name, "Cyrl") == 0) return 'C';
  if (strcmp(name, "Latn") == 0) return 'L';
  return luaL_error(L,
                    "dossier.text: unknown script '%s' (expected 'Cyrl' or "
                    "'Latn')",
                    name);
}

/* translit(s, from, to) → string */
static int ds_text_translit(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  int from = ds_script(L, 2), to = ds_script(L, 3);
  luaL_Buffer b;
  if (from == to) {
    lua_settop(L, 1);
    return 1;
  }
  luaL_buffinitsize(L, &b, len + len / 4 + 8);
  if (from == 'C')
    ds_cyrl_to_latn(s, len, &b);
  else
    ds_latn_to_cyrl(s, len, &b);
  luaL_pushresult(&b);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* sentences                                                                 */
/* ------------------------------------------------------------------------ */

enum { DS_EN = 1, DS_SR = 2 };

/*
** Abbreviations, folded, without their final period. Kinds: 'T' never ends a
** sentence (titles, "e.g."); 'N' ends one unless a number follows ("No. 5",
** "br. 3"); 'E' ends one only before an upper-case word ("etc. The").
** Sorted by abbr (byte order): ds_abbrev looks them up by binary search.
** DS_ABBR_MAX is the longest (most words that end a sentence are longer).
*/
#define DS_ABBR_MAX 6

static const struct {
  const char *abbr;
  char kind;
  unsigned char langs;
} ds_abbrevs[] = {
    {"adm", 'T', DS_EN},          {"akad", 'T', DS_SR},
    {"al", 'E', DS_EN},           {"approx", 'T', DS_EN},
    {"apr", 'T', DS_EN},          {"art", 'N', DS_EN},
    {"aug", 'T', DS_EN},          {"br", 'N', DS_SR},
    {"bros", 'E', DS_EN},         {"capt", 'T', DS_EN},
    {"cf", 'T', DS_EN},           {"cl", 'N', DS_SR},
    {"co", 'E', DS_EN},           {"col", 'T', DS_EN},
    {"corp", 'E', DS_EN},         {"dec", 'T', DS_EN},
    {"dipl", 'T', DS_SR},         {"doc", 'T', DS_SR},
    {"dr", 'T', DS_EN | DS_SR},   {"etc", 'E', DS_EN},
    {"feb", 'T', DS_EN},          {"fig", 'N', DS_EN},
    {"ft", 'T', DS_EN},           {"g", 'T', DS_SR},
    {"gdja", 'T', DS_SR},         {"gdjica", 'T', DS_SR},
    {"gen", 'T', DS_EN | DS_SR},  {"god", 'E', DS_SR},
    {"gosp", 'T', DS_SR},         {"gov", 'T', DS_EN},
    {"hon", 'T', DS_EN},          {"inc", 'E', DS_EN},
    {"ing", 'T', DS_SR},          {"itd", 'E', DS_SR},
    {"itsl", 'E', DS_SR},         {"jan", 'T', DS_EN},
    {"jr", 'T', DS_EN},           {"jul", 'T', DS_EN},
    {"jun", 'T', DS_EN},          {"lt", 'T', DS_EN},
    {"ltd", 'E', DS_EN},          {"maj", 'T', DS_EN},
    {"mar", 'T', DS_EN},          {"messrs", 'T', DS_EN},
    {"mil", 'E', DS_SR},          {"min", 'E', DS_SR},
    {"mlrd", 'E', DS_SR},         {"mr", 'T', DS_EN | DS_SR},
    {"mrs", 'T', DS_EN},          {"ms", 'T', DS_EN},
    {"mt", 'T', DS_EN},           {"no", 'N', DS_EN},
    {"nos", 'N', DS_EN},          {"nov", 'T', DS_EN},
    {"npr", 'T', DS_SR},          {"oct", 'T', DS_EN},
    {"odn", 'T', DS_SR},          {"p", 'N', DS_EN},
    {"pp", 'N', DS_EN},           {"pres", 'T', DS_EN},
    {"prof", 'T', DS_EN | DS_SR}, {"rep", 'T', DS_EN},
    {"rev", 'T', DS_EN},          {"sen", 'T', DS_EN},
    {"sep", 'T', DS_EN},          {"sept", 'T', DS_EN},
    {"sgt", 'T', DS_EN},          {"sl", 'E', DS_SR},
    {"sr", 'T', DS_EN},           {"st", 'T', DS_EN | DS_SR},
    {"str", 'N', DS_SR},          {"sv", 'T', DS_SR},
    {"tj", 'T', DS_SR},           {"tzv", 'T', DS_SR},
    {"ul", 'T', DS_SR},           {"up", 'T', DS_SR},
    {"vol", 'N', DS_EN},          {"vs", 'T', DS_EN},
};

static inline int ds_is_terminator(uint32_t cp) {
  if (cp < 0x80) return cp == '.' || cp == '!' || cp == '?';
  return cp == 0x2026 || cp == 0x37E || cp == 0x203C || (cp >= 0x2047 && cp <= 0x2049) ||
         cp == 0x3002;
}

static int ds_is_closer(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0xAB ||
         cp == 0xBB || (cp >= 0x2018 && cp <= 0x2019) || (cp >= 0x201C && cp <= 0x201D) ||
         cp == 0x2039 || cp == 0x203A;
}

static int ds_is_opener(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == '{' || cp == '-' ||
         cp == 0xAB || cp == 0xBB || cp == 0xA1 || cp == 0xBF || (cp >= 0x2013 && cp <= 0x2014) ||
         (cp >= 0x2018 && cp <= 0x201E) || cp == 0x2039 || cp == 0x203A;
}

static size_t ds_skip_spaces(const char *s, size_t len, size_t i) {
  while (i < len) {
    uint32_t cp;
    size_t n = ds_next(s, len, i, &cp);
    if (!ds_is_space(cp)) break;
    i += n;
  }
  return i;
}

/* Kind of the folded token key[0..n) in ds_abbrevs for langs, or 0. */
static int ds_abbrev(const char *key, size_t n, int langs) {
  size_t lo = 0, hi = sizeof ds_abbrevs / sizeof ds_abbrevs[0];
  if (n > DS_ABBR_MAX) return 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *a = ds_abbrevs[mid].abbr;
    int c = 0;
    size_t k;
    /* key has no NUL (letters, marks, periods): a shorter abbr differs at
       its NUL and sorts first, a longer one sorts after key */
    for (k = 0; k < n && c == 0; k++)
      c = (unsigned char)a[k] == (unsigned char)key[k]  ? 0
          : (unsigned char)a[k] < (unsigned char)key[k] ? -1
                                                        : 1;
    if (c == 0) c = a[n] != 0;
    if (c == 0) return (ds_abbrevs[mid].langs & langs) ? ds_abbrevs[mid].kind : 0;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

/*
** Kind of the token s[ts..t) that a single period at t follows: 'D' digits,
** 'I' an initial (one upper-case letter), 'T'/'N'/'E' an abbreviation (a
** dotted run of single letters such as "U.S" counts as 'T'), 0 otherwise.
*/
static int ds_token_kind(const char *s, size_t ts, size_t t, int langs) {
  size_t i = ts, letters = 0, singles = 1, run = 0, digits = 1, others = 0;
  char buf[64];
  size_t n;
  while (i < t) {
    uint32_t cp;
    size_t k = ds_next(s, t, i, &cp);
    if (cp == '.') {
      singles &= run == 1;
      run = 0;
      digits = 0;
    } else if (ds_is_letter(cp)) {
      letters++;
      run++;
      digits = 0;
    } else if (!ds_is_mark(cp)) {
      digits &= cp - '0' < 10u;
      others++;
    }
    i += k;
  }
  singles &= run == 1;
  if (digits && others) return 'D';
  if (letters == 1 && run == 1 && others == 0) {
    uint32_t cp;
    ds_next(s, t, ts, &cp);
    return ds_case(cp) > 0 ? 'I' : 0;
  }
  if (letters > 1 && singles && others == 0) return 'T';
  if (t - ts >= sizeof buf) return 0;
  n = ds_fold(s + ts, t - ts, buf, NULL);
  if (n == 0) return 0; /* only combining marks */
  return ds_abbrev(buf, n, langs);
}

/*
** Does the terminator run s[t..e) end the sentence that started at `start`?
** e is followed by whitespace. `period` is set if the run is one '.'.
*/
static int ds_is_boundary(const char *s, size_t len, size_t start, size_t t, size_t e, int period,
                          int langs) {
  uint32_t first = 0;
  size_t k = ds_skip_spaces(s, len, e), ts;
  int kind;
  while (k < len) {
    size_t n = ds_next(s, len, k, &first);
    if (!ds_is_opener(first)) break;
    k += n;
    first = 0;
  }
  if (k >= len) return 1;
  if (ds_case(first) < 0) return 0; /* "30. septembra", "2019. godine", "... and then" */
  if (!period) return 1;
  ts = t;
  while (ts > start) {
    uint32_t cp;
    size_t p = ds_prev(s, ts, &cp);
    if (!(cp == '.' || ds_is_alnum(cp) || ds_is_mark(cp))) break;
    ts = p;
  }
  while (ts < t && s[ts] == '.') ts++;
  if (ts == t) return 1;
  kind = ds_token_kind(s, ts, t, langs);
  switch (kind) {
  case 'D':
    return !ds_is_digit(first); /* "30. 9. 2019." is one date */
  case 'I':
    return 0;
  case 'T':
    return 0;
  case 'N':
    return !ds_is_digit(first);
  case 'E':
    return ds_case(first) > 0;
  default:
    return 1;
  }
}

/*
** The splitter only has to look closely at terminators, line breaks and
** whitespace; everything else just extends the sentence. A byte marked here
** may begin one of those: '.', '!', '?', '\n', and the UTF-8 lead bytes of
** U+0085, U+00A0 (C2), U+037E (CD), U+1680 (E1), U+2000..U+205F (E2),
** U+3000, U+3002 (E3) and U+FEFF (EF). All other bytes, ASCII letters, digits
** and spaces, continuation bytes, the leads of Latin, Cyrillic and other
** code points, invalid bytes, are skipped in bulk. That is safe because a
** byte below 0x80 or at or above 0xC0 always begins a unit (a code point or
** an invalid byte) in forward decoding, so the splitter resumes decoding at
** exactly the offsets it would have reached one code point at a time.
*/
static const unsigned char ds_sent_stop[256] = {
    ['\n'] = 1, ['!'] = 1,  ['.'] = 1,  ['?'] = 1,  [0xC2] = 1,
    [0xCD] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* The first byte at or after j that ds_sent_stop marks, or len. */
static size_t ds_sent_skip(const char *s, size_t len, size_t j) {
  const unsigned char *u = (const unsigned char *)s;
#if defined(__SSE2__) && defined(__GNUC__)
  const __m128i dot = _mm_set1_epi8('.'), bang = _mm_set1_epi8('!'), qm = _mm_set1_epi8('?');
  const __m128i nl = _mm_set1_epi8('\n'), c2 = _mm_set1_epi8((char)0xC2);
  const __m128i cd = _mm_set1_epi8((char)0xCD), ef = _mm_set1_epi8((char)0xEF);
  /* E1..E3 are -31..-29 as signed bytes */
  const __m128i e0 = _mm_set1_epi8((char)0xE0), e4 = _mm_set1_epi8((char)0xE4);
  while (j + 16 <= len) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j)), m;
    unsigned bits;
    m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, dot), _mm_cmpeq_epi8(x, bang)),
                     _mm_or_si128(_mm_cmpeq_epi8(x, qm), _mm_cmpeq_epi8(x, nl)));
    m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, c2), _mm_cmpeq_epi8(x, cd)));
    m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, ef),
                                     _mm_and_si128(_mm_cmpgt_epi8(x, e0), _mm_cmplt_epi8(x, e4))));
    bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) return j + (size_t)__builtin_ctz(bits);
    j += 16;
  }
#else
  while (j + 4 <= len) {
    if (ds_sent_stop[u[j]]) return j;
    if (ds_sent_stop[u[j + 1]]) return j + 1;
    if (ds_sent_stop[u[j + 2]]) return j + 2;
    if (ds_sent_stop[u[j + 3]]) return j + 3;
    j += 4;
  }
#endif
  while (j < len && !ds_sent_stop[u[j]]) j++;
  return j;
}

/* Next sentence from s[i..]: sets *a, *b (0-based, b exclusive); 0 at end. */
static int ds_sentence(const char *s, size_t len, size_t i, int langs, size_t *a, size_t *b,
                       size_t *next) {
  size_t j, last = 0;
  i = ds_skip_spaces(s, len, i);
  if (i >= len) return 0;
  *a = j = i;
  while (j < len) {
    uint32_t cp;
    size_t n;
    size_t p = ds_sent_skip(s, len, j);
    if (p > j) {
      /* The skipped units are not whitespace, except ASCII spaces; the last
         other byte ends a unit, since the byte after it is ASCII or p. */
      size_t q = p;
      while (q > j && (s[q - 1] == ' ' || (s[q - 1] >= '\t' && s[q - 1] <= '\r'))) q--;
      if (q > j) last = q;
      j = p;
      if (j >= len) break;
    }
    n = ds_next(s, len, j, &cp);
    if (ds_is_terminator(cp)) {
      size_t e = j, nterm = 0;
      int period = 1;
      while (e < len) {
        uint32_t c2;
        size_t n2 = ds_next(s, len, e, &c2);
        if (ds_is_terminator(c2)) {
          nterm++;
          period &= c2 == '.';
        } else if (!ds_is_closer(c2)) {
          break;
        }
        e += n2;
      }
      if (e >= len) {
        *b = *next = len;
        return 1;
      }
      {
        uint32_t after;
        ds_next(s, len, e, &after);
        if (ds_is_space(after) && ds_is_boundary(s, len, i, j, e, period && nterm == 1, langs)) {
          *b = *next = e;
          return 1;
        }
      }
      last = e;
      j = e;
      continue;
    }
    if (cp == '\n') { /* a blank line ends a sentence (headlines, lists) */
      size_t k = j + 1;
      while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r')) k++;
      if (k < len && s[k] == '\n') {
        *b = last;
        *next = k;
        return 1;
      }
    }
    if (!ds_is_space(cp)) last = j + n;
    j += n;
  }
  *b = last;
  *next = len;
  return 1;
}

static int ds_sentences_iter(lua_State *L) {
  size_t len, a, b, next;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  int langs = (int)lua_tointeger(L, lua_upvalueindex(3));
  if (!ds_sentence(s, len, i, langs, &a, &b, &next)) {
    lua_pushinteger(L, (lua_Integer)len);
    lua_replace(L, lua_upvalueindex(2));
    return 0;
  }
  lua_pushinteger(L, (lua_Integer)next);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)b);
  return 2;
}

static int ds_langs(lua_State *L, int idx) {
  static const char *const names[] = {"en", "sr", "hr", "bs", "sh", "cnr", NULL};
  size_t n;
  const char *lang;
  char tag[4];
  if (lua_isnoneornil(L, idx)) return DS_EN | DS_SR;
  lang = luaL_checklstring(L, idx, &n);
  /* The primary subtag decides: "sr-Latn", "en_US" */
  for (n = 0; n < 3 && lang[n] && lang[n] != '-' && lang[n] != '_'; n++)
    tag[n] = (char)(lang[n] | 0x20);
  tag[n] = 0;
  if (lang[n] == 0 || lang[n] == '-' || lang[n] == '_')
    for (int k = 0; names[k]; k++)
      if (strcmp(tag, names[k]) == 0) return k == 0 ? DS_EN : DS_SR;
  return luaL_error(L,
                    "dossier.text: unsupported language '%s' (expected en, "
                    "sr, hr, bs, sh, cnr or nil)",
                    lang);
}

/* sentences(s [, lang]) → iterator of start, stop */
static int ds_text_sentences(lua_State *L) {
  int langs;
  luaL_checkstring(L, 1);
  langs = ds_langs(L, 2);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushinteger(L, langs);
  lua_pushcclosure(L, ds_sentences_iter, 3);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* words                                                                     */
/* ------------------------------------------------------------------------ */

static int ds_is_joiner(uint32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x2BC || cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Next word from s[i..]: sets *a, *b (0-based, b exclusive); 0 at end. */
static int ds_word(const char *s, size_t len, size_t i, size_t *a, size_t *b) {
  uint32_t cp, prev = 0;
  size_t n;
  while (i < len) {
    n = ds_next(s, len, i, &cp);
    if (ds_is_alnum(cp)) break;
    i += n;
  }
  if (i >= len) return 0;
  *a = i;
  while (i < len) {
    n = ds_next(s, len, i, &cp);
    if (ds_is_alnum(cp) || ds_is_mark(cp)) {
      if (!ds_is_mark(cp)) prev = cp;
      i += n;
      continue;
    }
    /* "O'Brien", "Al-Qaida", "1.5", "1,000": only between word characters */
    if (ds_is_joiner(cp) || ((cp == '.' || cp == ',') && ds_is_digit(prev))) {
      uint32_t next;
      if (i + n < len) {
        ds_next(s, len, i + n, &next);
        if (ds_is_joiner(cp) ? ds_is_alnum(next) : ds_is_digit(next)) {
          i += n;
          continue;
        }
      }
    }
    break;
  }
  *b = i;
  return 1;
}

static int ds_words_iter(lua_State *L) {
  size_t len, a, b;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &len);
  size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(2));
  if (!ds_word(s, len, i, &a, &b)) {
    lua_pushinteger(L, (lua_Integer)len);
    lua_replace(L, lua_upvalueindex(2));
    return 0;
  }
  lua_pushinteger(L, (lua_Integer)b);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_pushinteger(L, (lua_Integer)b);
  lua_pushlstring(L, s + a, b - a);
  return 3;
}

/* words(s) → iterator of start, stop, word */
static int ds_text_words(lua_State *L) {
  luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, ds_words_iter, 2);
  return 1;
}

/* ------------------------------------------------------------------------ */
/* utf8_valid, sanitize                                                      */
/* ------------------------------------------------------------------------ */

/* Offset of the first invalid byte of s[i..len), or len. */
static size_t ds_first_invalid(const char *s, size_t len, size_t i) {
  while (i < len) {
    uint32_t cp;
    size_t n;
    /* ASCII is most text: skip it eight bytes at a time. */
    while (i + 8 <= len) {
      uint64_t x;
      memcpy(&x, s + i, 8);
      if (x & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    n = ds_utf8_decode(s, len, i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return len;
}

/* utf8_valid(s) → true | false, offset */
static int ds_text_utf8_valid(lua_State *L) {
  size_t len, bad;
  const char *s = luaL_checklstring(L, 1, &len);
  bad = ds_first_invalid(s, len, 0);
  if (bad == len) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_pushinteger(L, (lua_Integer)bad + 1);
  return 2;
}

/*
** Length of the maximal subpart at s[0] (an invalid position): the longest
** prefix of a well-formed sequence, or 1 (Unicode ch. 3, "U+FFFD
** Substitution of Maximal Subparts").
*/
static size_t ds_maximal_subpart(const unsigned char *s, size_t avail) {
  unsigned char c = s[0], lo = 0x80, hi = 0xBF;
  size_t need, k = 1;
  if (c >= 0xC2 && c <= 0xDF)
    need = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    need = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    need = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else
    return 1;
  if (avail > 1 && s[1] >= lo && s[1] <= hi) {
    k = 2;
    while (k < need && k < avail && (s[k] & 0xC0) == 0x80) k++;
  }
  return k;
}

/* sanitize(s) → string, count of replacements */
static int ds_text_sanitize(lua_State *L) {
  size_t len, i = 0, bad, count = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  bad = ds_first_invalid(s, len, 0);
  if (bad == len) {
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    return 2;
  }
  luaL_buffinitsize(L, &b, len + 16);
  while (bad < len) {
    luaL_addlstring(&b, s + i, bad - i);
    luaL_addstring(&b, "\xEF\xBF\xBD");
    count++;
    i = bad + ds_maximal_subpart((const unsigned char *)s + bad, len - bad);
    bad = ds_first_invalid(s, len, i);
  }
  luaL_addlstring(&b, s + i, len - i);
  luaL_pushresult(&b);
  lua_pushinteger(L, (lua_Integer)count);
  return 2;
}

/* ------------------------------------------------------------------------ */

int ds_open_text(lua_State *L) {
  static const luaL_Reg funcs[] = {
      {"fold", ds_text_fold},
      {"translit", ds_text_translit},
      {"sentences", ds_text_sentences},
      {"words", ds_text_words},
      {"utf8_valid", ds_text_utf8_valid},
      {"sanitize", ds_text_sanitize},
      {NULL, NULL},
  };
  static const luaL_Reg map_meta[] = {
      {"__call", ds_map_call},
      {"__len", ds_map_len},
      {"__tostring", ds_map_tostring},
      {NULL, NULL},
  };
  static const luaL_Reg map_methods[] = {
      {"range", ds_map_range},
      {NULL, NULL},
  };
  if (luaL_newmetatable(L, DS_MAP_MT)) {
    luaL_setfuncs(L, map_meta, 0);
    luaL_newlib(L, map_methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  luaL_newlib(L, funcs);
  return 1;
}

/* The splitter for the rest of the core (text.h); DS_TEXT_EN/SR equal DS_EN/SR. */
int ds_text_sentence(const char *s, size_t len, size_t i, int langs, size_t *a, size_t *b,
                     size_t *next) {
  return ds_sentence(s, len, i, langs, a, b, next);
}
