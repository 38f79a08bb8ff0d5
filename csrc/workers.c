/*
** workers.c — dossier.core.workers: worker processes that share the work of
** one Lua program, and the messages they exchange.
**
** spawn(n, f) forks n children of the calling process. Each child gets a
** copy of the Lua state as it was (the rule set already built, nothing to
** load again), runs f(i, chan) under lua_pcall and ends with _exit: it never
** returns into the parent's code, never unwinds the parent's to-be-closed
** variables and never finalizes the parent's objects (an SQLite connection
** must not be used across fork; the child does not touch it). The parent
** gets a pool (a userdata with __gc and __close, created before the first
** fork) holding the children's ids and one Unix socket to each.
**
** A message is a string and optionally the texts of a batch (csrc/batch.c),
** framed by lengths, so a batch travels without a Lua string per text:
**   pool:send(i, s [, batch])   chan:send(s [, batch])
**   pool:recv(i [, batch]) -> s chan:recv([batch]) -> s, or nil at end
** pool:recv raises, naming the worker and how it ended, when the worker's
** socket closes before a whole message came (the worker died). Sending uses
** MSG_NOSIGNAL, so a dead peer is an error and not a SIGPIPE. Closing the
** pool closes the sockets, kills the children still running (they hold no
** state of their own) and reaps them all.
**
** pack(t, n) and unpack(s) -> t, n turn an array of n scalars (nil,
** booleans, integers, floats, strings) into one string and back: the rows a
** worker sends back to the writer.
*/
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "dossier.h"

#define DS_POOL_MT     "dossier.workers"
#define DS_CHAN_MT     "dossier.workers.chan"
#define DS_MAX_WORKERS 256

typedef struct ds_pool {
  int n;                      /* workers spawned so far */
  pid_t pid[DS_MAX_WORKERS];  /* 0: reaped */
  int fd[DS_MAX_WORKERS];     /* the parent's end of each socket; -1: closed */
  int status[DS_MAX_WORKERS]; /* wait status once reaped */
} ds_pool;

/* ---- framing ------------------------------------------------------------ */

/* Writes all of p; 0 on success, else errno. */
static int ds_write_all(int fd, const void *p, size_t len) {
  const char *s = p;
  while (len > 0) {
    ssize_t w = send(fd, s, len, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    s += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Reads exactly len bytes: 1 on success, 0 at end of stream, -1 on error
   (errno set). */
static int ds_read_all(int fd, void *p, size_t len) {
  char *s = p;
  while (len > 0) {
    ssize_t r = read(fd, s, len);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) return 0;
    s += r;
    len -= (size_t)r;
  }
  return 1;
}

/* Sends the string at idx and, when idx + 1 is a batch, its texts. Returns 0
   or errno. */
static int ds_send(lua_State *L, int fd, int idx) {
  size_t len;
  const char *s = luaL_checklstring(L, idx, &len);
  ds_batch *b = lua_isnoneornil(L, idx + 1) ? NULL : ds_batch_check(L, idx + 1);
  uint64_t h[2];
  int e;
  size_t k;
  h[0] = (uint64_t)len;
  h[1] = b ? (uint64_t)b->n : 0;
  if ((e = ds_write_all(fd, h, sizeof h)) != 0 || (e = ds_write_all(fd, s, len)) != 0) return e;
  if (!b || b->n == 0) return 0;
  for (k = 1; k <= b->n; k++) {
    uint64_t l = (uint64_t)(b->off[k] - b->off[k - 1]);
    if ((e = ds_write_all(fd, &l, sizeof l)) != 0) return e;
  }
  return ds_write_all(fd, b->buf, b->len);
}

/* Reads a message: pushes its string and fills the batch at bidx (0: none;
   the texts are then dropped). Returns 1, 0 at a clean end before the
   message, -1 when the stream broke off or failed. */
static int ds_recv(lua_State *L, int fd, int bidx) {
  uint64_t h[2], total = 0, k;
  ds_batch *b = bidx ? ds_batch_check(L, bidx) : NULL;
  uint64_t *lens;
  char *p;
  int r = ds_read_all(fd, h, sizeof h);
  if (r <= 0) return r;
  if (h[0] > SIZE_MAX / 2 || h[1] > SIZE_MAX / 2 / sizeof *lens) return -1;
  p = lua_newuserdatauv(L, (size_t)h[0], 0); /* scratch: Lua frees it, whatever happens */
  if (ds_read_all(fd, p, (size_t)h[0]) != 1) return -1;
  lua_pushlstring(L, p, (size_t)h[0]);
  lua_remove(L, -2);
  if (b) ds_batch_clear(b);
  if (h[1] == 0) return 1;
  lens = lua_newuserdatauv(L, (size_t)h[1] * sizeof *lens, 0);
  if (ds_read_all(fd, lens, (size_t)h[1] * sizeof *lens) != 1) return -1;
  for (k = 0; k < h[1]; k++) {
    if (lens[k] > SIZE_MAX / 2 - total) return -1;
    total += lens[k];
  }
  if (b) { /* the texts go straight into the batch, one after the other */
    size_t start = b->len;
    for (k = 0; k < h[1]; k++) ds_batch_append(L, b, (size_t)lens[k]);
    p = b->buf + start;
  } else {
    p = lua_newuserdatauv(L, (size_t)total, 0);
  }
  if (ds_read_all(fd, p, (size_t)total) != 1) {
    if (b) ds_batch_clear(b);
    return -1;
  }
  lua_settop(L, -2 - (b ? 0 : 1)); /* lens (and the scratch) */
  return 1;
}

/* ---- the parent's side --------------------------------------------------- */

static ds_pool *ds_pool_check(lua_State *L) {
  return luaL_checkudata(L, 1, DS_POOL_MT);
}

/* Worker index argument (1-based) -> 0-based slot. */
static int ds_pool_slot(lua_State *L, ds_pool *p, int idx) {
  lua_Integer i = luaL_checkinteger(L, idx);
  luaL_argcheck(L, i >= 1 && i <= p->n, idx, "no such worker");
  if (p->fd[i - 1] < 0) luaL_error(L, "dossier.workers: worker %d is closed", (int)i);
  return (int)(i - 1);
}

/* How worker k ended (reaping it if it has): a phrase for an error. */
static void ds_push_end(lua_State *L, ds_pool *p, int k) {
  int st;
  if (p->pid[k] > 0) {
    pid_t r;
    while ((r = waitpid(p->pid[k], &st, 0)) < 0 && errno == EINTR) {}
    if (r == p->pid[k]) {
      p->status[k] = st;
      p->pid[k] = 0;
    }
  }
  st = p->status[k];
  if (WIFSIGNALED(st))
    lua_pushfstring(L, "was killed by signal %d", WTERMSIG(st));
  else if (WIFEXITED(st))
    lua_pushfstring(L, "exited with status %d", WEXITSTATUS(st));
  else
    lua_pushliteral(L, "ended");
}

/* Killed before their sockets close: a worker waiting for a message would
   otherwise see the socket reset (unread replies are dropped) and say so. */
static void ds_pool_free(ds_pool *p) {
  int k;
  for (k = 0; k < p->n; k++) {
    if (p->pid[k] > 0) kill(p->pid[k], SIGKILL);
  }
  for (k = 0; k < p->n; k++) {
    if (p->fd[k] >= 0) close(p->fd[k]);
    p->fd[k] = -1;
  }
  for (k = 0; k < p->n; k++) {
    if (p->pid[k] > 0) {
      int st = 0;
      while (waitpid(p->pid[k], &st, 0) < 0 && errno == EINTR) {}
      p->status[k] = st;
      p->pid[k] = 0;
    }
  }
}

static int ds_pool_close(lua_State *L) {
  ds_pool_free(ds_pool_check(L));
  return 0;
}

/* pool:send(i, s [, batch]) */
static int ds_pool_send(lua_State *L) {
  ds_pool *p = ds_pool_check(L);
  int k = ds_pool_slot(L, p, 2), e = ds_send(L, p->fd[k], 3);
  if (e != 0) {
    ds_push_end(L, p, k);
    return luaL_error(L, "dossier.workers: worker %d (pid %d) %s: %s", k + 1, (int)p->pid[k],
                      lua_tostring(L, -1), strerror(e));
  }
  return 0;
}

/* pool:recv(i [, batch]) -> s */
static int ds_pool_recv(lua_State *L) {
  ds_pool *p = ds_pool_check(L);
  int k = ds_pool_slot(L, p, 2);
  pid_t pid = p->pid[k];
  int r;
  errno = 0;
  r = ds_recv(L, p->fd[k], lua_isnoneornil(L, 3) ? 0 : 3);
  if (r == 1) return 1;
  ds_push_end(L, p, k);
  return luaL_error(L, "dossier.workers: worker %d (pid %d) %s before it answered", k + 1, (int)pid,
                    lua_tostring(L, -1));
}

/* pool:pid(i) -> the worker's process id (0 once reaped) */
static int ds_pool_pid(lua_State *L) {
  ds_pool *p = ds_pool_check(L);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && i <= p->n, 2, "no such worker");
  lua_pushinteger(L, (lua_Integer)p->pid[i - 1]);
  return 1;
}

static int ds_pool_len(lua_State *L) {
  lua_pushinteger(L, ds_pool_check(L)->n);
  return 1;
}

/* ---- the child's side ---------------------------------------------------- */

static int *ds_chan_fd(lua_State *L) {
  return luaL_checkudata(L, 1, DS_CHAN_MT);
}

/* chan:send(s [, batch]) */
static int ds_chan_send(lua_State *L) {
  int e = ds_send(L, *ds_chan_fd(L), 2);
  if (e != 0) return luaL_error(L, "dossier.workers: cannot send to the parent: %s", strerror(e));
  return 0;
}

/* chan:recv([batch]) -> s, or nil when the parent closed the socket */
static int ds_chan_recv(lua_State *L) {
  int r;
  errno = 0;
  r = ds_recv(L, *ds_chan_fd(L), lua_isnoneornil(L, 2) ? 0 : 2);
  if (r == 1) return 1;
  if (r == 0 || errno == ECONNRESET) return 0; /* the parent closed the pool */
  return luaL_error(L, "dossier.workers: the parent's message broke off");
}

/* Runs in the child: f(i, chan) with the parent's other sockets closed; never
   returns. */
static void ds_child(lua_State *L, ds_pool *p, int k, int fd) {
  int j, *c;
  for (j = 0; j < k; j++) close(p->fd[j]);
  lua_pushvalue(L, 2);
  lua_pushinteger(L, k + 1);
  c = lua_newuserdatauv(L, sizeof *c, 0);
  *c = fd;
  luaL_setmetatable(L, DS_CHAN_MT);
  if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "dossier.workers: worker %d: %s\n", k + 1, m ? m : "(error object)");
    _exit(1);
  }
  _exit(0);
}

/* spawn(n, f) -> pool */
static int ds_spawn(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  ds_pool *p;
  int k;
  luaL_argcheck(L, n >= 1 && n <= DS_MAX_WORKERS, 1, "workers must be between 1 and 256");
  luaL_checktype(L, 2, LUA_TFUNCTION);
  p = lua_newuserdatauv(L, sizeof *p, 0);
  memset(p, 0, sizeof *p);
  luaL_setmetatable(L, DS_POOL_MT);
  fflush(NULL); /* nothing buffered is written twice */
  for (k = 0; k < (int)n; k++) {
    int sv[2];
    pid_t pid;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      return luaL_error(L, "dossier.workers: socketpair: %s", strerror(errno));
    pid = fork();
    if (pid < 0) {
      int e = errno;
      close(sv[0]);
      close(sv[1]);
      return luaL_error(L, "dossier.workers: fork: %s", strerror(e));
    }
    if (pid == 0) {
      close(sv[0]);
      ds_child(L, p, k, sv[1]);
    }
    close(sv[1]);
    p->pid[k] = pid;
    p->fd[k] = sv[0];
    p->n = k + 1;
  }
  return 1;
}

/* ---- pack / unpack -------------------------------------------------------- */

enum { DS_NIL, DS_FALSE, DS_TRUE, DS_INT, DS_FLOAT, DS_STR };

/* pack(t, n) -> s. Each value is read and popped before the buffer grows
   (the buffer's box must be on top then); a string stays anchored in t. */
static int ds_pack(lua_State *L) {
  luaL_Buffer b;
  lua_Integer i, n = luaL_checkinteger(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_buffinit(L, &b);
  for (i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, 1, i);
    char tag;
    lua_Integer iv = 0;
    lua_Number fv = 0;
    const char *s = NULL;
    size_t len = 0;
    switch (t) {
    case LUA_TNIL:
      tag = DS_NIL;
      break;
    case LUA_TBOOLEAN:
      tag = lua_toboolean(L, -1) ? DS_TRUE : DS_FALSE;
      break;
    case LUA_TNUMBER:
      tag = lua_isinteger(L, -1) ? DS_INT : DS_FLOAT;
      iv = lua_tointeger(L, -1);
      fv = lua_tonumber(L, -1);
      break;
    case LUA_TSTRING:
      tag = DS_STR;
      s = lua_tolstring(L, -1, &len);
      break;
    default:
      return luaL_error(L, "dossier.workers: cannot pack a %s (value %I)", luaL_typename(L, -1), i);
    }
    lua_pop(L, 1);
    luaL_addchar(&b, tag);
    if (tag == DS_INT) {
      luaL_addlstring(&b, (const char *)&iv, sizeof iv);
    } else if (tag == DS_FLOAT) {
      luaL_addlstring(&b, (const char *)&fv, sizeof fv);
    } else if (tag == DS_STR) {
      uint64_t l = (uint64_t)len;
      luaL_addlstring(&b, (const char *)&l, sizeof l);
      luaL_addlstring(&b, s, len);
    }
  }
  luaL_pushresult(&b);
  return 1;
}

/* unpack(s) -> t, n */
static int ds_unpack(lua_State *L) {
  size_t len, at = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer n = 0;
  lua_newtable(L);
  while (at < len) {
    char tag = s[at++];
    size_t need = tag == DS_INT || tag == DS_FLOAT ? 8 : tag == DS_STR ? 8 : 0;
    if (len - at < need) return luaL_error(L, "dossier.workers: a packed value is cut short");
    n++;
    if (tag == DS_NIL) continue;
    if (tag == DS_FALSE || tag == DS_TRUE) {
      lua_pushboolean(L, tag == DS_TRUE);
    } else if (tag == DS_INT) {
      lua_Integer v;
      memcpy(&v, s + at, sizeof v);
      lua_pushinteger(L, v);
    } else if (tag == DS_FLOAT) {
      lua_Number v;
      memcpy(&v, s + at, sizeof v);
      lua_pushnumber(L, v);
    } else if (tag == DS_STR) {
      uint64_t l;
      memcpy(&l, s + at, sizeof l);
      at += sizeof l;
      if (l > len - at) return luaL_error(L, "dossier.workers: a packed string is cut short");
      lua_pushlstring(L, s + at, (size_t)l);
      at += (size_t)l;
      need = 0;
    } else {
      return luaL_error(L, "dossier.workers: not a packed value (tag %d)", (int)tag);
    }
    at += need;
    lua_rawseti(L, -2, n);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* ---- registration ----------------------------------------------------------- */

static const luaL_Reg ds_pool_methods[] = {
    {"send", ds_pool_send},   {"recv", ds_pool_recv}, {"pid", ds_pool_pid},
    {"close", ds_pool_close}, {NULL, NULL},
};

static const luaL_Reg ds_chan_methods[] = {
    {"send", ds_chan_send},
    {"recv", ds_chan_recv},
    {NULL, NULL},
};

static const luaL_Reg ds_workers_funcs[] = {
    {"spawn", ds_spawn},
    {"pack", ds_pack},
    {"unpack", ds_unpack},
    {NULL, NULL},
};

int ds_open_workers(lua_State *L) {
  luaL_newmetatable(L, DS_POOL_MT);
  lua_pushcfunction(L, ds_pool_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, ds_pool_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, ds_pool_len);
  lua_setfield(L, -2, "__len");
  luaL_newlib(L, ds_pool_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, DS_CHAN_MT);
  luaL_newlib(L, ds_chan_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, ds_workers_funcs);
  return 1;
}
