/*
** store.c — the SQLite binding behind dossier.store.
**
** Three kinds of userdata, each owning one SQLite resource and created
** before it, so a Lua error between allocation and use never leaks:
**   - a connection ("dossier.store.db") owns the sqlite3 handle and keeps
**     every live statement on a doubly linked list; closing the connection
**     finalizes them all, so a statement collected after its connection
**     finds st == NULL and does nothing (no double finalize, no use after
**     free). A statement's uservalue is its connection, so the connection
**     outlives its statements.
**   - a statement ("dossier.store.stmt") owns one sqlite3_stmt. Statements
**     prepared for db:exec/rows/first/... live in a per-connection cache
**     (uservalue table: SQL text -> statement, at most DS_CACHE_MAX), so
**     repeated SQL is prepared once.
**   - a cursor ("dossier.store.cursor") is the state and to-be-closed value
**     of a rows/urows loop; closing it (loop end, break, error, or GC)
**     resets the statement and gives it back to the cache.
** Parameters are always bound, never spliced into SQL text. Every SQLite
** error carries SQLite's message and its extended result code.
*/
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "batch.h"
#include "store.h"

#define DS_DB_MT     "dossier.store.db"
#define DS_STMT_MT   "dossier.store.stmt"
#define DS_CURSOR_MT "dossier.store.cursor"

/* Cached statements per connection; beyond this the idle ones are dropped. */
#define DS_CACHE_MAX 64

/* Connection uservalues. */
enum { DS_UV_CACHE = 1, DS_UV_STATE = 2, DS_UV_JSON = 3 };

/* Statement kinds: from the cache, a one-off (cached copy was busy, or
   several statements), or prepared by the user with db:prepare. */
enum { DS_CACHED, DS_TEMP, DS_USER };

typedef struct ds_stmt ds_stmt;

typedef struct ds_db {
  sqlite3 *db;   /* NULL once closed */
  ds_stmt *live; /* every statement not yet finalized */
  int ncached;
} ds_db;

struct ds_stmt {
  sqlite3_stmt *st; /* NULL once finalized */
  ds_db *owner;     /* NULL once finalized */
  ds_stmt *prev, *next;
  int kind;
  int busy; /* an open cursor is stepping it */
};

typedef struct ds_cursor {
  ds_stmt *s; /* NULL once released */
} ds_cursor;

/* ---- errors ------------------------------------------------------------ */

#define DS_CODE(c)                                                                                 \
  { c, #c }
static const struct {
  int code;
  const char *name;
} ds_codes[] = {
    DS_CODE(SQLITE_ERROR),
    DS_CODE(SQLITE_INTERNAL),
    DS_CODE(SQLITE_PERM),
    DS_CODE(SQLITE_ABORT),
    DS_CODE(SQLITE_BUSY),
    DS_CODE(SQLITE_LOCKED),
    DS_CODE(SQLITE_NOMEM),
    DS_CODE(SQLITE_READONLY),
    DS_CODE(SQLITE_INTERRUPT),
    DS_CODE(SQLITE_IOERR),
    DS_CODE(SQLITE_CORRUPT),
    DS_CODE(SQLITE_NOTFOUND),
    DS_CODE(SQLITE_FULL),
    DS_CODE(SQLITE_CANTOPEN),
    DS_CODE(SQLITE_PROTOCOL),
    DS_CODE(SQLITE_EMPTY),
    DS_CODE(SQLITE_SCHEMA),
    DS_CODE(SQLITE_TOOBIG),
    DS_CODE(SQLITE_CONSTRAINT),
    DS_CODE(SQLITE_MISMATCH),
    DS_CODE(SQLITE_MISUSE),
    DS_CODE(SQLITE_NOLFS),
    DS_CODE(SQLITE_AUTH),
    DS_CODE(SQLITE_FORMAT),
    DS_CODE(SQLITE_RANGE),
    DS_CODE(SQLITE_NOTADB),
    DS_CODE(SQLITE_NOTICE),
    DS_CODE(SQLITE_WARNING),
    DS_CODE(SQLITE_ERROR_MISSING_COLLSEQ),
    DS_CODE(SQLITE_ERROR_RETRY),
    DS_CODE(SQLITE_ERROR_SNAPSHOT),
    DS_CODE(SQLITE_IOERR_READ),
    DS_CODE(SQLITE_IOERR_SHORT_READ),
    DS_CODE(SQLITE_IOERR_WRITE),
    DS_CODE(SQLITE_IOERR_FSYNC),
    DS_CODE(SQLITE_IOERR_TRUNCATE),
    DS_CODE(SQLITE_IOERR_FSTAT),
    DS_CODE(SQLITE_IOERR_UNLOCK),
    DS_CODE(SQLITE_IOERR_RDLOCK),
    DS_CODE(SQLITE_IOERR_DELETE),
    DS_CODE(SQLITE_IOERR_NOMEM),
    DS_CODE(SQLITE_IOERR_ACCESS),
    DS_CODE(SQLITE_IOERR_LOCK),
    DS_CODE(SQLITE_IOERR_CLOSE),
    DS_CODE(SQLITE_IOERR_SHMOPEN),
    DS_CODE(SQLITE_IOERR_SHMSIZE),
    DS_CODE(SQLITE_IOERR_SHMMAP),
    DS_CODE(SQLITE_IOERR_SEEK),
    DS_CODE(SQLITE_IOERR_MMAP),
    DS_CODE(SQLITE_LOCKED_SHAREDCACHE),
    DS_CODE(SQLITE_LOCKED_VTAB),
    DS_CODE(SQLITE_BUSY_RECOVERY),
    DS_CODE(SQLITE_BUSY_SNAPSHOT),
    DS_CODE(SQLITE_BUSY_TIMEOUT),
    DS_CODE(SQLITE_CANTOPEN_NOTEMPDIR),
    DS_CODE(SQLITE_CANTOPEN_ISDIR),
    DS_CODE(SQLITE_CANTOPEN_FULLPATH),
    DS_CODE(SQLITE_CORRUPT_VTAB),
    DS_CODE(SQLITE_CORRUPT_INDEX),
    DS_CODE(SQLITE_READONLY_RECOVERY),
    DS_CODE(SQLITE_READONLY_CANTLOCK),
    DS_CODE(SQLITE_READONLY_ROLLBACK),
    DS_CODE(SQLITE_READONLY_DBMOVED),
    DS_CODE(SQLITE_READONLY_CANTINIT),
    DS_CODE(SQLITE_READONLY_DIRECTORY),
    DS_CODE(SQLITE_ABORT_ROLLBACK),
    DS_CODE(SQLITE_CONSTRAINT_CHECK),
    DS_CODE(SQLITE_CONSTRAINT_COMMITHOOK),
    DS_CODE(SQLITE_CONSTRAINT_FOREIGNKEY),
    DS_CODE(SQLITE_CONSTRAINT_FUNCTION),
    DS_CODE(SQLITE_CONSTRAINT_NOTNULL),
    DS_CODE(SQLITE_CONSTRAINT_PRIMARYKEY),
    DS_CODE(SQLITE_CONSTRAINT_TRIGGER),
    DS_CODE(SQLITE_CONSTRAINT_UNIQUE),
    DS_CODE(SQLITE_CONSTRAINT_VTAB),
    DS_CODE(SQLITE_CONSTRAINT_ROWID),
    DS_CODE(SQLITE_CONSTRAINT_DATATYPE),
};

/* The symbolic name of an (extended) result code; the primary code's name
   when the extended one is not in the table. */
static const char *ds_codename(int rc) {
  size_t i;
  for (i = 0; i < sizeof ds_codes / sizeof ds_codes[0]; i++)
    if (ds_codes[i].code == rc) return ds_codes[i].name;
  for (i = 0; i < sizeof ds_codes / sizeof ds_codes[0]; i++)
    if (ds_codes[i].code == (rc & 0xff)) return ds_codes[i].name;
  return "SQLITE_UNKNOWN";
}

/* Pushes "where: dossier.store: [what: ]message (NAME, code)". The message
   is taken now, before a reset or finalize can replace it. */
static void ds_pusherr(lua_State *L, sqlite3 *db, int rc, const char *what) {
  const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  luaL_where(L, 1);
  lua_pushfstring(L, "dossier.store: %s%s%s (%s, %d)", what ? what : "", what ? ": " : "", msg,
                  ds_codename(rc), rc);
  lua_concat(L, 2);
}

static int ds_raise(lua_State *L, sqlite3 *db, int rc, const char *what) {
  ds_pusherr(L, db, rc, what);
  return lua_error(L);
}

/* ---- statements -------------------------------------------------------- */

static void ds_link(ds_db *d, ds_stmt *s) {
  s->owner = d;
  s->prev = NULL;
  s->next = d->live;
  if (d->live) d->live->prev = s;
  d->live = s;
}

static void ds_finalize(ds_stmt *s) {
  if (s->st) {
    sqlite3_finalize(s->st);
    s->st = NULL;
  }
  if (s->owner) {
    ds_db *d = s->owner;
    if (s->prev)
      s->prev->next = s->next;
    else
      d->live = s->next;
    if (s->next) s->next->prev = s->prev;
    if (s->kind == DS_CACHED) d->ncached--;
    s->owner = NULL;
    s->prev = s->next = NULL;
  }
  s->busy = 0;
}

/* Ends a use of s: reset (which also ends its read transaction), and a
   one-off statement is finalized. */
static void ds_release(ds_stmt *s) {
  s->busy = 0;
  if (!s->st) return;
  sqlite3_reset(s->st);
  if (s->kind == DS_TEMP) ds_finalize(s);
}

/* 1 if sql[0..len) holds anything SQLite would compile. */
static int ds_hasmore(sqlite3 *db, const char *sql, size_t len) {
  sqlite3_stmt *st = NULL;
  size_t i;
  int rc;
  for (i = 0; i < len; i++)
    if (sql[i] != ' ' && sql[i] != '\n' && sql[i] != '\t' && sql[i] != '\r') break;
  if (i == len) return 0;
  rc = sqlite3_prepare_v2(db, sql + i, (int)(len - i), &st, NULL);
  sqlite3_finalize(st);
  return rc != SQLITE_OK || st != NULL;
}

/* Pushes a new statement userdata for sql on connection dbidx. *multi is set
   when sql holds more than one statement (only the first is prepared). */
static ds_stmt *ds_newstmt(lua_State *L, int dbidx, ds_db *d, const char *sql, size_t len, int kind,
                           int *multi) {
  const char *tail = NULL;
  int rc;
  ds_stmt *s = lua_newuserdatauv(L, sizeof *s, 1);
  memset(s, 0, sizeof *s);
  s->kind = kind;
  luaL_setmetatable(L, DS_STMT_MT);
  lua_pushvalue(L, dbidx);
  lua_setiuservalue(L, -2, 1);
  if (len > 0x7fffffff) luaL_error(L, "dossier.store: SQL text too long");
  rc = sqlite3_prepare_v3(d->db, sql, (int)len, kind == DS_CACHED ? SQLITE_PREPARE_PERSISTENT : 0,
                          &s->st, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s->st);
    s->st = NULL;
    ds_raise(L, d->db, rc, NULL);
  }
  if (s->st) ds_link(d, s);
  *multi = tail && ds_hasmore(d->db, tail, len - (size_t)(tail - sql));
  return s;
}

/* Drops the idle statements of a full cache (cache table at cidx). */
static void ds_evict(lua_State *L, ds_db *d, int cidx) {
  lua_pushnil(L);
  while (lua_next(L, cidx)) {
    ds_stmt *s = lua_touserdata(L, -1);
    if (!s->busy) {
      ds_finalize(s);
      lua_pushvalue(L, -2);
      lua_pushnil(L);
      lua_rawset(L, cidx); /* clearing a visited field is allowed during lua_next */
    }
    lua_pop(L, 1);
  }
  (void)d;
}

/* Pushes an idle statement for the SQL at sqlidx, from the cache when it
   can. The statement comes back reset with its bindings cleared. */
static ds_stmt *ds_acquire(lua_State *L, int dbidx, ds_db *d, int sqlidx, int *multi) {
  size_t len;
  const char *sql = lua_tolstring(L, sqlidx, &len);
  int cidx, kind = DS_CACHED;
  ds_stmt *s;
  *multi = 0;
  lua_getiuservalue(L, dbidx, DS_UV_CACHE);
  cidx = lua_gettop(L);
  lua_pushvalue(L, sqlidx);
  if (lua_rawget(L, cidx) != LUA_TNIL) {
    s = lua_touserdata(L, -1);
    if (s->st && !s->busy) {
      sqlite3_reset(s->st);
      sqlite3_clear_bindings(s->st);
      lua_remove(L, cidx);
      return s;
    }
    kind = DS_TEMP; /* the cached copy is stepping in an open loop */
  }
  lua_pop(L, 1);
  if (kind == DS_CACHED && d->ncached >= DS_CACHE_MAX) ds_evict(L, d, cidx);
  s = ds_newstmt(L, dbidx, d, sql, len, kind, multi);
  if (*multi || !s->st) {
    if (s->kind == DS_CACHED) s->kind = DS_TEMP; /* never cache a script */
  } else if (kind == DS_CACHED) {
    d->ncached++;
    lua_pushvalue(L, sqlidx);
    lua_pushvalue(L, -2);
    lua_rawset(L, cidx);
  }
  lua_remove(L, cidx);
  return s;
}

/* ---- binding ----------------------------------------------------------- */

/* Binds the Lua value at vi to parameter j. copy = 0 lets SQLite point at
   the Lua string (the caller steps and resets before returning, while the
   value is still on the stack). Tables become JSON via the connection's
   encoder. */
static void ds_bind1(lua_State *L, int dbidx, sqlite3_stmt *st, int j, int vi, int copy) {
  int rc;
  switch (lua_type(L, vi)) {
  case LUA_TNIL:
    rc = sqlite3_bind_null(st, j);
    break;
  case LUA_TBOOLEAN:
    rc = sqlite3_bind_int(st, j, lua_toboolean(L, vi));
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, vi))
      rc = sqlite3_bind_int64(st, j, (sqlite3_int64)lua_tointeger(L, vi));
    else
      rc = sqlite3_bind_double(st, j, (double)lua_tonumber(L, vi));
    break;
  case LUA_TSTRING: {
    size_t n;
    const char *p = lua_tolstring(L, vi, &n);
    rc = sqlite3_bind_text64(st, j, p, (sqlite3_uint64)n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC,
                             SQLITE_UTF8);
    break;
  }
  case LUA_TTABLE: {
    size_t n;
    const char *p;
    lua_getiuservalue(L, dbidx, DS_UV_JSON);
    lua_pushvalue(L, vi);
    lua_call(L, 1, 2);
    p = lua_tolstring(L, -2, &n);
    if (!p || lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "dossier.store: cannot encode parameter %d as JSON: %s", j,
                 lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    rc = sqlite3_bind_text64(st, j, p, (sqlite3_uint64)n, SQLITE_TRANSIENT, SQLITE_UTF8);
    lua_pop(L, 2);
    break;
  }
  case LUA_TLIGHTUSERDATA:
    if (lua_touserdata(L, vi) == NULL) { /* cjson.null */
      rc = sqlite3_bind_null(st, j);
      break;
    }
    /* fall through */
  default:
    luaL_error(L, "dossier.store: cannot bind a %s (parameter %d)", luaL_typename(L, vi), j);
    return;
  }
  if (rc != SQLITE_OK) ds_raise(L, sqlite3_db_handle(st), rc, NULL);
}

/* 1 if the statement names its parameters (:a, @a, $a). */
static int ds_named(sqlite3_stmt *st, int n) {
  int j;
  for (j = 1; j <= n; j++) {
    const char *name = sqlite3_bind_parameter_name(st, j);
    if (name && name[0] != '?') return 1;
  }
  return 0;
}

/* Binds every parameter from the table at t: :name, @name and $name by
   name, ?N at index N, the plain ? in turn from index 1. */
static void ds_bindtable(lua_State *L, int dbidx, sqlite3_stmt *st, int t, int copy) {
  int n = sqlite3_bind_parameter_count(st), pos = 0, j;
  for (j = 1; j <= n; j++) {
    const char *name = sqlite3_bind_parameter_name(st, j);
    if (!name)
      lua_rawgeti(L, t, ++pos);
    else if (name[0] == '?')
      lua_rawgeti(L, t, atoi(name + 1));
    else
      lua_getfield(L, t, name + 1);
    ds_bind1(L, dbidx, st, j, lua_gettop(L), copy);
    lua_pop(L, 1);
  }
}

/* Binds the arguments first..last: one table for a statement with named
   parameters, else one value per parameter. */
static void ds_bindargs(lua_State *L, int dbidx, sqlite3_stmt *st, int first, int last, int copy) {
  int n = sqlite3_bind_parameter_count(st);
  int nargs = last - first + 1, j;
  if (nargs == 1 && n > 0 && lua_type(L, first) == LUA_TTABLE && ds_named(st, n)) {
    ds_bindtable(L, dbidx, st, first, copy);
    return;
  }
  if (nargs != n)
    luaL_error(L, "dossier.store: the statement has %d parameter%s, got %d value%s", n,
               n == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
  for (j = 1; j <= n; j++) ds_bind1(L, dbidx, st, j, first + j - 1, copy);
}

/* ---- results ----------------------------------------------------------- */

static void ds_pushcol(lua_State *L, sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER:
    lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, i));
    break;
  case SQLITE_FLOAT:
    lua_pushnumber(L, (lua_Number)sqlite3_column_double(st, i));
    break;
  case SQLITE_TEXT: {
    const char *p = (const char *)sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    if (!p) luaL_error(L, "dossier.store: out of memory reading a column");
    lua_pushlstring(L, p, (size_t)n);
    break;
  }
  case SQLITE_BLOB: {
    const void *p = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    lua_pushlstring(L, p ? (const char *)p : "", p ? (size_t)n : 0);
    break;
  }
  default:
    lua_pushnil(L);
  }
}

/* A row as a table of named columns (NULL columns are absent). */
static void ds_pushrow(lua_State *L, sqlite3_stmt *st) {
  int n = sqlite3_column_count(st), i;
  lua_createtable(L, 0, n);
  for (i = 0; i < n; i++) {
    const char *name;
    if (sqlite3_column_type(st, i) == SQLITE_NULL) continue;
    name = sqlite3_column_name(st, i);
    if (!name) luaL_error(L, "dossier.store: out of memory reading a column name");
    ds_pushcol(L, st, i);
    lua_setfield(L, -2, name);
  }
}

static int ds_pushvalues(lua_State *L, sqlite3_stmt *st) {
  int n = sqlite3_column_count(st), i;
  luaL_checkstack(L, n, "dossier.store: too many columns");
  for (i = 0; i < n; i++) ds_pushcol(L, st, i);
  return n;
}

/* A failed step: take the message, release the statement, raise. */
static int ds_stepfail(lua_State *L, ds_stmt *s, int rc, const char *what) {
  ds_pusherr(L, sqlite3_db_handle(s->st), rc, what);
  ds_release(s);
  return lua_error(L);
}

/* ---- the operations shared by connections and user statements ---------- */

enum { DS_ROWS, DS_UROWS };

/* Runs s to completion; returns the number of rows it changed. */
static lua_Integer ds_run(lua_State *L, ds_stmt *s) {
  int rc;
  lua_Integer n;
  while ((rc = sqlite3_step(s->st)) == SQLITE_ROW) {}
  if (rc != SQLITE_DONE) ds_stepfail(L, s, rc, NULL);
  n = sqlite3_stmt_readonly(s->st) ? 0 : (lua_Integer)sqlite3_changes64(sqlite3_db_handle(s->st));
  ds_release(s);
  return n;
}

/* The first row, as a table (values = 0) or as values; nothing if none. */
static int ds_firstrow(lua_State *L, ds_stmt *s, int values) {
  int rc = sqlite3_step(s->st), n = 1;
  if (rc == SQLITE_ROW) {
    if (values)
      n = ds_pushvalues(L, s->st);
    else
      ds_pushrow(L, s->st);
  } else if (rc == SQLITE_DONE) {
    lua_pushnil(L);
  } else {
    ds_stepfail(L, s, rc, NULL);
  }
  ds_release(s);
  return n;
}

static int ds_iter(lua_State *L) {
  ds_cursor *c = luaL_checkudata(L, 1, DS_CURSOR_MT);
  ds_stmt *s = c->s;
  int rc, mode = (int)lua_tointeger(L, lua_upvalueindex(1));
  if (!s) return 0;
  if (!s->st) {
    c->s = NULL;
    return luaL_error(L, "dossier.store: the store was closed during the loop");
  }
  rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) {
    if (mode == DS_UROWS) return ds_pushvalues(L, s->st);
    ds_pushrow(L, s->st);
    return 1;
  }
  c->s = NULL;
  if (rc == SQLITE_DONE) {
    ds_release(s);
    return 0;
  }
  return ds_stepfail(L, s, rc, NULL);
}

static int ds_cursor_close(lua_State *L) {
  ds_cursor *c = luaL_checkudata(L, 1, DS_CURSOR_MT);
  if (c->s) {
    ds_release(c->s);
    c->s = NULL;
  }
  return 0;
}

/* Returns iterator, cursor, nil, cursor for s (the stmt userdata at sidx);
   the arguments first..last are bound (copied: the loop outlives them). */
static int ds_loop(lua_State *L, int dbidx, ds_stmt *s, int sidx, int first, int last, int mode) {
  ds_cursor *c = lua_newuserdatauv(L, sizeof *c, 1);
  c->s = NULL;
  luaL_setmetatable(L, DS_CURSOR_MT);
  lua_pushvalue(L, sidx);
  lua_setiuservalue(L, -2, 1);
  ds_bindargs(L, dbidx, s->st, first, last, 1);
  c->s = s;
  s->busy = 1;
  lua_pushinteger(L, mode);
  lua_pushcclosure(L, ds_iter, 1);
  lua_pushvalue(L, -2);
  lua_pushnil(L);
  lua_pushvalue(L, -4);
  return 4;
}

/* ---- connection methods ------------------------------------------------ */

static ds_db *ds_checkdb(lua_State *L, int idx) {
  ds_db *d = luaL_checkudata(L, idx, DS_DB_MT);
  if (!d->db) luaL_error(L, "dossier.store: the store is closed");
  return d;
}

/* Pushes the statement for the SQL at index 2 of a db method; raises if it
   is a script (only exec runs those) or empty. */
static ds_stmt *ds_single(lua_State *L, ds_db *d, const char *what) {
  int multi;
  ds_stmt *s;
  luaL_checktype(L, 2, LUA_TSTRING);
  s = ds_acquire(L, 1, d, 2, &multi);
  if (multi || !s->st) {
    ds_finalize(s);
    luaL_error(L, "dossier.store: %s takes exactly one SQL statement", what);
  }
  return s;
}

static int db_exec(lua_State *L) {
  ds_db *d = ds_checkdb(L, 1);
  int top = lua_gettop(L), multi;
  ds_stmt *s;
  luaL_checktype(L, 2, LUA_TSTRING);
  s = ds_acquire(L, 1, d, 2, &multi);
  if (multi) {
    /* A script (schema, several statements): no parameters, no cache. */
    char *err = NULL;
    sqlite3_int64 before = sqlite3_total_changes64(d->db);
    int rc;
    ds_finalize(s);
    if (top > 2) luaL_error(L, "dossier.store: parameters need a single SQL statement");
    rc = sqlite3_exec(d->db, lua_tostring(L, 2), NULL, NULL, &err);
    if (rc != SQLITE_OK) {
      luaL_where(L, 1);
      lua_pushfstring(L, "dossier.store: %s (%s, %d)", err ? err : sqlite3_errstr(rc),
                      ds_codename(rc), rc);
      lua_concat(L, 2);
      sqlite3_free(err);
      return lua_error(L);
    }
    lua_pushinteger(L, (lua_Integer)(sqlite3_total_changes64(d->db) - before));
    return 1;
  }
  if (!s->st) {
    if (top > 2) luaL_error(L, "dossier.store: no SQL statement to bind parameters to");
    lua_pushinteger(L, 0);
    return 1;
  }
  ds_bindargs(L, 1, s->st, 3, top, 0);
  lua_pushinteger(L, ds_run(L, s));
  return 1;
}

static int db_rowsmode(lua_State *L, int mode) {
  ds_db *d = ds_checkdb(L, 1);
  int top = lua_gettop(L);
  ds_stmt *s = ds_single(L, d, mode == DS_ROWS ? "rows" : "urows");
  return ds_loop(L, 1, s, top + 1, 3, top, mode);
}

static int db_rows(lua_State *L) {
  return db_rowsmode(L, DS_ROWS);
}

static int db_urows(lua_State *L) {
  return db_rowsmode(L, DS_UROWS);
}

static int db_firstmode(lua_State *L, int values) {
  ds_db *d = ds_checkdb(L, 1);
  int top = lua_gettop(L);
  ds_stmt *s = ds_single(L, d, values ? "value" : "first");
  ds_bindargs(L, 1, s->st, 3, top, 0);
  return ds_firstrow(L, s, values);
}

static int db_first(lua_State *L) {
  return db_firstmode(L, 0);
}

static int db_value(lua_State *L) {
  return db_firstmode(L, 1);
}

/*
** db:fetch(sql, params, batch, col [, limit [, bytes]]) -> cols, n
** Steps the query (params: nil, or a table holding every parameter, as
** ds_bindtable reads it) for at
** most `limit` rows, stopping early once the texts read reach `bytes` (the
** row that reaches it is kept). Column `col` (1-based) of each row goes into
** `batch` (cleared first; a NULL there is an error), the others into arrays:
** cols[i][r] is column i of row r (NULL leaves a hole; cols[col] is absent).
** Large texts are read into the batch's buffer, not made into Lua strings.
*/
static int db_fetch(lua_State *L) {
  ds_db *d = ds_checkdb(L, 1);
  ds_batch *b = ds_batch_check(L, 4);
  lua_Integer col = luaL_checkinteger(L, 5), n = 0;
  lua_Integer limit = luaL_optinteger(L, 6, LUA_MAXINTEGER);
  lua_Integer maxbytes = luaL_optinteger(L, 7, LUA_MAXINTEGER);
  lua_Integer bytes = 0;
  int ncols, i, cidx;
  ds_stmt *s;
  if (!lua_isnil(L, 3)) luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 7);
  s = ds_single(L, d, "fetch"); /* 8 */
  ncols = sqlite3_column_count(s->st);
  if (col < 1 || col > ncols) {
    ds_release(s);
    return luaL_error(L, "dossier.store: fetch: the query has no column %I", col);
  }
  if (!lua_isnil(L, 3)) ds_bindtable(L, 1, s->st, 3, 0);
  ds_batch_clear(b);
  luaL_checkstack(L, ncols + 2, "dossier.store: too many columns");
  lua_createtable(L, ncols, 0); /* 9: cols; 10 .. 9 + ncols: the arrays */
  cidx = lua_gettop(L);
  for (i = 1; i <= ncols; i++) {
    if (i == col) {
      lua_pushnil(L);
      continue;
    }
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, cidx, i);
  }
  while (n < limit && bytes < maxbytes) {
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return ds_stepfail(L, s, rc, NULL);
    n++;
    for (i = 0; i < ncols; i++) {
      if (i + 1 == col) {
        const char *p = NULL;
        int len;
        if (sqlite3_column_type(s->st, i) != SQLITE_NULL)
          p = (const char *)sqlite3_column_text(s->st, i);
        len = sqlite3_column_bytes(s->st, i);
        if (!p) {
          ds_release(s);
          return luaL_error(L, "dossier.store: fetch: row %I has no text in column %I", n, col);
        }
        ds_batch_add(L, b, p, (size_t)len);
        bytes += len;
      } else if (sqlite3_column_type(s->st, i) != SQLITE_NULL) {
        ds_pushcol(L, s->st, i);
        lua_rawseti(L, cidx + 1 + i, n);
      }
    }
  }
  ds_release(s);
  lua_pushvalue(L, cidx);
  lua_pushinteger(L, n);
  return 2;
}

static int db_prepare(lua_State *L) {
  ds_db *d = ds_checkdb(L, 1);
  size_t len;
  const char *sql = luaL_checklstring(L, 2, &len);
  int multi;
  ds_stmt *s = ds_newstmt(L, 1, d, sql, len, DS_USER, &multi);
  if (multi || !s->st) {
    ds_finalize(s);
    luaL_error(L, "dossier.store: prepare takes exactly one SQL statement");
  }
  return 1;
}

/* Closes the handle after finalizing every statement still open. */
static void ds_closedb(ds_db *d) {
  if (!d->db) return;
  while (d->live) ds_finalize(d->live);
  sqlite3_close_v2(d->db);
  d->db = NULL;
  d->ncached = 0;
}

static int db_close(lua_State *L) {
  ds_db *d = luaL_checkudata(L, 1, DS_DB_MT);
  if (d->db) {
    ds_closedb(d);
    lua_newtable(L); /* let the finalized statements go */
    lua_setiuservalue(L, 1, DS_UV_CACHE);
  }
  return 0;
}

static int db_gc(lua_State *L) {
  ds_closedb(luaL_checkudata(L, 1, DS_DB_MT));
  return 0;
}

static int db_isopen(lua_State *L) {
  ds_db *d = luaL_checkudata(L, 1, DS_DB_MT);
  lua_pushboolean(L, d->db != NULL);
  return 1;
}

static int db_changes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)sqlite3_changes64(ds_checkdb(L, 1)->db));
  return 1;
}

/* Rows changed by this connection since it opened (sqlite3_total_changes64). */
static int db_total_changes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)sqlite3_total_changes64(ds_checkdb(L, 1)->db));
  return 1;
}

static int db_last_id(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)sqlite3_last_insert_rowid(ds_checkdb(L, 1)->db));
  return 1;
}

static int db_autocommit(lua_State *L) {
  lua_pushboolean(L, sqlite3_get_autocommit(ds_checkdb(L, 1)->db));
  return 1;
}

static int db_readonly(lua_State *L) {
  lua_pushboolean(L, sqlite3_db_readonly(ds_checkdb(L, 1)->db, "main") == 1);
  return 1;
}

static int db_filename(lua_State *L) {
  const char *f = sqlite3_db_filename(ds_checkdb(L, 1)->db, "main");
  lua_pushstring(L, f ? f : "");
  return 1;
}

/* The table the Lua layer keeps per-connection state in. */
static int db_state(lua_State *L) {
  luaL_checkudata(L, 1, DS_DB_MT);
  lua_getiuservalue(L, 1, DS_UV_STATE);
  return 1;
}

static int db_tostring(lua_State *L) {
  ds_db *d = luaL_checkudata(L, 1, DS_DB_MT);
  const char *f;
  if (!d->db) {
    lua_pushliteral(L, "dossier.store (closed)");
    return 1;
  }
  f = sqlite3_db_filename(d->db, "main");
  lua_pushfstring(L, "dossier.store (%s)", f && *f ? f : ":memory:");
  return 1;
}

/* ---- the column inserter (add_event, add_claim) ------------------------ */

/* db:<name>(t): binds t's keys to the statement's :key parameters (a key
   that is not a column is an error naming it) and runs the INSERT held in
   upvalue 1; returns the new rowid. One C call per row: this is the fast
   path the event benchmark measures. */
static int ds_insert(lua_State *L) {
  ds_db *d = ds_checkdb(L, 1);
  const char *what = lua_tostring(L, lua_upvalueindex(2));
  int multi, rc;
  ds_stmt *s;
  sqlite3_int64 id;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  s = ds_acquire(L, 1, d, lua_upvalueindex(1), &multi);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    int j;
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "dossier.store: %s: column names are strings, got a %s", what,
                 luaL_typename(L, -2));
    /* key -> parameter index, remembered in upvalue 3: a hash lookup
       instead of SQLite's scan of the parameter names */
    lua_pushvalue(L, -2);
    if (lua_rawget(L, lua_upvalueindex(3)) == LUA_TNUMBER) {
      j = (int)lua_tointeger(L, -1);
      lua_pop(L, 1);
    } else {
      char name[64];
      size_t kl;
      const char *k = lua_tolstring(L, -3, &kl);
      lua_pop(L, 1);
      j = 0;
      if (kl + 2 <= sizeof name) {
        name[0] = ':';
        memcpy(name + 1, k, kl + 1);
        j = sqlite3_bind_parameter_index(s->st, name);
      }
      if (j == 0) luaL_error(L, "dossier.store: %s: unknown column '%s'", what, k);
      lua_pushvalue(L, -2);
      lua_pushinteger(L, j);
      lua_rawset(L, lua_upvalueindex(3));
    }
    ds_bind1(L, 1, s->st, j, lua_gettop(L), 0);
    lua_pop(L, 1);
  }
  rc = sqlite3_step(s->st);
  if (rc != SQLITE_DONE) ds_stepfail(L, s, rc == SQLITE_ROW ? SQLITE_MISUSE : rc, what);
  id = sqlite3_last_insert_rowid(d->db);
  ds_release(s);
  lua_pushinteger(L, (lua_Integer)id);
  return 1;
}

/* inserter(sql, name) -> function(db, t): see ds_insert. */
static int ds_inserter(lua_State *L) {
  luaL_checkstring(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_newtable(L);
  lua_pushcclosure(L, ds_insert, 3);
  return 1;
}

/* ---- user statement methods -------------------------------------------- */

/* Checks the statement at 1 is usable; pushes its connection and returns
   the statement. */
static ds_stmt *ds_checkstmt(lua_State *L) {
  ds_stmt *s = luaL_checkudata(L, 1, DS_STMT_MT);
  if (!s->st) luaL_error(L, "dossier.store: the statement is closed");
  if (s->busy) luaL_error(L, "dossier.store: the statement is in use by an open loop");
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
  return s;
}

static int stmt_exec(lua_State *L) {
  int top = lua_gettop(L);
  ds_stmt *s = ds_checkstmt(L);
  lua_getiuservalue(L, 1, 1);
  ds_bindargs(L, top + 1, s->st, 2, top, 0);
  lua_pushinteger(L, ds_run(L, s));
  return 1;
}

static int stmt_rowsmode(lua_State *L, int mode) {
  int top = lua_gettop(L);
  ds_stmt *s = ds_checkstmt(L);
  lua_getiuservalue(L, 1, 1);
  return ds_loop(L, top + 1, s, 1, 2, top, mode);
}

static int stmt_rows(lua_State *L) {
  return stmt_rowsmode(L, DS_ROWS);
}

static int stmt_urows(lua_State *L) {
  return stmt_rowsmode(L, DS_UROWS);
}

static int stmt_firstmode(lua_State *L, int values) {
  int top = lua_gettop(L);
  ds_stmt *s = ds_checkstmt(L);
  lua_getiuservalue(L, 1, 1);
  ds_bindargs(L, top + 1, s->st, 2, top, 0);
  return ds_firstrow(L, s, values);
}

static int stmt_first(lua_State *L) {
  return stmt_firstmode(L, 0);
}

static int stmt_value(lua_State *L) {
  return stmt_firstmode(L, 1);
}

static int stmt_columns(lua_State *L) {
  ds_stmt *s = luaL_checkudata(L, 1, DS_STMT_MT);
  int n, i;
  if (!s->st) return luaL_error(L, "dossier.store: the statement is closed");
  n = sqlite3_column_count(s->st);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, sqlite3_column_name(s->st, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int stmt_sql(lua_State *L) {
  ds_stmt *s = luaL_checkudata(L, 1, DS_STMT_MT);
  if (!s->st) return luaL_error(L, "dossier.store: the statement is closed");
  lua_pushstring(L, sqlite3_sql(s->st));
  return 1;
}

static int stmt_close(lua_State *L) {
  ds_finalize(luaL_checkudata(L, 1, DS_STMT_MT));
  return 0;
}

static int stmt_tostring(lua_State *L) {
  ds_stmt *s = luaL_checkudata(L, 1, DS_STMT_MT);
  if (!s->st)
    lua_pushliteral(L, "dossier.store.stmt (closed)");
  else
    lua_pushfstring(L, "dossier.store.stmt (%s)", sqlite3_sql(s->st));
  return 1;
}

/* ---- module ------------------------------------------------------------ */

/* Pushes the URI "file:PATH?immutable=1" with PATH percent-encoded (all but
   unreserved characters and '/'), and a leading "//" made one '/' so it is
   never read as an authority. */
static const char *ds_immutable_uri(lua_State *L, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  luaL_Buffer b;
  const unsigned char *p = (const unsigned char *)path;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "file:");
  if (p[0] == '/')
    while (p[1] == '/') p++;
  for (; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p)) {
      luaL_addchar(&b, (char)*p);
    } else {
      luaL_addchar(&b, '%');
      luaL_addchar(&b, hex[*p >> 4]);
      luaL_addchar(&b, hex[*p & 15]);
    }
  }
  luaL_addstring(&b, "?immutable=1");
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* open(path, readonly, busy_ms, json_encode [, immutable]) -> db. An immutable
   store is opened read-only through a URI that tells SQLite the file cannot
   change: no lock, no WAL index (-shm), so it reads in a read-only directory. */
static int ds_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int readonly = lua_toboolean(L, 2), immutable = lua_toboolean(L, 5), rc, flags;
  const char *name = path;
  lua_Integer busy = luaL_optinteger(L, 3, 10000);
  ds_db *d;
  luaL_checktype(L, 4, LUA_TFUNCTION);
  d = lua_newuserdatauv(L, sizeof *d, 3);
  d->db = NULL;
  d->live = NULL;
  d->ncached = 0;
  luaL_setmetatable(L, DS_DB_MT);
  lua_newtable(L);
  lua_setiuservalue(L, -2, DS_UV_CACHE);
  lua_newtable(L);
  lua_setiuservalue(L, -2, DS_UV_STATE);
  lua_pushvalue(L, 4);
  lua_setiuservalue(L, -2, DS_UV_JSON);
  flags =
      (readonly || immutable ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  if (immutable) {
    name = ds_immutable_uri(L, path);
    flags |= SQLITE_OPEN_URI;
    lua_insert(L, -2); /* the userdata stays on top, the URI below it */
  }
  rc = sqlite3_open_v2(name, &d->db, flags, NULL);
  if (rc != SQLITE_OK) {
    luaL_where(L, 1);
    lua_pushfstring(L, "dossier.store: cannot open '%s': %s (%s, %d)", path,
                    d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc), ds_codename(rc), rc);
    lua_concat(L, 2);
    sqlite3_close_v2(d->db);
    d->db = NULL;
    return lua_error(L);
  }
  sqlite3_extended_result_codes(d->db, 1);
  if (busy < 0) busy = 0;
  if (busy > 0x7fffffff) busy = 0x7fffffff;
  sqlite3_busy_timeout(d->db, (int)busy);
  return 1;
}

static const luaL_Reg ds_db_methods[] = {
    {"exec", db_exec},
    {"rows", db_rows},
    {"urows", db_urows},
    {"first", db_first},
    {"value", db_value},
    {"prepare", db_prepare},
    {"fetch", db_fetch},
    {"close", db_close},
    {"isopen", db_isopen},
    {"changes", db_changes},
    {"total_changes", db_total_changes},
    {"last_id", db_last_id},
    {"autocommit", db_autocommit},
    {"readonly", db_readonly},
    {"filename", db_filename},
    {"_state", db_state},
    {NULL, NULL},
};

static const luaL_Reg ds_stmt_methods[] = {
    {"exec", stmt_exec},   {"rows", stmt_rows},   {"urows", stmt_urows},
    {"first", stmt_first}, {"value", stmt_value}, {"columns", stmt_columns},
    {"sql", stmt_sql},     {"close", stmt_close}, {NULL, NULL},
};

int ds_open_store(lua_State *L) {
  luaL_newmetatable(L, DS_CURSOR_MT);
  lua_pushcfunction(L, ds_cursor_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, ds_cursor_close);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);

  luaL_newmetatable(L, DS_STMT_MT);
  luaL_newlib(L, ds_stmt_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, stmt_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, stmt_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, stmt_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  lua_newtable(L); /* module */
  luaL_newmetatable(L, DS_DB_MT);
  luaL_newlib(L, ds_db_methods);
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "methods"); /* the Lua layer adds its methods here */
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, db_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, db_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, db_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  lua_pushcfunction(L, ds_open);
  lua_setfield(L, -2, "open");
  lua_pushcfunction(L, ds_inserter);
  lua_setfield(L, -2, "inserter");
  lua_pushstring(L, sqlite3_libversion());
  lua_setfield(L, -2, "sqlite_version");
  ds_store_ingest_funcs(L);
  return 1;
}
