/*
** batch.c — dossier.core.batch: many texts in one buffer.
**
** A batch is a userdata ("dossier.batch") owning two malloc'd arrays: the
** texts back to back, and their end offsets. It is created empty (its
** pointers NULL) before anything is allocated, so a Lua error never leaks;
** __gc and __close free the arrays, and clearing keeps them for the next
** batch. Lua reads a text whole (b:text(k)) or a piece of it (b:sub(k, i,
** j), string.sub's rules), which is what a match needs of its document.
*/
#include <stdlib.h>
#include <string.h>

#include "batch.h"

#define DS_BATCH_MT "dossier.batch"
#define DS_PIN_MT   "dossier.batch.pin"

ds_batch *ds_batch_test(lua_State *L, int idx) {
  return luaL_testudata(L, idx, DS_BATCH_MT);
}

ds_batch *ds_batch_check(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, DS_BATCH_MT);
}

void ds_batch_clear(ds_batch *b) {
  b->len = 0;
  b->n = 0;
}

/* Grows an array to hold at least need elements of size sz (doubling). */
static int ds_grow(void **p, size_t *cap, size_t need, size_t sz) {
  size_t c = *cap ? *cap : 64;
  void *q;
  while (c < need) {
    if (c > ((size_t)-1) / 2 / sz) return 0;
    c *= 2;
  }
  if (c == *cap) return 1;
  q = realloc(*p, c * sz);
  if (!q) return 0;
  *p = q;
  *cap = c;
  return 1;
}

/* Raises when a scan is using b's buffer. */
static void ds_batch_unpinned(lua_State *L, const ds_batch *b) {
  if (b->pins) luaL_error(L, "dossier.batch: the batch is being scanned");
}

char *ds_batch_append(lua_State *L, ds_batch *b, size_t len) {
  char *p;
  ds_batch_unpinned(L, b);
  if (len >= ((size_t)-1) - b->len) luaL_error(L, "dossier.batch: texts too long");
  if (!ds_grow((void **)&b->buf, &b->cap, b->len + len + 1, 1) ||
      !ds_grow((void **)&b->off, &b->capn, b->n + 2, sizeof *b->off))
    luaL_error(L, "dossier.batch: out of memory");
  b->off[0] = 0;
  p = b->buf + b->len;
  b->len += len;
  b->buf[b->len] = '\0';
  b->off[++b->n] = b->len;
  return p;
}

void ds_batch_add(lua_State *L, ds_batch *b, const char *s, size_t len) {
  char *p = ds_batch_append(L, b, len);
  if (len) memcpy(p, s, len);
}

const char *ds_batch_get(const ds_batch *b, size_t k, size_t *len) {
  *len = b->off[k] - b->off[k - 1];
  return b->buf + b->off[k - 1];
}

static int ds_pin_close(lua_State *L) {
  ds_batch **p = luaL_checkudata(L, 1, DS_PIN_MT);
  if (*p) {
    (*p)->pins--;
    *p = NULL;
  }
  return 0;
}

void ds_batch_pin(lua_State *L, int idx) {
  ds_batch *b = ds_batch_check(L, idx);
  ds_batch **p = lua_newuserdatauv(L, sizeof *p, 1);
  *p = NULL;
  luaL_setmetatable(L, DS_PIN_MT);
  lua_pushvalue(L, idx); /* the guard keeps the batch alive */
  lua_setiuservalue(L, -2, 1);
  lua_toclose(L, -1);
  *p = b;
  b->pins++;
}

/* ---- Lua --------------------------------------------------------------- */

static void ds_batch_free(ds_batch *b) {
  free(b->buf);
  free(b->off);
  memset(b, 0, sizeof *b);
}

static int ds_batch_gc(lua_State *L) {
  ds_batch_free(ds_batch_check(L, 1)); /* never pinned: a pin keeps its batch alive */
  return 0;
}

static int ds_batch_close(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  ds_batch_unpinned(L, b);
  ds_batch_free(b);
  return 0;
}

/* The index argument at idx as a text number of b. */
static size_t ds_batch_index(lua_State *L, const ds_batch *b, int idx) {
  lua_Integer k = luaL_checkinteger(L, idx);
  if (k < 1 || (lua_Unsigned)k > b->n)
    luaL_error(L, "dossier.batch: no text %I (the batch has %I)", k, (lua_Integer)b->n);
  return (size_t)k;
}

/* core.batch.new([texts]) -> a batch, holding the strings of the array texts */
static int ds_batch_new(lua_State *L) {
  ds_batch *b;
  lua_Integer i, n = 0;
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    n = (lua_Integer)lua_rawlen(L, 1);
  }
  b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, DS_BATCH_MT);
  for (i = 1; i <= n; i++) {
    size_t len;
    const char *s;
    if (lua_rawgeti(L, 1, i) != LUA_TSTRING)
      return luaL_error(L, "dossier.batch: text %I is not a string", i);
    s = lua_tolstring(L, -1, &len);
    ds_batch_add(L, b, s, len);
    lua_pop(L, 1);
  }
  return 1;
}

/* b:add(s) or b:add(other, k) (text k of another batch) -> the new text's number */
static int ds_batch_ladd(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1), *o = ds_batch_test(L, 2);
  size_t len;
  const char *s;
  if (o) {
    if (o == b) return luaL_error(L, "dossier.batch: cannot add a batch's text to itself");
    s = ds_batch_get(o, ds_batch_index(L, o, 3), &len);
  } else {
    s = luaL_checklstring(L, 2, &len);
  }
  ds_batch_add(L, b, s, len);
  lua_pushinteger(L, (lua_Integer)b->n);
  return 1;
}

/* b:text(k) -> text k */
static int ds_batch_text(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  size_t len;
  const char *s = ds_batch_get(b, ds_batch_index(L, b, 2), &len);
  lua_pushlstring(L, s, len);
  return 1;
}

/* b:sub(k, i [, j]) -> text k's bytes i..j, as string.sub(text, i, j) gives them */
static int ds_batch_sub(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  size_t len;
  const char *s = ds_batch_get(b, ds_batch_index(L, b, 2), &len);
  lua_Integer l = (lua_Integer)len, i = luaL_checkinteger(L, 3), j = luaL_optinteger(L, 4, -1);
  if (i < 0) i = i < -l ? 1 : l + i + 1;
  if (i == 0) i = 1;
  if (j < 0) j = j < -l ? 0 : l + j + 1;
  if (j > l) j = l;
  if (i > j)
    lua_pushliteral(L, "");
  else
    lua_pushlstring(L, s + i - 1, (size_t)(j - i + 1));
  return 1;
}

/* b:size(k) -> the length of text k in bytes; b:size() -> of all texts */
static int ds_batch_size(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  size_t len = b->len;
  if (!lua_isnoneornil(L, 2)) ds_batch_get(b, ds_batch_index(L, b, 2), &len);
  lua_pushinteger(L, (lua_Integer)len);
  return 1;
}

static int ds_batch_clearl(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  ds_batch_unpinned(L, b);
  ds_batch_clear(b);
  return 0;
}

static int ds_batch_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)ds_batch_check(L, 1)->n);
  return 1;
}

static int ds_batch_tostring(lua_State *L) {
  ds_batch *b = ds_batch_check(L, 1);
  lua_pushfstring(L, "dossier.batch (%I texts, %I bytes)", (lua_Integer)b->n, (lua_Integer)b->len);
  return 1;
}

static const luaL_Reg ds_batch_methods[] = {
    {"add", ds_batch_ladd},
    {"text", ds_batch_text},
    {"sub", ds_batch_sub},
    {"size", ds_batch_size},
    {"clear", ds_batch_clearl},
    {"close", ds_batch_close},
    {NULL, NULL},
};

static const luaL_Reg ds_batch_meta[] = {
    {"__gc", ds_batch_gc},
    {"__close", ds_batch_close},
    {"__len", ds_batch_len},
    {"__tostring", ds_batch_tostring},
    {NULL, NULL},
};

int ds_open_batch(lua_State *L) {
  luaL_newmetatable(L, DS_PIN_MT);
  lua_pushcfunction(L, ds_pin_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  luaL_newmetatable(L, DS_BATCH_MT);
  luaL_setfuncs(L, ds_batch_meta, 0);
  luaL_newlib(L, ds_batch_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ds_batch_new);
  lua_setfield(L, -2, "new");
  return 1;
}
