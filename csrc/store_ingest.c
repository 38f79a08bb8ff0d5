/*
** store_ingest.c — the hot paths of dossier.store's ingest, in C.
**
**   doc_hash(source, text)  128-bit content hash (32 hex digits) of the
**                           source name and the whitespace-normalised text;
**                           the key that makes "same text, same source" one
**                           document.
**   normalize(text)         the normalisation doc_hash applies, as a string.
**   lines(path, max)        a line reader with bounded memory: a line longer
**                           than max bytes is skipped without being buffered
**                           and reported as (false, lineno, length).
**
** The hash is dossier's one content hash (hash.h), the one rule-set hashes
** use too.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "store.h"

#define DS_READER_MT "dossier.store.reader"
#define DS_CHUNK     65536
/* A line buffer grown past this is freed after use, so one huge line does
   not pin its memory for the rest of the file. */
#define DS_KEEP_LINE (4u << 20)

/* ---- hashing (hash.h) -------------------------------------------------- */

/* Whitespace for normalisation: ASCII blanks and U+00A0 (C2 A0), which news
   sites scatter through otherwise identical copies. */
static size_t ds_space(const unsigned char *p, size_t i, size_t n) {
  unsigned char c = p[i];
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xc2 && i + 1 < n && p[i + 1] == 0xa0) return 2;
  return 0;
}

/* Feeds the normalised text (runs of whitespace -> one space, trimmed) to
   emit(ctx, byte). */
#define DS_NORMALIZE(p, n, EMIT)                                                                   \
  do {                                                                                             \
    size_t i_ = 0, w_;                                                                             \
    int pending_ = 0, started_ = 0;                                                                \
    while (i_ < (n)) {                                                                             \
      if ((w_ = ds_space((p), i_, (n))) != 0) {                                                    \
        pending_ = started_;                                                                       \
        i_ += w_;                                                                                  \
        continue;                                                                                  \
      }                                                                                            \
      if (pending_) {                                                                              \
        EMIT(' ');                                                                                 \
        pending_ = 0;                                                                              \
      }                                                                                            \
      EMIT((p)[i_]);                                                                               \
      started_ = 1;                                                                                \
      i_++;                                                                                        \
    }                                                                                              \
  } while (0)

static int ds_doc_hash(lua_State *L) {
  size_t sn, tn;
  const char *src = luaL_optlstring(L, 1, "", &sn);
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 2, &tn);
  ds_hash h;
  char out[33];
  ds_hash_init(&h);
  ds_hash_bytes(&h, (const unsigned char *)src, sn);
  ds_hash_byte(&h, 0); /* the source name cannot run into the text */
#define DS_HEMIT(c) ds_hash_byte(&h, (unsigned char)(c))
  DS_NORMALIZE(t, tn, DS_HEMIT);
#undef DS_HEMIT
  ds_hash_final(&h, out);
  lua_pushlstring(L, out, 32);
  return 1;
}

static int ds_normalize(lua_State *L) {
  size_t tn;
  const unsigned char *t = (const unsigned char *)luaL_checklstring(L, 1, &tn);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
#define DS_BEMIT(c) luaL_addchar(&b, (char)(c))
  DS_NORMALIZE(t, tn, DS_BEMIT);
#undef DS_BEMIT
  luaL_pushresult(&b);
  return 1;
}

/* ---- the line reader --------------------------------------------------- */

typedef struct ds_reader {
  FILE *f;
  char *chunk; /* DS_CHUNK bytes read ahead */
  size_t pos, end;
  char *line; /* the line being assembled, at most max bytes */
  size_t cap, max;
  lua_Integer lineno;
  lua_Integer consumed; /* bytes of the file handed out or skipped */
  lua_Integer size;
  int eof;
} ds_reader;

static void ds_reader_free(ds_reader *r) {
  if (r->f) fclose(r->f);
  free(r->chunk);
  free(r->line);
  r->f = NULL;
  r->chunk = r->line = NULL;
  r->cap = 0;
}

static int ds_reader_close(lua_State *L) {
  ds_reader_free(luaL_checkudata(L, 1, DS_READER_MT));
  return 0;
}

/* lines(path [, max]) -> reader, or nil, message when the file cannot be
   opened (an expected failure). */
static int ds_lines(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Integer max = luaL_optinteger(L, 2, 16 << 20);
  struct stat sb;
  ds_reader *r = lua_newuserdatauv(L, sizeof *r, 0);
  memset(r, 0, sizeof *r);
  luaL_setmetatable(L, DS_READER_MT);
  if (max < 1) return luaL_error(L, "dossier.store: max_line must be positive");
  r->max = (size_t)max;
  r->chunk = malloc(DS_CHUNK);
  if (!r->chunk) return luaL_error(L, "dossier.store: out of memory");
  r->f = fopen(path, "rb");
  if (!r->f) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  if (fstat(fileno(r->f), &sb) == 0) r->size = (lua_Integer)sb.st_size;
  return 1;
}

/* Appends n bytes to the line, growing the buffer up to r->max. */
static void ds_append(lua_State *L, ds_reader *r, size_t len, const char *p, size_t n) {
  if (n == 0) return; /* r->line may be NULL: memcpy must not see it */
  if (len + n > r->cap) {
    size_t cap = r->cap ? r->cap : 256;
    char *nl;
    while (cap < len + n) cap *= 2;
    if (cap > r->max) cap = r->max;
    nl = realloc(r->line, cap);
    if (!nl) luaL_error(L, "dossier.store: out of memory reading a line");
    r->line = nl;
    r->cap = cap;
  }
  memcpy(r->line + len, p, n);
}

/* reader:read() -> line, lineno | false, lineno, length (line too long) |
   nil at the end. The newline and a CR before it are not part of the line. */
static int ds_reader_read(lua_State *L) {
  ds_reader *r = luaL_checkudata(L, 1, DS_READER_MT);
  size_t len = 0, total = 0;
  int any = 0, toolong = 0;
  if (!r->f) return luaL_error(L, "dossier.store: the reader is closed");
  for (;;) {
    char *nl;
    size_t seg;
    if (r->pos == r->end) {
      size_t got;
      if (r->eof) break;
      got = fread(r->chunk, 1, DS_CHUNK, r->f);
      if (got == 0) {
        if (ferror(r->f)) return luaL_error(L, "dossier.store: read error: %s", strerror(errno));
        r->eof = 1;
        break;
      }
      r->pos = 0;
      r->end = got;
    }
    any = 1;
    nl = memchr(r->chunk + r->pos, '\n', r->end - r->pos);
    seg = (nl ? (size_t)(nl - r->chunk) : r->end) - r->pos;
    if (!toolong) {
      if (seg > r->max - len)
        toolong = 1;
      else {
        ds_append(L, r, len, r->chunk + r->pos, seg);
        len += seg;
      }
    }
    total += seg;
    r->pos += seg;
    r->consumed += (lua_Integer)seg;
    if (nl) {
      r->pos++;
      r->consumed++;
      break;
    }
  }
  if (!any) return 0;
  r->lineno++;
  if (toolong) {
    lua_pushboolean(L, 0);
    lua_pushinteger(L, r->lineno);
    lua_pushinteger(L, (lua_Integer)total);
    return 3;
  }
  if (len > 0 && r->line[len - 1] == '\r') len--;
  lua_pushlstring(L, len ? r->line : "", len);
  if (r->cap > DS_KEEP_LINE) {
    free(r->line);
    r->line = NULL;
    r->cap = 0;
  }
  lua_pushinteger(L, r->lineno);
  return 2;
}

static int ds_reader_tell(lua_State *L) {
  lua_pushinteger(L, ((ds_reader *)luaL_checkudata(L, 1, DS_READER_MT))->consumed);
  return 1;
}

static int ds_reader_size(lua_State *L) {
  lua_pushinteger(L, ((ds_reader *)luaL_checkudata(L, 1, DS_READER_MT))->size);
  return 1;
}

static const luaL_Reg ds_reader_methods[] = {
    {"read", ds_reader_read},
    {"tell", ds_reader_tell},
    {"size", ds_reader_size},
    {"close", ds_reader_close},
    {NULL, NULL},
};

static const luaL_Reg ds_ingest_funcs[] = {
    {"doc_hash", ds_doc_hash},
    {"normalize", ds_normalize},
    {"lines", ds_lines},
    {NULL, NULL},
};

void ds_store_ingest_funcs(lua_State *L) {
  luaL_newmetatable(L, DS_READER_MT);
  luaL_newlib(L, ds_reader_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ds_reader_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, ds_reader_close);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, ds_ingest_funcs, 0);
}
