/*
** fold.c — the folding engine: text to matching key, with a map back to the
** source. The contract (rules, units, mapping) is documented in fold.h; this
** file is the implementation, shared by dossier.text and dossier.lexicon.
**
** Speed matters (the lexicon folds every text it scans), so the common case
** is handled sixteen bytes at a time with SSE2 where available, else eight
** with word-wide arithmetic (SWAR): a block of printable ASCII without
** whitespace runs is lower-cased in one step. Everything else goes through a
** per-unit path with small lookup tables.
*/
#include "fold.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* What a non-ASCII code point folds to. */
enum { DS_KEEP, DS_OUT, DS_SPACE, DS_IGNORE };

/*
** Per-code-point tables, 2 letters at most plus NUL. An empty string means
** "ignorable" (folds to nothing); × and ÷ are handled before the lookup.
*/
static const char ds_latin1[64][3] = {
    "a",  "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "dj", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a",  "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "dj", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};
static const char ds_latin_ext_a[128][3] = {
    "a",  "a",  "a",  "a",  "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "dj", "dj", "e",  "e",  "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g",  "g",  "g",  "g",  "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i",  "i",  "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    "l",  "l",  "l",  "n",  "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o",  "o",  "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    "s",  "s",  "t",  "t",  "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u",  "u",  "u",  "u",  "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
static const char ds_cyrillic[96][3] = {
    "e", "e", "dj", "gj", "je", "dz", "i", "ji", "j", "lj", "nj", "c", "kj", "i", "u",  "dz",
    "a", "b", "v",  "g",  "d",  "e",  "z", "z",  "i", "j",  "k",  "l", "m",  "n", "o",  "p",
    "r", "s", "t",  "u",  "f",  "h",  "c", "c",  "s", "sc", "",   "y", "",   "e", "ju", "ja",
    "a", "b", "v",  "g",  "d",  "e",  "z", "z",  "i", "j",  "k",  "l", "m",  "n", "o",  "p",
    "r", "s", "t",  "u",  "f",  "h",  "c", "c",  "s", "sc", "",   "y", "",   "e", "ju", "ja",
    "e", "e", "dj", "gj", "je", "dz", "i", "ji", "j", "lj", "nj", "c", "kj", "i", "u",  "dz",
};

/*
** U+2000..U+203F that fold to one ASCII byte (dashes, quotes, guillemets),
** by the low 6 bits; 0 for the others. News text is full of them.
*/
static const char ds_punct2000[64] = {
    [0x10] = '-',  [0x11] = '-',  [0x12] = '-',  [0x13] = '-',  [0x14] = '-', [0x15] = '-',
    [0x18] = '\'', [0x19] = '\'', [0x1A] = '\'', [0x1B] = '\'', [0x1C] = '"', [0x1D] = '"',
    [0x1E] = '"',  [0x1F] = '"',  [0x39] = '\'', [0x3A] = '\'',
};

/* ASCII classes for the scalar path: 0 letter/other byte, 1 whitespace. */
static const unsigned char ds_ascii_space[128] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
};

size_t ds_fold_bound(size_t len) {
  return len;
}

size_t ds_utf8_decode(const char *str, size_t len, size_t i, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)str + i;
  size_t avail = len - i;
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xC2) /* continuation byte, or overlong 2-byte lead */
    return 0;
  if (c < 0xE0) {
    if (avail < 2 || (s[1] & 0xC0) != 0x80) return 0;
    *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if (c < 0xF0) {
    /* Second byte ranges exclude overlongs (E0) and surrogates (ED). */
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    if (avail < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
    *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return 3;
  }
  if (c < 0xF5) {
    /* F0 excludes overlongs, F4 caps at U+10FFFF. */
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    if (avail < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
  }
  return 0;
}

int ds_utf8_valid(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, n;
  uint32_t cp;
  while (i < len) {
    unsigned char c = u[i];
    if (c < 0x80) { /* ASCII: then eight bytes at a time while they all are */
      uint64_t w;
      i++;
      while (i + 8 <= len) {
        memcpy(&w, u + i, 8);
        if (w & UINT64_C(0x8080808080808080)) break;
        i += 8;
      }
    } else if (c >= 0xC2 && c <= 0xDF) { /* two bytes: Cyrillic, Latin with diacritics */
      if (i + 1 >= len || (u[i + 1] & 0xC0) != 0x80) return 0;
      i += 2;
    } else {
      n = ds_utf8_decode(s, len, i, &cp);
      if (n == 0) return 0;
      i += n;
    }
  }
  return 1;
}

static int ds_is_space_cp(uint32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int ds_is_ignorable_cp(uint32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) ||
         cp == 0x2060 || cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x42A ||
         cp == 0x42C || cp == 0x44A || cp == 0x44C;
}

static size_t ds_put_str(char *buf, const char *s) {
  size_t n = 0;
  while (s[n]) {
    buf[n] = s[n];
    n++;
  }
  return n;
}

/* Greek small letter for a Greek code point, or 0 if not handled. */
static uint32_t ds_greek_lower(uint32_t cp) {
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;
  switch (cp) {
  case 0x386:
  case 0x3AC:
    return 0x3B1; /* alpha */
  case 0x388:
  case 0x3AD:
    return 0x3B5; /* epsilon */
  case 0x389:
  case 0x3AE:
    return 0x3B7; /* eta */
  case 0x38A:
  case 0x3AF:
  case 0x390:
  case 0x3AA:
  case 0x3CA:
    return 0x3B9;
  case 0x38C:
  case 0x3CC:
    return 0x3BF; /* omicron */
  case 0x38E:
  case 0x3CD:
  case 0x3B0:
  case 0x3AB:
  case 0x3CB:
    return 0x3C5;
  case 0x38F:
  case 0x3CE:
    return 0x3C9; /* omega */
  case 0x3C2:
    return 0x3C3; /* final sigma */
  default:
    return 0;
  }
}

/*
** Fold one non-ASCII code point. For DS_OUT, writes 1..3 bytes to buf and
** their count to *n.
*/
static int ds_fold_cp(uint32_t cp, char *buf, size_t *n) {
  if (cp < 0x100) {
    if (cp >= 0xC0) {
      if (cp == 0xD7 || cp == 0xF7) return DS_KEEP;
      *n = ds_put_str(buf, ds_latin1[cp - 0xC0]);
      return DS_OUT;
    }
    if (cp == 0x85 || cp == 0xA0) return DS_SPACE;
    if (cp == 0xAD) return DS_IGNORE;
    if (cp == 0xAB || cp == 0xBB) {
      buf[0] = '"';
      *n = 1;
      return DS_OUT;
    }
    if (cp == 0xB4) {
      buf[0] = '\'';
      *n = 1;
      return DS_OUT;
    }
    return DS_KEEP;
  }
  if (cp < 0x180) {
    *n = ds_put_str(buf, ds_latin_ext_a[cp - 0x100]);
    return DS_OUT;
  }
  if (cp < 0x300) {
    const char *s = NULL;
    if (cp >= 0x1C4 && cp <= 0x1CC)
      s = cp <= 0x1C6 ? "dz" : cp <= 0x1C9 ? "lj" : "nj";
    else if (cp >= 0x218 && cp <= 0x219)
      s = "s";
    else if (cp >= 0x21A && cp <= 0x21B)
      s = "t";
    if (!s) return DS_KEEP;
    *n = ds_put_str(buf, s);
    return DS_OUT;
  }
  if (cp < 0x370) return DS_IGNORE; /* combining diacritical marks */
  if (cp < 0x400) {
    uint32_t g = ds_greek_lower(cp);
    if (!g) return DS_KEEP;
    buf[0] = (char)(0xC0 | (g >> 6));
    buf[1] = (char)(0x80 | (g & 0x3F));
    *n = 2;
    return DS_OUT;
  }
  if (cp < 0x460) {
    const char *s = ds_cyrillic[cp - 0x400];
    if (!*s) return DS_IGNORE; /* hard and soft signs */
    *n = ds_put_str(buf, s);
    return DS_OUT;
  }
  if (cp == 0x490 || cp == 0x491) {
    buf[0] = 'g';
    *n = 1;
    return DS_OUT;
  }
  if (cp < 0x2000) {
    if (cp == 0x1680) return DS_SPACE;
    return DS_KEEP;
  }
  if (cp < 0x2070) {
    if (ds_is_space_cp(cp)) return DS_SPACE;
    if (ds_is_ignorable_cp(cp)) return DS_IGNORE;
    if ((cp >= 0x2010 && cp <= 0x2015)) {
      buf[0] = '-';
      *n = 1;
      return DS_OUT;
    }
    if ((cp >= 0x2018 && cp <= 0x201B) || cp == 0x2039 || cp == 0x203A) {
      buf[0] = '\'';
      *n = 1;
      return DS_OUT;
    }
    if (cp >= 0x201C && cp <= 0x201F) {
      buf[0] = '"';
      *n = 1;
      return DS_OUT;
    }
    if (cp == 0x2026) {
      memcpy(buf, "...", 3);
      *n = 3;
      return DS_OUT;
    }
    return DS_KEEP;
  }
  if (cp == 0x2212) {
    buf[0] = '-';
    *n = 1;
    return DS_OUT;
  }
  if (cp == 0x1E9E) {
    memcpy(buf, "ss", 2);
    *n = 2;
    return DS_OUT;
  }
  if (cp == 0x3000) return DS_SPACE;
  if (cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F)) return DS_IGNORE;
  return DS_KEEP;
}

/* Classify the source position i (a character or an invalid byte). */
static int ds_class_at(const char *src, size_t len, size_t i, size_t *clen) {
  unsigned char c = (unsigned char)src[i];
  uint32_t cp;
  if (c < 0x80) {
    *clen = 1;
    return ds_ascii_space[c] ? DS_SPACE : DS_OUT;
  }
  *clen = ds_utf8_decode(src, len, i, &cp);
  if (*clen == 0) {
    *clen = 1;
    return DS_KEEP;
  }
  if (ds_is_space_cp(cp)) return DS_SPACE;
  if (ds_is_ignorable_cp(cp)) return DS_IGNORE;
  return DS_OUT;
}

/* Skip the ignorables (and, if spaces, whitespace) starting at i. */
static size_t ds_skip_ignorables(const char *src, size_t len, size_t i, int spaces) {
  while (i < len) {
    unsigned char c = (unsigned char)src[i];
    size_t clen;
    int k;
    if (c < 0x80) {
      if (spaces && ds_ascii_space[c]) {
        i++;
        continue;
      }
      return i;
    }
    /* Only these lead bytes start a space or an ignorable: C2 (U+0085,
       U+00A0, U+00AD), CC CD (combining marks), D0 D1 (hard and soft signs),
       E1 E2 E3 EF (U+1680, U+2000.., U+3000, U+FE00.., U+FEFF). */
    if (!((c == 0xC2 || c == 0xCC || c == 0xCD || c == 0xD0 || c == 0xD1 || c == 0xE1 ||
           c == 0xE2 || c == 0xE3 || c == 0xEF)))
      return i;
    if ((c == 0xD0 || c == 0xD1) && i + 1 < len) {
      unsigned char c2 = (unsigned char)src[i + 1];
      if (c == 0xD0 ? (c2 != 0xAA && c2 != 0xAC) : (c2 != 0x8A && c2 != 0x8C)) return i;
    }
    k = ds_class_at(src, len, i, &clen);
    if (k == DS_IGNORE || (spaces && k == DS_SPACE))
      i += clen;
    else
      return i;
  }
  return i;
}

size_t ds_fold_unit_end(const char *src, size_t len, size_t start) {
  size_t clen;
  int k;
  if (start >= len) return len;
  k = ds_class_at(src, len, start, &clen);
  return ds_skip_ignorables(src, len, start + clen, k == DS_SPACE);
}

size_t ds_fold_cut(const char *src, size_t len, size_t lo, size_t hi) {
  for (size_t q = hi; q > lo; q--) {
    unsigned char c;
    size_t clen;
    int k;
    if (q >= len) {
      if (q == len) return q;
      continue;
    }
    c = (unsigned char)src[q];
    if (c < 0x80) {
      if (!ds_ascii_space[c]) return q;
    } else if (c >= 0xC0) { /* never a continuation byte: a unit may start */
      k = ds_class_at(src, len, q, &clen);
      if (k != DS_SPACE && k != DS_IGNORE) return q;
    }
  }
  return 0;
}

#define DS_H8    0x8080808080808080ULL
#define DS_B8(b) (0x0101010101010101ULL * (b))

/*
** Fold 8 source bytes of printable ASCII in one go: lower-case them, and
** turn the whitespace among them into spaces, provided each whitespace byte
** is a run of its own. `next` is the byte after the block (0 at the end of
** the text): a whitespace byte in last place is only a whole run if `next`
** is printable ASCII, not whitespace. Returns 0 (nothing written) if the
** block needs the per-unit path: non-ASCII, control bytes, adjacent
** whitespace. `out` may be written 8 bytes ahead (o <= i, see ds_fold).
*/
static inline int ds_fold8(const char *src, char *out, unsigned char next) {
  uint64_t x, sp, ctl, ws, up;
  memcpy(&x, src, 8);
  /* Branch-free tests, high bit of each byte: sp bytes <= 0x20, ctl bytes
     < 0x20, ws bytes 0x09..0x0D (\t \n \v \f \r). Carries between bytes
     only happen with non-ASCII bytes, which fail the block anyway. */
  sp = ~(x + DS_B8(0x5F)) & DS_H8;
  ctl = ~(x + DS_B8(0x60)) & DS_H8;
  ws = (x + DS_B8(0x77)) & ~(x + DS_B8(0x72)) & DS_H8;
  if ((x & DS_H8) | (ctl & ~ws) | (sp & (sp << 8))) return 0;
  if ((unsigned char)src[7] <= ' ' && (unsigned char)(next - 0x21) >= 0x5F) return 0;
  x = (x & ~((sp >> 7) * 0xFF)) | (sp >> 2);           /* whitespace to ' ' */
  up = (x + DS_B8(0x3F)) & ~(x + DS_B8(0x25)) & DS_H8; /* 'A'..'Z' */
  x |= up >> 2;
  memcpy(out, &x, 8);
  return 1;
}

/*
** Record unit start (o_, i_) in the marks due at or before folded offset o_
** (see ds_fold_marked). Only called where a unit starts producing output.
*/
#define DS_MARK(o_, i_)                                                                            \
  do {                                                                                             \
    if (marks)                                                                                     \
      while (mnext <= (o_)) {                                                                      \
        marks[mj].out = (o_);                                                                      \
        marks[mj].src = (i_);                                                                      \
        mj++;                                                                                      \
        mnext += (size_t)1 << shift;                                                               \
      }                                                                                            \
  } while (0)

#if defined(__SSE2__) && defined(__GNUC__)
/*
** ds_fold8 for up to 16 bytes with SSE2 (baseline on x86-64), same rules:
** folds the longest prefix of src[0..16) made of one-byte units (printable
** ASCII, and whitespace bytes followed by printable ASCII) and returns its
** length. 16 bytes are written to `out` (o <= i, see ds_fold); only that
** many are meaningful. A block stopped early costs one step, not eight.
*/
static inline size_t ds_fold16(const char *src, char *out, unsigned char next) {
  __m128i x = _mm_loadu_si128((const __m128i *)(const void *)src), sp, bad, up;
  unsigned spm, badm, stop;
  /* Signed compares: bytes >= 0x80 are negative, so "bad" and "< 0x21". */
  sp = _mm_cmplt_epi8(x, _mm_set1_epi8(0x21));
  bad = _mm_andnot_si128(
      _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(8)), _mm_cmplt_epi8(x, _mm_set1_epi8(14))),
      _mm_cmplt_epi8(x, _mm_set1_epi8(0x20))); /* non-ASCII, control other than \t..\r */
  spm = (unsigned)_mm_movemask_epi8(sp);
  badm = (unsigned)_mm_movemask_epi8(bad);
  /* Whitespace is a unit of its own only before printable ASCII (bit 16: the
     byte after the block). */
  stop = badm | (spm & ((spm | badm | ((unsigned char)(next - 0x21) >= 0x5F ? 0x10000u : 0)) >> 1));
  x = _mm_or_si128(_mm_andnot_si128(sp, x), _mm_and_si128(sp, _mm_set1_epi8(' ')));
  up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                     _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
  x = _mm_or_si128(x, _mm_and_si128(up, _mm_set1_epi8(0x20)));
  _mm_storeu_si128((__m128i *)(void *)out, x);
  return (size_t)__builtin_ctz(stop | 0x10000u);
}
#endif

static inline size_t ds_fold_impl(const char *src, size_t len, char *out, size_t *map,
                                  ds_fold_mark *marks, unsigned shift) {
  size_t i = 0, o = 0, mj = 0, mnext = 0;
  /* Ignorables before the first unit produce nothing. */
  i = ds_skip_ignorables(src, len, 0, 0);
  while (i < len) {
    unsigned char c = (unsigned char)src[i];
    if (c < 0x80 && i + 8 <= len) {
      size_t i0 = i;
#if defined(__SSE2__) && defined(__GNUC__)
      while (i + 16 <= len) {
        size_t g = ds_fold16(src + i, out + o, i + 16 < len ? (unsigned char)src[i + 16] : 0);
        if (g == 0) break;
        if (map)
          for (size_t k = 0; k < g; k++) map[o + k] = i + k;
        DS_MARK(o, i);
        i += g;
        o += g;
        if (g < 16) break; /* the unit at i needs a slower path */
      }
      if (i != i0) continue;
#endif
      while (i + 8 <= len &&
             ds_fold8(src + i, out + o, i + 8 < len ? (unsigned char)src[i + 8] : 0)) {
        if (map)
          for (size_t k = 0; k < 8; k++) map[o + k] = i + k;
        DS_MARK(o, i);
        i += 8;
        o += 8;
      }
      if (i != i0) continue;
    }
    if (c < 0x80) {
      if (map) map[o] = i;
      DS_MARK(o, i);
      if (ds_ascii_space[c]) {
        out[o++] = ' ';
        i = ds_skip_ignorables(src, len, i + 1, 1);
        continue;
      }
      out[o++] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
      i++;
    } else {
      uint32_t cp;
      size_t clen, start = i;
      /* Fast path: 2-byte Latin-1, Latin Extended-A and Cyrillic letters. */
      if (c >= 0xC3 && c <= 0xD1 && i + 1 < len && ((unsigned char)src[i + 1] & 0xC0) == 0x80) {
        const char *t = NULL;
        cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)src[i + 1] & 0x3F);
        if (cp >= 0xC0 && cp < 0x180 && cp != 0xD7 && cp != 0xF7)
          t = cp < 0x100 ? ds_latin1[cp - 0xC0] : ds_latin_ext_a[cp - 0x100];
        else if (cp >= 0x400 && cp < 0x460)
          t = ds_cyrillic[cp - 0x400];
        if (t && t[0]) {
          if (map) map[o] = i;
          DS_MARK(o, i);
          out[o++] = t[0];
          if (t[1]) {
            if (map) map[o] = i;
            out[o++] = t[1];
          }
          i += 2;
          /* A decomposed й (и + combining breve) folds like й. */
          if ((cp == 0x418 || cp == 0x438) && i + 1 < len && (unsigned char)src[i] == 0xCC &&
              (unsigned char)src[i + 1] == 0x86)
            out[o - 1] = 'j';
          continue;
        }
      }
      /* Fast path: typographic dashes and quotes (E2 80 xx). */
      if (c == 0xE2 && i + 2 < len && (unsigned char)src[i + 1] == 0x80 &&
          ((unsigned char)src[i + 2] & 0xC0) == 0x80 &&
          ds_punct2000[(unsigned char)src[i + 2] & 0x3F]) {
        if (map) map[o] = i;
        DS_MARK(o, i);
        out[o++] = ds_punct2000[(unsigned char)src[i + 2] & 0x3F];
        i += 3;
        continue;
      }
      clen = ds_utf8_decode(src, len, i, &cp);
      if (clen == 0) { /* invalid byte: copied through, a unit of its own */
        if (map) map[o] = i;
        DS_MARK(o, i);
        out[o++] = (char)c;
        i++;
      } else {
        char buf[4];
        size_t n = 0;
        int k = ds_fold_cp(cp, buf, &n);
        if (k == DS_SPACE) {
          if (map) map[o] = i;
          DS_MARK(o, i);
          out[o++] = ' ';
          i = ds_skip_ignorables(src, len, i + clen, 1);
          continue;
        }
        if (k == DS_IGNORE) { /* only reached after a unit: attaches to it */
          i += clen;
          continue;
        }
        if (k == DS_KEEP) {
          memcpy(buf, src + i, clen);
          n = clen;
        }
        DS_MARK(o, start);
        i += clen;
        /* A decomposed й (и + combining breve) folds like й. */
        if ((cp == 0x418 || cp == 0x438) && i + 1 < len && (unsigned char)src[i] == 0xCC &&
            (unsigned char)src[i + 1] == 0x86)
          buf[0] = 'j';
        for (size_t k2 = 0; k2 < n; k2++) {
          if (map) map[o] = start;
          out[o++] = buf[k2];
        }
      }
    }
  }
  if (map) map[o] = len;
  if (marks) /* marks past the last unit start */
    for (; mj <= o >> shift; mj++) {
      marks[mj].out = o;
      marks[mj].src = len;
    }
  return o;
}

size_t ds_fold(const char *src, size_t len, char *out, size_t *map) {
  return map ? ds_fold_impl(src, len, out, map, NULL, 0)
             : ds_fold_impl(src, len, out, NULL, NULL, 0);
}

size_t ds_fold_marked(const char *src, size_t len, char *out, ds_fold_mark *marks, unsigned shift) {
  return ds_fold_impl(src, len, out, NULL, marks, shift);
}
