/*
** regex.c — dossier.regex: PCRE2 regular expressions for Lua.
**
** A drop-in replacement for lrexlib's `rex_pcre2` (same functions, methods,
** arguments, results and offset rules), written over the system PCRE2
** library. Where it departs from lrexlib it is on purpose (see the README):
** patterns are JIT-compiled when PCRE2 has a JIT; string patterns given to the
** module functions are kept in a bounded LRU cache, so a loop calling
** `rex.find(s, "pattern")` compiles once; a subject is UTF-checked once per
** call and the follow-up matches of gmatch/gsub/count/split skip the check;
** after an empty match in UTF mode the scan advances one whole character;
** match, depth and heap limits are settable per module and per regex.
**
** Ownership: every PCRE2 object lives in a userdata that has __gc and __close
** and is created before the object, so a Lua error never leaks one. The
** module's state (limit defaults, JIT stack, cache) is a userdata that every
** function and method receives as upvalue 1; upvalues 2 and 3 are the
** metatables of regex objects and of character tables. There are no C
** globals.
*/
#define PCRE2_CODE_UNIT_WIDTH 8

#include <locale.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <pcre2.h>

#include "dossier.h"
#include "fold.h"

#define DS_RX          "dossier.regex"
#define DS_CACHE_SIZE  128           /* default number of cached string patterns */
#define DS_JIT_STACK   (32 * 1024)   /* initial JIT stack */
#define DS_JIT_STACKMX (1024 * 1024) /* largest JIT stack */

#define DS_STATE     lua_upvalueindex(1)
#define DS_REGEX_MT  lua_upvalueindex(2)
#define DS_TABLES_MT lua_upvalueindex(3)

enum { DS_LIM_MATCH, DS_LIM_DEPTH, DS_LIM_HEAP, DS_LIM_TIME, DS_NLIM };
static const char *const ds_limit_names[DS_NLIM] = {"match", "depth", "heap", "time"};

/* The default time budget of one match attempt of a pattern with
** backreferences, in milliseconds (see ds_callout). */
#define DS_TIME_LIMIT 1000
/* The clock is read every this many callouts (a power of two). */
#define DS_CLOCK_EVERY 64
/* A pattern with backreferences first runs without callouts, with a match
** limit of DS_QUICK_BUDGET / (subject length + 1) steps (at least
** DS_QUICK_MIN): a step compares at most the subject, so that attempt takes
** at most some 10 ms; only a match that needs more steps runs again, timed. */
#define DS_QUICK_BUDGET (32u * 1024 * 1024)
#define DS_QUICK_MIN    10000u
/* Longest part of a pattern quoted in an error message. */
#define DS_QUOTE_MAX 60

/* Module state: one per `require`, reached through upvalue 1. Its two user
** values are the cache tables: 1 maps a plain pattern string (cf 0, default
** tables) to its regex, 2 maps a composite key (pattern, cf, tables). */
typedef struct {
  pcre2_match_context *mctx; /* carries the module-wide limits and JIT stack */
  pcre2_jit_stack *jstack;
  uint32_t lim[DS_NLIM];
  uint64_t clock;  /* LRU clock: bumped on every cache hit */
  uint64_t serial; /* identity of the next chartables object */
  lua_Integer cache_max, cache_count, hits, misses;
  int has_jit;
  const void *regex_mt; /* identity of the metatable of regex objects (kept alive as upvalue 2) */
} ds_state;

typedef struct {
  pcre2_code *code;
  pcre2_code *tcode;           /* with backreferences: the same with automatic callouts */
  pcre2_match_data *md;        /* shared by pcre2_match calls on this regex */
  pcre2_match_data *dfa_md;    /* dfa_exec's own, never the shared one */
  pcre2_match_context *mctx;   /* only once per-regex limits are set */
  pcre2_compile_context *cctx; /* only while compiling */
  uint32_t lim[DS_NLIM];       /* per-regex limits, 0 = module default */
  uint32_t ncap, dfa_pairs;
  int utf;       /* advance by characters, not bytes */
  int skipcheck; /* follow-up matches may pass PCRE2_NO_UTF_CHECK */
  int jit;
  int tjit;                   /* tcode is JIT-compiled */
  int timed;                  /* has tcode: its time is bounded (ds_exec_timed, ds_callout) */
  char src[DS_QUOTE_MAX + 4]; /* the pattern's start, for error messages */
  uint64_t stamp;             /* LRU stamp when cached */
} ds_regex;

/* Character tables from maketables(). `serial` identifies them in cache keys
** (an address could be reused after collection; a serial is not). */
typedef struct {
  const uint8_t *tables;
  uint64_t serial;
} ds_tables;

/* State of a gmatch or split iterator. */
typedef struct {
  PCRE2_SIZE pos;  /* gmatch: next search; split: start of the next section */
  PCRE2_SIZE next; /* split: next search position */
  PCRE2_SIZE last; /* end of the last match, PCRE2_UNSET before the first */
  uint32_t ef;
  int checked; /* the subject has passed the UTF check */
  int done;
} ds_iter;

/* ---------------------------------------------------------------------------
** Constants: flags() gives PCRE2's names without the PCRE2_ prefix, as lrexlib
** does, plus a few newer PCRE2 options.
*/
typedef struct {
  const char *name;
  lua_Integer value;
} ds_const;

#define DS_F(n)                                                                                    \
  { #n, (lua_Integer)PCRE2_##n }
static const ds_const ds_flags[] = {
    DS_F(MAJOR),
    DS_F(MINOR),
    /* compile options */
    DS_F(ANCHORED),
    DS_F(NO_UTF_CHECK),
    DS_F(ENDANCHORED),
    DS_F(ALLOW_EMPTY_CLASS),
    DS_F(ALT_BSUX),
    DS_F(AUTO_CALLOUT),
    DS_F(CASELESS),
    DS_F(DOLLAR_ENDONLY),
    DS_F(DOTALL),
    DS_F(DUPNAMES),
    DS_F(EXTENDED),
    DS_F(FIRSTLINE),
    DS_F(MATCH_UNSET_BACKREF),
    DS_F(MULTILINE),
    DS_F(NEVER_UCP),
    DS_F(NEVER_UTF),
    DS_F(NO_AUTO_CAPTURE),
    DS_F(NO_AUTO_POSSESS),
    DS_F(NO_DOTSTAR_ANCHOR),
    DS_F(NO_START_OPTIMIZE),
    DS_F(UCP),
    DS_F(UNGREEDY),
    DS_F(UTF),
    DS_F(NEVER_BACKSLASH_C),
    DS_F(ALT_CIRCUMFLEX),
    DS_F(ALT_VERBNAMES),
    DS_F(USE_OFFSET_LIMIT),
    DS_F(EXTENDED_MORE),
    DS_F(LITERAL),
    DS_F(MATCH_INVALID_UTF),
    /* JIT options */
    DS_F(JIT_COMPLETE),
    DS_F(JIT_PARTIAL_SOFT),
    DS_F(JIT_PARTIAL_HARD),
    DS_F(JIT_INVALID_UTF),
    /* match options */
    DS_F(NOTBOL),
    DS_F(NOTEOL),
    DS_F(NOTEMPTY),
    DS_F(NOTEMPTY_ATSTART),
    DS_F(PARTIAL_SOFT),
    DS_F(PARTIAL_HARD),
    DS_F(DFA_RESTART),
    DS_F(DFA_SHORTEST),
    DS_F(SUBSTITUTE_GLOBAL),
    DS_F(SUBSTITUTE_EXTENDED),
    DS_F(SUBSTITUTE_UNSET_EMPTY),
    DS_F(SUBSTITUTE_UNKNOWN_UNSET),
    DS_F(SUBSTITUTE_OVERFLOW_LENGTH),
    DS_F(NO_JIT),
    DS_F(COPY_MATCHED_SUBJECT),
    /* newline and \R conventions */
    DS_F(NEWLINE_CR),
    DS_F(NEWLINE_LF),
    DS_F(NEWLINE_CRLF),
    DS_F(NEWLINE_ANY),
    DS_F(NEWLINE_ANYCRLF),
    DS_F(NEWLINE_NUL),
    DS_F(BSR_UNICODE),
    DS_F(BSR_ANYCRLF),
    /* pattern_info requests */
    DS_F(INFO_ALLOPTIONS),
    DS_F(INFO_ARGOPTIONS),
    DS_F(INFO_BACKREFMAX),
    DS_F(INFO_BSR),
    DS_F(INFO_CAPTURECOUNT),
    DS_F(INFO_FIRSTCODEUNIT),
    DS_F(INFO_FIRSTCODETYPE),
    DS_F(INFO_FIRSTBITMAP),
    DS_F(INFO_HASCRORLF),
    DS_F(INFO_JCHANGED),
    DS_F(INFO_JITSIZE),
    DS_F(INFO_LASTCODEUNIT),
    DS_F(INFO_LASTCODETYPE),
    DS_F(INFO_MATCHEMPTY),
    DS_F(INFO_MATCHLIMIT),
    DS_F(INFO_MAXLOOKBEHIND),
    DS_F(INFO_MINLENGTH),
    DS_F(INFO_NAMECOUNT),
    DS_F(INFO_NAMEENTRYSIZE),
    DS_F(INFO_NAMETABLE),
    DS_F(INFO_NEWLINE),
    DS_F(INFO_RECURSIONLIMIT),
    DS_F(INFO_DEPTHLIMIT),
    DS_F(INFO_SIZE),
    DS_F(INFO_HASBACKSLASHC),
    DS_F(INFO_FRAMESIZE),
    DS_F(INFO_HEAPLIMIT),
    DS_F(INFO_EXTRAOPTIONS),
    /* error codes (the first name of a value is the one used in messages) */
    DS_F(ERROR_NOMATCH),
    DS_F(ERROR_PARTIAL),
    DS_F(ERROR_UTF8_ERR1),
    DS_F(ERROR_UTF8_ERR2),
    DS_F(ERROR_UTF8_ERR3),
    DS_F(ERROR_UTF8_ERR4),
    DS_F(ERROR_UTF8_ERR5),
    DS_F(ERROR_UTF8_ERR6),
    DS_F(ERROR_UTF8_ERR7),
    DS_F(ERROR_UTF8_ERR8),
    DS_F(ERROR_UTF8_ERR9),
    DS_F(ERROR_UTF8_ERR10),
    DS_F(ERROR_UTF8_ERR11),
    DS_F(ERROR_UTF8_ERR12),
    DS_F(ERROR_UTF8_ERR13),
    DS_F(ERROR_UTF8_ERR14),
    DS_F(ERROR_UTF8_ERR15),
    DS_F(ERROR_UTF8_ERR16),
    DS_F(ERROR_UTF8_ERR17),
    DS_F(ERROR_UTF8_ERR18),
    DS_F(ERROR_UTF8_ERR19),
    DS_F(ERROR_UTF8_ERR20),
    DS_F(ERROR_UTF8_ERR21),
    DS_F(ERROR_UTF16_ERR1),
    DS_F(ERROR_UTF16_ERR2),
    DS_F(ERROR_UTF16_ERR3),
    DS_F(ERROR_UTF32_ERR1),
    DS_F(ERROR_UTF32_ERR2),
    DS_F(ERROR_BADDATA),
    DS_F(ERROR_MIXEDTABLES),
    DS_F(ERROR_BADMAGIC),
    DS_F(ERROR_BADMODE),
    DS_F(ERROR_BADOFFSET),
    DS_F(ERROR_BADOPTION),
    DS_F(ERROR_BADREPLACEMENT),
    DS_F(ERROR_BADUTFOFFSET),
    DS_F(ERROR_CALLOUT),
    DS_F(ERROR_DFA_BADRESTART),
    DS_F(ERROR_DFA_RECURSE),
    DS_F(ERROR_DFA_UCOND),
    DS_F(ERROR_DFA_UFUNC),
    DS_F(ERROR_DFA_UITEM),
    DS_F(ERROR_DFA_WSSIZE),
    DS_F(ERROR_INTERNAL),
    DS_F(ERROR_JIT_BADOPTION),
    DS_F(ERROR_JIT_STACKLIMIT),
    DS_F(ERROR_MATCHLIMIT),
    DS_F(ERROR_NOMEMORY),
    DS_F(ERROR_NOSUBSTRING),
    DS_F(ERROR_NOUNIQUESUBSTRING),
    DS_F(ERROR_NULL),
    DS_F(ERROR_RECURSELOOP),
    DS_F(ERROR_DEPTHLIMIT),
    DS_F(ERROR_RECURSIONLIMIT),
    DS_F(ERROR_UNAVAILABLE),
    DS_F(ERROR_UNSET),
    DS_F(ERROR_BADOFFSETLIMIT),
    DS_F(ERROR_BADREPESCAPE),
    DS_F(ERROR_REPMISSINGBRACE),
    DS_F(ERROR_BADSUBSTITUTION),
    DS_F(ERROR_BADSUBSPATTERN),
    DS_F(ERROR_TOOMANYREPLACE),
    DS_F(ERROR_BADSERIALIZEDDATA),
    DS_F(ERROR_HEAPLIMIT),
    DS_F(ERROR_CONVERT_SYNTAX),
    DS_F(ERROR_INTERNAL_DUPMATCH),
    DS_F(ERROR_DFA_UINVALID_UTF),
};
#undef DS_F

/* pcre2_config() items: numbers, except the two strings. */
typedef struct {
  const char *name;
  uint32_t what;
  int string;
} ds_config_item;

#define DS_C(n, s)                                                                                 \
  { "PCRE2_CONFIG_" #n, PCRE2_CONFIG_##n, s }
static const ds_config_item ds_config_items[] = {
    DS_C(BSR, 0),
    DS_C(JIT, 0),
    DS_C(JITTARGET, 1),
    DS_C(LINKSIZE, 0),
    DS_C(MATCHLIMIT, 0),
    DS_C(NEWLINE, 0),
    DS_C(PARENSLIMIT, 0),
    DS_C(RECURSIONLIMIT, 0),
    DS_C(DEPTHLIMIT, 0),
    DS_C(STACKRECURSE, 0),
    DS_C(UNICODE, 0),
    DS_C(UNICODE_VERSION, 1),
    DS_C(VERSION, 1),
    DS_C(HEAPLIMIT, 0),
    DS_C(NEVER_BACKSLASH_C, 0),
    DS_C(COMPILED_WIDTHS, 0),
};
#undef DS_C

/* ---------------------------------------------------------------------------
** Small helpers
*/

static ds_state *ds_st(lua_State *L) {
  return (ds_state *)lua_touserdata(L, DS_STATE);
}

/* The regex at `idx`, or NULL if the value is not one of ours. Its metatable
** is compared by address (lua_topointer), which costs a third of a
** lua_rawequal against the upvalue: this runs on every call. */
static ds_regex *ds_toregex(lua_State *L, const ds_state *st, int idx) {
  ds_regex *re = (ds_regex *)lua_touserdata(L, idx);
  if (re == NULL || !lua_getmetatable(L, idx)) return NULL;
  if (lua_topointer(L, -1) != st->regex_mt) re = NULL;
  lua_pop(L, 1);
  return re;
}

static ds_regex *ds_checkregex(lua_State *L, const ds_state *st, int idx) {
  ds_regex *re = ds_toregex(L, st, idx);
  if (re == NULL) luaL_typeerror(L, idx, DS_RX " object");
  if (re->code == NULL) luaL_error(L, DS_RX ": regex is closed");
  return re;
}

static ds_tables *ds_checktables(lua_State *L, int idx) {
  ds_tables *t = (ds_tables *)lua_touserdata(L, idx);
  int ok = t != NULL && lua_getmetatable(L, idx);
  if (ok) {
    ok = lua_rawequal(L, -1, DS_TABLES_MT);
    lua_pop(L, 1);
  }
  if (!ok) luaL_argerror(L, idx, "not a chartables");
  if (t->tables == NULL) luaL_argerror(L, idx, "chartables are closed");
  return t;
}

/* Position after the character at `pos`: one byte, or in UTF mode one whole
** UTF-8 sequence. Past the end it still moves on, so loops terminate. */
static PCRE2_SIZE ds_next(const char *s, size_t len, PCRE2_SIZE pos, int utf) {
  if (pos >= len || !utf) return pos + 1;
  pos++;
  while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80) pos++;
  return pos;
}

/* A subject: a string (numbers convert), or like lrexlib a table or userdata
** with a `topointer` method and a length (`__len`), read as a memory block. */
static const char *ds_subject(lua_State *L, int idx, size_t *len) {
  int t = lua_type(L, idx);
  const char *p;
  if (t == LUA_TSTRING || t == LUA_TNUMBER) return lua_tolstring(L, idx, len);
  if (t != LUA_TTABLE && t != LUA_TUSERDATA) luaL_typeerror(L, idx, "string, table or userdata");
  if (lua_getfield(L, idx, "topointer") != LUA_TFUNCTION)
    luaL_error(L, DS_RX ": subject has no topointer method");
  lua_pushvalue(L, idx);
  lua_call(L, 1, 1);
  if (lua_type(L, -1) != LUA_TLIGHTUSERDATA)
    luaL_error(L, DS_RX ": subject's topointer method returned %s (expected lightuserdata)",
               luaL_typename(L, -1));
  p = (const char *)lua_touserdata(L, -1);
  lua_pop(L, 1);
  *len = (size_t)luaL_len(L, idx);
  return p;
}

/* lrexlib's start offset rule: init > 0 counts from 1, init < 0 from the end
** (clamped to the start), 0 means the start. May return len + 1 or more. */
static PCRE2_SIZE ds_startoffset(lua_State *L, int idx, size_t len) {
  lua_Integer init = luaL_optinteger(L, idx, 1);
  if (init > 0) return (PCRE2_SIZE)(init - 1);
  if (init < 0) {
    if ((lua_Unsigned) - (init + 1) >= (lua_Unsigned)len) return 0;
    return (PCRE2_SIZE)(len - (size_t)(-(init + 1)) - 1);
  }
  return 0;
}

/* A 32-bit option word. lrexlib keeps flags in a C int, so its ANCHORED
** (0x80000000) reads as a negative number: those values are accepted too. */
static uint32_t ds_u32arg(lua_State *L, int idx, const char *what) {
  lua_Integer v = luaL_checkinteger(L, idx);
  if (v < 0 && v >= INT32_MIN) return (uint32_t)(v + ((lua_Integer)UINT32_MAX + 1));
  if (v < 0 || (lua_Unsigned)v > UINT32_MAX)
    luaL_argerror(L, idx, lua_pushfstring(L, "%s out of range", what));
  return (uint32_t)v;
}

static uint32_t ds_eflags(lua_State *L, int idx) {
  return lua_isnoneornil(L, idx) ? 0 : ds_u32arg(L, idx, "execution flags");
}

/* Compile flags: a number, or letters as in lrexlib (i m s x U) plus `u` for
** UTF and UCP together. Unknown letters are ignored, as lrexlib does. */
static uint32_t ds_cflags(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
  case LUA_TNONE:
  case LUA_TNIL:
    return 0;
  case LUA_TNUMBER:
    return ds_u32arg(L, idx, "compile flags");
  case LUA_TSTRING: {
    const char *s = lua_tostring(L, idx);
    uint32_t f = 0;
    for (; *s; s++) {
      switch (*s) {
      case 'i':
        f |= PCRE2_CASELESS;
        break;
      case 'm':
        f |= PCRE2_MULTILINE;
        break;
      case 's':
        f |= PCRE2_DOTALL;
        break;
      case 'x':
        f |= PCRE2_EXTENDED;
        break;
      case 'U':
        f |= PCRE2_UNGREEDY;
        break;
      case 'u':
        f |= PCRE2_UTF | PCRE2_UCP;
        break;
      default:
        break;
      }
    }
    return f;
  }
  default:
    return (uint32_t)luaL_typeerror(L, idx, "number or string");
  }
}

/* The name PCRE2 gives an error code, for messages. */
static const char *ds_errname(int rc) {
  size_t i;
  for (i = 0; i < sizeof ds_flags / sizeof ds_flags[0]; i++)
    if (ds_flags[i].value == rc && strncmp(ds_flags[i].name, "ERROR_", 6) == 0)
      return ds_flags[i].name;
  return "ERROR_UNKNOWN";
}

/* What stopped a timed match (ds_watch.why). */
enum { DS_RAN, DS_OUT_OF_TIME, DS_INTERRUPTED };

/* The watch over one match attempt of a timed regex, handed to ds_callout.
** A pattern with backreferences can spend time proportional to the subject
** on each backtracking step, so PCRE2's match limit (a count of steps) does
** not bound its time: such patterns are compiled with automatic callouts,
** and the callout stops the match when its deadline passes or when a Lua
** hook appears on the calling thread or the main thread (what the `lua`
** interpreter's SIGINT handler sets, so Ctrl-C interrupts the match). */
typedef struct {
  lua_State *L, *main;
  uint64_t deadline; /* CLOCK_MONOTONIC, nanoseconds */
  uint32_t calls;
  int mask, mainmask; /* hook masks when the match started */
  int why;
} ds_watch;

static uint64_t ds_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int ds_callout(pcre2_callout_block *cb, void *data) {
  ds_watch *w = (ds_watch *)data;
  (void)cb;
  /* The hook masks are volatile sig_atomic_t in Lua 5.4: a signal handler
  ** may set them while we run. */
  if (lua_gethookmask(w->L) != w->mask || lua_gethookmask(w->main) != w->mainmask) {
    w->why = DS_INTERRUPTED;
    return PCRE2_ERROR_CALLOUT;
  }
  if ((++w->calls & (DS_CLOCK_EVERY - 1)) == 0 && ds_now_ns() >= w->deadline) {
    w->why = DS_OUT_OF_TIME;
    return PCRE2_ERROR_CALLOUT;
  }
  return 0;
}

/* Raise the error for a failed match. `md` holds the failing match data; a
** limit that was hit names the pattern. */
static int ds_matcherror(lua_State *L, const ds_regex *re, pcre2_match_data *md, int rc,
                         PCRE2_SIZE start) {
  PCRE2_UCHAR msg[256];
  if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) strcpy((char *)msg, "unknown error");
  if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
    return luaL_error(L, DS_RX ": invalid UTF-8 in subject at byte offset %I (%s)",
                      (lua_Integer)pcre2_get_startchar(md) + 1, (const char *)msg);
  if (rc == PCRE2_ERROR_BADUTFOFFSET)
    return luaL_error(L, DS_RX ": start offset %I is not at a UTF-8 character boundary (%s)",
                      (lua_Integer)start + 1, (const char *)msg);
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
      rc == PCRE2_ERROR_JIT_STACKLIMIT)
    return luaL_error(L, DS_RX ": %s (PCRE2_%s) in pattern '%s'", (const char *)msg, ds_errname(rc),
                      re->src);
  return luaL_error(L, DS_RX ": %s (PCRE2_%s)", (const char *)msg, ds_errname(rc));
}

/* The match context to use: the regex's own when it has limits, kept in step
** with the module defaults for the limits it inherits. */
static pcre2_match_context *ds_mctx(ds_state *st, ds_regex *re) {
  if (re->mctx) {
    uint32_t m = re->lim[DS_LIM_MATCH] ? re->lim[DS_LIM_MATCH] : st->lim[DS_LIM_MATCH];
    uint32_t d = re->lim[DS_LIM_DEPTH] ? re->lim[DS_LIM_DEPTH] : st->lim[DS_LIM_DEPTH];
    uint32_t h = re->lim[DS_LIM_HEAP] ? re->lim[DS_LIM_HEAP] : st->lim[DS_LIM_HEAP];
    pcre2_set_match_limit(re->mctx, m);
    pcre2_set_depth_limit(re->mctx, d);
    pcre2_set_heap_limit(re->mctx, h);
    /* The stack belongs to the module state; if that is gone (interpreter
    ** shutting down) JIT falls back to its small machine-stack default. */
    pcre2_jit_stack_assign(re->mctx, NULL, st->jstack);
    return re->mctx;
  }
  return st->mctx;
}

/* Match options pcre2_jit_match() handles itself; others go through
** pcre2_match(), which picks the interpreter when it must. */
#define DS_JIT_OPTS                                                                                \
  (PCRE2_NOTBOL | PCRE2_NOTEOL | PCRE2_NOTEMPTY | PCRE2_NOTEMPTY_ATSTART | PCRE2_NO_UTF_CHECK)

/* Arm the watch of a timed regex on the match context `mc`. */
static void ds_watch_start(lua_State *L, ds_state *st, const ds_regex *re, pcre2_match_context *mc,
                           ds_watch *w) {
  uint32_t ms = re->lim[DS_LIM_TIME] ? re->lim[DS_LIM_TIME] : st->lim[DS_LIM_TIME];
  w->L = L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  w->main = lua_tothread(L, -1);
  lua_pop(L, 1);
  if (w->main == NULL) w->main = L;
  w->mask = lua_gethookmask(L);
  w->mainmask = lua_gethookmask(w->main);
  w->calls = 0;
  w->why = DS_RAN;
  w->deadline = ds_now_ns() + (uint64_t)ms * 1000000u;
  pcre2_set_callout(mc, ds_callout, w);
}

/* The error of a timed match its watch stopped. */
static int ds_watch_error(lua_State *L, ds_state *st, const ds_regex *re, const ds_watch *w) {
  if (w->why == DS_INTERRUPTED)
    return luaL_error(L, DS_RX ": match of pattern '%s' interrupted", re->src);
  return luaL_error(
      L, DS_RX ": pattern '%s' ran out of time (%I ms; see limits{time=})", re->src,
      (lua_Integer)(re->lim[DS_LIM_TIME] ? re->lim[DS_LIM_TIME] : st->lim[DS_LIM_TIME]));
}

/* Run `code` once: the JIT entry point when the subject is known valid and
** the options allow it, else pcre2_match (which picks JIT or interpreter). */
static int ds_run(pcre2_code *code, int jit, const char *s, size_t len, PCRE2_SIZE start,
                  uint32_t ef, int unchecked, pcre2_match_data *md, pcre2_match_context *mc) {
  if (unchecked && jit && (ef & ~(uint32_t)DS_JIT_OPTS) == 0)
    return pcre2_jit_match(code, (PCRE2_SPTR)s, len, start, ef, md, mc);
  return pcre2_match(code, (PCRE2_SPTR)s, len, start, ef, md, mc);
}

/* A pattern with backreferences: a quick run without callouts under a step
** budget that bounds its time (DS_QUICK_BUDGET); if that budget, and not the
** match limit, stops it, the copy with callouts runs under the watch. */
static int ds_exec_timed(lua_State *L, ds_state *st, ds_regex *re, pcre2_match_context *mc,
                         const char *s, size_t len, PCRE2_SIZE start, uint32_t ef, int unchecked) {
  uint32_t lim = re->lim[DS_LIM_MATCH] ? re->lim[DS_LIM_MATCH] : st->lim[DS_LIM_MATCH];
  size_t quick = DS_QUICK_BUDGET / (len + 1);
  ds_watch w;
  int rc;
  if (quick < DS_QUICK_MIN) quick = DS_QUICK_MIN;
  if (quick < lim) {
    pcre2_set_match_limit(mc, (uint32_t)quick);
    rc = ds_run(re->code, re->jit, s, len, start, ef, unchecked, re->md, mc);
    pcre2_set_match_limit(mc, lim);
    if (rc != PCRE2_ERROR_MATCHLIMIT) return rc;
  }
  ds_watch_start(L, st, re, mc, &w);
  rc = ds_run(re->tcode, re->tjit, s, len, start, ef, unchecked, re->md, mc);
  /* The context is shared: no later match may call back into this frame. */
  pcre2_set_callout(mc, NULL, NULL);
  if (rc == PCRE2_ERROR_CALLOUT && w.why != DS_RAN) return ds_watch_error(L, st, re, &w);
  return rc;
}

/* One match; returns >= 0 on a match, -1 on no match, raises otherwise.
** `checked` says the subject already passed the UTF check in this call. */
static int ds_exec(lua_State *L, ds_state *st, ds_regex *re, const char *s, size_t len,
                   PCRE2_SIZE start, uint32_t ef, int checked) {
  pcre2_match_context *mc;
  int rc, unchecked;
  /* A callback of gsub may have closed the regex it runs on. */
  if (re->code == NULL) return luaL_error(L, DS_RX ": regex is closed");
  mc = ds_mctx(st, re);
  /* The first match of a call in UTF mode: PCRE2 would validate the whole
  ** subject byte by byte; ds_utf8_valid applies the same rules, with ASCII
  ** runs eight bytes at a time. When it finds the subject valid and the start
  ** on a character boundary (what PCRE2 checks), the match runs unchecked;
  ** otherwise PCRE2 checks, and reports the error as before. */
  if (!checked && re->utf && !(ef & PCRE2_NO_UTF_CHECK) && start <= len &&
      (start == len || ((unsigned char)s[start] & 0xC0) != 0x80) && ds_utf8_valid(s, len))
    checked = 1, ef |= PCRE2_NO_UTF_CHECK;
  unchecked = checked && (re->skipcheck || (ef & PCRE2_NO_UTF_CHECK));
  if (unchecked) ef |= PCRE2_NO_UTF_CHECK;
  if (re->timed)
    rc = ds_exec_timed(L, st, re, mc, s, len, start, ef, unchecked);
  else
    rc = ds_run(re->code, re->jit, s, len, start, ef, unchecked, re->md, mc);
  if (rc >= 0) return rc;
  if (rc == PCRE2_ERROR_NOMATCH) return -1;
  return ds_matcherror(L, re, re->md, rc, start);
}

/* ---------------------------------------------------------------------------
** Regex objects: creation, compilation, cache
*/

static void ds_regex_free(ds_regex *re) {
  if (re->code) pcre2_code_free(re->code);
  if (re->tcode) pcre2_code_free(re->tcode);
  re->tcode = NULL;
  if (re->md) pcre2_match_data_free(re->md);
  if (re->dfa_md) pcre2_match_data_free(re->dfa_md);
  if (re->mctx) pcre2_match_context_free(re->mctx);
  if (re->cctx) pcre2_compile_context_free(re->cctx);
  re->code = NULL;
  re->md = re->dfa_md = NULL;
  re->mctx = NULL;
  re->cctx = NULL;
}

static int ds_regex_gc(lua_State *L) {
  ds_regex *re = ds_toregex(L, ds_st(L), 1);
  if (re) ds_regex_free(re);
  return 0;
}

static int ds_regex_tostring(lua_State *L) {
  ds_regex *re = ds_toregex(L, ds_st(L), 1);
  if (re && re->code)
    lua_pushfstring(L, DS_RX " (%p)", (void *)re);
  else
    lua_pushliteral(L, DS_RX " (closed)");
  return 1;
}

static int ds_tables_gc(lua_State *L) {
  ds_tables *t = (ds_tables *)lua_touserdata(L, 1);
  if (t && t->tables) {
    pcre2_maketables_free(NULL, t->tables);
    t->tables = NULL;
  }
  return 0;
}

static int ds_tables_tostring(lua_State *L) {
  lua_pushfstring(L, "chartables (%p)", lua_touserdata(L, 1));
  return 1;
}

/* Push a new chartables userdata built for the current LC_CTYPE, or for
** `locale` when given (through uselocale, so the process locale and other
** threads are untouched). */
static ds_tables *ds_newtables(lua_State *L, const char *locale) {
  ds_state *st = ds_st(L);
  ds_tables *t = (ds_tables *)lua_newuserdatauv(L, sizeof *t, 0);
  t->tables = NULL;
  t->serial = ++st->serial;
  lua_pushvalue(L, DS_TABLES_MT);
  lua_setmetatable(L, -2);
  if (locale) {
    locale_t loc = newlocale(LC_CTYPE_MASK, locale, (locale_t)0), old;
    if (loc == (locale_t)0) luaL_error(L, DS_RX ": cannot set locale \"%s\"", locale);
    old = uselocale(loc);
    t->tables = pcre2_maketables(NULL);
    uselocale(old);
    freelocale(loc);
  } else {
    t->tables = pcre2_maketables(NULL);
  }
  if (t->tables == NULL) luaL_error(L, DS_RX ": not enough memory for character tables");
  return t;
}

/* The start of a pattern for messages: at most DS_QUOTE_MAX bytes, cut at a
** UTF-8 character boundary, with "..." when cut; a NUL byte shows as ?. */
static void ds_quote(char *dst, const char *pat, size_t plen) {
  size_t n = plen > DS_QUOTE_MAX ? DS_QUOTE_MAX : plen, i;
  if (n < plen)
    while (n > 0 && ((unsigned char)pat[n] & 0xC0) == 0x80) n--;
  for (i = 0; i < n; i++) dst[i] = pat[i] ? pat[i] : '?';
  if (n < plen) {
    memcpy(dst + n, "...", 3);
    n += 3;
  }
  dst[n] = '\0';
}

/* Compile `pat` and push the regex. `lopos` is the locale argument: nil, a
** locale name or a chartables object. */
static ds_regex *ds_compile(lua_State *L, const char *pat, size_t plen, uint32_t cf, int lopos) {
  ds_state *st = ds_st(L);
  const uint8_t *tables = NULL;
  ds_tables *tmp = NULL;
  ds_regex *re;
  int err;
  PCRE2_SIZE erroff;
  uint32_t opts = 0, hasc = 0;
  int lot = lua_type(L, lopos);

  if (lot == LUA_TSTRING || lot == LUA_TNUMBER) {
    tmp = ds_newtables(L, lua_tostring(L, lopos));
    tables = tmp->tables;
  } else if (lot != LUA_TNONE && lot != LUA_TNIL) {
    tables = ds_checktables(L, lopos)->tables;
  }

  re = (ds_regex *)lua_newuserdatauv(L, sizeof *re, 0);
  memset(re, 0, sizeof *re);
  lua_pushvalue(L, DS_REGEX_MT);
  lua_setmetatable(L, -2);

  if (tables) {
    re->cctx = pcre2_compile_context_create(NULL);
    if (re->cctx == NULL) luaL_error(L, DS_RX ": not enough memory");
    pcre2_set_character_tables(re->cctx, tables);
  }
  re->code = pcre2_compile((PCRE2_SPTR)pat, plen, cf, &err, &erroff, re->cctx);
  if (re->code) {
    /* Backreferences make a backtracking step cost up to the subject's
    ** length: such a pattern also gets a copy with callouts, so its time
    ** can be bounded (ds_exec_timed). */
    uint32_t backrefs = 0;
    pcre2_pattern_info(re->code, PCRE2_INFO_BACKREFMAX, &backrefs);
    if (backrefs > 0) {
      re->tcode =
          pcre2_compile((PCRE2_SPTR)pat, plen, cf | PCRE2_AUTO_CALLOUT, &err, &erroff, re->cctx);
      if (re->tcode == NULL) luaL_error(L, DS_RX ": not enough memory");
    }
  }
  if (re->cctx) {
    pcre2_compile_context_free(re->cctx);
    re->cctx = NULL;
  }
  if (re->code == NULL) {
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
      strcpy((char *)msg, "pattern compile error");
    luaL_error(L, DS_RX ": %s at pattern offset %I", (const char *)msg, (lua_Integer)erroff + 1);
  }
  if (tables) {
    /* Give the regex its own copy of the tables, so it never depends on the
    ** lifetime of a chartables object (which may be closed or collected). */
    pcre2_code *copy = pcre2_code_copy_with_tables(re->code);
    if (copy == NULL) luaL_error(L, DS_RX ": not enough memory");
    pcre2_code_free(re->code);
    re->code = copy;
    if (re->tcode) {
      copy = pcre2_code_copy_with_tables(re->tcode);
      if (copy == NULL) luaL_error(L, DS_RX ": not enough memory");
      pcre2_code_free(re->tcode);
      re->tcode = copy;
    }
  }
  if (tmp) { /* temporary tables for a locale name: no longer needed */
    pcre2_maketables_free(NULL, tmp->tables);
    tmp->tables = NULL;
    lua_remove(L, -2);
  }
  pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ncap);
  pcre2_pattern_info(re->code, PCRE2_INFO_ALLOPTIONS, &opts);
  pcre2_pattern_info(re->code, PCRE2_INFO_HASBACKSLASHC, &hasc);
  re->utf = (opts & PCRE2_UTF) != 0;
  re->timed = re->tcode != NULL;
  ds_quote(re->src, pat, plen);
  /* \C can end a match inside a character; only then must a later start
  ** offset be checked again. */
  re->skipcheck = re->utf && !hasc;
  re->md = pcre2_match_data_create(re->ncap + 1, NULL);
  if (re->md == NULL) luaL_error(L, DS_RX ": not enough memory");
  if (st->has_jit) {
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    if (re->tcode) re->tjit = pcre2_jit_compile(re->tcode, PCRE2_JIT_COMPLETE) == 0;
  }
  return re;
}

/* Evict the least recently used cache entry. Stack neutral. */
static void ds_cache_evict(lua_State *L, ds_state *st) {
  uint64_t best = UINT64_MAX;
  int besttab = 0, tab, top = lua_gettop(L);
  lua_pushnil(L); /* top + 1: key of the oldest entry */
  for (tab = 1; tab <= 2; tab++) {
    lua_getiuservalue(L, DS_STATE, tab);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      ds_regex *re = (ds_regex *)lua_touserdata(L, -1);
      if (re && re->stamp < best) {
        best = re->stamp;
        besttab = tab;
        lua_pushvalue(L, -2);
        lua_replace(L, top + 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (besttab) {
    lua_getiuservalue(L, DS_STATE, besttab);
    lua_pushvalue(L, top + 1);
    lua_pushnil(L);
    lua_rawset(L, -3);
    st->cache_count--;
  }
  lua_settop(L, top);
}

/* Compile through the cache and push the regex. The key is the pattern
** itself for the common case (no flags, default tables), otherwise the
** pattern followed by the locale part and a fixed-size suffix holding the
** pattern length, the flags and the kind of locale, so keys never collide. */
static ds_regex *ds_cached(lua_State *L, int pos, uint32_t cf, int lopos) {
  ds_state *st = ds_st(L);
  size_t plen;
  const char *pat = lua_tolstring(L, pos, &plen);
  int lot = lua_type(L, lopos), tab, k;
  ds_regex *re;

  if (st->cache_max <= 0) return ds_compile(L, pat, plen, cf, lopos);
  if (cf == 0 && (lot == LUA_TNONE || lot == LUA_TNIL)) {
    tab = 1;
    lua_pushvalue(L, pos);
  } else {
    luaL_Buffer b;
    uint64_t len64 = plen;
    char kind = 'n';
    tab = 2;
    luaL_buffinit(L, &b);
    luaL_addlstring(&b, pat, plen);
    if (lot == LUA_TSTRING || lot == LUA_TNUMBER) {
      size_t ll;
      const char *lo = lua_tolstring(L, lopos, &ll);
      luaL_addlstring(&b, lo, ll);
      kind = 's';
    } else if (lot != LUA_TNONE && lot != LUA_TNIL) {
      uint64_t serial = ds_checktables(L, lopos)->serial;
      luaL_addlstring(&b, (const char *)&serial, sizeof serial);
      kind = 't';
    }
    luaL_addlstring(&b, (const char *)&len64, sizeof len64);
    luaL_addlstring(&b, (const char *)&cf, sizeof cf);
    luaL_addchar(&b, kind);
    luaL_pushresult(&b);
  }
  k = lua_gettop(L);
  lua_getiuservalue(L, DS_STATE, tab); /* k + 1 */
  lua_pushvalue(L, k);
  if (lua_rawget(L, k + 1) == LUA_TUSERDATA) { /* hit */
    re = (ds_regex *)lua_touserdata(L, -1);
    re->stamp = ++st->clock;
    st->hits++;
    lua_replace(L, k);
    lua_settop(L, k);
    return re;
  }
  lua_pop(L, 1);
  st->misses++;
  re = ds_compile(L, pat, plen, cf, lopos); /* k + 2 */
  if (st->cache_count >= st->cache_max) ds_cache_evict(L, st);
  lua_pushvalue(L, k);
  lua_pushvalue(L, k + 2);
  lua_rawset(L, k + 1);
  st->cache_count++;
  re->stamp = ++st->clock;
  lua_replace(L, k);
  lua_settop(L, k);
  return re;
}

/* The pattern argument of a module function: a regex object (used as is) or
** a string (compiled through the cache). Pushes the regex. */
static ds_regex *ds_pattern(lua_State *L, int pos, uint32_t cf, int lopos) {
  ds_regex *re = ds_toregex(L, ds_st(L), pos);
  if (re) {
    if (re->code == NULL) luaL_error(L, DS_RX ": regex is closed");
    lua_pushvalue(L, pos);
    return re;
  }
  if (!lua_isstring(L, pos)) luaL_typeerror(L, pos, "string or " DS_RX " object");
  return ds_cached(L, pos, cf, lopos);
}

/* rex.new(patt, [cf], [lo]) */
static int ds_new(lua_State *L) {
  size_t plen;
  const char *pat = luaL_checklstring(L, 1, &plen);
  uint32_t cf = ds_cflags(L, 2);
  lua_settop(L, 3); /* the locale slot must be a real argument */
  ds_compile(L, pat, plen, cf, 3);
  return 1;
}

/* ---------------------------------------------------------------------------
** Pushing results
*/

static int ds_isset(const PCRE2_SIZE *ov, uint32_t i) {
  return ov[2 * i] != PCRE2_UNSET;
}

static void ds_pushsub(lua_State *L, const char *s, const PCRE2_SIZE *ov, uint32_t i) {
  if (ds_isset(ov, i))
    lua_pushlstring(L, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
  else
    lua_pushboolean(L, 0);
}

/* Push every capture (false when unset); returns their number. */
static int ds_pushcaptures(lua_State *L, ds_regex *re, const char *s) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
  uint32_t i;
  if (re->ncap > 0) /* skipped when there is nothing to push: it costs a fifth of a short find */
    luaL_checkstack(L, (int)(re->ncap > INT32_MAX - 20 ? INT32_MAX - 20 : re->ncap),
                    DS_RX ": too many captures");
  for (i = 1; i <= re->ncap; i++) ds_pushsub(L, s, ov, i);
  return (int)re->ncap;
}

/* Captures, or the whole match when the pattern has none. */
static int ds_pushmatch(lua_State *L, ds_regex *re, const char *s) {
  if (re->ncap == 0) {
    ds_pushsub(L, s, pcre2_get_ovector_pointer(re->md), 0);
    return 1;
  }
  return ds_pushcaptures(L, re, s);
}

/* Named captures into the table on top: name = substring or false. With
** duplicate names a set capture wins over an unset one. */
static void ds_setnames(lua_State *L, ds_regex *re, const char *s) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
  uint32_t count = 0, size = 0, i;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
  if (count == 0) return;
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
  pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
  for (i = 0; i < count; i++, table += size) {
    uint32_t n = ((uint32_t)table[0] << 8) | table[1];
    const char *name = (const char *)table + 2;
    if (n == 0 || n > re->ncap) continue;
    if (!ds_isset(ov, n)) {
      if (lua_getfield(L, -1, name) != LUA_TNIL) {
        lua_pop(L, 1);
        continue;
      }
      lua_pop(L, 1);
    }
    ds_pushsub(L, s, ov, n);
    lua_setfield(L, -2, name);
  }
}

/* ---------------------------------------------------------------------------
** find, match, exec, tfind
*/

enum { DS_FIND, DS_MATCH, DS_EXEC, DS_TFIND };

static int ds_finish(lua_State *L, ds_regex *re, const char *s, int how) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
  uint32_t i;
  switch (how) {
  case DS_FIND:
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    return 2 + ds_pushcaptures(L, re, s);
  case DS_MATCH:
    return ds_pushmatch(L, re, s);
  case DS_EXEC:
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    lua_createtable(L, (int)(re->ncap > INT32_MAX / 2 ? 0 : 2 * re->ncap), 0);
    for (i = 1; i <= re->ncap; i++) {
      if (ds_isset(ov, i)) {
        lua_pushinteger(L, (lua_Integer)ov[2 * i] + 1);
        lua_rawseti(L, -2, 2 * (lua_Integer)i - 1);
        lua_pushinteger(L, (lua_Integer)ov[2 * i + 1]);
        lua_rawseti(L, -2, 2 * (lua_Integer)i);
      } else {
        lua_pushboolean(L, 0);
        lua_rawseti(L, -2, 2 * (lua_Integer)i - 1);
        lua_pushboolean(L, 0);
        lua_rawseti(L, -2, 2 * (lua_Integer)i);
      }
    }
    ds_setnames(L, re, s);
    return 3;
  default: /* DS_TFIND */
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    lua_createtable(L, (int)(re->ncap > INT32_MAX ? 0 : re->ncap), 0);
    for (i = 1; i <= re->ncap; i++) {
      ds_pushsub(L, s, ov, i);
      lua_rawseti(L, -2, (lua_Integer)i);
    }
    ds_setnames(L, re, s);
    return 3;
  }
}

/* rex.find / rex.match (subj, patt, [init], [cf], [ef], [lo]) */
static int ds_findfunc(lua_State *L, int how) {
  ds_state *st = ds_st(L);
  size_t len;
  const char *s = ds_subject(L, 1, &len);
  PCRE2_SIZE start;
  uint32_t cf, ef;
  ds_regex *re;
  lua_settop(L, 6);
  re = ds_toregex(L, st, 2);
  if (re == NULL && !lua_isstring(L, 2)) luaL_typeerror(L, 2, "string or " DS_RX " object");
  start = ds_startoffset(L, 3, len);
  cf = ds_cflags(L, 4);
  ef = ds_eflags(L, 5);
  if (start > len) { /* as lrexlib: no match, and the pattern is not even compiled */
    lua_pushnil(L);
    return 1;
  }
  if (re == NULL) /* a string: compiled through the cache, pushed */
    re = ds_cached(L, 2, cf, 6);
  else if (re->code == NULL) /* a regex object stays alive in its argument slot */
    return luaL_error(L, DS_RX ": regex is closed");
  if (ds_exec(L, st, re, s, len, start, ef, 0) < 0) {
    lua_pushnil(L);
    return 1;
  }
  return ds_finish(L, re, s, how);
}

static int ds_find(lua_State *L) {
  return ds_findfunc(L, DS_FIND);
}

static int ds_match(lua_State *L) {
  return ds_findfunc(L, DS_MATCH);
}

/* r:find / r:match / r:exec / r:tfind (subj, [init], [ef]) */
static int ds_findmethod(lua_State *L, int how) {
  ds_state *st = ds_st(L);
  ds_regex *re = ds_checkregex(L, st, 1);
  size_t len;
  const char *s = ds_subject(L, 2, &len);
  PCRE2_SIZE start = ds_startoffset(L, 3, len);
  uint32_t ef = ds_eflags(L, 4);
  if (start > len || ds_exec(L, st, re, s, len, start, ef, 0) < 0) {
    lua_pushnil(L);
    return 1;
  }
  return ds_finish(L, re, s, how);
}

static int ds_m_find(lua_State *L) {
  return ds_findmethod(L, DS_FIND);
}

static int ds_m_match(lua_State *L) {
  return ds_findmethod(L, DS_MATCH);
}

static int ds_m_exec(lua_State *L) {
  return ds_findmethod(L, DS_EXEC);
}

static int ds_m_tfind(lua_State *L) {
  return ds_findmethod(L, DS_TFIND);
}

/* ---------------------------------------------------------------------------
** gmatch and split: iterators over a subject
*/

/* Push the iterator's subject: a string is referenced, never copied; a
** buffer subject is copied once, since its memory is not ours to keep. */
static void ds_pushsubject(lua_State *L, int idx, const char *s, size_t len) {
  if (lua_type(L, idx) == LUA_TSTRING)
    lua_pushvalue(L, idx);
  else
    lua_pushlstring(L, s, len);
}

static ds_iter *ds_newiter(lua_State *L, uint32_t ef) {
  ds_iter *it = (ds_iter *)lua_newuserdatauv(L, sizeof *it, 0);
  memset(it, 0, sizeof *it);
  it->last = PCRE2_UNSET;
  it->ef = ef;
  return it;
}

static int ds_gmatch_iter(lua_State *L) {
  ds_state *st = ds_st(L);
  ds_regex *re = (ds_regex *)lua_touserdata(L, lua_upvalueindex(4));
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(5), &len);
  ds_iter *it = (ds_iter *)lua_touserdata(L, lua_upvalueindex(6));
  const PCRE2_SIZE *ov;
  if (re->code == NULL) return luaL_error(L, DS_RX ": regex is closed");
  for (;;) {
    if (it->done || it->pos > len) return 0;
    if (ds_exec(L, st, re, s, len, it->pos, it->ef, it->checked) < 0) {
      it->done = 1;
      return 0;
    }
    it->checked = 1;
    ov = pcre2_get_ovector_pointer(re->md);
    if (ov[0] >= ov[1]) {      /* empty match */
      if (ov[1] == it->last) { /* right after the previous match: skip it */
        it->pos = ds_next(s, len, it->pos, re->utf);
        continue;
      }
      it->pos = ds_next(s, len, ov[1], re->utf);
    } else {
      it->pos = ov[1];
    }
    it->last = ov[1];
    return ds_pushmatch(L, re, s);
  }
}

static int ds_split_iter(lua_State *L) {
  ds_state *st = ds_st(L);
  ds_regex *re = (ds_regex *)lua_touserdata(L, lua_upvalueindex(4));
  size_t len;
  const char *s = lua_tolstring(L, lua_upvalueindex(5), &len);
  ds_iter *it = (ds_iter *)lua_touserdata(L, lua_upvalueindex(6));
  const PCRE2_SIZE *ov;
  if (it->done) return 0;
  if (re->code == NULL) return luaL_error(L, DS_RX ": regex is closed");
  while (it->next <= len) {
    if (ds_exec(L, st, re, s, len, it->next, it->ef, it->checked) < 0) break;
    it->checked = 1;
    ov = pcre2_get_ovector_pointer(re->md);
    if (ov[0] >= ov[1] && ov[1] == it->last) { /* empty, adjacent to the last match */
      it->next = ds_next(s, len, it->next, re->utf);
      continue;
    }
    lua_pushlstring(L, s + it->pos, ov[0] > it->pos ? ov[0] - it->pos : 0);
    it->pos = it->last = ov[1];
    it->next = ov[0] >= ov[1] ? ds_next(s, len, ov[1], re->utf) : ov[1];
    return 1 + ds_pushmatch(L, re, s);
  }
  it->done = 1;
  lua_pushlstring(L, s + it->pos, len - it->pos);
  return 1;
}

/* rex.gmatch / rex.split (subj, patt, [cf], [ef], [lo]) */
static int ds_iterfunc(lua_State *L, lua_CFunction iter) {
  size_t len;
  const char *s = ds_subject(L, 1, &len);
  uint32_t cf = ds_cflags(L, 3), ef = ds_eflags(L, 4);
  lua_settop(L, 5);
  lua_pushvalue(L, DS_STATE);
  lua_pushvalue(L, DS_REGEX_MT);
  lua_pushvalue(L, DS_TABLES_MT);
  ds_pattern(L, 2, cf, 5);
  ds_pushsubject(L, 1, s, len);
  ds_newiter(L, ef);
  lua_pushcclosure(L, iter, 6);
  return 1;
}

static int ds_gmatch(lua_State *L) {
  return ds_iterfunc(L, ds_gmatch_iter);
}

static int ds_split(lua_State *L) {
  return ds_iterfunc(L, ds_split_iter);
}

/* r:gmatch / r:split (subj, [ef]) */
static int ds_itermethod(lua_State *L, lua_CFunction iter) {
  size_t len;
  const char *s;
  uint32_t ef;
  ds_checkregex(L, ds_st(L), 1);
  s = ds_subject(L, 2, &len);
  ef = ds_eflags(L, 3);
  lua_pushvalue(L, DS_STATE);
  lua_pushvalue(L, DS_REGEX_MT);
  lua_pushvalue(L, DS_TABLES_MT);
  lua_pushvalue(L, 1);
  ds_pushsubject(L, 2, s, len);
  ds_newiter(L, ef);
  lua_pushcclosure(L, iter, 6);
  return 1;
}

static int ds_m_gmatch(lua_State *L) {
  return ds_itermethod(L, ds_gmatch_iter);
}

static int ds_m_split(lua_State *L) {
  return ds_itermethod(L, ds_split_iter);
}

/* ---------------------------------------------------------------------------
** gsub and count
*/

/* Check a replacement template once: %0-%9 must name existing captures
** (%1 means the whole match when there are none). */
static void ds_checktemplate(lua_State *L, const char *r, size_t rl, uint32_t ncap) {
  size_t i;
  for (i = 0; i + 1 < rl; i++) {
    if (r[i] != '%') continue;
    i++;
    if (r[i] >= '0' && r[i] <= '9') {
      uint32_t n = (uint32_t)(r[i] - '0');
      if (!(n == 1 && ncap == 0) && n > ncap) luaL_error(L, DS_RX ": invalid capture index");
    }
  }
}

/* Append the template expanded for the current match: %N is capture N (empty
** when unset), %x is x, a lone trailing % is dropped. */
static void ds_expand(luaL_Buffer *b, const char *r, size_t rl, const char *s, const PCRE2_SIZE *ov,
                      uint32_t ncap) {
  size_t i = 0;
  while (i < rl) {
    const char *pct = (const char *)memchr(r + i, '%', rl - i);
    size_t run = pct ? (size_t)(pct - (r + i)) : rl - i;
    if (run) luaL_addlstring(b, r + i, run);
    i += run;
    if (i >= rl || i + 1 >= rl) break;
    if (r[i + 1] >= '0' && r[i + 1] <= '9') {
      uint32_t n = (uint32_t)(r[i + 1] - '0');
      if (n == 1 && ncap == 0) n = 0;
      if (ds_isset(ov, n)) luaL_addlstring(b, s + ov[2 * n], ov[2 * n + 1] - ov[2 * n]);
    } else {
      luaL_addchar(b, r[i + 1]);
    }
    i += 2;
  }
}

enum { DS_N_ALL, DS_N_MAX, DS_N_FUNC };

/* For a table or function replacement, push the value to use for this match:
** the replacement, or nil/false to keep the match. */
static void ds_replvalue(lua_State *L, ds_regex *re, const char *s, PCRE2_SIZE from, PCRE2_SIZE to,
                         int rtype) {
  const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
  if (rtype == LUA_TTABLE) {
    if (re->ncap > 0)
      ds_pushsub(L, s, ov, 1);
    else
      lua_pushlstring(L, s + from, to - from);
    lua_gettable(L, 3);
  } else {
    int nargs;
    lua_pushvalue(L, 3);
    if (re->ncap > 0) {
      nargs = ds_pushcaptures(L, re, s);
    } else {
      lua_pushlstring(L, s + from, to - from);
      nargs = 1;
    }
    lua_call(L, nargs, 1);
  }
}

/* rex.gsub (subj, patt, repl, [n], [cf], [ef], [lo]); r:gsub (subj, repl, [n], [ef]).
** The output is built in a luaL_Buffer, so an error in a user function or a
** bad replacement value leaves nothing behind. */
static int ds_gsub_run(lua_State *L, ds_regex *re, const char *s, size_t len, uint32_t ef,
                       int nmode, lua_Integer nmax) {
  ds_state *st = ds_st(L);
  int rtype = lua_type(L, 3);
  size_t rl = 0;
  const char *r = NULL;
  PCRE2_SIZE pos = 0, last = PCRE2_UNSET;
  lua_Integer nmatch = 0, nsubst = 0;
  int checked = 0;
  luaL_Buffer b;

  if (rtype == LUA_TSTRING) {
    r = lua_tolstring(L, 3, &rl);
    ds_checktemplate(L, r, rl, re->ncap);
  }
  luaL_buffinit(L, &b);
  while ((nmode != DS_N_MAX || nmatch < nmax) && pos <= len) {
    const PCRE2_SIZE *ov;
    PCRE2_SIZE from, to;
    int subst = 0;
    if (ds_exec(L, st, re, s, len, pos, ef, checked) < 0) break;
    checked = 1;
    ov = pcre2_get_ovector_pointer(re->md);
    from = ov[0], to = ov[1];
    if (from > to) from = to; /* \K in a lookahead; not reachable by default */
    if (to == last) {         /* empty match right after the previous one: skip a char */
      PCRE2_SIZE nx;
      if (pos >= len) break;
      nx = ds_next(s, len, pos, re->utf);
      luaL_addlstring(&b, s + pos, nx - pos);
      pos = nx;
      continue;
    }
    last = to;
    nmatch++;
    if (pos < from) {
      luaL_addlstring(&b, s + pos, from - pos);
      pos = from;
    }
    if (nmode != DS_N_FUNC) {
      if (rtype == LUA_TSTRING) {
        ds_expand(&b, r, rl, s, ov, re->ncap);
        subst = 1;
      } else {
        ds_replvalue(L, re, s, from, to, rtype);
        if (lua_isstring(L, -1)) {
          luaL_addvalue(&b);
          subst = 1;
        } else if (!lua_toboolean(L, -1)) {
          lua_pop(L, 1);
          luaL_addlstring(&b, s + from, to - from);
        } else {
          return luaL_error(L, DS_RX ": invalid replacement value (a %s)", luaL_typename(L, -1));
        }
      }
    } else {
      /* n is a function: it sees (start, end, repl_out) and decides. All
      ** values sit above the buffer and collapse to one string for it. */
      int base = lua_gettop(L) + 1; /* V: repl_out */
      if (rtype == LUA_TSTRING) {
        luaL_Buffer t;
        luaL_buffinit(L, &t);
        ds_expand(&t, r, rl, s, ov, re->ncap);
        luaL_pushresult(&t);
        subst = 1;
        lua_pushvalue(L, base); /* base + 1: what "true" keeps */
      } else {
        ds_replvalue(L, re, s, from, to, rtype);
        if (lua_isstring(L, base)) {
          lua_tostring(L, base);
          subst = 1;
          lua_pushvalue(L, base);
        } else if (!lua_toboolean(L, base)) {
          lua_pushlstring(L, s + from, to - from);
        } else {
          return luaL_error(L, DS_RX ": invalid replacement value (a %s)", luaL_typename(L, base));
        }
      }
      lua_pushvalue(L, 4);
      lua_pushinteger(L, (lua_Integer)from + 1);
      lua_pushinteger(L, (lua_Integer)to);
      lua_pushvalue(L, base);
      lua_call(L, 3, 2); /* base + 2, base + 3 */
      if (lua_isstring(L, base + 2)) {
        lua_tostring(L, base + 2);
        lua_copy(L, base + 2, base);
        subst = 1;
      } else if (lua_toboolean(L, base + 2)) {
        lua_copy(L, base + 1, base);
      } else {
        lua_pushlstring(L, s + from, to - from);
        lua_replace(L, base);
        subst = 0;
      }
      if (lua_type(L, base + 3) == LUA_TNUMBER) {
        lua_Integer n;
        if (!lua_isinteger(L, base + 3)) {
          lua_Number f = lua_tonumber(L, base + 3);
          n = f >= 0 ? (lua_Integer)(f < 9e18 ? f : 9e18) : 0;
        } else {
          n = lua_tointeger(L, base + 3);
        }
        nmode = DS_N_MAX;
        nmax = nmatch + (n < 0 ? 0 : n);
      } else if (lua_toboolean(L, base + 3)) {
        nmode = DS_N_ALL;
      }
      lua_settop(L, base);
      luaL_addvalue(&b);
    }
    nsubst += subst;
    if (pos < to) {
      pos = to;
    } else if (pos < len) { /* empty match: keep one character and move on */
      PCRE2_SIZE nx = ds_next(s, len, pos, re->utf);
      luaL_addlstring(&b, s + pos, nx - pos);
      pos = nx;
    } else {
      break;
    }
  }
  if (pos < len) luaL_addlstring(&b, s + pos, len - pos);
  luaL_pushresult(&b);
  lua_pushinteger(L, nmatch);
  lua_pushinteger(L, nsubst);
  return 3;
}

/* The n argument: nil (all), a number (at most n matches) or a function. */
static int ds_nmode(lua_State *L, int idx, lua_Integer *nmax) {
  *nmax = 0;
  if (lua_isnoneornil(L, idx)) return DS_N_ALL;
  if (lua_isfunction(L, idx)) return DS_N_FUNC;
  if (lua_isnumber(L, idx)) {
    lua_Integer n = luaL_checkinteger(L, idx);
    *nmax = n < 0 ? 0 : n;
    return DS_N_MAX;
  }
  return luaL_typeerror(L, idx, "number or function");
}

static int ds_replarg(lua_State *L, int idx) {
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER) {
    lua_tostring(L, idx);
    t = LUA_TSTRING;
  }
  if (t != LUA_TSTRING && t != LUA_TTABLE && t != LUA_TFUNCTION)
    luaL_typeerror(L, idx, "string, table or function");
  return t;
}

static int ds_gsub(lua_State *L) {
  size_t len;
  const char *s = ds_subject(L, 1, &len);
  lua_Integer nmax;
  int nmode;
  uint32_t cf, ef;
  ds_regex *re;
  lua_settop(L, 7);
  if (ds_toregex(L, ds_st(L), 2) == NULL && !lua_isstring(L, 2))
    luaL_typeerror(L, 2, "string or " DS_RX " object");
  ds_replarg(L, 3);
  nmode = ds_nmode(L, 4, &nmax);
  cf = ds_cflags(L, 5);
  ef = ds_eflags(L, 6);
  re = ds_pattern(L, 2, cf, 7);
  lua_replace(L, 2); /* keep the regex alive in its argument slot */
  lua_settop(L, 4);
  return ds_gsub_run(L, re, s, len, ef, nmode, nmax);
}

/* r:gsub (subj, repl, [n], [ef]): repl and n sit at 3 and 4, as for rex.gsub. */
static int ds_m_gsub(lua_State *L) {
  ds_regex *re = ds_checkregex(L, ds_st(L), 1);
  size_t len;
  const char *s = ds_subject(L, 2, &len);
  lua_Integer nmax;
  int nmode;
  uint32_t ef;
  ds_replarg(L, 3);
  nmode = ds_nmode(L, 4, &nmax);
  ef = ds_eflags(L, 5);
  lua_settop(L, 4);
  return ds_gsub_run(L, re, s, len, ef, nmode, nmax);
}

static int ds_count_run(lua_State *L, ds_regex *re, const char *s, size_t len, uint32_t ef) {
  ds_state *st = ds_st(L);
  PCRE2_SIZE pos = 0, last = PCRE2_UNSET;
  lua_Integer n = 0;
  int checked = 0;
  while (pos <= len) {
    const PCRE2_SIZE *ov;
    if (ds_exec(L, st, re, s, len, pos, ef, checked) < 0) break;
    checked = 1;
    ov = pcre2_get_ovector_pointer(re->md);
    if (ov[1] == last) { /* empty match right after the previous one */
      if (pos >= len) break;
      pos = ds_next(s, len, pos, re->utf);
      continue;
    }
    last = ov[1];
    n++;
    if (pos < ov[0]) pos = ov[0];
    if (pos < ov[1])
      pos = ov[1];
    else if (pos < len)
      pos = ds_next(s, len, pos, re->utf);
    else
      break;
  }
  lua_pushinteger(L, n);
  return 1;
}

/* rex.count (subj, patt, [cf], [ef], [lo]) */
static int ds_count(lua_State *L) {
  size_t len;
  const char *s = ds_subject(L, 1, &len);
  uint32_t cf = ds_cflags(L, 3), ef = ds_eflags(L, 4);
  ds_regex *re;
  lua_settop(L, 5);
  re = ds_pattern(L, 2, cf, 5);
  return ds_count_run(L, re, s, len, ef);
}

/* r:count (subj, [ef]) */
static int ds_m_count(lua_State *L) {
  ds_regex *re = ds_checkregex(L, ds_st(L), 1);
  size_t len;
  const char *s = ds_subject(L, 2, &len);
  return ds_count_run(L, re, s, len, ds_eflags(L, 3));
}

/* ---------------------------------------------------------------------------
** dfa_exec, patterninfo, jit_compile, limits
*/

/* r:dfa_exec (subj, [init], [ef], [ovecsize], [wscount]) -> start, {ends}, rc.
** Uses the regex's own DFA match data and a Lua-owned workspace; the match
** data shared by the other methods is never touched (lrexlib replaced it,
** leaking it and breaking later calls). */
static int ds_m_dfa_exec(lua_State *L) {
  ds_state *st = ds_st(L);
  ds_regex *re = ds_checkregex(L, st, 1);
  size_t len;
  const char *s = ds_subject(L, 2, &len);
  PCRE2_SIZE start = ds_startoffset(L, 3, len);
  uint32_t ef = ds_eflags(L, 4);
  lua_Integer ovecsize = luaL_optinteger(L, 5, 100);
  lua_Integer wscount = luaL_optinteger(L, 6, 50);
  uint32_t pairs;
  int *ws, rc;
  luaL_argcheck(L, ovecsize >= 0, 5, "must not be negative");
  luaL_argcheck(L,
                wscount > 0 && (lua_Unsigned)wscount <= SIZE_MAX / sizeof(int) &&
                    (lua_Unsigned)wscount <= UINT32_MAX,
                6, "out of range");
  pairs = ovecsize / 2 > 65535 ? 65535 : (uint32_t)(ovecsize / 2);
  if (pairs == 0) pairs = 1;
  ws = (int *)lua_newuserdatauv(L, (size_t)wscount * sizeof(int), 0);
  if (re->dfa_md == NULL || re->dfa_pairs != pairs) {
    if (re->dfa_md) pcre2_match_data_free(re->dfa_md);
    re->dfa_md = pcre2_match_data_create(pairs, NULL);
    re->dfa_pairs = pairs;
    if (re->dfa_md == NULL) return luaL_error(L, DS_RX ": not enough memory");
  }
  rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)s, len, start, ef, re->dfa_md, ds_mctx(st, re), ws,
                       (PCRE2_SIZE)wscount);
  if (rc >= 0 || rc == PCRE2_ERROR_PARTIAL) {
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->dfa_md);
    uint32_t i, n = rc > 0 ? (uint32_t)rc : rc == 0 ? pairs : 1;
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
      lua_pushinteger(L, (lua_Integer)ov[2 * i + 1]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, rc);
    return 3;
  }
  if (rc == PCRE2_ERROR_NOMATCH) {
    lua_pushnil(L);
    return 1;
  }
  return ds_matcherror(L, re, re->dfa_md, rc, start);
}

typedef struct {
  const char *name;
  uint32_t what;
  int size_t_valued;
} ds_info_item;

#define DS_I(n, z)                                                                                 \
  { #n, PCRE2_INFO_##n, z }
static const ds_info_item ds_info_items[] = {
    DS_I(ALLOPTIONS, 0),     DS_I(ARGOPTIONS, 0),    DS_I(BACKREFMAX, 0),    DS_I(BSR, 0),
    DS_I(CAPTURECOUNT, 0),   DS_I(FIRSTCODETYPE, 0), DS_I(FIRSTCODEUNIT, 0), DS_I(HASBACKSLASHC, 0),
    DS_I(HASCRORLF, 0),      DS_I(JCHANGED, 0),      DS_I(JITSIZE, 1),       DS_I(LASTCODETYPE, 0),
    DS_I(LASTCODEUNIT, 0),   DS_I(MATCHEMPTY, 0),    DS_I(MATCHLIMIT, 0),    DS_I(MAXLOOKBEHIND, 0),
    DS_I(MINLENGTH, 0),      DS_I(NAMECOUNT, 0),     DS_I(NAMEENTRYSIZE, 0), DS_I(NEWLINE, 0),
    DS_I(RECURSIONLIMIT, 0), DS_I(DEPTHLIMIT, 0),    DS_I(HEAPLIMIT, 0),     DS_I(EXTRAOPTIONS, 0),
    DS_I(FRAMESIZE, 1),      DS_I(SIZE, 1),
};
#undef DS_I

/* r:patterninfo () and its old name r:fullinfo () */
static int ds_m_patterninfo(lua_State *L) {
  ds_regex *re = ds_checkregex(L, ds_st(L), 1);
  size_t i;
  lua_createtable(L, 0, (int)(sizeof ds_info_items / sizeof ds_info_items[0]));
  for (i = 0; i < sizeof ds_info_items / sizeof ds_info_items[0]; i++) {
    const ds_info_item *it = &ds_info_items[i];
    if (it->size_t_valued) {
      size_t v = 0;
      if (pcre2_pattern_info(re->code, it->what, &v) != 0) continue;
      lua_pushinteger(L, (lua_Integer)v);
    } else {
      uint32_t v = 0;
      if (pcre2_pattern_info(re->code, it->what, &v) != 0) continue;
      lua_pushinteger(L, (lua_Integer)v);
    }
    lua_setfield(L, -2, it->name);
  }
  return 1;
}

/* r:jit_compile ([options]) -> true | false, message */
static int ds_m_jit_compile(lua_State *L) {
  ds_regex *re = ds_checkregex(L, ds_st(L), 1);
  uint32_t opts = lua_isnoneornil(L, 2) ? PCRE2_JIT_COMPLETE : ds_u32arg(L, 2, "JIT options");
  int rc = pcre2_jit_compile(re->code, opts);
  PCRE2_UCHAR msg[256];
  if (rc == 0) {
    if (opts & PCRE2_JIT_COMPLETE) re->jit = 1;
    if (re->tcode && (opts & PCRE2_JIT_COMPLETE))
      re->tjit = pcre2_jit_compile(re->tcode, PCRE2_JIT_COMPLETE) == 0;
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) strcpy((char *)msg, "JIT compile error");
  lua_pushstring(L, (const char *)msg);
  return 2;
}

/* Read {match=, depth=, heap=, time=} at `idx` into lim (fields left alone when
** absent). Values are positive integers below 2^32. */
static void ds_readlimits(lua_State *L, int idx, uint32_t lim[DS_NLIM]) {
  int i;
  luaL_checktype(L, idx, LUA_TTABLE);
  for (i = 0; i < DS_NLIM; i++) {
    int t = lua_getfield(L, idx, ds_limit_names[i]);
    if (t != LUA_TNIL) {
      int ok;
      lua_Integer v = lua_tointegerx(L, -1, &ok);
      if (!ok || v < 1 || (lua_Unsigned)v > UINT32_MAX)
        luaL_error(L, DS_RX ": limit '%s' must be an integer from 1 to %I", ds_limit_names[i],
                   (lua_Integer)UINT32_MAX);
      lim[i] = (uint32_t)v;
    }
    lua_pop(L, 1);
  }
}

static void ds_pushlimits(lua_State *L, const uint32_t lim[DS_NLIM]) {
  int i;
  lua_createtable(L, 0, DS_NLIM);
  for (i = 0; i < DS_NLIM; i++) {
    if (lim[i] == 0) continue;
    lua_pushinteger(L, (lua_Integer)lim[i]);
    lua_setfield(L, -2, ds_limit_names[i]);
  }
}

/* rex.limits ([{match=, depth=, heap=, time=}]) -> previous limits. Module-wide
** defaults for every regex without its own. heap is in KiB, as in PCRE2; time
** in milliseconds per match attempt, for patterns with backreferences. */
static int ds_limits(lua_State *L) {
  ds_state *st = ds_st(L);
  uint32_t lim[DS_NLIM];
  memcpy(lim, st->lim, sizeof lim);
  ds_pushlimits(L, st->lim);
  if (lua_isnoneornil(L, 1)) return 1;
  ds_readlimits(L, 1, lim);
  memcpy(st->lim, lim, sizeof lim);
  if (st->mctx) {
    pcre2_set_match_limit(st->mctx, lim[DS_LIM_MATCH]);
    pcre2_set_depth_limit(st->mctx, lim[DS_LIM_DEPTH]);
    pcre2_set_heap_limit(st->mctx, lim[DS_LIM_HEAP]);
  }
  return 1;
}

/* r:limits ([{match=, depth=, heap=, time=}]) -> previous per-regex limits (absent
** fields follow the module defaults). An empty table clears them. */
static int ds_m_limits(lua_State *L) {
  ds_regex *re = ds_checkregex(L, ds_st(L), 1);
  uint32_t lim[DS_NLIM] = {0, 0, 0, 0};
  ds_pushlimits(L, re->lim);
  if (lua_isnoneornil(L, 2)) return 1;
  ds_readlimits(L, 2, lim);
  if (re->mctx == NULL) {
    re->mctx = pcre2_match_context_create(NULL);
    if (re->mctx == NULL) return luaL_error(L, DS_RX ": not enough memory");
  }
  memcpy(re->lim, lim, sizeof lim);
  return 1;
}

/* r:close (): free the compiled pattern now (also what __close does). */
static int ds_m_close(lua_State *L) {
  ds_regex *re = ds_toregex(L, ds_st(L), 1);
  if (re == NULL) luaL_typeerror(L, 1, DS_RX " object");
  ds_regex_free(re);
  return 0;
}

/* ---------------------------------------------------------------------------
** Module functions without a pattern
*/

/* rex.flags ([tb]) */
static int ds_flagsfn(lua_State *L) {
  size_t i;
  if (lua_isnoneornil(L, 1))
    lua_createtable(L, 0, (int)(sizeof ds_flags / sizeof ds_flags[0]));
  else {
    luaL_argcheck(L, lua_istable(L, 1), 1, "not a table");
    lua_settop(L, 1);
  }
  for (i = 0; i < sizeof ds_flags / sizeof ds_flags[0]; i++) {
    lua_pushinteger(L, ds_flags[i].value);
    lua_setfield(L, -2, ds_flags[i].name);
  }
  return 1;
}

/* rex.config ([tb]) */
static int ds_config(lua_State *L) {
  size_t i;
  if (lua_istable(L, 1))
    lua_settop(L, 1);
  else
    lua_newtable(L);
  for (i = 0; i < sizeof ds_config_items / sizeof ds_config_items[0]; i++) {
    const ds_config_item *c = &ds_config_items[i];
    if (c->string) {
      char buf[128];
      int n = pcre2_config(c->what, NULL); /* length, including the NUL */
      if (n <= 0 || (size_t)n > sizeof buf || pcre2_config(c->what, buf) < 0) continue;
      lua_pushstring(L, buf);
    } else {
      uint32_t v = 0;
      if (pcre2_config(c->what, &v) != 0) continue;
      lua_pushinteger(L, (lua_Integer)v);
    }
    lua_setfield(L, -2, c->name);
  }
  return 1;
}

/* rex.version () -> "10.42 2022-12-11" */
static int ds_version(lua_State *L) {
  char buf[64];
  if (pcre2_config(PCRE2_CONFIG_VERSION, buf) < 0) buf[0] = '\0';
  lua_pushstring(L, buf);
  return 1;
}

/* rex.maketables () -> chartables for the current LC_CTYPE locale */
static int ds_maketables(lua_State *L) {
  ds_newtables(L, NULL);
  return 1;
}

/* rex.cachesize ([n]) -> previous size. 0 turns the cache off. */
static int ds_cachesize(lua_State *L) {
  ds_state *st = ds_st(L);
  lua_Integer old = st->cache_max;
  if (!lua_isnoneornil(L, 1)) {
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "must not be negative");
    st->cache_max = n;
    while (st->cache_count > n) ds_cache_evict(L, st);
  }
  lua_pushinteger(L, old);
  return 1;
}

/* rex.cachestats () -> {size=, count=, hits=, misses=}: how the cache of
** string patterns is doing. */
static int ds_cachestats(lua_State *L) {
  ds_state *st = ds_st(L);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, st->cache_max);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, st->cache_count);
  lua_setfield(L, -2, "count");
  lua_pushinteger(L, st->hits);
  lua_setfield(L, -2, "hits");
  lua_pushinteger(L, st->misses);
  lua_setfield(L, -2, "misses");
  return 1;
}

/* rex._newmembuffer (s): a userdata copy of s with `topointer` and `__len`,
** as in lrexlib, to test buffer subjects. */
static int ds_mb_topointer(lua_State *L) {
  lua_pushlightuserdata(L, lua_touserdata(L, 1));
  return 1;
}

static int ds_mb_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

static int ds_newmembuffer(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  void *p = lua_newuserdatauv(L, len, 0);
  if (len) memcpy(p, s, len);
  if (luaL_newmetatable(L, DS_RX ".membuffer")) {
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ds_mb_topointer);
    lua_setfield(L, -2, "topointer");
    lua_pushcfunction(L, ds_mb_len);
    lua_setfield(L, -2, "__len");
  }
  lua_setmetatable(L, -2);
  return 1;
}

/* ---------------------------------------------------------------------------
** Module state and registration
*/

static int ds_state_gc(lua_State *L) {
  ds_state *st = (ds_state *)lua_touserdata(L, 1);
  if (st->mctx) pcre2_match_context_free(st->mctx);
  if (st->jstack) pcre2_jit_stack_free(st->jstack);
  st->mctx = NULL;
  st->jstack = NULL;
  return 0;
}

static const luaL_Reg ds_methods[] = {
    {"exec", ds_m_exec},
    {"tfind", ds_m_tfind},
    {"find", ds_m_find},
    {"match", ds_m_match},
    {"gmatch", ds_m_gmatch},
    {"gsub", ds_m_gsub},
    {"split", ds_m_split},
    {"count", ds_m_count},
    {"dfa_exec", ds_m_dfa_exec},
    {"patterninfo", ds_m_patterninfo},
    {"fullinfo", ds_m_patterninfo},
    {"jit_compile", ds_m_jit_compile},
    {"limits", ds_m_limits},
    {"close", ds_m_close},
    {NULL, NULL},
};

static const luaL_Reg ds_regex_meta[] = {
    {"__gc", ds_regex_gc},
    {"__close", ds_regex_gc},
    {"__tostring", ds_regex_tostring},
    {NULL, NULL},
};

static const luaL_Reg ds_tables_meta[] = {
    {"__gc", ds_tables_gc},
    {"__close", ds_tables_gc},
    {"__tostring", ds_tables_tostring},
    {NULL, NULL},
};

static const luaL_Reg ds_functions[] = {
    {"new", ds_new},
    {"find", ds_find},
    {"match", ds_match},
    {"gmatch", ds_gmatch},
    {"gsub", ds_gsub},
    {"split", ds_split},
    {"count", ds_count},
    {"flags", ds_flagsfn},
    {"config", ds_config},
    {"version", ds_version},
    {"maketables", ds_maketables},
    {"limits", ds_limits},
    {"cachesize", ds_cachesize},
    {"cachestats", ds_cachestats},
    {NULL, NULL},
};

/* Register `l` into the table at `idx` (absolute), every function getting the
** three shared upvalues kept at absolute slots `up`, `up` + 1, `up` + 2. */
static void ds_setfuncs(lua_State *L, int idx, int up, const luaL_Reg *l) {
  lua_pushvalue(L, idx);
  lua_pushvalue(L, up);
  lua_pushvalue(L, up + 1);
  lua_pushvalue(L, up + 2);
  luaL_setfuncs(L, l, 3);
  lua_pop(L, 1);
}

int ds_open_regex(lua_State *L) {
  ds_state *st;
  uint32_t v = 0;
  int i, up;

  /* upvalue 1: the state, created before the resources it owns */
  st = (ds_state *)lua_newuserdatauv(L, sizeof *st, 2);
  memset(st, 0, sizeof *st);
  lua_createtable(L, 0, 4);
  lua_pushcfunction(L, ds_state_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, ds_state_gc);
  lua_setfield(L, -2, "__close");
  lua_setmetatable(L, -2);
  for (i = 1; i <= 2; i++) {
    lua_newtable(L);
    lua_setiuservalue(L, -2, i);
  }
  st->cache_max = DS_CACHE_SIZE;
  pcre2_config(PCRE2_CONFIG_MATCHLIMIT, &st->lim[DS_LIM_MATCH]);
  pcre2_config(PCRE2_CONFIG_DEPTHLIMIT, &st->lim[DS_LIM_DEPTH]);
  pcre2_config(PCRE2_CONFIG_HEAPLIMIT, &st->lim[DS_LIM_HEAP]);
  st->lim[DS_LIM_TIME] = DS_TIME_LIMIT;
  st->mctx = pcre2_match_context_create(NULL);
  if (st->mctx == NULL) return luaL_error(L, DS_RX ": not enough memory");
  if (pcre2_config(PCRE2_CONFIG_JIT, &v) == 0 && v) {
    st->has_jit = 1;
    /* A larger JIT stack than the 32 KiB machine-stack default, so long
    ** subjects with backtracking patterns do not fail; memory is reserved,
    ** and only touched as needed. */
    st->jstack = pcre2_jit_stack_create(DS_JIT_STACK, DS_JIT_STACKMX, NULL);
    if (st->jstack) pcre2_jit_stack_assign(st->mctx, NULL, st->jstack);
  }

  /* upvalue 2: metatable of regex objects; upvalue 3: of chartables */
  up = lua_gettop(L);
  lua_newtable(L);
  lua_newtable(L);
  ds_setfuncs(L, up + 1, up, ds_regex_meta);
  st->regex_mt = lua_topointer(L, up + 1);
  lua_newtable(L);
  ds_setfuncs(L, up + 3, up, ds_methods);
  lua_setfield(L, up + 1, "__index");
  lua_pushliteral(L, DS_RX);
  lua_setfield(L, up + 1, "__name");
  ds_setfuncs(L, up + 2, up, ds_tables_meta);
  lua_pushliteral(L, "chartables");
  lua_setfield(L, up + 2, "__name");

  lua_createtable(L, 0, 20);
  ds_setfuncs(L, up + 3, up, ds_functions);
  lua_pushcfunction(L, ds_newmembuffer);
  lua_setfield(L, up + 3, "_newmembuffer");
  lua_pushliteral(L, DS_RX " " DS_VERSION " (for PCRE2)");
  lua_setfield(L, up + 3, "_VERSION");
  lua_replace(L, up); /* the module table takes the state's slot */
  lua_settop(L, up);
  return 1;
}
