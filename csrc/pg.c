/*
** pg.c — the PostgreSQL binding behind dossier.store (libpq).
**
** dossier.open("postgresql://...") gives a store with the SQLite store's
** methods; this file supplies the primitives those methods are built on
** (lua/dossier/store_pg.lua adds the rest): exec, rows, urows, first, value,
** copy, fetch, describe, autocommit, close.
**
** Two kinds of userdata, each created before the resource it owns, so a Lua
** error between allocation and use never leaks:
**   - a connection ("dossier.pg.conn") owns the PGconn; __gc and __close
**     finish it.
**   - a result ("dossier.pg.result") owns one PGresult: the state and
**     to-be-closed value of a rows/urows loop, and the holder of every
**     result while it is read, so a Lua error while converting a row clears
**     it too.
** SQL is written with SQLite's parameters, `?` (in turn), `?N` and `:name` (from
** one table); they are translated to PostgreSQL's $n, outside string
** literals, quoted identifiers, comments and `::` casts. Values are always
** bound, never spliced into SQL text; a statement with parameters is prepared
** on the server on its first use (per connection and parameter types, at most
** DS_PG_CACHE_MAX), so one run many times is parsed once. Results come back with
** SQLite's types: integers as integers, numeric as an integer when it has no
** fraction, booleans as 1 and 0, NULL as an absent field.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "batch.h"
#include "dossier.h"

#define DS_PG_MT     "dossier.pg.conn"
#define DS_PG_RES_MT "dossier.pg.result"

/* Type OIDs (server/catalog/pg_type_d.h, stable across versions). */
#define DS_BOOLOID    16
#define DS_INT8OID    20
#define DS_INT2OID    21
#define DS_INT4OID    23
#define DS_OIDOID     26
#define DS_FLOAT4OID  700
#define DS_FLOAT8OID  701
#define DS_NUMERICOID 1700

/* Parameters a statement may have (PostgreSQL's own limit is 65535). */
#define DS_PG_MAXPARAMS 65535

/* Connection uservalues. */
enum { DS_PG_UV_STATE = 1, DS_PG_UV_JSON = 2, DS_PG_UV_CACHE = 3 };

/* Statements with parameters prepared on the server per connection (SQL and parameter
   types -> name); past this many, further ones are sent unprepared. */
#define DS_PG_CACHE_MAX 256

typedef struct ds_pg {
  PGconn *conn;        /* NULL once closed */
  lua_Integer changes; /* rows changed by the last statement */
  lua_Integer total;   /* rows changed since the connection opened */
  int nprepared;       /* statements in the cache */
} ds_pg;

typedef struct ds_pg_res {
  PGresult *res; /* NULL once cleared */
  int row;       /* the next row a loop reads */
  int mode;      /* DS_PG_ROWS or DS_PG_UROWS */
} ds_pg_res;

enum { DS_PG_ROWS, DS_PG_UROWS };

/* ---- errors ------------------------------------------------------------ */

/* Raises "dossier.store: <message> (SQLSTATE xxxxx)" at the caller's line. */
static int ds_pg_raise(lua_State *L, PGconn *conn, const PGresult *res) {
  const char *msg = res ? PQresultErrorMessage(res) : NULL;
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  size_t n;
  if (!msg || !*msg) msg = conn ? PQerrorMessage(conn) : "no connection";
  if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
  n = strcspn(msg, "\n"); /* the message, not the LINE 1: ... and caret lines */
  while (n > 0 && msg[n - 1] == ' ') n--;
  luaL_where(L, 1);
  lua_pushliteral(L, "dossier.store: ");
  lua_pushlstring(L, msg, n);
  if (state)
    lua_pushfstring(L, " (SQLSTATE %s)", state);
  else
    lua_pushliteral(L, "");
  lua_concat(L, 4);
  return lua_error(L);
}

/* ---- results ----------------------------------------------------------- */

static int ds_pg_res_close(lua_State *L) {
  ds_pg_res *r = luaL_checkudata(L, 1, DS_PG_RES_MT);
  if (r->res) {
    PQclear(r->res);
    r->res = NULL;
  }
  return 0;
}

/* A new empty result holder on the stack (before any PGresult exists). */
static ds_pg_res *ds_pg_newres(lua_State *L) {
  ds_pg_res *r = lua_newuserdatauv(L, sizeof *r, 0);
  r->res = NULL;
  r->row = 0;
  r->mode = DS_PG_ROWS;
  luaL_setmetatable(L, DS_PG_RES_MT);
  return r;
}

static void ds_pg_pushcol(lua_State *L, const PGresult *res, int row, int col) {
  const char *p = PQgetvalue(res, row, col);
  size_t n = (size_t)PQgetlength(res, row, col);
  switch (PQftype(res, col)) {
  case DS_BOOLOID:
    lua_pushinteger(L, p[0] == 't');
    return;
  case DS_INT2OID:
  case DS_INT4OID:
  case DS_INT8OID:
  case DS_OIDOID:
  case DS_FLOAT4OID:
  case DS_FLOAT8OID:
  case DS_NUMERICOID:
    /* "3" -> 3, "3.5" -> 3.5; NaN and Infinity stay strings */
    if (lua_stringtonumber(L, p) == n + 1) {
      if (PQftype(res, col) == DS_FLOAT8OID || PQftype(res, col) == DS_FLOAT4OID) {
        lua_Number x = lua_tonumber(L, -1);
        lua_pop(L, 1);
        lua_pushnumber(L, x);
      }
      return;
    }
    break;
  default:
    break;
  }
  lua_pushlstring(L, p, n);
}

/* A row as a table of named columns (NULL columns are absent). */
static void ds_pg_pushrow(lua_State *L, const PGresult *res, int row) {
  int n = PQnfields(res), i;
  lua_createtable(L, 0, n);
  for (i = 0; i < n; i++) {
    if (PQgetisnull(res, row, i)) continue;
    ds_pg_pushcol(L, res, row, i);
    lua_setfield(L, -2, PQfname(res, i));
  }
}

static int ds_pg_pushvalues(lua_State *L, const PGresult *res, int row) {
  int n = PQnfields(res), i;
  luaL_checkstack(L, n, "dossier.store: too many columns");
  for (i = 0; i < n; i++) {
    if (PQgetisnull(res, row, i))
      lua_pushnil(L);
    else
      ds_pg_pushcol(L, res, row, i);
  }
  return n;
}

/* ---- SQL translation: ? and :name to $n -------------------------------- */

/* Length of the identifier at s (letters, digits, _), 0 if none starts there. */
static size_t ds_pg_ident(const char *s, const char *end) {
  const char *p = s;
  while (p < end && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || (unsigned char)*p >= 0x80))
    p++;
  return (size_t)(p - s);
}

/* End of the quoted text opening at s (quote q, doubled to escape it). */
static const char *ds_pg_skipquoted(const char *s, const char *end, char q) {
  const char *p = s + 1;
  while (p < end) {
    if (*p == q) {
      if (p + 1 < end && p[1] == q) {
        p += 2;
        continue;
      }
      return p + 1;
    }
    p++;
  }
  return end;
}

/* End of the comment or quoted text at p, or NULL if none starts there. */
static const char *ds_pg_skip(const char *p, const char *end) {
  if (*p == '\'' || *p == '"') return ds_pg_skipquoted(p, end, *p);
  if (*p == '-' && p + 1 < end && p[1] == '-') {
    while (p < end && *p != '\n') p++;
    return p;
  }
  if (*p == '/' && p + 1 < end && p[1] == '*') {
    const char *q = p + 2;
    while (q + 1 < end && !(q[0] == '*' && q[1] == '/')) q++;
    return q + 1 < end ? q + 2 : end;
  }
  return NULL;
}

/*
** Pushes the SQL at sqlidx with its parameters as $1, $2, ... and, at the
** table at names, name -> index for each :name (numbered in order of first
** appearance; the same name twice is one parameter). Returns the count.
** `?` and `:name` are not mixed in one statement.
*/
static int ds_pg_translate(lua_State *L, int sqlidx, int names, int *named) {
  size_t len;
  const char *sql = lua_tolstring(L, sqlidx, &len), *p = sql, *end = sql + len, *from = sql;
  luaL_Buffer b;
  int n = 0;
  *named = 0;
  luaL_buffinit(L, &b);
  while (p < end) {
    const char *q = ds_pg_skip(p, end);
    if (q) {
      p = q;
    } else if (*p == ':' && p + 1 < end && p[1] == ':') {
      p += 2; /* a cast */
    } else if (*p == '?' ||
               (*p == ':' && ds_pg_ident(p + 1, end) > 0 && !(p[1] >= '0' && p[1] <= '9'))) {
      int j;
      luaL_addlstring(&b, from, (size_t)(p - from));
      if (*p == '?') {
        /* ?N is parameter N; a plain ? the one after the largest so far (SQLite's rule) */
        long k = 0;
        p++;
        while (p < end && *p >= '0' && *p <= '9' && k <= DS_PG_MAXPARAMS) k = k * 10 + (*p++ - '0');
        if (k > DS_PG_MAXPARAMS) luaL_error(L, "dossier.store: parameter number too large");
        j = k > 0 ? (int)k : n + 1;
        if (j > n) n = j;
        if (*named)
          luaL_error(L, "dossier.store: a statement uses ? or :name parameters, not both");
      } else {
        size_t il = ds_pg_ident(p + 1, end);
        if (n > 0 && !*named)
          luaL_error(L, "dossier.store: a statement uses ? or :name parameters, not both");
        *named = 1;
        lua_pushlstring(L, p + 1, il);
        if (lua_rawget(L, names) == LUA_TNUMBER) {
          j = (int)lua_tointeger(L, -1);
          lua_pop(L, 1);
        } else {
          lua_pop(L, 1);
          j = ++n;
          lua_pushlstring(L, p + 1, il);
          lua_pushinteger(L, j);
          lua_rawset(L, names);
        }
        p += il + 1;
      }
      if (n > DS_PG_MAXPARAMS) luaL_error(L, "dossier.store: too many parameters");
      lua_pushfstring(L, "$%d", j);
      luaL_addvalue(&b);
      from = p;
    } else {
      p++;
    }
  }
  luaL_addlstring(&b, from, (size_t)(p - from));
  luaL_pushresult(&b);
  return n;
}

/* ---- binding ----------------------------------------------------------- */

/* The text of the value at vi as a parameter: pushes it (or nil for NULL)
   and returns its type OID (0: let the server infer it from the SQL, as
   SQLite's loose typing would). */
static unsigned ds_pg_param(lua_State *L, int dbidx, int vi, int j) {
  switch (lua_type(L, vi)) {
  case LUA_TNIL:
    lua_pushnil(L);
    return 0;
  case LUA_TBOOLEAN:
    lua_pushstring(L, lua_toboolean(L, vi) ? "1" : "0");
    return DS_INT8OID;
  case LUA_TNUMBER:
    if (lua_isinteger(L, vi)) {
      lua_pushfstring(L, "%I", lua_tointeger(L, vi));
      return DS_INT8OID;
    }
    {
      char num[64];
      snprintf(num, sizeof num, "%.17g", (double)lua_tonumber(L, vi));
      lua_pushstring(L, num);
    }
    return DS_FLOAT8OID;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, vi, &n);
    if (memchr(s, '\0', n))
      luaL_error(L, "dossier.store: parameter %d holds a NUL byte, which PostgreSQL text cannot",
                 j);
    lua_pushvalue(L, vi);
    return 0;
  }
  case LUA_TTABLE:
    lua_getiuservalue(L, dbidx, DS_PG_UV_JSON);
    lua_pushvalue(L, vi);
    lua_call(L, 1, 2);
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "dossier.store: cannot encode parameter %d as JSON: %s", j,
                 lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    return 0;
  case LUA_TLIGHTUSERDATA:
    if (lua_touserdata(L, vi) == NULL) { /* cjson.null */
      lua_pushnil(L);
      return 0;
    }
    /* fall through */
  default:
    return (unsigned)luaL_error(L, "dossier.store: cannot bind a %s (parameter %d)",
                                luaL_typename(L, vi), j);
  }
}

/* The arrays PQexecParams reads, in one userdata (Lua's memory). */
typedef struct ds_pg_params {
  Oid *types;
  const char **values;
} ds_pg_params;

/*
** Pushes the values of the arguments first..last for a statement of n
** parameters (one table for :name parameters, whose index is the table at
** names) onto the stack, one per parameter, and fills pp from them; the
** strings stay referenced by the stack until the call returns.
*/
static void ds_pg_bind(lua_State *L, int dbidx, int first, int last, int n, int named, int names,
                       ds_pg_params *pp) {
  int nargs = last - first + 1, j, base;
  if (named) {
    if (nargs != 1 || lua_type(L, first) != LUA_TTABLE)
      luaL_error(L, "dossier.store: a statement with :name parameters takes one table");
  } else if (nargs != n) {
    luaL_error(L, "dossier.store: the statement has %d parameter%s, got %d value%s", n,
               n == 1 ? "" : "s", nargs, nargs == 1 ? "" : "s");
  }
  pp->types = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof(Oid), 0);
  pp->values = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof(char *), 0);
  luaL_checkstack(L, n + 4, "dossier.store: too many parameters");
  base = lua_gettop(L);
  for (j = 1; j <= n; j++) lua_pushnil(L); /* base + j: the value of $j */
  if (named) {
    lua_pushnil(L);
    while (lua_next(L, names)) {
      int k = (int)lua_tointeger(L, -1);
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_gettable(L, first);
      pp->types[k - 1] = ds_pg_param(L, dbidx, lua_gettop(L), k);
      lua_replace(L, base + k);
      lua_pop(L, 1);
    }
  } else {
    for (j = 1; j <= n; j++) {
      pp->types[j - 1] = ds_pg_param(L, dbidx, first + j - 1, j);
      lua_replace(L, base + j);
    }
  }
  for (j = 1; j <= n; j++) pp->values[j - 1] = lua_tostring(L, base + j);
}

/* ---- running a statement ----------------------------------------------- */

/*
** The name of the server-side statement for the SQL at sqlidx with these parameter types,
** prepared on its first use (so a statement run again, an INSERT of add_event or add_claim,
** is parsed and planned once); NULL when the cache is full. Pushes what it uses.
*/
static const char *ds_pg_prepared(lua_State *L, ds_pg *d, int sqlidx, int n, const Oid *types) {
  luaL_Buffer b;
  int j, cache, key;
  const char *name;
  ds_pg_res *r;
  lua_getiuservalue(L, 1, DS_PG_UV_CACHE);
  cache = lua_gettop(L);
  luaL_buffinit(L, &b);
  for (j = 0; j < n; j++)
    luaL_addchar(&b, types[j] == DS_INT8OID ? 'i' : types[j] == DS_FLOAT8OID ? 'f' : 'u');
  luaL_addchar(&b, ':');
  lua_pushvalue(L, sqlidx);
  luaL_addvalue(&b);
  luaL_pushresult(&b);
  key = lua_gettop(L);
  lua_pushvalue(L, key);
  if (lua_rawget(L, cache) == LUA_TSTRING) return lua_tostring(L, -1);
  if (d->nprepared >= DS_PG_CACHE_MAX) return NULL;
  name = lua_pushfstring(L, "dossier_%d", d->nprepared + 1);
  r = ds_pg_newres(L);
  r->res = PQprepare(d->conn, name, lua_tostring(L, sqlidx), n, types);
  if (PQresultStatus(r->res) != PGRES_COMMAND_OK) ds_pg_raise(L, d->conn, r->res);
  PQclear(r->res);
  r->res = NULL;
  lua_pop(L, 1);
  d->nprepared++;
  lua_pushvalue(L, key);
  lua_pushvalue(L, -2);
  lua_rawset(L, cache);
  return name;
}

static ds_pg *ds_pg_check(lua_State *L, int idx) {
  ds_pg *d = luaL_checkudata(L, idx, DS_PG_MT);
  if (!d->conn) luaL_error(L, "dossier.store: the store is closed");
  return d;
}

/*
** Runs the statement at index 2 with the arguments 3..top; pushes a result
** holder that owns the outcome (raises on an error) and returns it. A
** statement without parameters and without arguments goes through
** PQexec, which takes several statements (a schema script).
*/
static ds_pg_res *ds_pg_run(lua_State *L, ds_pg *d) {
  int top = lua_gettop(L), named, n, names;
  ds_pg_res *r;
  ExecStatusType st;
  luaL_checktype(L, 2, LUA_TSTRING);
  lua_newtable(L);
  names = lua_gettop(L);
  n = ds_pg_translate(L, 2, names, &named); /* names + 1: the SQL */
  if (n == 0 && top < 3) {
    r = ds_pg_newres(L);
    r->res = PQexec(d->conn, lua_tostring(L, names + 1));
  } else {
    ds_pg_params pp;
    const char *name;
    ds_pg_bind(L, 1, 3, top, n, named, names, &pp);
    name = ds_pg_prepared(L, d, names + 1, n, pp.types);
    r = ds_pg_newres(L);
    if (name)
      r->res = PQexecPrepared(d->conn, name, n, pp.values, NULL, NULL, 0);
    else
      r->res =
          PQexecParams(d->conn, lua_tostring(L, names + 1), n, pp.types, pp.values, NULL, NULL, 0);
  }
  st = r->res ? PQresultStatus(r->res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
    ds_pg_raise(L, d->conn, r->res);
  d->changes = 0;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    const char *c = PQcmdTuples(r->res);
    const char *status = PQcmdStatus(r->res);
    /* SQLite's changes count INSERT, UPDATE and DELETE, not a SELECT's rows */
    if (*c && strncmp(status, "SELECT", 6) != 0 && strncmp(status, "FETCH", 5) != 0 &&
        strncmp(status, "MOVE", 4) != 0)
      d->changes = (lua_Integer)strtoll(c, NULL, 10);
  }
  d->total += d->changes;
  lua_replace(L, 3);
  lua_settop(L, 3);
  return r;
}

/* ---- connection methods ------------------------------------------------ */

static int pg_exec(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  ds_pg_res *r = ds_pg_run(L, d);
  PQclear(r->res);
  r->res = NULL;
  lua_pushinteger(L, d->changes);
  return 1;
}

static int pg_iter(lua_State *L) {
  ds_pg_res *r = luaL_checkudata(L, 1, DS_PG_RES_MT);
  int row;
  if (!r->res || r->row >= PQntuples(r->res)) {
    ds_pg_res_close(L);
    return 0;
  }
  row = r->row++;
  if (r->mode == DS_PG_UROWS) return ds_pg_pushvalues(L, r->res, row);
  ds_pg_pushrow(L, r->res, row);
  return 1;
}

/* Returns iterator, result, nil, result: the result is the loop's
   to-be-closed value. */
static int pg_rowsmode(lua_State *L, int mode) {
  ds_pg *d = ds_pg_check(L, 1);
  ds_pg_res *r = ds_pg_run(L, d);
  r->mode = mode;
  lua_pushcfunction(L, pg_iter);
  lua_pushvalue(L, 3);
  lua_pushnil(L);
  lua_pushvalue(L, 3);
  return 4;
}

static int pg_rows(lua_State *L) {
  return pg_rowsmode(L, DS_PG_ROWS);
}

static int pg_urows(lua_State *L) {
  return pg_rowsmode(L, DS_PG_UROWS);
}

static int pg_firstmode(lua_State *L, int values) {
  ds_pg *d = ds_pg_check(L, 1);
  ds_pg_res *r = ds_pg_run(L, d);
  int n = 1;
  if (PQresultStatus(r->res) != PGRES_TUPLES_OK || PQntuples(r->res) == 0)
    lua_pushnil(L);
  else if (values)
    n = ds_pg_pushvalues(L, r->res, 0);
  else
    ds_pg_pushrow(L, r->res, 0);
  PQclear(r->res);
  r->res = NULL;
  return n;
}

static int pg_first(lua_State *L) {
  return pg_firstmode(L, 0);
}

static int pg_value(lua_State *L) {
  return pg_firstmode(L, 1);
}

/*
** db:fetch(sql, params, batch, col [, limit [, bytes]]) -> cols, n
** As the SQLite store's: column `col` of each row goes into `batch`, the
** others into arrays (cols[i][r]); at most `limit` rows, stopping once the
** texts reach `bytes`. The query should carry its own LIMIT: the rows past
** the stop are read from the server and dropped.
*/
static int pg_fetch(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  ds_batch *b = ds_batch_check(L, 4);
  lua_Integer col = luaL_checkinteger(L, 5), n = 0, bytes = 0;
  lua_Integer limit = luaL_optinteger(L, 6, LUA_MAXINTEGER);
  lua_Integer maxbytes = luaL_optinteger(L, 7, LUA_MAXINTEGER);
  int ncols, i, cidx, nrows;
  ds_pg_res *r;
  lua_settop(L, 3);
  if (lua_isnil(L, 3)) lua_settop(L, 2);
  r = ds_pg_run(L, d);
  lua_insert(L, 2); /* keep the result below what follows */
  ncols = PQnfields(r->res);
  nrows = PQntuples(r->res);
  if (col < 1 || col > ncols)
    return luaL_error(L, "dossier.store: fetch: the query has no column %I", col);
  ds_batch_clear(b);
  luaL_checkstack(L, ncols + 2, "dossier.store: too many columns");
  lua_createtable(L, ncols, 0);
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
  while (n < limit && bytes < maxbytes && n < nrows) {
    int row = (int)n++;
    for (i = 0; i < ncols; i++) {
      if (i + 1 == col) {
        int len = PQgetlength(r->res, row, i);
        if (PQgetisnull(r->res, row, i))
          return luaL_error(L, "dossier.store: fetch: row %I has no text in column %I", n, col);
        ds_batch_add(L, b, PQgetvalue(r->res, row, i), (size_t)len);
        bytes += len;
      } else if (!PQgetisnull(r->res, row, i)) {
        ds_pg_pushcol(L, r->res, row, i);
        lua_rawseti(L, cidx + 1 + i, n);
      }
    }
  }
  PQclear(r->res);
  r->res = NULL;
  lua_pushvalue(L, cidx);
  lua_pushinteger(L, n);
  return 2;
}

/* Pushes the value at vi in COPY's text format (\N for NULL, \ escapes). */
static void ds_pg_copyfield(lua_State *L, int dbidx, int vi, int j) {
  size_t n, k, extra = 0;
  const char *s;
  char *out;
  luaL_Buffer b;
  ds_pg_param(L, dbidx, vi, j);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushliteral(L, "\\N");
    return;
  }
  s = lua_tolstring(L, -1, &n);
  for (k = 0; k < n; k++)
    if (s[k] == '\\' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') extra++;
  if (extra == 0) return;
  out = luaL_buffinitsize(L, &b, n + extra);
  for (k = 0; k < n; k++) {
    char c = s[k];
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
      *out++ = '\\';
      c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : c;
    }
    *out++ = c;
  }
  luaL_pushresultsize(&b, n + extra);
  lua_remove(L, -2);
}

/* Ends a COPY: sends the end (or the error) and reads the outcome. */
static void ds_pg_copyend(lua_State *L, ds_pg *d, const char *err) {
  ds_pg_res *r = ds_pg_newres(L);
  if (PQputCopyEnd(d->conn, err) != 1) ds_pg_raise(L, d->conn, NULL);
  while ((r->res = PQgetResult(d->conn)) != NULL) {
    if (PQresultStatus(r->res) != PGRES_COMMAND_OK && !err) {
      PGresult *more;
      while ((more = PQgetResult(d->conn)) != NULL) PQclear(more);
      ds_pg_raise(L, d->conn, r->res);
    }
    PQclear(r->res);
    r->res = NULL;
  }
  lua_pop(L, 1);
}

/* Sends the rows of the array at `rows`, one line each; NULL, or what went wrong. */
static const char *ds_pg_copyrows(lua_State *L, ds_pg *d, int rows, lua_Integer nrows, int ncols) {
  lua_Integer i;
  int j;
  luaL_checkstack(L, 2 * ncols + 4, "dossier.store: too many columns");
  for (i = 1; i <= nrows; i++) {
    const char *p;
    size_t len;
    int row;
    if (lua_rawgeti(L, rows, i) != LUA_TTABLE) return "a row is not a table";
    row = lua_gettop(L);
    for (j = 1; j <= ncols; j++) {
      lua_rawgeti(L, row, j);
      ds_pg_copyfield(L, 1, lua_gettop(L), j);
      lua_remove(L, -2);
      if (j < ncols)
        lua_pushliteral(L, "\t");
      else
        lua_pushliteral(L, "\n");
    }
    lua_concat(L, 2 * ncols);
    p = lua_tolstring(L, -1, &len);
    if (PQputCopyData(d->conn, p, (int)len) != 1) return PQerrorMessage(d->conn);
    lua_settop(L, row - 1);
  }
  return NULL;
}

/* copyrows(db, rows, nrows, ncols) -> nil, or what went wrong: ds_pg_copyrows, protected. */
static int ds_pg_copyrows_p(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  const char *err = ds_pg_copyrows(L, d, 2, lua_tointeger(L, 3), (int)lua_tointeger(L, 4));
  if (err)
    lua_pushstring(L, err);
  else
    lua_pushnil(L);
  return 1;
}

/*
** db:copy(table, columns, rows) -> n: rows (an array of arrays, one value a
** column, nil for NULL up to the array's end) into table's columns through
** COPY FROM STDIN, the bulk path. Identifiers are quoted.
*/
static int pg_copy(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  const char *table = luaL_checkstring(L, 2), *err;
  lua_Integer nrows, ncols, j;
  luaL_Buffer b;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_settop(L, 4);
  ncols = (lua_Integer)lua_rawlen(L, 3);
  nrows = (lua_Integer)lua_rawlen(L, 4);
  if (ncols < 1 || ncols > 1600) return luaL_argerror(L, 3, "1 to 1600 column names");
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "COPY ");
  {
    char *q = PQescapeIdentifier(d->conn, table, strlen(table));
    if (!q) ds_pg_raise(L, d->conn, NULL);
    luaL_addstring(&b, q);
    PQfreemem(q);
  }
  luaL_addstring(&b, " (");
  for (j = 1; j <= ncols; j++) {
    const char *c;
    char *q;
    lua_rawgeti(L, 3, j);
    c = lua_tostring(L, -1);
    if (!c) return luaL_argerror(L, 3, "column names are strings");
    q = PQescapeIdentifier(d->conn, c, strlen(c));
    lua_pop(L, 1);
    if (!q) ds_pg_raise(L, d->conn, NULL);
    if (j > 1) luaL_addstring(&b, ", ");
    luaL_addstring(&b, q);
    PQfreemem(q);
  }
  luaL_addstring(&b, ") FROM STDIN");
  luaL_pushresult(&b); /* 5 */
  {
    ds_pg_res *r = ds_pg_newres(L); /* 6 */
    r->res = PQexec(d->conn, lua_tostring(L, 5));
    if (PQresultStatus(r->res) != PGRES_COPY_IN) ds_pg_raise(L, d->conn, r->res);
    PQclear(r->res);
    r->res = NULL;
  }
  /* The rows are converted under lua_pcall: a value that cannot be sent (a JSON encoder's
     error, a NUL byte) must end the COPY before it is raised, or the connection stays in it. */
  lua_pushcfunction(L, ds_pg_copyrows_p);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 4);
  lua_pushinteger(L, nrows);
  lua_pushinteger(L, ncols);
  if (lua_pcall(L, 4, 1, 0) != LUA_OK || !lua_isnil(L, -1)) {
    err = lua_tostring(L, -1) ? lua_tostring(L, -1) : "an error that is not a string";
    ds_pg_copyend(L, d, err);
    if (strncmp(err, "dossier.store: ", 15) == 0) err += 15;
    return luaL_error(L, "dossier.store: copy into %s: %s", table, err);
  }
  lua_pop(L, 1);
  ds_pg_copyend(L, d, NULL);
  d->changes = nrows;
  d->total += nrows;
  lua_pushinteger(L, nrows);
  return 1;
}

/*
** db:describe(sql) -> names: the names of the columns the statement returns (an empty
** table for one that returns none), from the server's parse of it (the unnamed prepared
** statement), without running it.
*/
static int pg_describe(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  int named, n, names, i;
  ds_pg_res *r;
  luaL_checktype(L, 2, LUA_TSTRING);
  lua_settop(L, 2);
  lua_newtable(L);
  names = lua_gettop(L);
  n = ds_pg_translate(L, 2, names, &named); /* 4: the SQL */
  (void)n;
  r = ds_pg_newres(L); /* 5 */
  r->res = PQprepare(d->conn, "", lua_tostring(L, 4), 0, NULL);
  if (PQresultStatus(r->res) != PGRES_COMMAND_OK) ds_pg_raise(L, d->conn, r->res);
  PQclear(r->res);
  r->res = PQdescribePrepared(d->conn, "");
  if (PQresultStatus(r->res) != PGRES_COMMAND_OK) ds_pg_raise(L, d->conn, r->res);
  lua_createtable(L, PQnfields(r->res), 0);
  for (i = 0; i < PQnfields(r->res); i++) {
    lua_pushstring(L, PQfname(r->res, i));
    lua_rawseti(L, -2, i + 1);
  }
  PQclear(r->res);
  r->res = NULL;
  return 1;
}

static int pg_close(lua_State *L) {
  ds_pg *d = luaL_checkudata(L, 1, DS_PG_MT);
  if (d->conn) {
    PQfinish(d->conn);
    d->conn = NULL;
  }
  return 0;
}

static int pg_isopen(lua_State *L) {
  ds_pg *d = luaL_checkudata(L, 1, DS_PG_MT);
  lua_pushboolean(L, d->conn != NULL);
  return 1;
}

static int pg_changes(lua_State *L) {
  lua_pushinteger(L, ds_pg_check(L, 1)->changes);
  return 1;
}

static int pg_total_changes(lua_State *L) {
  lua_pushinteger(L, ds_pg_check(L, 1)->total);
  return 1;
}

/* true outside a transaction (PostgreSQL's idle state), as sqlite3_get_autocommit. */
static int pg_autocommit(lua_State *L) {
  lua_pushboolean(L, PQtransactionStatus(ds_pg_check(L, 1)->conn) == PQTRANS_IDLE);
  return 1;
}

/* true when the transaction has failed and only a rollback is left. */
static int pg_failed(lua_State *L) {
  lua_pushboolean(L, PQtransactionStatus(ds_pg_check(L, 1)->conn) == PQTRANS_INERROR);
  return 1;
}

static int pg_state(lua_State *L) {
  luaL_checkudata(L, 1, DS_PG_MT);
  lua_getiuservalue(L, 1, DS_PG_UV_STATE);
  return 1;
}

static int pg_server_version(lua_State *L) {
  lua_pushinteger(L, PQserverVersion(ds_pg_check(L, 1)->conn));
  return 1;
}

/* The database, user and host the store is connected to (no password). */
static int pg_filename(lua_State *L) {
  ds_pg *d = ds_pg_check(L, 1);
  const char *host = PQhost(d->conn);
  lua_pushfstring(L, "postgresql://%s@%s:%s/%s", PQuser(d->conn), host ? host : "", PQport(d->conn),
                  PQdb(d->conn));
  return 1;
}

static int pg_tostring(lua_State *L) {
  ds_pg *d = luaL_checkudata(L, 1, DS_PG_MT);
  lua_pushfstring(L, "dossier.store (PostgreSQL%s): %p", d->conn ? "" : ", closed", (void *)d);
  return 1;
}

static void ds_pg_quiet(void *arg, const char *message) {
  (void)arg;
  (void)message; /* NOTICEs ("... already exists, skipping") are not errors */
}

/* connect(conninfo, json_encode) -> connection, or raises with libpq's message. */
static int ds_pg_connect(lua_State *L) {
  const char *info = luaL_checkstring(L, 1);
  ds_pg *d;
  luaL_checkany(L, 2);
  d = lua_newuserdatauv(L, sizeof *d, 3);
  d->conn = NULL;
  d->changes = d->total = 0;
  d->nprepared = 0;
  luaL_setmetatable(L, DS_PG_MT);
  lua_newtable(L);
  lua_setiuservalue(L, -2, DS_PG_UV_STATE);
  lua_pushvalue(L, 2);
  lua_setiuservalue(L, -2, DS_PG_UV_JSON);
  lua_newtable(L);
  lua_setiuservalue(L, -2, DS_PG_UV_CACHE);
  d->conn = PQconnectdb(info);
  if (!d->conn) return luaL_error(L, "dossier.store: out of memory connecting to PostgreSQL");
  if (PQstatus(d->conn) != CONNECTION_OK) {
    const char *m = PQerrorMessage(d->conn);
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    lua_pushfstring(L, "dossier.store: cannot connect to PostgreSQL: ");
    lua_pushlstring(L, m, n);
    lua_concat(L, 2);
    PQfinish(d->conn); /* m is copied: free it with the connection */
    d->conn = NULL;
    return lua_error(L);
  }
  PQsetNoticeProcessor(d->conn, ds_pg_quiet, NULL);
  if (PQsetClientEncoding(d->conn, "UTF8") != 0) ds_pg_raise(L, d->conn, NULL);
  return 1;
}

static const luaL_Reg ds_pg_methods[] = {
    {"exec", pg_exec},
    {"rows", pg_rows},
    {"urows", pg_urows},
    {"first", pg_first},
    {"value", pg_value},
    {"fetch", pg_fetch},
    {"copy", pg_copy},
    {"describe", pg_describe},
    {"close", pg_close},
    {"isopen", pg_isopen},
    {"changes", pg_changes},
    {"total_changes", pg_total_changes},
    {"autocommit", pg_autocommit},
    {"failed", pg_failed},
    {"filename", pg_filename},
    {"server_version", pg_server_version},
    {"_state", pg_state},
    {NULL, NULL},
};

int ds_open_pg(lua_State *L) {
  luaL_newmetatable(L, DS_PG_RES_MT);
  lua_pushcfunction(L, ds_pg_res_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, ds_pg_res_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
  lua_newtable(L); /* the module */
  luaL_newmetatable(L, DS_PG_MT);
  luaL_newlib(L, ds_pg_methods);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__index");
  lua_setfield(L, -3, "methods");
  lua_pushcfunction(L, pg_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, pg_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, pg_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_pushcfunction(L, ds_pg_connect);
  lua_setfield(L, -2, "connect");
  lua_pushinteger(L, PQlibVersion());
  lua_setfield(L, -2, "libpq_version");
  return 1;
}
