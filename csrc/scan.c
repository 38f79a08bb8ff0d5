/*
** scan.c — dossier.core.scan: the per-document engine behind dossier.rules.
**
** lua/dossier/rules.lua parses rule templates and compiles each into ONE
** PCRE2 pattern over a "token text"; this file runs them. One call per
** document does all the heavy work in C:
**
**   1. fold the document once (fold.h) without a map, keeping only
**      checkpoints every 16 folded bytes: a full map cost four times the fold,
**      and only sentence bounds and matches need source offsets;
**   2. scan the folded text once with ONE combined lexicon automaton holding
**      every lexicon and term set of the rule set (lexicon.h); a hit knows
**      which sets its phrase belongs to (a phrase may be in several);
**   3. split sentences once (text.h);
**   4. per sentence, a prefilter: a rule runs only if every set it requires
**      has a hit in the sentence and every literal word it requires occurs
**      in the sentence's folded text (a substring test: never a false "no");
**   5. for the rules that pass, build the sentence's token text: the folded
**      sentence where every lexicon/term hit is replaced by a marker
**      "\x01" <two code bytes per set> "\x02" (code bytes 0x03..0x1F, which
**      folded text never holds there: control bytes of the text are written
**      as spaces) and run each rule's JIT-compiled pattern from left to
**      right: leftmost match, then on after its end (matches of one rule do
**      not overlap; different rules may).
**
** Offsets go token text -> folded (a walk over the sentence's hits: a
** marker stands for its whole hit, other bytes are folded bytes one to one)
** -> source (a short re-fold with a map from the nearest checkpoint), and
** only for the matches. Each match becomes one record in one flat array per
** document (see ds_push_match); Lua builds the analyst's match from it, so
** Lua is entered once per match, not per rule or sentence.
**
** Ownership: the engine userdata (created before anything it owns) holds the
** PCRE2 codes, match data, match context and JIT stack, freed by __gc and
** __close; it keeps the combined automaton alive as a user value. Scratch
** buffers of a run belong to a scratch userdata with __gc, so a Lua error
** (out of memory, a PCRE2 limit) leaks nothing. Invalid UTF-8 is harmless:
** patterns are byte patterns (no UTF mode), folding copies invalid bytes.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "batch.h"
#include "dossier.h"
#include "fold.h"
#include "hash.h"
#include "lexicon.h"
#include "text.h"

#define DS_ENGINE_MT  "dossier.scan.engine"
#define DS_SSCR_MT    "dossier.scan.scratch"
#define DS_CODE_LO    0x03
#define DS_CODE_N     29 /* code bytes 0x03..0x1F: two per set, 841 sets */
#define DS_MAX_SETS   (DS_CODE_N * DS_CODE_N)
#define DS_MARK_SHIFT 4
/* A rule's pattern runs over one sentence's token text and has no
** backreferences (a template's raw regex may not capture), so each
** backtracking step costs constant time and a step budget bounds its time:
** a tenth of PCRE2's default, which no shipped rule comes near. */
#define DS_RULE_MATCH_LIMIT 1000000
#define DS_RULE_NAME_MAX    60 /* longest part of a rule's name kept for messages */

typedef struct {
  pcre2_code *code;
  uint32_t ngroups;
  int jit;              /* JIT-compiled: pcre2_jit_match runs it without pcre2_match's checks */
  size_t sets, nsets;   /* required sets: needsets[sets .. sets + nsets) */
  uint64_t needmask;    /* the same as bits, when the engine has at most 64 sets */
  size_t words, nwords; /* required literals: words [words .. words + nwords) */
  size_t anys, nanys;   /* alternations: anyg[anys .. anys + nanys), each wants one of its words */
  char name[DS_RULE_NAME_MAX + 4]; /* its name (the start of it), for messages */
} ds_rule;

typedef struct {
  ds_rule *rules;
  size_t nrules;
  uint16_t *needsets;
  size_t nneedsets;
  char *wbuf; /* required literal words, concatenated */
  size_t *woff, *wlen, nwords;
  size_t *wrare;       /* word w: offset of its rarest byte (ds_contains) */
  size_t *anyg, nanyg; /* alternation k: words [anyg[2k] .. anyg[2k] + anyg[2k + 1]) */
  char *mbuf;          /* markers of the combined entries, concatenated */
  size_t *moff;        /* entry e (1-based): marker at mbuf + moff[e - 1] */
  size_t *mlen;        /* its length */
  uint64_t *emask;     /* entry e: its sets as bits (engines with at most 64 sets) */
  uint64_t *bykey;     /* row s < nsets: rules keyed by set s; row nsets: rules needing none */
  size_t nrw;          /* words of a row: rule i is bit i % 64 of word i / 64 */
  size_t nentries;     /* entries of the combined lexicon */
  size_t nsets;        /* term sets and lexicons */
  int prefilter;
  int has_auto;
  pcre2_match_data *md;
  pcre2_match_context *mctx;
  pcre2_jit_stack *jstack;
  int closed;
} ds_engine;

typedef struct {
  size_t fs, fe; /* folded span [fs, fe) */
  size_t tpos;   /* start of its marker in the sentence's token text */
  size_t tlen;   /* marker length, 0 if it got none (set by ds_build_tokens) */
  int32_t term;  /* entry of the combined lexicon */
} ds_hit;

typedef struct {
  char *out;           /* folded document */
  ds_fold_mark *marks; /* its checkpoints (every 1 << DS_MARK_SHIFT folded bytes) */
  char *lout;          /* a piece re-folded with a map, to map offsets back */
  size_t *lmap;        /* its map */
  ds_hit *hits;        /* lexicon hits in the folded document */
  size_t nhits, caphits;
  unsigned char *tok; /* token text of one sentence */
  size_t captok;
  uint32_t *seen; /* per set: the generation (sentence) where it was last seen */
  size_t nseen, capfold;
  uint32_t gen;
  size_t rechint; /* record entries the last call made (capped): the next table's size */
} ds_scratch;

/* --------------------------------------------------------------------------
** Engine
*/

static void ds_engine_free(ds_engine *E) {
  size_t i;
  if (E->rules)
    for (i = 0; i < E->nrules; i++) pcre2_code_free(E->rules[i].code);
  free(E->rules);
  free(E->needsets);
  free(E->wbuf);
  free(E->woff);
  free(E->wlen);
  free(E->wrare);
  free(E->anyg);
  free(E->mbuf);
  free(E->moff);
  free(E->mlen);
  free(E->emask);
  free(E->bykey);
  pcre2_match_data_free(E->md);
  pcre2_match_context_free(E->mctx);
  pcre2_jit_stack_free(E->jstack);
  memset(E, 0, sizeof *E);
  E->closed = 1;
}

static int ds_engine_gc(lua_State *L) {
  ds_engine *E = luaL_checkudata(L, 1, DS_ENGINE_MT);
  ds_engine_free(E);
  return 0;
}

static void *ds_alloc(lua_State *L, size_t n, size_t size) {
  void *p;
  if (n == 0) n = 1;
  if (n > ((size_t)-1) / size) luaL_error(L, "dossier.rules: out of memory");
  p = calloc(n, size);
  if (!p) luaL_error(L, "dossier.rules: out of memory");
  return p;
}

/* Length of the array at idx (a table field), 0 when absent. */
static size_t ds_fieldlen(lua_State *L, int idx, const char *name) {
  size_t n = 0;
  if (lua_getfield(L, idx, name) == LUA_TTABLE) n = (size_t)lua_rawlen(L, -1);
  lua_pop(L, 1);
  return n;
}

/*
** How common a folded byte is in news text (English and South Slavic, 0 =
** rare): the prefilter looks for a literal word by its rarest byte, so
** memchr stops at few false candidates.
*/
static unsigned ds_byte_rank(unsigned char c) {
  static const char common[] = "eaointsrlhdcumkvjpgbzfywq"; /* most common first */
  const char *p;
  if (c >= 'a' && c <= 'z' && (p = strchr(common, c)) != NULL)
    return (unsigned)(sizeof common - (size_t)(p - common));
  return c == ' ' ? 40 : 0;
}

/* Offset of the rarest byte of w[0..wl), wl > 0. */
static size_t ds_rarest(const char *w, size_t wl) {
  size_t k, best = 0;
  for (k = 1; k < wl; k++)
    if (ds_byte_rank((unsigned char)w[k]) < ds_byte_rank((unsigned char)w[best])) best = k;
  return best;
}

/* Appends the words of the array at the top of the stack to the engine's; returns how many. */
static size_t ds_add_words(lua_State *L, ds_engine *E) {
  size_t k, n = (size_t)lua_rawlen(L, -1);
  for (k = 1; k <= n; k++) {
    size_t wl;
    const char *w;
    lua_rawgeti(L, -1, (lua_Integer)k);
    w = luaL_checklstring(L, -1, &wl);
    E->woff[E->nwords] = E->nwords ? E->woff[E->nwords - 1] + E->wlen[E->nwords - 1] : 0;
    E->wlen[E->nwords] = wl;
    memcpy(E->wbuf + E->woff[E->nwords], w, wl);
    E->wrare[E->nwords] = wl ? ds_rarest(w, wl) : 0;
    E->nwords++;
    lua_pop(L, 1);
  }
  return n;
}

/* Compile rule i (1-based) from the table at the top of the stack. */
static void ds_compile_rule(lua_State *L, ds_engine *E, ds_rule *r, size_t i) {
  size_t plen, k;
  const char *p;
  int err;
  PCRE2_SIZE eoff;
  int t = lua_gettop(L);
  lua_getfield(L, t, "pattern");
  p = luaL_checklstring(L, -1, &plen);
  r->code = pcre2_compile((PCRE2_SPTR)p, plen, 0, &err, &eoff, NULL);
  if (!r->code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    luaL_error(L, "dossier.rules: rule %I: %s at pattern offset %I", (lua_Integer)i,
               (const char *)msg, (lua_Integer)eoff + 1);
  }
  r->jit = pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE) == 0; /* else the interpreter runs it */
  pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ngroups);
  lua_pop(L, 1);
  if (lua_getfield(L, t, "name") == LUA_TSTRING) {
    size_t nl;
    const char *n = lua_tolstring(L, -1, &nl);
    size_t keep = nl > DS_RULE_NAME_MAX ? DS_RULE_NAME_MAX : nl;
    memcpy(r->name, n, keep);
    if (keep < nl) memcpy(r->name + keep, "...", 3), keep += 3;
    r->name[keep] = '\0';
  } else {
    snprintf(r->name, sizeof r->name, "%zu", i);
  }
  lua_pop(L, 1);
  r->sets = E->nneedsets;
  if (lua_getfield(L, t, "sets") == LUA_TTABLE) {
    r->nsets = (size_t)lua_rawlen(L, -1);
    for (k = 1; k <= r->nsets; k++) {
      lua_Integer v;
      lua_rawgeti(L, -1, (lua_Integer)k);
      v = lua_tointeger(L, -1);
      if (v < 0 || (size_t)v >= E->nsets) luaL_error(L, "dossier.rules: bad set index %I", v);
      E->needsets[E->nneedsets++] = (uint16_t)v;
      if (E->nsets <= 64) r->needmask |= (uint64_t)1 << v;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  r->words = E->nwords;
  if (lua_getfield(L, t, "words") == LUA_TTABLE) r->nwords = ds_add_words(L, E);
  lua_pop(L, 1);
  r->anys = E->nanyg;
  if (lua_getfield(L, t, "anyof") == LUA_TTABLE) {
    r->nanys = (size_t)lua_rawlen(L, -1);
    for (k = 1; k <= r->nanys; k++) {
      lua_rawgeti(L, -1, (lua_Integer)k);
      luaL_checktype(L, -1, LUA_TTABLE);
      E->anyg[2 * E->nanyg] = E->nwords;
      E->anyg[2 * E->nanyg + 1] = ds_add_words(L, E);
      E->nanyg++;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

/*
** Rules by key set (engines with at most 64 sets): a rule that needs sets is
** listed under one of them, the one the fewest rules need, so a sentence
** gathers its candidate rules from the rows of the sets it has instead of
** testing every rule (most sentences pass one or two of fifty); rules that
** need no set have their own row, every sentence's candidates.
*/
static void ds_key_rules(lua_State *L, ds_engine *E) {
  size_t i, s, count[64] = {0};
  E->nrw = (E->nrules + 63) / 64;
  E->bykey = ds_alloc(L, (E->nsets + 1) * E->nrw, sizeof *E->bykey);
  for (i = 0; i < E->nrules; i++)
    for (s = 0; s < E->nsets; s++) count[s] += (E->rules[i].needmask >> s) & 1;
  for (i = 0; i < E->nrules; i++) {
    size_t key = E->nsets;
    for (s = 0; s < E->nsets; s++)
      if ((E->rules[i].needmask >> s & 1) && (key == E->nsets || count[s] < count[key])) key = s;
    E->bykey[key * E->nrw + i / 64] |= (uint64_t)1 << (i % 64);
  }
}

/* Counts the words of the array at the top of the stack and their bytes. */
static void ds_count_words(lua_State *L, size_t *nwords, size_t *wbytes) {
  size_t k, n = (size_t)lua_rawlen(L, -1);
  for (k = 1; k <= n; k++) {
    size_t wl;
    lua_rawgeti(L, -1, (lua_Integer)k);
    luaL_checklstring(L, -1, &wl);
    *wbytes += wl;
    lua_pop(L, 1);
  }
  *nwords += n;
}

/*
** engine(spec) -> engine. spec = { lexicon = combined lexicon or nil,
** markers = { [entry] = code bytes }, nsets = n, prefilter = bool,
** rules = { { pattern = src, sets = {set index (0-based)...},
** words = {folded literal...}, anyof = {{folded literal...}...} }, ... } }
** (a sentence passes a rule's prefilter when it has a hit of every set, holds
** every word and, for each anyof list, one of its words)
*/
static int ds_scan_engine(lua_State *L) {
  ds_engine *E;
  size_t i, k, total, nwords = 0, nsets = 0, wbytes = 0, nanyg = 0;
  uint32_t maxg = 0;
  lua_Integer ns;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  E = lua_newuserdatauv(L, sizeof *E, 2); /* 2 */
  memset(E, 0, sizeof *E);
  luaL_setmetatable(L, DS_ENGINE_MT);
  lua_getfield(L, 1, "nsets");
  ns = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (ns < 0 || ns > DS_MAX_SETS)
    return luaL_error(L, "dossier.rules: more than %d term sets and lexicons", DS_MAX_SETS);
  E->nsets = (size_t)ns;
  lua_getfield(L, 1, "prefilter");
  E->prefilter = lua_toboolean(L, -1);
  lua_pop(L, 1);
  /* the combined lexicon: keep its automaton */
  if (lua_getfield(L, 1, "lexicon") != LUA_TNIL) {
    ds_lexicon_auto(L, -1); /* checks it is a lexicon and builds the automaton now */
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 2, 1);
    E->has_auto = 1;
  }
  lua_pop(L, 1);
  /* markers */
  E->nentries = ds_fieldlen(L, 1, "markers");
  E->moff = ds_alloc(L, E->nentries, sizeof *E->moff);
  E->mlen = ds_alloc(L, E->nentries, sizeof *E->mlen);
  E->emask = ds_alloc(L, E->nentries, sizeof *E->emask);
  lua_getfield(L, 1, "markers");
  for (i = 1, total = 0; i <= E->nentries; i++) {
    size_t ml;
    lua_rawgeti(L, -1, (lua_Integer)i);
    luaL_checklstring(L, -1, &ml);
    total += ml;
    lua_pop(L, 1);
  }
  E->mbuf = ds_alloc(L, total, 1);
  for (i = 1, total = 0; i <= E->nentries; i++) {
    size_t ml;
    const char *m;
    lua_rawgeti(L, -1, (lua_Integer)i);
    m = lua_tolstring(L, -1, &ml);
    for (k = 0; k < ml; k++)
      if ((unsigned char)m[k] < DS_CODE_LO || (unsigned char)m[k] >= DS_CODE_LO + DS_CODE_N)
        return luaL_error(L, "dossier.rules: bad marker code");
    memcpy(E->mbuf + total, m, ml);
    if (E->nsets <= 64)
      for (k = 0; k + 1 < ml; k += 2) {
        size_t set = (size_t)((unsigned char)m[k] - DS_CODE_LO) * DS_CODE_N +
                     ((unsigned char)m[k + 1] - DS_CODE_LO);
        if (set < 64) E->emask[i - 1] |= (uint64_t)1 << set;
      }
    E->moff[i - 1] = total;
    E->mlen[i - 1] = ml;
    total += ml;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  /* rules: size the tables, then compile */
  E->nrules = ds_fieldlen(L, 1, "rules");
  lua_getfield(L, 1, "rules"); /* 3 */
  for (i = 1; i <= E->nrules; i++) {
    lua_rawgeti(L, 3, (lua_Integer)i);
    luaL_checktype(L, -1, LUA_TTABLE);
    nsets += ds_fieldlen(L, -1, "sets");
    if (lua_getfield(L, -1, "words") == LUA_TTABLE) ds_count_words(L, &nwords, &wbytes);
    lua_pop(L, 1);
    if (lua_getfield(L, -1, "anyof") == LUA_TTABLE) {
      nanyg += (size_t)lua_rawlen(L, -1);
      for (k = 1; k <= (size_t)lua_rawlen(L, -1); k++) {
        if (lua_rawgeti(L, -1, (lua_Integer)k) == LUA_TTABLE) ds_count_words(L, &nwords, &wbytes);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  }
  E->rules = ds_alloc(L, E->nrules, sizeof *E->rules);
  E->needsets = ds_alloc(L, nsets, sizeof *E->needsets);
  E->wbuf = ds_alloc(L, wbytes, 1);
  E->woff = ds_alloc(L, nwords, sizeof *E->woff);
  E->wlen = ds_alloc(L, nwords, sizeof *E->wlen);
  E->wrare = ds_alloc(L, nwords, sizeof *E->wrare);
  E->anyg = ds_alloc(L, 2 * nanyg, sizeof *E->anyg);
  for (i = 1; i <= E->nrules; i++) {
    lua_rawgeti(L, 3, (lua_Integer)i);
    ds_compile_rule(L, E, &E->rules[i - 1], i);
    if (E->rules[i - 1].ngroups > maxg) maxg = E->rules[i - 1].ngroups;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (E->nsets <= 64) ds_key_rules(L, E);
  E->md = pcre2_match_data_create(maxg + 1, NULL);
  E->mctx = pcre2_match_context_create(NULL);
  E->jstack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, NULL);
  if (!E->md || !E->mctx || !E->jstack) return luaL_error(L, "dossier.rules: out of memory");
  pcre2_jit_stack_assign(E->mctx, NULL, E->jstack);
  pcre2_set_match_limit(E->mctx, DS_RULE_MATCH_LIMIT);
  return 1;
}

/* --------------------------------------------------------------------------
** Scratch
*/

static int ds_scratch_gc(lua_State *L) {
  ds_scratch *S = luaL_checkudata(L, 1, DS_SSCR_MT);
  free(S->out);
  free(S->marks);
  free(S->lout);
  free(S->lmap);
  free(S->hits);
  free(S->tok);
  free(S->seen);
  memset(S, 0, sizeof *S);
  return 0;
}

static void ds_addhit(lua_State *L, ds_scratch *S, size_t fs, size_t fe, int32_t term) {
  if (S->nhits == S->caphits) {
    size_t cap = S->caphits ? 2 * S->caphits : 64;
    ds_hit *h;
    if (cap > ((size_t)-1) / sizeof *h) luaL_error(L, "dossier.rules: out of memory");
    h = realloc(S->hits, cap * sizeof *h);
    if (!h) luaL_error(L, "dossier.rules: out of memory");
    S->hits = h;
    S->caphits = cap;
  }
  S->hits[S->nhits].fs = fs;
  S->hits[S->nhits].fe = fe;
  S->hits[S->nhits].term = term;
  S->nhits++;
}

static void ds_tokroom(lua_State *L, ds_scratch *S, size_t need) {
  if (need <= S->captok) return;
  free(S->tok);
  S->captok = 0;
  S->tok = malloc(need);
  if (!S->tok) luaL_error(L, "dossier.rules: out of memory");
  S->captok = need;
}

/* Does folded t[0..n) contain w[0..wl)? r: the offset in w of its rarest byte. */
static int ds_contains(const char *t, size_t n, const char *w, size_t wl, size_t r) {
  const char *p, *end;
  if (wl == 0) return 1;
  if (n < wl) return 0;
  p = t + r;
  end = t + (n - wl) + r + 1; /* last position the rare byte can take, exclusive */
  while (p < end) {
    const char *q;
    size_t k = 0;
    p = memchr(p, (unsigned char)w[r], (size_t)(end - p));
    if (!p) return 0;
    for (q = p - r; k < wl && q[k] == w[k]; k++) {} /* words are short: no memcmp call */
    if (k == wl) return 1;
    p++;
  }
  return 0;
}

/* --------------------------------------------------------------------------
** Running
*/

typedef struct {
  const char *s; /* source */
  size_t len;
  size_t n; /* folded length */
  ds_scratch *S;
  size_t fa, fb;        /* folded sentence */
  size_t ha, hb;        /* its hits */
  size_t sa, sb;        /* source sentence [sa, sb) */
  lua_Integer sentno;   /* 1-based, in this text */
  lua_Integer sentbase; /* sentences of the texts before this one in the call */
  lua_Integer doc;      /* the text's index in the call (1-based) */
  int sent_pushed;      /* folded sentence stored in the sentences table */
  int built;            /* the sentence's token text is built: tok[0..tn) */
  size_t tn;
  size_t wsrc, wout; /* ds_fold_at's last ASCII walk ended at source wsrc, folded wout, */
  int wws, wok;      /* after whitespace if wws; wok: the walk is usable */
} ds_run;

/* ASCII whitespace, as the fold sees it: a run of it is one unit. */
static int ds_ascii_ws(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
** Source start of the unit that produced folded byte f < R->n (what a full
** fold map would hold at f): re-fold with a map from the checkpoint at or
** before f to a cut point past it (a piece a little longer than the folded
** distance, doubled while its fold falls short). Only matches need this.
*/
static size_t ds_unit_of(const ds_run *R, size_t f) {
  ds_scratch *S = R->S;
  size_t j = f >> DS_MARK_SHIFT, o, i, span, k, units = 0;
  int ws = 0;
  while (S->marks[j].out > f) j--; /* marks[0].out == 0 */
  o = S->marks[j].out;
  i = S->marks[j].src;
  /* ASCII fast path: one folded byte per unit, a whitespace run being one unit */
  for (k = i; k < R->len; k++) {
    unsigned char c = (unsigned char)R->s[k];
    int w = ds_ascii_ws(c);
    if (c >= 0x80) break;
    if (!(w && ws) && units++ == f - o) return k;
    ws = w;
  }
  span = f - o + 9; /* folding never lengthens: the piece needs at least f - o + 1 bytes */
  for (;;) {
    size_t q = R->len;
    if (span < R->len - i) q = ds_fold_cut(R->s, R->len, i, i + span);
    if (q != 0) {
      /* q == len: the rest folds to n - o > f - o bytes */
      size_t m = ds_fold(R->s + i, q - i, S->lout, S->lmap);
      if (m > f - o) return i + S->lmap[f - o];
    }
    span *= 2;
  }
}

/*
** Folded offset of source offset a: the number of folded bytes made by units
** that start before a (a full map's first index holding a value >= a). *jp is
** a checkpoint index kept between calls (sentences come in order).
*/
static size_t ds_fold_at(ds_run *R, size_t a, size_t *jp) {
  ds_scratch *S = R->S;
  size_t j = *jp, last = R->n >> DS_MARK_SHIFT, i, o, span;
  if (a >= R->len) return R->n;
  while (j < last && S->marks[j + 1].src <= a) j++;
  while (j > 0 && S->marks[j].src > a) j--;
  *jp = j;
  i = S->marks[j].src;
  o = S->marks[j].out;
  if (a <= i) return o;
  { /* ASCII fast path: one folded byte per unit, a whitespace run being one unit */
    size_t k = i, units = o;
    int ws = 0;
    if (R->wok && R->wsrc >= i && R->wsrc <= a) { /* go on from the last walk: a sentence's
                                                    end is near the next one's start */
      k = R->wsrc;
      units = R->wout;
      ws = R->wws;
    }
    for (; k < a; k++) {
      unsigned char c = (unsigned char)R->s[k];
      int w = ds_ascii_ws(c);
      if (c >= 0x80) break;
      units += !(w && ws);
      ws = w;
    }
    R->wok = k == a;
    if (k == a) {
      R->wsrc = a;
      R->wout = units;
      R->wws = ws;
      return units;
    }
  }
  span = 1; /* the piece ends at the first cut at or after a: most bytes allow one */
  for (;;) {
    size_t q = R->len;
    if (span < R->len - a) q = ds_fold_cut(R->s, R->len, a - 1, a + span);
    if (q != 0) { /* q >= a: the piece [i, q) holds every unit starting in [i, a) */
      size_t m = ds_fold(R->s + i, q - i, S->lout, S->lmap), lo = 0, hi = m;
      while (lo < hi) { /* the map is non-decreasing */
        size_t mid = lo + (hi - lo) / 2;
        if (S->lmap[mid] < a - i)
          lo = mid + 1;
        else
          hi = mid;
      }
      return o + lo;
    }
    span *= 2;
  }
}

/*
** Folded span [*fs, *fe) of the element holding token byte t: one folded
** byte, or a whole hit for a byte of its marker; *hit is that hit's index
** (or R->hb). Between markers token bytes are folded bytes one to one, so a
** walk over the sentence's hits (few) replaces a per-byte table.
*/
static void ds_tok2fold(const ds_run *R, size_t t, size_t *fs, size_t *fe, size_t *hit) {
  const ds_scratch *S = R->S;
  size_t h, ptok = 0, pf = R->fa;
  for (h = R->ha; h < R->hb; h++) {
    const ds_hit *x = &S->hits[h];
    if (x->tlen == 0) continue;
    if (t < x->tpos) break;
    if (t < x->tpos + x->tlen) {
      *fs = x->fs;
      *fe = x->fe;
      *hit = h;
      return;
    }
    ptok = x->tpos + x->tlen;
    pf = x->fe;
  }
  *fs = pf + (t - ptok);
  *fe = *fs + 1;
  *hit = R->hb;
}

/* Folded span [*fs, *fe) of token bytes [ta, tb), tb > ta; *hit as ds_tok2fold for ta. */
static void ds_tok2span(const ds_run *R, size_t ta, size_t tb, size_t *fs, size_t *fe,
                        size_t *hit) {
  size_t x, y, h2;
  ds_tok2fold(R, ta, fs, &x, hit);
  ds_tok2fold(R, tb - 1, &y, fe, &h2);
}

/* Source span [*a, *b) of token bytes [ta, tb), tb > ta. */
static void ds_tok2src(const ds_run *R, size_t ta, size_t tb, size_t *a, size_t *b) {
  size_t fs, fe, h;
  ds_tok2span(R, ta, tb, &fs, &fe, &h);
  *a = ds_unit_of(R, fs);
  *b = ds_fold_unit_end(R->s, R->len, ds_unit_of(R, fe - 1));
}

/* t[++*n] = v, v an integer */
static void ds_seti(lua_State *L, int t, lua_Integer *n, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_rawseti(L, t, ++*n);
}

/*
** Append one match to the flat array at index t (*n entries so far):
**   rule, start, stop, sent_start, sent_stop, sentence_no, fstart, fstop, text,
**   then per capture group: start, stop, value
** offsets 1-based inclusive in the source (fstart/fstop: in the folded
** sentence); sentence_no counts across the texts of the call, text is the
** text's index in the call; value = the combined-lexicon entry (integer) when the group is
** one marker, else the folded text of the group; an unset group gives
** false, false, false. One array per document, not one table per match:
** Lua reads the record in place (the rule tells how many groups follow).
*/
static void ds_push_match(lua_State *L, const ds_run *R, size_t rule, const PCRE2_SIZE *ov,
                          uint32_t ngroups, int t, lua_Integer *n) {
  const ds_scratch *S = R->S;
  size_t a, b, g;
  ds_seti(L, t, n, (lua_Integer)rule);
  ds_tok2src(R, ov[0], ov[1], &a, &b);
  ds_seti(L, t, n, (lua_Integer)a + 1);
  ds_seti(L, t, n, (lua_Integer)b);
  ds_seti(L, t, n, (lua_Integer)R->sa + 1);
  ds_seti(L, t, n, (lua_Integer)R->sb);
  ds_seti(L, t, n, R->sentbase + R->sentno);
  {
    size_t fs, fe, h;
    ds_tok2span(R, ov[0], ov[1], &fs, &fe, &h);
    ds_seti(L, t, n, (lua_Integer)(fs - R->fa) + 1);
    ds_seti(L, t, n, (lua_Integer)(fe - R->fa));
  }
  ds_seti(L, t, n, R->doc);
  for (g = 1; g <= ngroups; g++) {
    PCRE2_SIZE ga = ov[2 * g], gb = ov[2 * g + 1];
    if (ga == PCRE2_UNSET || gb <= ga) {
      int k;
      for (k = 0; k < 3; k++) {
        lua_pushboolean(L, 0);
        lua_rawseti(L, t, ++*n);
      }
      continue;
    }
    ds_tok2src(R, ga, gb, &a, &b);
    ds_seti(L, t, n, (lua_Integer)a + 1);
    ds_seti(L, t, n, (lua_Integer)b);
    if (S->tok[ga] == 0x01 && S->tok[gb - 1] == 0x02) {
      size_t fs, fe, h;
      ds_tok2span(R, ga, gb, &fs, &fe, &h);
      ds_seti(L, t, n, h < R->hb ? (lua_Integer)S->hits[h].term : 0);
    } else {
      size_t fs, fe, h;
      ds_tok2span(R, ga, gb, &fs, &fe, &h);
      lua_pushlstring(L, S->out + fs, fe - fs);
      lua_rawseti(L, t, ++*n);
    }
  }
}

/* tok[t..) = folded out[f..e), control bytes as spaces; returns the new t. */
static size_t ds_copy_folded(unsigned char *tok, size_t t, const char *out, size_t f, size_t e) {
  for (; f + 8 <= e; f += 8, t += 8) { /* eight bytes at a time while none is below 0x20 */
    uint64_t x;
    memcpy(&x, out + f, 8);
    if ((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL) break;
    memcpy(tok + t, &x, 8);
  }
  for (; f < e; f++, t++) {
    unsigned char c = (unsigned char)out[f];
    tok[t] = c < 0x20 ? ' ' : c;
  }
  return t;
}

/*
** Build the token text of the current sentence; returns its length. Each hit
** placed gets its marker's token span (tpos, tlen); a hit that overlaps the
** previous one (the lexicon gives none) stops the placing, as it always has.
*/
static size_t ds_build_tokens(lua_State *L, const ds_engine *E, ds_run *R) {
  ds_scratch *S = R->S;
  size_t need = R->fb - R->fa, h, f = R->fa, t = 0;
  for (h = R->ha; h < R->hb; h++) {
    int32_t e = S->hits[h].term;
    need += 2 + (e >= 1 && (size_t)e <= E->nentries ? E->mlen[e - 1] : 0);
    S->hits[h].tlen = 0;
  }
  ds_tokroom(L, S, need);
  for (h = R->ha; h < R->hb; h++) {
    ds_hit *hit = &S->hits[h];
    size_t ml = 0, mo = 0;
    if (hit->fs < f || hit->fs >= R->fb) break;
    t = ds_copy_folded(S->tok, t, S->out, f, hit->fs);
    if (hit->term >= 1 && (size_t)hit->term <= E->nentries) {
      ml = E->mlen[hit->term - 1];
      mo = E->moff[hit->term - 1];
    }
    hit->tpos = t;
    hit->tlen = ml + 2;
    S->tok[t] = 0x01;
    memcpy(S->tok + t + 1, E->mbuf + mo, ml);
    S->tok[t + ml + 1] = 0x02;
    t += ml + 2;
    f = hit->fe;
  }
  return ds_copy_folded(S->tok, t, S->out, f, R->fb);
}

/* Index of the lowest set bit of m != 0. */
static unsigned ds_ctz(uint64_t m) {
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(m);
#else
  unsigned k = 0;
  for (; !(m & 1); m >>= 1) k++;
  return k;
#endif
}

/*
** Do the sentence's hits hold the rule's sets in the rule's order, each in a
** hit of its own (engines with at most 64 sets)? The pattern's set slots
** (rules.lua lists them in template order) each take one whole marker, left
** to right, so a match needs such hits: a cheap test that saves PCRE2 runs
** bound to fail (a greedy walk finds the hits if any do).
*/
static int ds_in_order(const ds_engine *E, const ds_rule *r, const ds_run *R) {
  const uint16_t *need = E->needsets + r->sets;
  size_t h, k = 0;
  if (r->nsets < 2) return 1;
  for (h = R->ha; h < R->hb; h++) {
    int32_t e = R->S->hits[h].term;
    if (e >= 1 && (size_t)e <= E->nentries && (E->emask[e - 1] >> need[k] & 1) && ++k == r->nsets)
      return 1;
  }
  return 0;
}

/*
** Does rule r pass the prefilter in the current sentence? `mask`: the sets
** seen in it as bits, when the engine has at most 64 sets.
*/
static int ds_passes(const ds_engine *E, const ds_rule *r, const ds_run *R, uint64_t mask) {
  size_t k;
  if (E->nsets <= 64) {
    if ((r->needmask & mask) != r->needmask || !ds_in_order(E, r, R)) return 0;
  } else {
    for (k = 0; k < r->nsets; k++)
      if (R->S->seen[E->needsets[r->sets + k]] != R->S->gen) return 0;
  }
  for (k = 0; k < r->nwords; k++) {
    size_t w = r->words + k;
    if (!ds_contains(R->S->out + R->fa, R->fb - R->fa, E->wbuf + E->woff[w], E->wlen[w],
                     E->wrare[w]))
      return 0;
  }
  for (k = 0; k < r->nanys; k++) {
    const size_t *g = E->anyg + 2 * (r->anys + k);
    size_t w, found = 0;
    for (w = g[0]; w < g[0] + g[1] && !found; w++)
      found = ds_contains(R->S->out + R->fa, R->fb - R->fa, E->wbuf + E->woff[w], E->wlen[w],
                          E->wrare[w]);
    if (!found) return 0;
  }
  return 1;
}

/* Run rule i over the current sentence (its token text built on first use); appends its matches. */
static void ds_run_rule(lua_State *L, const ds_engine *E, ds_run *R, size_t i, int recs, int sents,
                        lua_Integer *nrec) {
  ds_scratch *S = R->S;
  const ds_rule *r = &E->rules[i];
  PCRE2_SIZE start = 0;
  if (!R->built) {
    R->tn = ds_build_tokens(L, E, R);
    R->built = 1;
  }
  while (start <= R->tn) {
    const PCRE2_SIZE *ov;
    int rc = r->jit ? pcre2_jit_match(r->code, S->tok, R->tn, start, 0, E->md, E->mctx)
                    : pcre2_match(r->code, S->tok, R->tn, start, 0, E->md, E->mctx);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(rc, msg, sizeof msg);
      if (rc == PCRE2_ERROR_MATCHLIMIT)
        luaL_error(L,
                   "dossier.rules: rule '%s': match limit exceeded (a rule's pattern may take "
                   "%d backtracking steps at a sentence position)",
                   r->name, DS_RULE_MATCH_LIMIT);
      luaL_error(L, "dossier.rules: rule '%s': %s", r->name, (const char *)msg);
    }
    ov = pcre2_get_ovector_pointer(E->md);
    if (ov[1] <= ov[0]) { /* an empty match (only a raw regex can give one) */
      start = ov[0] + 1;
      continue;
    }
    if (*nrec == 0 && lua_isnil(L, recs)) { /* the first match of the call */
      lua_createtable(L, (int)S->rechint, 0);
      lua_replace(L, recs);
      lua_newtable(L);
      lua_replace(L, sents);
    }
    if (!R->sent_pushed) {
      lua_pushlstring(L, S->out + R->fa, R->fb - R->fa);
      lua_rawseti(L, sents, R->sentbase + R->sentno);
      R->sent_pushed = 1;
    }
    ds_push_match(L, R, i + 1, ov, r->ngroups, recs, nrec);
    start = ov[1];
  }
}

/* Run the rules over the current sentence; appends matches to the table at idx. */
static void ds_run_sentence(lua_State *L, const ds_engine *E, ds_run *R, int recs, int sents,
                            lua_Integer *nrec) {
  ds_scratch *S = R->S;
  size_t i, h;
  uint64_t mask = 0;
  R->built = 0;
  if (E->prefilter && E->nsets <= 64) {
    size_t w;
    for (h = R->ha; h < R->hb; h++) {
      int32_t e = S->hits[h].term;
      if (e >= 1 && (size_t)e <= E->nentries) mask |= E->emask[e - 1];
    }
    for (w = 0; w < E->nrw; w++) { /* candidates: the rows of its sets, in rule order */
      uint64_t cand = E->bykey[E->nsets * E->nrw + w], m = mask;
      for (; m; m &= m - 1) cand |= E->bykey[ds_ctz(m) * E->nrw + w];
      for (; cand; cand &= cand - 1) {
        i = w * 64 + ds_ctz(cand);
        if (ds_passes(E, &E->rules[i], R, mask)) ds_run_rule(L, E, R, i, recs, sents, nrec);
      }
    }
    return;
  }
  if (E->prefilter)
    for (h = R->ha; h < R->hb; h++) {
      int32_t e = S->hits[h].term;
      if (e >= 1 && (size_t)e <= E->nentries) {
        const unsigned char *m = (const unsigned char *)E->mbuf + E->moff[e - 1];
        size_t k, ml = E->mlen[e - 1];
        for (k = 0; k + 1 < ml; k += 2)
          S->seen[(size_t)(m[k] - DS_CODE_LO) * DS_CODE_N + (m[k + 1] - DS_CODE_LO)] = S->gen;
      }
    }
  for (i = 0; i < E->nrules; i++)
    if (!E->prefilter || ds_passes(E, &E->rules[i], R, mask))
      ds_run_rule(L, E, R, i, recs, sents, nrec);
}

/* Room in the scratch for folding a text of len bytes, and per-set marks. */
static void ds_scratch_room(lua_State *L, const ds_engine *E, ds_scratch *S, size_t len) {
  size_t n = ds_fold_bound(len);
  if (n >= ((size_t)-1) / sizeof(size_t) - 1) luaL_error(L, "dossier.rules: text too long");
  if (n + 1 > S->capfold) {
    free(S->out);
    free(S->marks);
    free(S->lout);
    free(S->lmap);
    S->capfold = 0;
    S->out = malloc(n + 1);
    S->marks = malloc(((n >> DS_MARK_SHIFT) + 2) * sizeof *S->marks);
    S->lout = malloc(n + 1);
    S->lmap = malloc((n + 1) * sizeof *S->lmap);
    if (!S->out || !S->marks || !S->lout || !S->lmap) luaL_error(L, "dossier.rules: out of memory");
    S->capfold = n + 1;
  }
  if (!S->seen || S->nseen < E->nsets) {
    free(S->seen);
    S->nseen = 0;
    S->seen = calloc(E->nsets ? E->nsets : 1, sizeof *S->seen);
    if (!S->seen) luaL_error(L, "dossier.rules: out of memory");
    S->nseen = E->nsets;
    S->gen = 0;
  }
}

/*
** One text: fold, lexicon scan, sentences, rules; appends its matches to the
** tables at recs/sents (created at the first match). Returns its sentences.
*/
static lua_Integer ds_engine_text(lua_State *L, const ds_engine *E, ds_scratch *S, const void *A,
                                  const char *s, size_t len, int langs, lua_Integer doc,
                                  lua_Integer sentbase, int recs, int sents, lua_Integer *nrec) {
  size_t n, i = 0, a, b, next, jp = 0, hp = 0;
  ds_run R;
  if (langs < 1 || langs > 3) langs = DS_TEXT_EN | DS_TEXT_SR;
  ds_scratch_room(L, E, S, len);
  S->nhits = 0;
  n = ds_fold_marked(s, len, S->out, S->marks, DS_MARK_SHIFT);
  if (A) {
    size_t pos = 0, ms, me;
    int32_t term;
    while (ds_lexicon_next(A, (const unsigned char *)S->out, n, &pos, &ms, &me, &term))
      ds_addhit(L, S, ms, me, term);
  }
  memset(&R, 0, sizeof R);
  R.s = s;
  R.len = len;
  R.n = n;
  R.S = S;
  R.doc = doc;
  R.sentbase = sentbase;
  while (ds_text_sentence(s, len, i, langs, &a, &b, &next)) {
    size_t fa, fb;
    if (next <= i) break; /* the splitter always advances; never loop */
    i = next;
    fa = ds_fold_at(&R, a, &jp);
    fb = ds_fold_at(&R, b, &jp);
    R.sentno++;
    if (++S->gen == 0) { /* `seen` holds generations: clear it when they wrap */
      memset(S->seen, 0, S->nseen * sizeof *S->seen);
      S->gen = 1;
    }
    while (hp < S->nhits && S->hits[hp].fs < fa) hp++;
    R.ha = hp;
    while (hp < S->nhits && S->hits[hp].fe <= fb) hp++;
    R.hb = hp;
    if (fb <= fa) continue;
    R.fa = fa;
    R.fb = fb;
    R.sa = a;
    R.sb = b;
    R.sent_pushed = 0;
    ds_run_sentence(L, E, &R, recs, sents, nrec);
  }
  return R.sentno;
}

/*
** Pushes the engine's combined automaton (or nil) and its scratch: stack
** slots top+1 (the lexicon), top+2 (the automaton or nil), top+3 (the
** scratch). The engine keeps one scratch between runs (documents are many
** and small: allocating per document was slow, doc/rules.md); it is
** detached while a run uses it, so a reentrant run (from a finalizer) gets
** its own.
*/
static ds_scratch *ds_engine_begin(lua_State *L, const ds_engine *E, const void **A) {
  ds_scratch *S;
  *A = NULL;
  if (E->closed) luaL_error(L, "dossier.rules: engine is closed");
  if (E->has_auto) {
    lua_getiuservalue(L, 1, 1);
    *A = ds_lexicon_auto(L, -1);
  } else {
    lua_pushnil(L);
    lua_pushnil(L);
  }
  if (lua_getiuservalue(L, 1, 2) == LUA_TUSERDATA) {
    S = lua_touserdata(L, -1);
    lua_pushnil(L);
    lua_setiuservalue(L, 1, 2);
  } else {
    lua_pop(L, 1);
    S = lua_newuserdatauv(L, sizeof *S, 0);
    memset(S, 0, sizeof *S);
    luaL_setmetatable(L, DS_SSCR_MT);
  }
  return S;
}

/* Gives the scratch (at idx) back to the engine, unless a huge text grew it. */
static void ds_engine_end(lua_State *L, const ds_scratch *S, int idx) {
  if (S->capfold <= ((size_t)1 << 22) && S->captok <= ((size_t)1 << 20)) {
    lua_pushvalue(L, idx);
    lua_setiuservalue(L, 1, 2);
  }
}

/*
** engine:run(text [, langs]) -> matches, sentences, nsentences
** matches: one flat array of match records (ds_push_match), in sentence order
** (nil when there is none, and then sentences is nil too)
** and, within a sentence, by rule then position; sentences: folded text of
** the sentences that matched, by sentence number.
*/
static int ds_engine_run(lua_State *L) {
  ds_engine *E = luaL_checkudata(L, 1, DS_ENGINE_MT);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  int langs = (int)luaL_optinteger(L, 3, DS_TEXT_EN | DS_TEXT_SR);
  const void *A;
  ds_scratch *S;
  lua_Integer nrec = 0, nsent;
  lua_settop(L, 3);
  S = ds_engine_begin(L, E, &A); /* 4 lexicon, 5 automaton, 6 scratch */
  lua_pushnil(L);                /* 7: matches, created at the first one (most texts have none) */
  lua_pushnil(L);                /* 8: sentences */
  nsent = ds_engine_text(L, E, S, A, s, len, langs, 1, 0, 7, 8, &nrec);
  ds_engine_end(L, S, 6);
  lua_pushinteger(L, nsent);
  return 3;
}

/*
** engine:run_many(texts [, langs [, n]]) -> matches, sentences, nsentences
** The texts texts[1..n] (n defaults to #texts) in one call, as run does
** each: one flat array of match records for all of them (the record's text
** field tells whose), sentence numbers counted across the texts, the total
** number of sentences. texts: an array of strings or a batch (batch.h).
** langs: one language set for all, or a table with one per text (nil
** entries: both languages).
*/
static int ds_engine_run_many(lua_State *L) {
  ds_engine *E = luaL_checkudata(L, 1, DS_ENGINE_MT);
  ds_batch *B = ds_batch_test(L, 2);
  lua_Integer k, n, nrec = 0, nsent = 0;
  int one = DS_TEXT_EN | DS_TEXT_SR, per = 0;
  const void *A;
  ds_scratch *S;
  if (!B) luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_istable(L, 3))
    per = 1;
  else
    one = (int)luaL_optinteger(L, 3, one);
  n = luaL_opt(L, luaL_checkinteger, 4, B ? (lua_Integer)B->n : (lua_Integer)lua_rawlen(L, 2));
  if (B && (n < 0 || (lua_Unsigned)n > B->n))
    return luaL_error(L, "dossier.rules: the batch has %I texts, not %I", (lua_Integer)B->n, n);
  lua_settop(L, 4);
  S = ds_engine_begin(L, E, &A); /* 5 lexicon, 6 automaton, 7 scratch */
  lua_pushnil(L);                /* 8: matches */
  lua_pushnil(L);                /* 9: sentences */
  if (B) ds_batch_pin(L, 2);     /* 10: its buffer must not move while it is scanned */
  for (k = 1; k <= n; k++) {
    size_t len;
    const char *s;
    int langs = one;
    if (per) {
      lua_rawgeti(L, 3, k);
      langs = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : (DS_TEXT_EN | DS_TEXT_SR);
      lua_pop(L, 1);
    }
    if (B) {
      s = ds_batch_get(B, (size_t)k, &len);
      nsent += ds_engine_text(L, E, S, A, s, len, langs, k, nsent, 8, 9, &nrec);
      continue;
    }
    lua_rawgeti(L, 2, k); /* 10: kept on the stack while it is scanned */
    s = lua_tolstring(L, -1, &len);
    if (!s || lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "dossier.rules: text %I is not a string", k);
    nsent += ds_engine_text(L, E, S, A, s, len, langs, k, nsent, 8, 9, &nrec);
    lua_pop(L, 1);
  }
  S->rechint = nrec < ((lua_Integer)1 << 16) ? (size_t)nrec : ((size_t)1 << 16);
  ds_engine_end(L, S, 7);
  lua_settop(L, 9); /* closes the pin */
  lua_pushinteger(L, nsent);
  return 3;
}

static int ds_engine_close(lua_State *L) {
  ds_engine *E = luaL_checkudata(L, 1, DS_ENGINE_MT);
  ds_engine_free(E);
  lua_pushnil(L);
  lua_setiuservalue(L, 1, 1);
  return 0;
}

/* --------------------------------------------------------------------------
** Helpers for rules.lua
*/

/*
** entries(lex) -> phrases, ids, attrs, stamp: the entries in force of a
** lexicon (the last add of each key), phrases written back from their keys
** (stems as '*'); stamp = the number of add calls (changes on every add).
*/
static int ds_scan_entries(lua_State *L) {
  size_t entries = ds_lexicon_tables(L, 1), i, j, kl; /* 2 keys, 3 ids, 4 attrs, 5 index */
  lua_Integer n = 0;
  lua_newtable(L); /* 6 */
  lua_newtable(L); /* 7 */
  lua_newtable(L); /* 8 */
  for (i = 1; i <= entries; i++) {
    const char *k;
    luaL_Buffer B;
    lua_rawgeti(L, 2, (lua_Integer)i);
    k = lua_tolstring(L, -1, &kl);
    if (!k) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 5) != LUA_TNUMBER || lua_tointeger(L, -1) != (lua_Integer)i) {
      lua_pop(L, 2);
      continue;
    }
    lua_pop(L, 1);
    luaL_buffinit(L, &B);
    for (j = 0; j < kl; j++) {
      if (k[j] == 0 && j + 1 < kl) {
        j++;
        luaL_addchar(&B, k[j] == 1 ? '\0' : '*');
      } else {
        luaL_addchar(&B, k[j]);
      }
    }
    luaL_pushresult(&B);
    lua_remove(L, -2);
    n++;
    lua_rawseti(L, 6, n);
    lua_rawgeti(L, 3, (lua_Integer)i);
    lua_rawseti(L, 7, n);
    lua_rawgeti(L, 4, (lua_Integer)i);
    lua_rawseti(L, 8, n);
  }
  lua_pushinteger(L, (lua_Integer)entries);
  return 4;
}

/* stamp(lex) -> number of add calls so far (a cheap change detector). */
static int ds_scan_stamp(lua_State *L) {
  size_t entries = ds_lexicon_tables(L, 1);
  lua_pushinteger(L, (lua_Integer)entries);
  return 1;
}

/* check(regex) -> capture count, or nil, message, offset (1-based). */
static int ds_scan_check(lua_State *L) {
  size_t len;
  const char *p = luaL_checklstring(L, 1, &len);
  int err;
  PCRE2_SIZE eoff;
  uint32_t caps = 0;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)p, len, 0, &err, &eoff, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    lua_pushnil(L);
    lua_pushstring(L, (const char *)msg);
    lua_pushinteger(L, (lua_Integer)eoff + 1);
    return 3;
  }
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &caps);
  pcre2_code_free(code);
  lua_pushinteger(L, (lua_Integer)caps);
  return 1;
}

/*
** hash(s) -> 32 hex digits: dossier's content hash (hash.h) of the bytes of s,
** the one documents are keyed by. Change detection, not security.
*/
static int ds_scan_hash(lua_State *L) {
  size_t len;
  const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 1, &len);
  ds_hash h;
  char hex[33];
  ds_hash_init(&h);
  ds_hash_bytes(&h, p, len);
  ds_hash_final(&h, hex);
  lua_pushlstring(L, hex, 32);
  return 1;
}

/*
** ser(v [, other]) -> string: the deterministic serialisation rules.lua hashes
** (term lists, lexicon attributes, upvalues), written here because lexicon
** contents are large (doc/rules.md#engine-and-performance). nil, booleans as tostring; numbers as "integer:"/"float:" and
** "%.17g"; strings as string.format's "%q"; tables as "{" key "=" value ";"
** ... "}" with keys ordered by type name, then by value (numbers and
** strings, Lua's "<") or by tostring; a table met again inside itself as
** "<cycle>". A value of another type (function, userdata, thread) is written
** as the string other(value) returns; without other, and for tables nested
** deeper than DS_SER_DEPTH (an error with other), ser returns nil. This is
** the only serialiser: rules.lua's `other` writes functions.
**
** The output grows in a userdata at a fixed stack slot (GC-owned: an error
** leaks nothing), so the stack above it is free for the keys being sorted.
*/
typedef struct {
  char *p;
  size_t n, cap;
  int slot;  /* stack index of the userdata holding p */
  int depth; /* tables being written, one inside the other */
  int other; /* stack index of the writer of other values, or 0 */
} ds_sbuf;

/* Bounded C recursion. */
#define DS_SER_DEPTH 64

static void ds_sb_add(lua_State *L, ds_sbuf *b, const char *s, size_t len) {
  if (b->cap - b->n < len) {
    size_t cap = b->cap ? b->cap : 256;
    char *np;
    while (cap - b->n < len) {
      if (cap > ((size_t)-1) / 2) luaL_error(L, "dossier.rules: out of memory");
      cap *= 2;
    }
    np = lua_newuserdatauv(L, cap, 0);
    if (b->n) memcpy(np, b->p, b->n);
    lua_replace(L, b->slot); /* the old block is garbage now */
    b->p = np;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
}

static void ds_sb_str(lua_State *L, ds_sbuf *b, const char *s) {
  ds_sb_add(L, b, s, strlen(s));
}

static void ds_ser_string(lua_State *L, ds_sbuf *b, const char *s, size_t len) {
  size_t i, run = 0;
  ds_sb_add(L, b, "\"", 1);
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || c == '\n') {
      char esc[2];
      esc[0] = '\\';
      esc[1] = (char)c;
      ds_sb_add(L, b, s + run, i - run);
      ds_sb_add(L, b, esc, 2);
      run = i + 1;
    } else if (c < 32 || c == 127) {
      char buf[8];
      int next_digit = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9';
      snprintf(buf, sizeof buf, next_digit ? "\\%03d" : "\\%d", (int)c);
      ds_sb_add(L, b, s + run, i - run);
      ds_sb_str(L, b, buf);
      run = i + 1;
    }
  }
  ds_sb_add(L, b, s + run, len - run);
  ds_sb_add(L, b, "\"", 1);
}

/* Is the key at stack index a ordered before the key at b, as rules.lua orders keys? */
static int ds_ser_less(lua_State *L, int a, int b) {
  int ta = lua_type(L, a), tb = lua_type(L, b), r;
  if (ta != tb) return strcmp(lua_typename(L, ta), lua_typename(L, tb)) < 0;
  if (ta == LUA_TNUMBER || ta == LUA_TSTRING) return lua_compare(L, a, b, LUA_OPLT);
  luaL_tolstring(L, a, NULL);
  luaL_tolstring(L, b, NULL);
  r = lua_compare(L, -2, -1, LUA_OPLT);
  lua_pop(L, 2);
  return r;
}

static int ds_ser_value(lua_State *L, ds_sbuf *b, int v, int seen);

/* Writes the table at v: its keys are gathered above the top, sorted, then written. */
static int ds_ser_table(lua_State *L, ds_sbuf *b, int v, int seen) {
  int base, n = 0, i;
  if (b->depth >= DS_SER_DEPTH) {
    if (b->other)
      luaL_error(L, "dossier.rules: a table nested deeper than %d levels", DS_SER_DEPTH);
    return 0;
  }
  lua_pushvalue(L, v);
  if (lua_rawget(L, seen) != LUA_TNIL) {
    lua_pop(L, 1);
    ds_sb_str(L, b, "<cycle>");
    return 1;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, v);
  lua_pushboolean(L, 1);
  lua_rawset(L, seen);
  base = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, v)) {
    /* the key stays at base + n + 1 among the sorted ones; a copy on top is the
       cursor lua_next continues from */
    lua_pop(L, 1);
    luaL_checkstack(L, 4, "dossier.rules: table too large to serialise");
    n++;
    lua_pushvalue(L, base + n);
    for (i = base + n; i > base + 1 && ds_ser_less(L, i, i - 1); i--) {
      lua_pushvalue(L, i - 1);
      lua_pushvalue(L, i);
      lua_replace(L, i - 1);
      lua_replace(L, i);
    }
  }
  ds_sb_add(L, b, "{", 1);
  b->depth++;
  for (i = 1; i <= n; i++) {
    int k = base + i;
    if (!ds_ser_value(L, b, k, seen)) return 0;
    ds_sb_add(L, b, "=", 1);
    lua_pushvalue(L, k);
    lua_rawget(L, v);
    if (!ds_ser_value(L, b, lua_gettop(L), seen)) return 0;
    lua_pop(L, 1);
    ds_sb_add(L, b, ";", 1);
  }
  ds_sb_add(L, b, "}", 1);
  b->depth--;
  lua_settop(L, base);
  lua_pushvalue(L, v);
  lua_pushnil(L);
  lua_rawset(L, seen);
  return 1;
}

/* A function, userdata or thread: what b->other makes of it (run under lua_pcall, its
   error re-raised), or 0 when there is no b->other. */
static int ds_ser_other(lua_State *L, ds_sbuf *b, int v) {
  size_t len;
  const char *s;
  if (!b->other) return 0;
  luaL_checkstack(L, 3, "dossier.rules: value too deep to serialise");
  lua_pushvalue(L, b->other);
  lua_pushvalue(L, v);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) return lua_error(L);
  s = lua_tolstring(L, -1, &len);
  if (!s) return luaL_error(L, "dossier.rules: ser's writer returned a %s", luaL_typename(L, -1));
  ds_sb_add(L, b, s, len);
  lua_pop(L, 1);
  return 1;
}

static int ds_ser_value(lua_State *L, ds_sbuf *b, int v, int seen) {
  char num[64];
  switch (lua_type(L, v)) {
  case LUA_TNIL:
    ds_sb_str(L, b, "nil");
    return 1;
  case LUA_TBOOLEAN:
    ds_sb_str(L, b, lua_toboolean(L, v) ? "true" : "false");
    return 1;
  case LUA_TNUMBER:
    if (lua_isinteger(L, v)) {
      lua_Integer i = lua_tointeger(L, v);
      if (i >= -((lua_Integer)1 << 53) && i <= ((lua_Integer)1 << 53)) {
        /* exact as a double and under 1e17: "%.17g" writes its digits */
        char *e = num + sizeof num, *q = e;
        lua_Unsigned u = i < 0 ? (lua_Unsigned)0 - (lua_Unsigned)i : (lua_Unsigned)i;
        do *--q = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (i < 0) *--q = '-';
        ds_sb_add(L, b, "integer:", 8);
        ds_sb_add(L, b, q, (size_t)(e - q));
        return 1;
      }
      snprintf(num, sizeof num, "integer:%.17g", (double)i);
    } else
      snprintf(num, sizeof num, "float:%.17g", (double)lua_tonumber(L, v));
    ds_sb_str(L, b, num);
    return 1;
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, v, &len);
    ds_ser_string(L, b, s, len);
    return 1;
  }
  case LUA_TTABLE:
    return ds_ser_table(L, b, v, seen);
  default:
    return ds_ser_other(L, b, v);
  }
}

/*
** ser_lines(phrases, ids, attrs, order) -> string, or nil: for k = 1..#order
** and i = order[k], the lines phrases[i] "\0" ids[i] "\0" ser(attrs[i]) (empty
** when nil) joined by "\n": a whole lexicon's content in one call (nil when
** some attrs[i] holds what ser declines).
*/
static int ds_scan_ser_lines(lua_State *L) {
  ds_sbuf b;
  lua_Integer k, n;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  lua_newtable(L); /* 5: tables being written */
  lua_pushnil(L);  /* 6: the output block */
  memset(&b, 0, sizeof b);
  b.slot = 6;
  n = (lua_Integer)lua_rawlen(L, 4);
  for (k = 1; k <= n; k++) {
    lua_Integer i;
    size_t len;
    const char *s;
    lua_rawgeti(L, 4, k); /* 7 */
    i = lua_tointeger(L, 7);
    if (k > 1) ds_sb_add(L, &b, "\n", 1);
    lua_rawgeti(L, 1, i); /* 8 */
    s = lua_tolstring(L, 8, &len);
    if (!s) return luaL_error(L, "dossier.rules: phrase %I is not a string", i);
    ds_sb_add(L, &b, s, len);
    ds_sb_add(L, &b, "", 1);
    lua_rawgeti(L, 2, i); /* 9 */
    s = lua_tolstring(L, 9, &len);
    if (!s) return luaL_error(L, "dossier.rules: id %I is not a string or number", i);
    ds_sb_add(L, &b, s, len);
    ds_sb_add(L, &b, "", 1);
    if (lua_rawgeti(L, 3, i) != LUA_TNIL && !ds_ser_value(L, &b, 10, 5)) { /* 10 */
      lua_pushnil(L);
      return 1;
    }
    lua_settop(L, 6);
  }
  lua_pushlstring(L, b.p ? b.p : "", b.n);
  return 1;
}

static int ds_scan_ser(lua_State *L) {
  ds_sbuf b;
  luaL_checkany(L, 1);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  lua_newtable(L); /* 3: tables being written */
  lua_pushnil(L);  /* 4: the output block */
  memset(&b, 0, sizeof b);
  b.slot = 4;
  b.other = lua_isnil(L, 2) ? 0 : 2;
  if (!ds_ser_value(L, &b, 1, 3)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushlstring(L, b.p ? b.p : "", b.n);
  return 1;
}

static const luaL_Reg ds_engine_methods[] = {
    {"run", ds_engine_run},
    {"run_many", ds_engine_run_many},
    {"close", ds_engine_close},
    {NULL, NULL},
};

static const luaL_Reg ds_scan_funcs[] = {
    {"engine", ds_scan_engine},       {"entries", ds_scan_entries},
    {"stamp", ds_scan_stamp},         {"check", ds_scan_check},
    {"hash", ds_scan_hash},           {"ser", ds_scan_ser},
    {"ser_lines", ds_scan_ser_lines}, {NULL, NULL},
};

int ds_open_scan(lua_State *L) {
  luaL_newmetatable(L, DS_ENGINE_MT);
  luaL_newlib(L, ds_engine_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ds_engine_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, ds_engine_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  luaL_newmetatable(L, DS_SSCR_MT);
  lua_pushcfunction(L, ds_scratch_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newlib(L, ds_scan_funcs);
  lua_pushinteger(L, DS_MAX_SETS);
  lua_setfield(L, -2, "max_sets");
  return 1;
}
