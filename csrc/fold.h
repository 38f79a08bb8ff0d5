/*
** fold.h — the text folding engine shared by csrc/text.c (dossier.text.fold)
** and csrc/lexicon.c (matching on folded text, reporting original offsets).
**
** Folding turns text into a matching key: two spellings of one word that an
** analyst considers equal ("Čačak", "CACAK", "Чачак", "C\u030Ca\u030Cak")
** fold to the same bytes ("cacak"). The rules, applied to the UTF-8 source:
**
**   - ASCII letters are lower-cased; other ASCII bytes are kept, except that
**     whitespace (space, \t, \n, \v, \f, \r) starts a whitespace run.
**   - Whitespace runs: a maximal run of whitespace characters (ASCII ones,
**     U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
**     U+3000) and ignorables (below) that starts with a whitespace character
**     folds to ONE ASCII space. Leading/trailing runs are kept (as one space).
**   - Ignorables fold to nothing: combining marks U+0300..U+036F, soft hyphen
**     U+00AD, U+200B..U+200D, U+2060, U+FEFF, variation selectors
**     U+FE00..U+FE0F, and the Cyrillic hard/soft signs Ъ ъ Ь ь. So
**     "c" + U+0301 folds like "ć" (to "c"). One exception: Cyrillic и/И
**     directly followed by U+0306 (a decomposed й) folds to "j" like й.
**   - Latin-1 Supplement and Latin Extended-A letters lose case and
**     diacritics: č ć → c, š → s, ž → z, é → e, ü → u, ø → o, ł → l, ı → i;
**     multi-letter: đ Đ → "dj", Ð ð → "dj" (South Slavic text often types Đ
**     as Ð), ß → "ss", æ → "ae", œ → "oe", ĳ → "ij", þ → "th". × and ÷ are
**     kept. Latin Extended-B: the digraph letters Ǆ ǅ ǆ → "dz", Ǉ ǈ ǉ → "lj",
**     Ǌ ǋ ǌ → "nj"; Ș ș → s, Ț ț → t. ẞ (U+1E9E) → "ss".
**   - Cyrillic U+0400..U+045F and Ґ ґ, both cases, to Latin following Serbian
**     Latin spelling, then folded: а → a ... ш → s, ђ → "dj", ж → z, ћ → c,
**     ч → c, џ → "dz", ј → j, љ → "lj", њ → "nj", х → h, ц → c. Other
**     languages' letters: й → j, ё → e, ы → y, э → e, ю → "ju", я → "ja",
**     щ → "sc" (Serbian-Latin "šč" folded), є → "je", ї → "ji", і → i,
**     ґ → g, ў → u, ѓ → "gj", ќ → "kj", ѕ → "dz", ѐ → e, ѝ → i.
**   - Greek capitals are lower-cased and tonos/dialytika removed (ά → α);
**     final sigma ς → σ. The result stays Greek (2-byte UTF-8).
**   - Typographic punctuation becomes ASCII so that it separates words:
**     ‘ ’ ‚ ‛ ‹ › ´ → '\'', “ ” „ ‟ « » → '"', U+2010..U+2015 and U+2212
**     → '-', … → "...".
**   - Every other valid character is copied unchanged (its UTF-8 bytes).
**   - Invalid UTF-8 (overlong forms, surrogates, > U+10FFFF, stray or
**     truncated bytes) never fails: each byte that does not start a valid
**     character is copied through unchanged, as a unit of its own.
**
** Units. The folded text is a concatenation of the outputs of consecutive
** source UNITS. A unit is one of: a whitespace run (above); or one character
** (or one invalid byte) together with all the ignorables that follow it.
** Ignorables at the very start of the text belong to no unit and produce no
** output. Every byte of output belongs to exactly one unit, and a unit's
** source bytes are a contiguous range [start, end).
**
** Mapping back. With `map`, ds_fold records for each output byte the start of
** its unit; ds_fold_unit_end gives the unit's end. A match covering folded
** bytes [a, b] (0-based, inclusive) covers exactly the source bytes
**     [map[a], ds_fold_unit_end(src, len, map[b]))      (0-based, end excl.)
** which includes a whole whitespace run, both letters of a decomposed
** "c" + U+0301, and the whole "đ" even when the match ends on its "d".
**
** No globals, no allocation: all functions are reentrant.
*/
#ifndef DS_FOLD_H
#define DS_FOLD_H

#include <stddef.h>
#include <stdint.h>

/*
** Largest number of bytes ds_fold can write for `len` source bytes. No rule
** makes output longer than its unit's source (đ is 2 bytes → "dj", … is 3
** bytes → "..."), so today this is `len`; always size buffers with it.
*/
size_t ds_fold_bound(size_t len);

/*
** Fold src[0..len) into `out` (capacity >= ds_fold_bound(len)); return the
** number of bytes written (n). If `map` is not NULL it must have room for
** ds_fold_bound(len) + 1 entries: map[i] (i < n) is the 0-based source
** offset where the unit that produced out[i] starts, and map[n] = len. map is
** non-decreasing. Never fails; `src` may contain NUL bytes and invalid UTF-8.
** `out` is not NUL-terminated.
*/
size_t ds_fold(const char *src, size_t len, char *out, size_t *map);

/*
** Checkpoints for mapping back without a map (the fast path). A folded text
** of n bytes gets marks[j] for j = 0 .. n >> shift: the folded offset `out`
** and the source offset `src` of the first unit whose output starts at or
** after j << shift (or {n, len} if there is none), so marks[0] is {0, the
** first unit's start}, and marks[j].out - (j << shift) is less than 16 for
** shift >= 4. To find the unit of folded byte f: take the largest j with
** marks[j].out <= f and fold src[marks[j].src ..) with a map from there;
** marks[j].src is a unit start, so that fold is a suffix of the whole one.
*/
typedef struct {
  size_t out, src;
} ds_fold_mark;

/*
** ds_fold without a map, recording checkpoints every 1 << shift output bytes
** (4 <= shift < 32): `marks` needs room for (ds_fold_bound(len) >> shift) + 2
** entries. Much cheaper than a map (a compare every 8 bytes of ASCII).
*/
size_t ds_fold_marked(const char *src, size_t len, char *out, ds_fold_mark *marks, unsigned shift);

/*
** End (0-based, exclusive) of the unit of src[0..len) that starts at `start`,
** where `start` is a unit start as recorded in a map (behaviour for other
** offsets: it still returns an offset in (start, len], the end of the unit
** that would start there). Constant work per unit: only that unit is read.
*/
size_t ds_fold_unit_end(const char *src, size_t len, size_t start);

/*
** A cut point q with lo < q <= hi (searching down from hi; hi <= len) where
** src may be split for folding in pieces: no unit straddles q, so
** fold(src[0..q)) followed by fold(src[q..len)) equals fold(src), and maps of
** the second piece shift by q. Cuts fall before an ASCII byte that is not
** whitespace, before a byte that can never occur in UTF-8 (C0, C1, F5..FF),
** or before a UTF-8 lead byte whose character is neither whitespace nor
** ignorable. Returns 0 if there is none in (lo, hi] (e.g. a run of spaces).
*/
size_t ds_fold_cut(const char *src, size_t len, size_t lo, size_t hi);

/*
** Word bytes of FOLDED text, for whole-word boundaries: ASCII letters and
** digits, and every byte >= 0x80 (folded text keeps non-ASCII only for
** characters that are not folded: Greek, other scripts, symbols such as € or
** °, and invalid bytes). Since quotes, guillemets, dashes and spaces fold to
** ASCII, "«Iran»" has word boundaries around "iran". Folded text holds no
** upper-case ASCII, so 'A'..'Z' are not tested.
*/
static inline int ds_fold_isword(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

/*
** Decode the UTF-8 character at s[i] (i < len). On success return its length
** (1..4) and store the code point in *cp. Return 0 if the bytes at s[i] do
** not start a valid character (strict RFC 3629: no overlong forms, no
** surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncation).
*/
size_t ds_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp);

/*
** Whether s[0..len) is entirely valid UTF-8 by the same strict rules (those
** PCRE2 checks before a match). ASCII runs are tested eight bytes at a time.
*/
int ds_utf8_valid(const char *s, size_t len);

#endif
