/*
** lexicon.c — dossier.lexicon: a gazetteer that finds thousands of names and
** terms in text at once.
**
** Phrases and text are folded by the same engine (fold.h), so case,
** diacritics and Serbian Cyrillic/Latin do not matter, and every match is
** reported in the ORIGINAL text through the fold map.
**
** The matcher is a byte trie over folded phrases, walked from every position
** where a match may start (a word start, or a non-word byte). Because a
** phrase may only start on a word boundary, anchored walks give
** leftmost-longest matching directly and cost about one trie step per text
** byte, like Aho-Corasick, without its failure links. A word written with a
** trailing `*` is a stem: the trie then has a "stem edge" that skips the rest
** of the text word and continues with the phrase's next word.
**
** Objects and ownership (no C globals):
**   - the lexicon userdata holds, in user values, Lua tables of folded keys,
**     ids and attrs (so phrases are Lua memory), a key -> index table for
**     duplicate detection, the compiled automaton and a scratch buffer;
**   - the automaton is a userdata of its own (malloc'd arrays, freed by
**     __gc): it is rebuilt lazily after `add`, and a running `scan` keeps the
**     one it started with;
**   - folded text and its map live in a Lua userdata (scratch), so an error
**     anywhere leaks nothing.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dossier.h"
#include "fold.h"
#include "lexicon.h"

#define DS_LEX_MT  "dossier.lexicon"
#define DS_AUTO_MT "dossier.lexicon.automaton"
#define DS_SCR_MT  "dossier.lexicon.scratch"

/*
** ds_fold_isword as a table: the scan tests every byte, and a load beats
** three compares and their branches there. ds_open_lexicon checks it
** against fold.h.
*/
static const unsigned char ds_wtab[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};
#define W(c) ds_wtab[(unsigned char)(c)]

/* User values of a lexicon userdata. */
enum { UV_KEYS = 1, UV_IDS, UV_ATTRS, UV_INDEX, UV_AUTO, UV_SCRATCH, UV_N = UV_SCRATCH };

/* Key encoding: folded bytes, with 0x00 escaped as 00 01 and a stem as 00 02. */
#define DS_STEM      256
#define DS_MAX_STEMS 32 /* stems per phrase: bounds the matcher's recursion */
#define DS_DENSE_MIN 16 /* children from which a node gets a 256-entry row (ds_label: < 16) */

typedef struct {
  size_t count;   /* distinct phrases */
  size_t entries; /* add() calls kept (index of the last entry) */
  size_t chunk;   /* source bytes folded at a time */
  int closed;
} ds_lex;

/*
** The compiled trie is an array of 32-bit words holding variable-size node
** records, so that a node and its edges share cache lines (the walks'
** cost is mostly cache misses). A record is a header word (DS_R_* flags,
** kind, and a count m in bits 8..15), then the entry index if a phrase ends
** there, then the record of the node after a stem word's free suffix if
** any, then by kind:
**   DS_K_LEAF   nothing: no children;
**   DS_K_PATH   m bytes (padded to a word): a chain of one-child nodes with
**               no phrase end and no stem on the way, ending at the node
**               whose record follows this one at once;
**   DS_K_SPARSE m labels (padded to a word), then the m children's records;
**   DS_K_DENSE  the index of a 256-entry row of children's records.
** Records are laid out depth first, so a name's records are contiguous.
** Offset 0 is the root's, which no edge leads to: 0 means "no child".
*/
#define DS_R_TERM   1u
#define DS_R_STEM   2u
#define DS_K_LEAF   0u
#define DS_K_PATH   4u
#define DS_K_SPARSE 8u
#define DS_K_DENSE  12u
#define DS_K_MASK   12u
#define DS_MAX_PATH 255u
#define DS_CODE_PAD 4 /* words readable past the last record (16-byte label loads) */

typedef struct {
  uint32_t *code;               /* node records (see DS_K_*) */
  uint32_t *rows;               /* dense rows, 256 record offsets each; row 0 is the root's */
  uint64_t *wfilt;              /* word filter: 4 flag bits per hashed first word (DS_WF_*) */
  uint64_t *ffilt;              /* follow filter: a bit per hashed first word + next 1..4 bytes */
  uint64_t *pfilt;              /* prefix filter: a bit per hashed phrase prefix (see below) */
  unsigned char *sfilt;         /* stem gate: bit k - 1 set if k may fit a hashed 3-byte start */
  unsigned wbits, fbits, pbits; /* log2 of the entries of each filter */
  unsigned sbits;               /* log2 of the entries of sfilt */
  unsigned kmask;               /* bit k set: a non-word first byte starts a k-byte prefix */
  unsigned kmaskw;              /* bit k set: some stem word's prefix is k (1..8) bytes long */
  unsigned fmask;               /* bit k set (k < 4): some phrase's follow is k bytes long */
  int punct;                    /* some phrase starts with a non-word byte */
  int npb;                      /* number of such first bytes if at most DS_MAX_PB, else -1 */
  unsigned char pb[4];
  size_t nnodes, nedges, nrows, ncode;
  size_t bytes; /* memory held */
  int freed;
} ds_auto;

/*
** Filters. Most word starts in a text begin no phrase; rather than walking
** the trie from each, test a few bits first (a false positive only costs a
** walk). A phrase whose first word is exact ("iran", "north korea", "the
** uk") can only start at a text word equal to it: the scan hashes each text
** word and looks it up in the word filter, whose flags say whether a phrase
** is that word alone (ONE) or what follows it. For the latter, the follow
** filter holds the first word with the next 4 literal bytes (" kor" for
** "north korea", ". ja" for "s. jaipal reddy"), or fewer where the phrase
** ends or a stem begins sooner ("the uk": " uk"), so a common first word
** ("the", "s", "new") only leads to a walk when what follows fits too.
** A phrase whose first word has a stem, "korej*", can only start at a text
** word beginning with its literal bytes: the prefix filter holds their
** first k (up to 8) hashed, and the stem gate, indexed by a hash of the
** first 3, says which lengths k to test there (k = 1, 2 everywhere), so
** most words cost one byte load. Phrases whose first byte is not a word byte go to the prefix
** filter too: their first k literal bytes (k = 1..4, up to a stem). The
** filters are sized to the lexicon (about 16 entries per phrase, a few KiB
** for small lexicons), so small ones stay in L1 and large ones in L2.
*/
#define DS_MAX_PB 4 /* non-word first bytes the bitmap scan handles */

/* Flags of a word filter entry. */
#define DS_WF_ONE   1u /* a phrase is the word alone */
#define DS_WF_F4    2u /* a phrase goes on with 4 literal bytes after the word */
#define DS_WF_SHORT 4u /* a phrase goes on with 1..3 (then ends or has a stem) */

/*
** Hash of a word s[0..len) from its first and last 8 bytes and its length.
** s[0..8) must be readable; bytes past the word are masked off, in memory
** order whatever the byte order.
*/
static inline uint64_t ds_whash_mix(uint64_t v, uint64_t u, size_t len) {
  return (v ^ (u * 0x9E3779B97F4A7C15u) ^ len) * 0xFF51AFD7ED558CCDu;
}

static inline uint64_t ds_whash(const unsigned char *s, size_t len) {
  static const uint16_t one = 1;
  /* Without branches (word lengths are unpredictable): len >= 1, so the
     shifts are 0..56; the last 8 bytes are loaded from s when len <= 8. */
  size_t m = len < 8 ? len : 8, off = len > 8 ? len - 8 : 0;
  uint64_t v, u, all = ~(uint64_t)0;
  memcpy(&v, s, 8);
  memcpy(&u, s + off, 8);
  v &= *(const unsigned char *)&one ? all >> (64 - 8 * m) : all << (64 - 8 * m);
  return ds_whash_mix(v, len > 8 ? u : 0, len);
}

/* Hash of t[p..p+len), p + len <= n, without reading past t[n - 1]. */
static inline uint64_t ds_rhash(const unsigned char *t, size_t n, size_t p, size_t len) {
  if (p + 8 <= n) return ds_whash(t + p, len);
  {
    unsigned char pad[8] = {0};
    uint64_t v;
    memcpy(pad, t + p, len); /* len <= n - p < 8 */
    memcpy(&v, pad, 8);
    return ds_whash_mix(v, 0, len);
  }
}

static inline uint32_t ds_load4(const unsigned char *t) {
  return (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
}

static const uint32_t ds_kmasks[5] = {0, 0xFFu, 0xFFFFu, 0xFFFFFFu, 0xFFFFFFFFu};

/* Up to 4 bytes t[0..m) as ds_load4 would give them, the rest zero. */
static inline uint32_t ds_loadn(const unsigned char *t, size_t m) {
  uint32_t v = 0;
  size_t i;
  if (m >= 4) return ds_load4(t);
  for (i = 0; i < m; i++) v |= (uint32_t)t[i] << (8 * i);
  return v;
}

/* Hash of the k-byte prefix v (masked). */
static inline uint64_t ds_phash(uint32_t v, unsigned k) {
  uint64_t h = ((uint64_t)v << 3 | k) * 0x9E3779B97F4A7C15u;
  return h ^ (h >> 32);
}

static inline unsigned ds_ctz32(unsigned w) { /* w != 0 */
#if defined(__GNUC__)
  return (unsigned)__builtin_ctz(w);
#else
  unsigned i = 0;
  while (!(w & 1)) w >>= 1, i++;
  return i;
#endif
}

/* s[0..8) as ds_load4 packs bytes (one load on common targets). */
static inline uint64_t ds_load8(const unsigned char *s) {
  uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(&v, s, 8);
#else
  int i;
  for (i = 0; i < 8; i++) v |= (uint64_t)s[i] << (8 * i);
#endif
  return v;
}

/* Hash of the first k (1..8) bytes v (masked) of a stem word. */
static inline uint64_t ds_shash(uint64_t v, unsigned k) {
  uint64_t h = (v ^ ((uint64_t)k * 0xD6E8FEB86659FD93u)) * 0x9E3779B97F4A7C15u;
  return h ^ (h >> 32);
}

/* Bytes 0..k of a stem word's start as ds_load8 packs them (k <= 8). */
static inline uint64_t ds_kmask8(unsigned k) {
  return k >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * k)) - 1;
}

/* Index in the stem gate of the first 3 bytes of v. */
static inline size_t ds_sgate(const ds_auto *a, uint64_t v) {
  return (size_t)(((uint32_t)(v & 0xFFFFFFu) * 0x9E3779B1u) >> (32 - a->sbits));
}

/* Hash of a first word (its hash wh) and the k bytes v after it. */
static inline uint64_t ds_fhash(uint64_t wh, uint32_t v, unsigned k) {
  uint64_t h = (wh ^ ((uint64_t)v << 3 | k)) * 0xC4CEB9FE1A85EC53u;
  return h ^ (h >> 32);
}

/*
** The prefix and follow filters are blocked Bloom filters: a key sets two
** bits of one 64-bit word, so a test is one memory access and false
** positives are rare even in a small array. 2^bits bits, bits >= 6.
*/
static inline uint64_t ds_bloom_mask(uint64_t h) {
  return (uint64_t)1 << (h & 63) | (uint64_t)1 << ((h >> 6) & 63);
}

static inline void ds_bloom_set(uint64_t *f, unsigned bits, uint64_t h) {
  f[h >> (64 - (bits - 6))] |= ds_bloom_mask(h);
}

static inline int ds_bloom_test(const uint64_t *f, unsigned bits, uint64_t h) {
  uint64_t m = ds_bloom_mask(h);
  return (f[h >> (64 - (bits - 6))] & m) == m;
}

/* Flags of the word with hash wh. */
static inline unsigned ds_wflags(const ds_auto *a, uint64_t wh) {
  size_t i = (size_t)(wh >> (64 - a->wbits));
  return (unsigned)(a->wfilt[i >> 4] >> (4 * (i & 15))) & 15u;
}

/* Does a key's word that ends at k[i] end there for good (not at a stem)? */
static inline int ds_wordends(const unsigned char *k, size_t len, size_t i) {
  return i == len || k[i] != 0 || (i + 1 < len && k[i + 1] == 1);
}

/*
** Literal bytes of key k[i..len) up to a stem, at most 4: their count, and
** the bytes in *v (as ds_load4 packs them).
*/
static unsigned ds_keybytes(const unsigned char *k, size_t len, size_t i, uint32_t *v) {
  unsigned n = 0;
  *v = 0;
  while (i < len && n < 4) {
    unsigned sym = k[i++];
    if (sym == 0 && i < len) {
      if (k[i++] != 1) break; /* stem */
    }
    *v |= (uint32_t)sym << (8 * n++);
  }
  return n;
}

/*
** Which filter a key goes to: 1 if its first word is exact (word and follow
** filters; *wlen = its length), 0 if the prefix filter.
*/
static int ds_keykind(const unsigned char *k, size_t len, size_t *wlen) {
  size_t i = 0;
  while (i < len && k[i] != 0 && W(k[i])) i++;
  *wlen = i;
  return i > 0 && ds_wordends(k, len, i);
}

/* Record an encoded key in the filters (sized by ds_filter_size). */
static void ds_filter_add(ds_auto *a, const unsigned char *k, size_t len) {
  uint32_t v;
  unsigned n;
  size_t i;
  if (ds_keykind(k, len, &i)) {
    uint64_t wh = ds_rhash(k, len, 0, i);
    size_t w = (size_t)(wh >> (64 - a->wbits));
    unsigned flag = DS_WF_ONE;
    v = 0;
    n = 0; /* the word alone: no follow bytes */
    if (i < len) {
      n = ds_keybytes(k, len, i, &v); /* >= 1: k[i] is a literal non-word byte */
      flag = n == 4 ? DS_WF_F4 : DS_WF_SHORT;
      if (n < 4) a->fmask |= 1u << n;
    }
    ds_bloom_set(a->ffilt, a->fbits, ds_fhash(wh, v, n));
    a->wfilt[w >> 4] |= (uint64_t)flag << (4 * (w & 15));
    return;
  }
  if (i > 0) { /* a stem word: i word bytes, then a stem */
    unsigned sk = i < 8 ? (unsigned)i : 8u;
    uint64_t x = 0;
    size_t j;
    for (j = 0; j < sk; j++) x |= (uint64_t)k[j] << (8 * j);
    ds_bloom_set(a->pfilt, a->pbits, ds_shash(x, sk));
    a->kmaskw |= 1u << sk;
    if (sk >= 3) a->sfilt[ds_sgate(a, x)] |= (unsigned char)(1u << (sk - 1));
    return;
  }
  n = ds_keybytes(k, len, 0, &v);
  if (n == 0) return; /* cannot happen: keys start with a literal byte */
  ds_bloom_set(a->pfilt, a->pbits, ds_phash(v, n));
  a->kmask |= 1u << n;
}

/* log2 of a filter's entries for m keys: at least `per` per key, 2^10..2^max. */
static unsigned ds_filter_bits(size_t m, size_t per, unsigned max) {
  unsigned b = 10;
  while (b < max && ((size_t)1 << b) < per * m) b++;
  return b;
}

/* May a phrase with a prefix length in kmask start at t[p]? (p + 4 <= n) */
static inline int ds_filter_test(const ds_auto *a, unsigned kmask, const unsigned char *t) {
  uint32_t v = ds_load4(t);
  unsigned k;
  for (k = 4; k >= 1; k--) {
    if (!(kmask & (1u << k))) continue;
    if (ds_bloom_test(a->pfilt, a->pbits, ds_phash(v & ds_kmasks[k], k))) return 1;
  }
  return 0;
}

/* Test the first k bytes of x in the prefix filter for each bit k - 1 of g. */
static int ds_stemtest(const ds_auto *a, uint64_t x, unsigned g) {
  int hit = 0;
  while (g) {
    unsigned k = ds_ctz32(g) + 1;
    g &= g - 1;
    hit |= ds_bloom_test(a->pfilt, a->pbits, ds_shash(x & ds_kmask8(k), k));
  }
  return hit;
}

/*
** May a stem word phrase start at a text word of len bytes whose first
** min(len, 8) bytes are in x (as ds_load8 packs them; bytes past the word
** may be anything)? Few words pass the gate, so the branch is cheap.
*/
static inline int ds_stemcand(const ds_auto *a, uint64_t x, size_t len) {
  unsigned g;
  if (!a->kmaskw) return 0;
  /* k <= len (so a short word's gate entry, hashed from bytes past it, is harmless) */
  g = a->sfilt[ds_sgate(a, x)] & (len >= 8 ? 0xFFu : (1u << len) - 1);
  return g && ds_stemtest(a, x, g);
}

/*
** ds_wordcand for a word with at least 8 bytes after it (e + 8 <= n): the
** answer then needs no text past n. Most words take this path. It
** branches only where most words go one way: on the word filter's flags
** (most words begin no exact-first-word phrase) and on the stem gate; the
** follow filter's answers (hard to predict) are combined without branches.
*/
static inline int ds_wordcand8(const ds_auto *a, const unsigned char *t, size_t p, size_t e) {
  uint64_t wh = ds_whash(t + p, e - p);
  unsigned f = ds_wflags(a, wh), k;
  int hit = 0;
  if (f) { /* the first word of some phrase (or a false positive) */
    uint32_t v = ds_load4(t + e);
    hit = (int)(f >> 1) & ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, v, 4));
    if (f & (DS_WF_ONE | DS_WF_SHORT)) {
      hit |= (f & DS_WF_ONE) && ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, 0, 0));
      if (f & DS_WF_SHORT)
        for (k = 1; k < 4; k++)
          if (a->fmask & (1u << k))
            hit |= ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, v & ds_kmasks[k], k));
    }
  }
  return hit | ds_stemcand(a, ds_load8(t + p), e - p);
}

/*
** May a phrase start at the text word t[p..e) (a word start, e < n or the
** text ends at n)? Sure only when the answer needs no text past n (final:
** nothing comes after t[n - 1]).
*/
static inline int ds_wordcand(const ds_auto *a, const unsigned char *t, size_t n, int final,
                              size_t p, size_t e) {
  if (e == n && !final) return 1; /* the word may go on in the next chunk: let the walk decide */
  {
    uint64_t wh = ds_rhash(t, n, p, e - p);
    unsigned f = ds_wflags(a, wh);
    if ((f & DS_WF_ONE) && ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, 0, 0))) return 1;
    if (f & (DS_WF_F4 | DS_WF_SHORT)) {
      size_t m = n - e; /* bytes after the word */
      uint32_t v = ds_loadn(t + e, m);
      unsigned k;
      if (f & DS_WF_F4) {
        if (m < 4) {
          if (!final) return 1;
        } else if (ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, v, 4))) {
          return 1;
        }
      }
      if (f & DS_WF_SHORT) {
        for (k = 1; k < 4; k++) {
          if (!(a->fmask & (1u << k))) continue;
          if (m < k) {
            if (!final) return 1;
          } else if (ds_bloom_test(a->ffilt, a->fbits, ds_fhash(wh, v & ds_kmasks[k], k))) {
            return 1;
          }
        }
      }
    }
  }
  /* Otherwise only a stem word phrase can start here. */
  {
    size_t len = e - p, m = len < 8 ? len : 8, i;
    uint64_t x = 0;
    for (i = 0; i < m; i++) x |= (uint64_t)t[p + i] << (8 * i);
    return ds_stemcand(a, x, len);
  }
}

/*
** State of one scan. Text is folded a chunk at a time (so memory stays
** bounded and in cache); chunks are cut where a fold unit starts, so each
** folded chunk is exactly a slice of the whole text's fold. map/out are
** malloc'd and freed by the userdata's __gc.
*/
#define DS_CHUNK ((size_t)1 << 16)

/*
** The chunk is folded without a map (a map costs more than the fold itself)
** but with a checkpoint every 64 folded bytes; a match's source offsets come
** from re-folding, with a map, the few bytes from the checkpoint before it.
*/
#define DS_MARK_SHIFT 6u

typedef struct {
  size_t limit;        /* source bytes per chunk (doubled when a match needs more) */
  size_t cap;          /* capacity of map/out/rout in source bytes */
  size_t *map;         /* map of a re-folded piece (ds_locate) */
  unsigned char *out;  /* folded chunk */
  unsigned char *rout; /* re-folded piece (ds_locate) */
  ds_fold_mark *marks; /* checkpoints of the folded chunk, every 2^DS_MARK_SHIFT bytes */
  size_t a, b;         /* chunk = source [a, b) */
  size_t n, pos;       /* folded length; next folded position to search */
  int lead;            /* folded byte before the chunk is a word byte */
  int final;           /* chunk reaches the end of the text */
  int loaded;
} ds_scratch;

static int ds_isspace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* --------------------------------------------------------------------------
** Building the automaton
*/

typedef struct {
  uint32_t child, sibling, stem;
  int32_t term;
  uint16_t label;
  uint16_t nchild;
} ds_bnode;

typedef struct {
  ds_bnode *n;
  size_t len, cap;
  uint32_t root[256];
} ds_builder;

static uint32_t ds_bnew(ds_builder *b, uint16_t label) {
  ds_bnode *x;
  if (b->len == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 1024;
    ds_bnode *n = realloc(b->n, cap * sizeof *n);
    if (!n) return 0;
    b->n = n;
    b->cap = cap;
  }
  x = &b->n[b->len];
  memset(x, 0, sizeof *x);
  x->label = label;
  return (uint32_t)b->len++;
}

/* Child of `node` by symbol (a byte or DS_STEM), created if absent; 0 on OOM. */
static uint32_t ds_bchild(ds_builder *b, uint32_t node, unsigned sym) {
  uint32_t c, nc;
  if (sym == DS_STEM) {
    if (b->n[node].stem) return b->n[node].stem;
    nc = ds_bnew(b, 0);
    if (nc) b->n[node].stem = nc;
    return nc;
  }
  if (node == 0) {
    if (b->root[sym]) return b->root[sym];
    nc = ds_bnew(b, (uint16_t)sym);
    if (nc) {
      b->root[sym] = nc;
      b->n[0].nchild++;
    }
    return nc;
  }
  for (c = b->n[node].child; c; c = b->n[c].sibling)
    if (b->n[c].label == sym) return c;
  nc = ds_bnew(b, (uint16_t)sym);
  if (nc) {
    b->n[nc].sibling = b->n[node].child;
    b->n[node].child = nc;
    b->n[node].nchild++;
  }
  return nc;
}

/* Insert an encoded key; returns 0 on OOM. */
static int ds_binsert(ds_builder *b, const unsigned char *k, size_t len, int32_t term) {
  uint32_t node = 0;
  size_t i = 0;
  while (i < len) {
    unsigned sym = k[i++];
    if (sym == 0 && i < len) sym = k[i++] == 1 ? 0 : DS_STEM;
    node = ds_bchild(b, node, sym);
    if (!node) return 0;
  }
  b->n[node].term = term; /* a later entry with the same key wins */
  return 1;
}

static void ds_auto_free(ds_auto *a) {
  free(a->code);
  free(a->rows);
  free(a->wfilt);
  free(a->ffilt);
  free(a->pfilt);
  free(a->sfilt);
  a->sfilt = NULL;
  a->wfilt = NULL;
  a->ffilt = NULL;
  a->pfilt = NULL;
  a->code = NULL;
  a->rows = NULL;
  a->freed = 1;
}

/*
** The chain of a one-child node x: its labels into lab[0..), the count
** returned, and in *y the node it ends at (see DS_K_PATH).
*/
static size_t ds_chain(const ds_builder *b, uint32_t x, unsigned char *lab, uint32_t *y) {
  size_t m = 0;
  uint32_t c = b->n[x].child;
  for (;;) {
    const ds_bnode *z = &b->n[c];
    lab[m++] = (unsigned char)z->label;
    if (m == DS_MAX_PATH || z->term || z->stem || z->nchild != 1) break;
    c = z->child;
  }
  *y = c;
  return m;
}

/* Words of the record of builder node x (not the root). */
static size_t ds_recsize(const ds_builder *b, uint32_t x, unsigned char *lab) {
  const ds_bnode *z = &b->n[x];
  size_t w = 1 + (z->term != 0) + (z->stem != 0), m;
  uint32_t y;
  if (z->nchild == 0) return w;
  if (z->nchild >= DS_DENSE_MIN) return w + 1;
  if (z->nchild == 1) {
    m = ds_chain(b, x, lab, &y);
    return w + (m + 3) / 4;
  }
  return w + (z->nchild + 3) / 4 + z->nchild;
}

/*
** Lay the builder's trie out as records (see DS_K_PATH), depth first: a
** path's end node right after it, then stems and children. Two passes: the
** offsets of all records, then their contents.
*/
static int ds_compile(ds_auto *a, ds_builder *b) {
  size_t i, sp = 0, nhead = 0, cur = 1, r = 1, nrows = 1, nedges = 0;
  uint32_t *order = malloc(b->len * sizeof *order); /* record heads in layout order */
  uint32_t *off = malloc(b->len * sizeof *off);     /* builder node -> record offset */
  uint32_t *stack = malloc(b->len * sizeof *stack);
  unsigned char lab[DS_MAX_PATH];
  int ok = 0;
  if (!order || !off || !stack) goto done;
  for (i = 1; i < b->len; i++) {
    if (b->n[i].nchild >= DS_DENSE_MIN)
      nrows++;
    else
      nedges += b->n[i].nchild;
  }
  for (i = 256; i-- > 0;)
    if (b->root[i]) stack[sp++] = b->root[i];
  while (sp > 0) {
    uint32_t x = stack[--sp], c, y;
    const ds_bnode *z = &b->n[x];
    off[x] = (uint32_t)cur;
    order[nhead++] = x;
    cur += ds_recsize(b, x, lab);
    if (cur >= (size_t)UINT32_MAX - DS_CODE_PAD) goto done;
    if (z->stem) stack[sp++] = z->stem;
    if (z->nchild == 1) {
      ds_chain(b, x, lab, &y);
      stack[sp++] = y; /* popped next: right after this record */
    } else {
      for (c = z->child; c; c = b->n[c].sibling) stack[sp++] = c;
    }
  }
  a->ncode = cur;
  a->code = calloc(cur + DS_CODE_PAD, sizeof *a->code);
  a->rows = calloc(nrows * 256, sizeof *a->rows);
  if (!a->code || !a->rows) goto done;
  for (i = 0; i < 256; i++) a->rows[i] = b->root[i] ? off[b->root[i]] : 0;
  for (i = 0; i < nhead; i++) {
    uint32_t x = order[i], c, y;
    const ds_bnode *z = &b->n[x];
    uint32_t *w = a->code + off[x], h = 0;
    size_t k = 1, m;
    if (z->term) {
      h |= DS_R_TERM;
      w[k++] = (uint32_t)z->term;
    }
    if (z->stem) {
      h |= DS_R_STEM;
      w[k++] = off[z->stem];
    }
    if (z->nchild >= DS_DENSE_MIN) {
      h |= DS_K_DENSE;
      w[k] = (uint32_t)r;
      for (c = z->child; c; c = b->n[c].sibling) a->rows[r * 256 + b->n[c].label] = off[c];
      r++;
    } else if (z->nchild == 1) {
      m = ds_chain(b, x, lab, &y);
      h |= DS_K_PATH | (uint32_t)m << 8;
      memcpy(w + k, lab, m);
    } else if (z->nchild > 1) {
      unsigned char *l = (unsigned char *)(w + k);
      uint32_t *t = w + k + (z->nchild + 3) / 4;
      h |= DS_K_SPARSE | (uint32_t)z->nchild << 8;
      m = 0;
      for (c = z->child; c; c = b->n[c].sibling, m++) {
        l[m] = (unsigned char)b->n[c].label;
        t[m] = off[c];
      }
    }
    w[0] = h;
  }
  a->nnodes = b->len;
  a->nedges = nedges;
  a->nrows = nrows;
  a->bytes = (cur + DS_CODE_PAD) * sizeof *a->code + nrows * 256 * sizeof *a->rows +
             ((size_t)1 << a->wbits) / 2 + ((size_t)1 << a->fbits) / 8 +
             ((size_t)1 << a->pbits) / 8 + ((size_t)1 << a->sbits);
  ok = 1;
done:
  free(order);
  free(off);
  free(stack);
  return ok;
}

/* --------------------------------------------------------------------------
** Matching
*/

/* Index of c among the m < 16 labels l[0..m) (16 bytes readable), or m. */
static inline unsigned ds_label(const unsigned char *l, unsigned m, unsigned char c) {
#if defined(__SSE2__) && defined(__GNUC__)
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)l);
  unsigned hit = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)));
  hit &= (1u << m) - 1;
  return hit ? (unsigned)__builtin_ctz(hit) : m;
#else
  unsigned i;
  for (i = 0; i < m; i++)
    if (l[i] == c) break;
  return i;
#endif
}

typedef struct {
  size_t end;     /* folded end (exclusive) of the best match, 0 if none */
  size_t literal; /* bytes matched literally (not by a stem's free suffix) */
  unsigned stems; /* stem edges on the path */
  int32_t term;
  int final;      /* the folded text ends where the source ends */
  int incomplete; /* a path ran into the chunk end: decide with more text */
} ds_best;

/*
** Is a candidate better than the best so far? Longest end wins; at equal
** ends more literally matched bytes ("koreja" beats "korej*", which beats
** "kor*" on "koreja"), then fewer stems ("iran" beats "iran*" on "iran"),
** then the later add.
*/
static int ds_better(const ds_best *b, size_t q, size_t literal, unsigned stems, int32_t term) {
  if (q != b->end) return q > b->end;
  if (literal != b->literal) return literal > b->literal;
  if (stems != b->stems) return stems < b->stems;
  return term > b->term;
}

/*
** Walk the trie from record x at text position q, keeping the best
** candidate. Recursion only follows stem edges, so its depth is at most
** DS_MAX_STEMS.
*/
static void ds_walk(const ds_auto *a, const unsigned char *t, size_t n, uint32_t x, size_t q,
                    size_t literal, unsigned stems, ds_best *b) {
  for (;;) {
    const uint32_t *w = a->code + x;
    uint32_t h = *w++, m;
    if (q == n && !b->final) {
      b->incomplete = 1;
      return;
    }
    if (h & DS_R_TERM) {
      int32_t term = (int32_t)*w++;
      if ((q == n || !W(t[q]) || !W(t[q - 1])) && ds_better(b, q, literal, stems, term)) {
        b->end = q;
        b->literal = literal;
        b->stems = stems;
        b->term = term;
      }
    }
    if (h & DS_R_STEM) {
      size_t r = q;
      while (r < n && W(t[r])) r++;
      ds_walk(a, t, n, *w++, r, literal, stems + 1, b);
      if (b->incomplete) return;
    }
    if (q >= n) return;
    m = (h >> 8) & 255u;
    switch (h & DS_K_MASK) {
    case DS_K_PATH: {
      const unsigned char *l = (const unsigned char *)w;
      uint32_t i;
      for (i = 0;;) {
        if (t[q] != l[i]) return;
        q++;
        literal++;
        if (++i == m) break;
        if (q == n) { /* inside the chain: no phrase ends, no stem */
          b->incomplete = !b->final;
          return;
        }
      }
      x = (uint32_t)(w + (m + 3) / 4 - a->code);
      continue;
    }
    case DS_K_SPARSE: {
      unsigned i = ds_label((const unsigned char *)w, m, t[q]);
      if (i == m) return;
      x = w[(m + 3) / 4 + i];
      break;
    }
    case DS_K_DENSE:
      x = a->rows[(size_t)*w * 256 + t[q]];
      if (!x) return;
      break;
    default:
      return;
    }
    q++;
    literal++;
  }
}

#if !defined(                                                                                      \
    __SSE2__) /* else ds_block64 works 16 bytes at a time (clang warns of an unused inline) */
/* High bit of each byte of s[0..8) that is a word byte, without a branch per byte. */
static inline uint64_t ds_wbits(const unsigned char *s) {
  const uint64_t hi = 0x8080808080808080u, ones = 0x0101010101010101u;
  uint64_t v = 0, x, d, l;
  int i;
  for (i = 0; i < 8; i++) v |= (uint64_t)s[i] << (8 * i); /* one load on common targets */
  x = v & ~hi; /* bytes >= 0x80 are word bytes; range-test the others */
  d = (x + ones * (0x80 - '0')) & ~(x + ones * (0x7F - '9'));
  l = (x + ones * (0x80 - 'a')) & ~(x + ones * (0x7F - 'z'));
  return (v | d | l) & hi;
}
#endif

static inline unsigned ds_ctz64(uint64_t w) { /* w != 0 */
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(w);
#else
  unsigned i = 0;
  while (!(w & 1)) w >>= 1, i++;
  return i;
#endif
}

/*
** Bitmaps of 64 bytes x[0..64): bit i of the result is set if x[i] is a word
** byte, bit i of *pw if x[i] is a non-word byte that may start a phrase (one
** of a->pb; any non-word byte if there are more than DS_MAX_PB).
*/
static inline uint64_t ds_block64(const ds_auto *a, const unsigned char *x, uint64_t *pw) {
  uint64_t w = 0, p = 0;
  int npb = a->npb, i;
  size_t k;
#if defined(__SSE2__)
  /* 16 bytes at a time (SSE2 is baseline on x86-64): several times faster
     than the word-wide arithmetic below. */
  const __m128i d0 = _mm_set1_epi8('0' - 1), d1 = _mm_set1_epi8('9' + 1);
  const __m128i l0 = _mm_set1_epi8('a' - 1), l1 = _mm_set1_epi8('z' + 1);
  for (k = 0; k < 64; k += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(x + k));
    /* Signed compares: bytes >= 0x80 are negative, caught by their sign. */
    __m128i d = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmplt_epi8(v, d1));
    __m128i l = _mm_and_si128(_mm_cmpgt_epi8(v, l0), _mm_cmplt_epi8(v, l1));
    w |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_or_si128(d, l))) << k;
    if (npb > 0) {
      __m128i e = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)a->pb[0]));
      for (i = 1; i < npb; i++)
        e = _mm_or_si128(e, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)a->pb[i])));
      p |= (uint64_t)(unsigned)_mm_movemask_epi8(e) << k;
    }
  }
#else
  for (k = 0; k < 64; k += 8) {
    w |= (((ds_wbits(x + k) >> 7) * 0x0102040810204080u) >> 56) << k;
    if (npb > 0) { /* exact byte equality, 8 bytes at a time */
      const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Fu;
      uint64_t v = 0, eq = 0;
      for (i = 0; i < 8; i++) v |= (uint64_t)x[k + i] << (8 * i);
      for (i = 0; i < npb; i++) {
        uint64_t y = v ^ (0x0101010101010101u * a->pb[i]);
        eq |= ~(((y & lo7) + lo7) | y | lo7); /* high bit of each zero byte of y */
      }
      p |= (((eq >> 7) * 0x0102040810204080u) >> 56) << k;
    }
  }
#endif
  *pw = npb < 0 ? ~w : p;
  return w;
}

/* The same for x[0..m), m < 64 (bits m..63 clear), reading nothing past x[m - 1]. */
static uint64_t ds_block_part(const ds_auto *a, const unsigned char *x, size_t m, uint64_t *pw) {
  uint64_t w = 0, p = 0;
  size_t i;
  int k;
  for (i = 0; i < m; i++) {
    unsigned char c = x[i];
    if (W(c)) {
      w |= (uint64_t)1 << i;
    } else if (a->npb < 0) {
      p |= (uint64_t)1 << i;
    } else {
      for (k = 0; k < a->npb; k++)
        if (c == a->pb[k]) p |= (uint64_t)1 << i;
    }
  }
  *pw = p;
  return w;
}

/* ds_block64 or ds_block_part at t[o..], for o < n. */
static inline uint64_t ds_blockat(const ds_auto *a, const unsigned char *t, size_t n, size_t o,
                                  uint64_t *pw) {
  return o + 64 <= n ? ds_block64(a, t + o, pw) : ds_block_part(a, t + o, n - o, pw);
}

/*
** Next match in folded t[0..n) at or after *pos: 1 and [*ms, *me), or 0 at
** the end, or 2 when the candidate at *pos needs text beyond a non-final
** chunk. `lead`: the byte before t[0] is a word byte. The text is taken 64
** bytes at a time as bitmaps (ds_block64): word starts and ends come from
** bit operations, not from a byte loop that mispredicts its exit at every
** word end.
*/
static int ds_next(const ds_auto *a, const unsigned char *t, size_t n, int lead, int final,
                   size_t *pos, size_t *ms, size_t *me, int32_t *term) {
  const uint32_t *root = a->rows;
  size_t p = *pos, j;
  uint64_t w, pw, st, wn = 0, pwn = 0, carry;
  int havenext = 0;
  if (p >= n) {
    *pos = n;
    return 0;
  }
  j = p >> 6;
  w = ds_blockat(a, t, n, j * 64, &pw);
  carry = j ? W(t[j * 64 - 1]) : (uint64_t)(lead != 0);
  st = ((w & ~((w << 1) | carry)) | pw) & (~(uint64_t)0 << (p & 63));
  for (;;) {
    while (st) {
      size_t q = j * 64 + ds_ctz64(st), e;
      unsigned char c = t[q];
      uint32_t child = root[c];
      int cand;
      st &= st - 1;
      if (W(c)) {
        /* the end of the word: the next clear bit (bits past n are clear) */
        uint64_t z = ~w & (~(uint64_t)0 << (q & 63));
        if (z) {
          e = j * 64 + ds_ctz64(z);
        } else if ((j + 1) * 64 >= n) {
          e = n;
        } else {
          if (!havenext) {
            wn = ds_blockat(a, t, n, (j + 1) * 64, &pwn);
            havenext = 1;
          }
          if (~wn) {
            e = (j + 1) * 64 + ds_ctz64(~wn);
          } else { /* a word longer than 64 bytes */
            e = (j + 2) * 64;
            while (e < n && W(t[e])) e++;
          }
        }
        if (e + 8 <= n) {
          cand = child && ds_wordcand8(a, t, q, e);
        } else {
          if (e > n) e = n;
          if (e == n && !final) {
            /* The word may go on in the next chunk, or the chunk may end inside a
               character (tiny chunks): decide with more text. */
            *pos = q;
            return 2;
          }
          cand = child && ds_wordcand(a, t, n, final, q, e);
        }
      } else {
        cand = child && a->kmask && (q + 4 > n || ds_filter_test(a, a->kmask, t + q));
      }
      if (cand) {
        ds_best b = {0, 0, 0, 0, final, 0};
        ds_walk(a, t, n, child, q + 1, 1, 0, &b);
        if (b.incomplete) {
          *pos = q;
          return 2;
        }
        if (b.end) {
          *ms = q;
          *me = b.end;
          *term = b.term;
          *pos = b.end;
          return 1;
        }
      }
    }
    if (++j * 64 >= n) break;
    carry = w >> 63;
    if (havenext) {
      w = wn;
      pw = pwn;
      havenext = 0;
    } else {
      w = ds_blockat(a, t, n, j * 64, &pw);
    }
    st = (w & ~((w << 1) | carry)) | pw;
  }
  *pos = n;
  return 0;
}

/* --------------------------------------------------------------------------
** Userdata helpers
*/

static ds_lex *ds_checklex(lua_State *L, int idx) {
  ds_lex *x = luaL_checkudata(L, idx, DS_LEX_MT);
  if (x->closed) luaL_error(L, "dossier.lexicon: lexicon is closed");
  return x;
}

static int ds_auto_gc(lua_State *L) {
  ds_auto *a = luaL_checkudata(L, 1, DS_AUTO_MT);
  ds_auto_free(a);
  return 0;
}

/* Push the lexicon's automaton (at idx), building it if needed. */
static ds_auto *ds_getauto(lua_State *L, int idx) {
  ds_lex *x = ds_checklex(L, idx);
  ds_auto *a;
  ds_builder b;
  size_t i;
  int ok = 1;
  idx = lua_absindex(L, idx);
  if (lua_getiuservalue(L, idx, UV_AUTO) == LUA_TUSERDATA) return lua_touserdata(L, -1);
  lua_pop(L, 1);
  if (x->entries >= (size_t)INT32_MAX) luaL_error(L, "dossier.lexicon: too many phrases");
  a = lua_newuserdatauv(L, sizeof *a, 0);
  memset(a, 0, sizeof *a);
  luaL_setmetatable(L, DS_AUTO_MT);
  memset(&b, 0, sizeof b);
  ok = ds_bnew(&b, 0) == 0 && b.n != NULL; /* the root is node 0 */
  lua_getiuservalue(L, idx, UV_KEYS);
  {
    /* Size the filters: count the keys that go to each. */
    size_t nw = 0, np = 0, ns = 0, wl;
    for (i = 1; i <= x->entries; i++) {
      size_t len;
      const char *k;
      lua_rawgeti(L, -1, (lua_Integer)i);
      k = lua_tolstring(L, -1, &len);
      if (ds_keykind((const unsigned char *)k, len, &wl))
        nw++;
      else
        np++, ns += wl >= 3;
      lua_pop(L, 1);
    }
    a->wbits = ds_filter_bits(nw, 16, 18);
    a->fbits = ds_filter_bits(nw, 16, 20);
    a->pbits = ds_filter_bits(np, 64, 20);
    a->sbits = ds_filter_bits(ns, 16, 16);
  }
  a->sfilt = calloc((size_t)1 << a->sbits, 1);
  a->wfilt = calloc(((size_t)1 << a->wbits) / 16, sizeof *a->wfilt);
  a->ffilt = calloc(((size_t)1 << a->fbits) / 64, sizeof *a->ffilt);
  a->pfilt = calloc(((size_t)1 << a->pbits) / 64, sizeof *a->pfilt);
  if (!a->wfilt || !a->ffilt || !a->pfilt || !a->sfilt) ok = 0;
  for (i = 1; ok && i <= x->entries; i++) {
    size_t len;
    const char *k;
    lua_rawgeti(L, -1, (lua_Integer)i);
    k = lua_tolstring(L, -1, &len);
    ok = ds_binsert(&b, (const unsigned char *)k, len, (int32_t)i);
    ds_filter_add(a, (const unsigned char *)k, len);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (ok && (a->kmaskw & 6u)) /* 1- and 2-byte starts: tested at every word */
    for (i = 0; i < ((size_t)1 << a->sbits); i++)
      a->sfilt[i] |= (unsigned char)(a->kmaskw >> 1 & 3u);
  if (ok && b.len >= (size_t)UINT32_MAX) ok = 0;
  if (ok) ok = ds_compile(a, &b);
  for (i = 0; ok && i < 256; i++)
    if (!W(i) && a->rows[i]) {
      a->punct = 1;
      if (a->npb >= 0 && a->npb < DS_MAX_PB)
        a->pb[a->npb++] = (unsigned char)i;
      else
        a->npb = -1;
    }
  free(b.n);
  if (!ok) {
    ds_auto_free(a);
    luaL_error(L, "dossier.lexicon: out of memory building the automaton");
  }
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, idx, UV_AUTO);
  return a;
}

static int ds_scratch_gc(lua_State *L) {
  ds_scratch *sc = luaL_checkudata(L, 1, DS_SCR_MT);
  free(sc->map);
  free(sc->out);
  free(sc->rout);
  free(sc->marks);
  sc->rout = NULL;
  sc->marks = NULL;
  sc->map = NULL;
  sc->out = NULL;
  sc->cap = 0;
  return 0;
}

/* Start a scan of a text: reset the state (buffers are kept). */
static void ds_scratch_reset(ds_scratch *sc, size_t limit) {
  sc->limit = limit;
  sc->a = sc->b = sc->n = sc->pos = 0;
  sc->lead = sc->final = sc->loaded = 0;
}

/*
** Push a scratch for a scan. With `reuse`, the lexicon's cached one is taken
** (give it back with ds_putscratch); it is detached meanwhile, so a
** reentrant call (say from a finalizer) gets a fresh one instead.
*/
static ds_scratch *ds_pushscratch(lua_State *L, int lexidx, size_t limit, int reuse) {
  ds_scratch *sc;
  if (reuse && lua_getiuservalue(L, lexidx, UV_SCRATCH) == LUA_TUSERDATA) {
    lua_pushnil(L);
    lua_setiuservalue(L, lexidx, UV_SCRATCH);
    sc = lua_touserdata(L, -1);
  } else {
    if (reuse) lua_pop(L, 1);
    sc = lua_newuserdatauv(L, sizeof *sc, 0);
    memset(sc, 0, sizeof *sc);
    luaL_setmetatable(L, DS_SCR_MT);
  }
  ds_scratch_reset(sc, limit);
  return sc;
}

static void ds_putscratch(lua_State *L, int lexidx, int scidx) {
  ds_scratch *sc = lua_touserdata(L, scidx);
  if (sc->cap > 4 * DS_CHUNK) return; /* grown for a huge match: let it go */
  lua_pushvalue(L, scidx);
  lua_setiuservalue(L, lexidx, UV_SCRATCH);
}

/*
** Can a chunk end before s[x]? Yes where a fold unit surely starts: at an
** ASCII byte that is not whitespace (it ends any whitespace run and is not
** an ignorable), or at ASCII whitespace after an ASCII non-whitespace byte.
*/
static int ds_cutok(const char *s, size_t x) {
  unsigned char c = (unsigned char)s[x], d = (unsigned char)s[x - 1];
  if (c >= 0x80) return 0;
  if (!ds_isspace(c)) return 1;
  return d < 0x80 && !ds_isspace(d);
}

/* Fold the next chunk, starting at sc->a. 0 on out of memory. */
static int ds_load(ds_scratch *sc, const char *s, size_t len) {
  size_t a = sc->a, b, need;
  if (len - a <= sc->limit) {
    b = len;
    sc->final = 1;
  } else {
    size_t x;
    b = a + sc->limit;
    for (x = b; x > a + sc->limit / 2 && !ds_cutok(s, x); x--) {}
    if (x > a + sc->limit / 2) {
      b = x;
    } else { /* no ASCII around (pathological): cut at a character start */
      for (x = b; x > a + 1 && ((unsigned char)s[x] & 0xC0) == 0x80; x--) {}
      b = x;
    }
    sc->final = 0;
  }
  need = ds_fold_bound(b - a);
  if (need > sc->cap || !sc->map) {
    size_t *map;
    unsigned char *out;
    ds_fold_mark *marks;
    if (need >= ((size_t)-1) / sizeof *map - 1) return 0;
    map = realloc(sc->map, (need + 1) * sizeof *map);
    if (!map) return 0;
    sc->map = map;
    out = realloc(sc->out, need + 8);
    if (!out) return 0;
    sc->out = out;
    out = realloc(sc->rout, need + 8);
    if (!out) return 0;
    sc->rout = out;
    marks = realloc(sc->marks, ((need >> DS_MARK_SHIFT) + 2) * sizeof *marks);
    if (!marks) return 0;
    sc->marks = marks;
    sc->cap = need;
  }
  sc->b = b;
  sc->n = ds_fold_marked(s + a, b - a, (char *)sc->out, sc->marks, DS_MARK_SHIFT);
  sc->pos = 0;
  sc->loaded = 1;
  return 1;
}

/*
** Chunk-relative source starts *u0, *u1 of the units that produced folded
** bytes f0 <= f1 < sc->n: re-fold with a map from the checkpoint at or before
** f0 to a cut point past f1 (a piece at least twice the folded distance, then
** doubled if its fold falls short, e.g. over Cyrillic).
*/
static void ds_locate(ds_scratch *sc, const char *s, size_t f0, size_t f1, size_t *u0, size_t *u1) {
  const char *c = s + sc->a;
  size_t clen = sc->b - sc->a, j = f0 >> DS_MARK_SHIFT, o, i, span;
  while (sc->marks[j].out > f0) j--; /* marks[0].out == 0 */
  o = sc->marks[j].out;
  i = sc->marks[j].src;
  span = 2 * (f1 - o + 1) + 64;
  for (;;) {
    size_t q = 0, m;
    if (span < clen - i) q = ds_fold_cut(c, clen, i, i + span);
    if (q == 0) q = span < clen - i ? 0 : clen;
    if (q != 0) {
      m = ds_fold(c + i, q - i, (char *)sc->rout, sc->map);
      if (m > f1 - o || q == clen) { /* q == clen: the rest folds to n - o > f1 - o */
        *u0 = i + sc->map[f0 - o];
        *u1 = i + sc->map[f1 - o];
        return;
      }
    }
    span *= 2;
  }
}

/*
** Next match of the scan: 1 and the source span [*ms, *me) (0-based, end
** exclusive), 0 at the end of the text, -1 on out of memory.
*/
static int ds_step(const ds_auto *A, ds_scratch *sc, const char *s, size_t len, size_t *ms,
                   size_t *me, int32_t *term) {
  for (;;) {
    size_t fs, fe;
    int r;
    if (!sc->loaded) {
      if (sc->final) return 0;
      if (!ds_load(sc, s, len)) return -1;
    }
    r = ds_next(A, sc->out, sc->n, sc->lead, sc->final, &sc->pos, &fs, &fe, term);
    if (r == 1) {
      size_t u0, u1;
      ds_locate(sc, s, fs, fe - 1, &u0, &u1);
      *ms = sc->a + u0;
      *me = sc->a + ds_fold_unit_end(s + sc->a, sc->b - sc->a, u1);
      return 1;
    }
    if (sc->final) {
      sc->loaded = 0; /* done: stays final */
      return 0;
    }
    if (r == 2 && sc->pos == 0) {
      sc->limit *= 2; /* a match longer than a chunk: fold a bigger one */
    } else if (r == 2) {
      size_t u0, u1;
      ds_locate(sc, s, sc->pos, sc->pos, &u0, &u1);
      sc->lead = W(sc->out[sc->pos - 1]);
      sc->a += u0;
    } else {
      if (sc->n > 0) sc->lead = W(sc->out[sc->n - 1]);
      sc->a = sc->b;
    }
    sc->loaded = 0;
  }
}

/* --------------------------------------------------------------------------
** Adding phrases
*/

/* Append folded s[0..len) to the buffer, escaping NUL bytes. */
static void ds_addfolded(lua_State *L, luaL_Buffer *B, const char *s, size_t len, char *tmp) {
  size_t i, n = ds_fold(s, len, tmp, NULL);
  (void)L;
  for (i = 0; i < n; i++) {
    if (tmp[i] == 0) {
      luaL_addchar(B, 0);
      luaL_addchar(B, 1);
    } else {
      luaL_addchar(B, tmp[i]);
    }
  }
}

/*
** Fold a phrase into its key: segments between stem markers are folded
** separately (a `*` ends a word, so no character straddles a cut), joined by
** the stem symbol. Leading/trailing whitespace is dropped. Pushes the key.
*/
static void ds_pushkey(lua_State *L, const char *p, size_t len) {
  luaL_Buffer B;
  char *tmp;
  size_t i, seg, stems = 0, literal = 0;
  size_t klen;
  const char *k;
  while (len > 0 && ds_isspace((unsigned char)p[0])) p++, len--;
  while (len > 0 && ds_isspace((unsigned char)p[len - 1])) len--;
  tmp = lua_newuserdatauv(L, ds_fold_bound(len) + 1, 0);
  luaL_buffinit(L, &B);
  for (i = seg = 0; i < len; i++) {
    if (p[i] != '*') continue;
    if (i + 1 < len && !ds_isspace((unsigned char)p[i + 1]))
      luaL_error(
          L, "dossier.lexicon: '*' inside a word at phrase offset %I (a stem marker ends a word)",
          (lua_Integer)(i + 1));
    if (i == 0 || ds_isspace((unsigned char)p[i - 1]) || p[i - 1] == '*')
      luaL_error(L, "dossier.lexicon: '*' without a word at phrase offset %I",
                 (lua_Integer)(i + 1));
    if (++stems > DS_MAX_STEMS)
      luaL_error(L, "dossier.lexicon: more than %d stems in one phrase", DS_MAX_STEMS);
    ds_addfolded(L, &B, p + seg, i - seg, tmp);
    luaL_addchar(&B, 0);
    luaL_addchar(&B, 2);
    seg = i + 1;
  }
  ds_addfolded(L, &B, p + seg, len - seg, tmp);
  luaL_pushresult(&B);
  lua_remove(L, -2); /* tmp */
  /* Folding may turn non-ASCII spaces into leading/trailing ' ': trim them. */
  k = lua_tolstring(L, -1, &klen);
  {
    size_t a = 0, z = klen;
    while (a < z && k[a] == ' ') a++;
    while (z > a && k[z - 1] == ' ') z--;
    for (i = a; i < z; i++) {
      if (k[i] == 0) {
        i++;
        if (k[i] == 1) literal++;
      } else {
        literal++;
      }
    }
    if (literal == 0) luaL_error(L, "dossier.lexicon: empty phrase");
    if (a > 0 || z < klen) {
      lua_pushlstring(L, k + a, z - a);
      lua_remove(L, -2);
    }
  }
}

/* lex:add(phrase, id [, attrs]) -> lex */
static int ds_lex_add(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  size_t plen;
  const char *p = luaL_checklstring(L, 2, &plen);
  lua_Integer k;
  if (lua_type(L, 3) != LUA_TSTRING)
    luaL_error(L, "dossier.lexicon: id must be a string (got %s)", luaL_typename(L, 3));
  if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  ds_pushkey(L, p, plen); /* 5: key */
  k = (lua_Integer)x->entries + 1;
  lua_getiuservalue(L, 1, UV_INDEX); /* 6 */
  lua_pushvalue(L, 5);
  if (lua_rawget(L, 6) == LUA_TNIL) x->count++;
  lua_pop(L, 1);
  lua_pushvalue(L, 5);
  lua_pushinteger(L, k);
  lua_rawset(L, 6);
  lua_getiuservalue(L, 1, UV_KEYS);
  lua_pushvalue(L, 5);
  lua_rawseti(L, -2, k);
  lua_getiuservalue(L, 1, UV_IDS);
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, k);
  if (!lua_isnil(L, 4)) {
    lua_getiuservalue(L, 1, UV_ATTRS);
    lua_pushvalue(L, 4);
    lua_rawseti(L, -2, k);
  }
  x->entries = (size_t)k;
  lua_pushnil(L);
  lua_setiuservalue(L, 1, UV_AUTO); /* rebuilt lazily at the next scan */
  lua_settop(L, 1);
  return 1;
}

/* --------------------------------------------------------------------------
** Scanning
*/

/* Iterator: upvalues lexicon, automaton, scratch, text. */
static int ds_lex_iter(lua_State *L) {
  ds_auto *a = lua_touserdata(L, lua_upvalueindex(2));
  ds_scratch *sc = lua_touserdata(L, lua_upvalueindex(3));
  size_t len, ms, me;
  const char *s = lua_tolstring(L, lua_upvalueindex(4), &len);
  int32_t term;
  int r;
  if (a->freed) return luaL_error(L, "dossier.lexicon: lexicon is closed");
  r = ds_step(a, sc, s, len, &ms, &me, &term);
  if (r < 0) return luaL_error(L, "dossier.lexicon: out of memory");
  if (r == 0) return 0;
  lua_getiuservalue(L, lua_upvalueindex(1), UV_IDS);
  lua_rawgeti(L, -1, term);
  lua_remove(L, -2);
  lua_pushinteger(L, (lua_Integer)ms + 1);
  lua_pushinteger(L, (lua_Integer)me);
  lua_getiuservalue(L, lua_upvalueindex(1), UV_ATTRS);
  lua_rawgeti(L, -1, term);
  lua_remove(L, -2);
  return 4;
}

/* lex:scan(text) -> iterator of id, start, stop, attrs */
static int ds_lex_scan(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  ds_getauto(L, 1);                  /* 3 */
  ds_pushscratch(L, 1, x->chunk, 0); /* 4 */
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_pushvalue(L, 4);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, ds_lex_iter, 4);
  return 1;
}

/* lex:count(text) -> integer */
static int ds_lex_count(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  size_t len, ms, me;
  const char *s = luaL_checklstring(L, 2, &len);
  ds_auto *a;
  ds_scratch *sc;
  lua_Integer n = 0;
  int32_t term;
  int r;
  lua_settop(L, 2);
  a = ds_getauto(L, 1);                   /* 3 */
  sc = ds_pushscratch(L, 1, x->chunk, 1); /* 4 */
  while ((r = ds_step(a, sc, s, len, &ms, &me, &term)) == 1) n++;
  if (r < 0) return luaL_error(L, "dossier.lexicon: out of memory");
  ds_putscratch(L, 1, 4);
  lua_pushinteger(L, n);
  return 1;
}

/* lex:matches(text) -> { {id=, start=, stop=, attrs=}, ... } */
static int ds_lex_matches(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  size_t len, ms, me;
  const char *s = luaL_checklstring(L, 2, &len);
  ds_auto *a;
  ds_scratch *sc;
  lua_Integer i = 0;
  int32_t term;
  int r;
  lua_settop(L, 2);
  a = ds_getauto(L, 1);                   /* 3 */
  sc = ds_pushscratch(L, 1, x->chunk, 1); /* 4 */
  lua_getiuservalue(L, 1, UV_IDS);        /* 5 */
  lua_getiuservalue(L, 1, UV_ATTRS);      /* 6 */
  lua_newtable(L);                        /* 7 */
  while ((r = ds_step(a, sc, s, len, &ms, &me, &term)) == 1) {
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, 5, term);
    lua_setfield(L, -2, "id");
    lua_pushinteger(L, (lua_Integer)ms + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)me);
    lua_setfield(L, -2, "stop");
    if (lua_rawgeti(L, 6, term) != LUA_TNIL)
      lua_setfield(L, -2, "attrs");
    else
      lua_pop(L, 1);
    lua_rawseti(L, 7, ++i);
  }
  if (r < 0) return luaL_error(L, "dossier.lexicon: out of memory");
  ds_putscratch(L, 1, 4);
  lua_settop(L, 7);
  return 1;
}

/* #lex -> number of distinct phrases */
static int ds_lex_len(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  lua_pushinteger(L, (lua_Integer)x->count);
  return 1;
}

/* lex:build() -> lex: compile now (otherwise done by the first scan). */
static int ds_lex_build(lua_State *L) {
  ds_getauto(L, 1);
  lua_settop(L, 1);
  return 1;
}

/* lex:stats() -> { phrases=, entries=, nodes=, edges=, dense=, bytes= } */
static int ds_lex_stats(lua_State *L) {
  ds_lex *x = ds_checklex(L, 1);
  ds_auto *a = ds_getauto(L, 1);
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)x->count);
  lua_setfield(L, -2, "phrases");
  lua_pushinteger(L, (lua_Integer)x->entries);
  lua_setfield(L, -2, "entries");
  lua_pushinteger(L, (lua_Integer)a->nnodes);
  lua_setfield(L, -2, "nodes");
  lua_pushinteger(L, (lua_Integer)a->nedges);
  lua_setfield(L, -2, "edges");
  lua_pushinteger(L, (lua_Integer)a->nrows);
  lua_setfield(L, -2, "dense");
  lua_pushinteger(L, (lua_Integer)a->bytes);
  lua_setfield(L, -2, "bytes");
  return 1;
}

/* lex:key(phrase) -> the folded key a phrase is stored under (stems as '*'). */
static int ds_lex_key(lua_State *L) {
  size_t len, i;
  const char *p = luaL_checklstring(L, 1, &len);
  const char *k;
  luaL_Buffer B;
  ds_pushkey(L, p, len);
  k = lua_tolstring(L, -1, &len);
  luaL_buffinit(L, &B);
  for (i = 0; i < len; i++) {
    if (k[i] == 0 && i + 1 < len) {
      i++;
      luaL_addchar(&B, k[i] == 1 ? '\0' : '*');
    } else {
      luaL_addchar(&B, k[i]);
    }
  }
  luaL_pushresult(&B);
  return 1;
}

/* Release everything now; the lexicon can no longer be used. */
static int ds_lex_close(lua_State *L) {
  ds_lex *x = luaL_checkudata(L, 1, DS_LEX_MT);
  int i;
  if (lua_getiuservalue(L, 1, UV_AUTO) == LUA_TUSERDATA) ds_auto_free(lua_touserdata(L, -1));
  lua_pop(L, 1);
  for (i = 1; i <= UV_N; i++) {
    lua_pushnil(L);
    lua_setiuservalue(L, 1, i);
  }
  x->closed = 1;
  return 0;
}

static int ds_lex_tostring(lua_State *L) {
  ds_lex *x = luaL_checkudata(L, 1, DS_LEX_MT);
  if (x->closed)
    lua_pushfstring(L, "dossier.lexicon (closed): %p", (void *)x);
  else
    lua_pushfstring(L, "dossier.lexicon (%I phrases): %p", (lua_Integer)x->count, (void *)x);
  return 1;
}

/* lexicon.new([opts]) */
static int ds_lex_new(lua_State *L) {
  ds_lex *x;
  size_t chunk = DS_CHUNK;
  int i;
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "chunk") == 0) {
        lua_Integer c;
        int ok;
        lua_getfield(L, 1, "chunk");
        c = lua_tointegerx(L, -1, &ok);
        if (!ok || c < 1)
          return luaL_error(L, "dossier.lexicon: option 'chunk' must be a positive integer");
        chunk = (size_t)c;
        lua_pop(L, 1);
      } else {
        return luaL_error(L, "dossier.lexicon: unknown option '%s'", luaL_tolstring(L, -1, NULL));
      }
    }
  }
  x = lua_newuserdatauv(L, sizeof *x, UV_N);
  memset(x, 0, sizeof *x);
  x->chunk = chunk;
  luaL_setmetatable(L, DS_LEX_MT);
  for (i = UV_KEYS; i <= UV_INDEX; i++) {
    lua_newtable(L);
    lua_setiuservalue(L, -2, i);
  }
  return 1;
}

static const luaL_Reg ds_lex_methods[] = {
    {"add", ds_lex_add},     {"scan", ds_lex_scan},
    {"count", ds_lex_count}, {"matches", ds_lex_matches},
    {"build", ds_lex_build}, {"stats", ds_lex_stats},
    {"close", ds_lex_close}, {NULL, NULL},
};

int ds_open_lexicon(lua_State *L) {
  int c;
  for (c = 0; c < 256; c++)
    if (!ds_wtab[c] != !ds_fold_isword((unsigned char)c))
      return luaL_error(L, "dossier.lexicon: word table disagrees with fold.h at byte %d", c);
  luaL_newmetatable(L, DS_LEX_MT);
  luaL_newlib(L, ds_lex_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ds_lex_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, ds_lex_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, ds_lex_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  luaL_newmetatable(L, DS_AUTO_MT);
  lua_pushcfunction(L, ds_auto_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, ds_auto_gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  luaL_newmetatable(L, DS_SCR_MT);
  lua_pushcfunction(L, ds_scratch_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, ds_lex_new);
  lua_setfield(L, -2, "new");
  lua_pushcfunction(L, ds_lex_key);
  lua_setfield(L, -2, "key");
  return 1;
}

/* --------------------------------------------------------------------------
** C API for the rest of the core (lexicon.h)
*/

const void *ds_lexicon_auto(lua_State *L, int idx) {
  return ds_getauto(L, idx);
}

int ds_lexicon_next(const void *automaton, const unsigned char *t, size_t n, size_t *pos,
                    size_t *ms, size_t *me, int32_t *term) {
  return ds_next(automaton, t, n, 0, 1, pos, ms, me, term) == 1;
}

size_t ds_lexicon_tables(lua_State *L, int idx) {
  ds_lex *x = ds_checklex(L, idx);
  idx = lua_absindex(L, idx);
  lua_getiuservalue(L, idx, UV_KEYS);
  lua_getiuservalue(L, idx, UV_IDS);
  lua_getiuservalue(L, idx, UV_ATTRS);
  lua_getiuservalue(L, idx, UV_INDEX);
  return x->entries;
}
