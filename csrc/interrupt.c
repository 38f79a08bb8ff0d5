/*
** interrupt.c — Ctrl-C for an interactive prompt (dossier.core.interrupt).
**
** `catch()` installs a SIGINT handler and returns a guard (a userdata with
** __close and __gc) that puts the previous handler back. While it is held:
**   - guard:wait(fd) waits until fd can be read: true, or false when Ctrl-C
**     came first (the caller cancels the line being typed);
**   - guard:hold(f, ...) runs f with SIGINT blocked (a Ctrl-C then waits for
**     the next wait);
**   - guard:xpcall(msgh, f, ...) runs f as xpcall does, under a count hook
**     that raises "interrupted" once Ctrl-C has come; the handler stays
**     installed, so every Ctrl-C interrupts, not only the first (the `lua`
**     interpreter's own handler resets itself to the default, which kills).
** A signal handler can only speak through static storage: the one flag
** below is the core's only piece of process state, set only by the handler
** and cleared by the functions here. SIGINT is blocked while the flag is
** tested and unblocked atomically by pselect, so none is lost in between.
** Long C calls (an SQL statement, a regex match) see the interruption only
** when they come back to Lua.
*/
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>

#include "dossier.h"

#define DS_INT_MT "dossier.interrupt"

/* Instructions between two looks at the flag while a chunk runs. */
#define DS_INT_COUNT 1000

static volatile sig_atomic_t ds_int_caught;

typedef struct ds_int {
  struct sigaction old; /* the handler to restore */
  int installed;
} ds_int;

static void ds_int_handler(int sig) {
  (void)sig;
  ds_int_caught = 1;
}

/* Takes the flag: 1 when Ctrl-C came since the last call. */
static int ds_int_take(void) {
  int c = ds_int_caught != 0;
  ds_int_caught = 0;
  return c;
}

static ds_int *ds_int_check(lua_State *L) {
  ds_int *g = luaL_checkudata(L, 1, DS_INT_MT);
  if (!g->installed) luaL_error(L, "dossier.interrupt: the guard is closed");
  return g;
}

/* catch() -> guard */
static int ds_int_catch(lua_State *L) {
  struct sigaction sa;
  ds_int *g = lua_newuserdatauv(L, sizeof *g, 0);
  g->installed = 0;
  luaL_setmetatable(L, DS_INT_MT);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = ds_int_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: a wait or read returns EINTR */
  if (sigaction(SIGINT, &sa, &g->old) != 0)
    return luaL_error(L, "dossier.interrupt: cannot catch SIGINT: %s", strerror(errno));
  g->installed = 1;
  ds_int_caught = 0;
  return 1;
}

static int ds_int_close(lua_State *L) {
  ds_int *g = luaL_checkudata(L, 1, DS_INT_MT);
  if (g->installed) {
    g->installed = 0;
    sigaction(SIGINT, &g->old, NULL);
  }
  return 0;
}

/* guard:wait(fd) -> true when fd is readable, false when Ctrl-C came */
static int ds_int_wait(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 2), r, e;
  sigset_t block, old;
  fd_set rd;
  ds_int_check(L);
  luaL_argcheck(L, fd >= 0 && fd < FD_SETSIZE, 2, "file descriptor out of range");
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &old);
  for (;;) {
    if (ds_int_take()) {
      r = 0;
      break;
    }
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    r = pselect(fd + 1, &rd, NULL, NULL, NULL, &old);
    if (r > 0) break;
    if (r < 0 && errno != EINTR) {
      e = errno;
      sigprocmask(SIG_SETMASK, &old, NULL);
      return luaL_error(L, "dossier.interrupt: cannot wait for input: %s", strerror(e));
    }
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  lua_pushboolean(L, r > 0);
  return 1;
}

/* guard:hold(f, ...) -> f's results: runs f with SIGINT blocked, so a Ctrl-C
   meanwhile waits for the next guard:wait (lua-readline's callback would
   otherwise catch it inside readline, which then frees its line itself). */
static int ds_int_hold(lua_State *L) {
  sigset_t block, old;
  int status;
  ds_int_check(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigprocmask(SIG_BLOCK, &block, &old);
  status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (status != LUA_OK) return lua_error(L);
  return lua_gettop(L) - 1;
}

static void ds_int_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (ds_int_take()) luaL_error(L, "interrupted");
}

/* guard:xpcall(msgh, f, ...) -> true, results... | false, error */
static int ds_int_xpcall(lua_State *L) {
  lua_Hook hook = lua_gethook(L);
  int mask = lua_gethookmask(L), count = lua_gethookcount(L), status;
  int nargs = lua_gettop(L) - 3;
  ds_int_check(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_checkany(L, 3);
  ds_int_take(); /* a Ctrl-C at the prompt is not one for this chunk */
  lua_sethook(L, ds_int_hook, LUA_MASKCOUNT, DS_INT_COUNT);
  status = lua_pcall(L, nargs, LUA_MULTRET, 2);
  lua_sethook(L, hook, mask, count);
  lua_pushboolean(L, status == LUA_OK);
  lua_insert(L, 3);
  return lua_gettop(L) - 2;
}

static const luaL_Reg ds_int_methods[] = {
    {"wait", ds_int_wait}, {"xpcall", ds_int_xpcall},
    {"hold", ds_int_hold}, {"close", ds_int_close},
    {NULL, NULL},
};

int ds_open_interrupt(lua_State *L) {
  luaL_newmetatable(L, DS_INT_MT);
  luaL_newlib(L, ds_int_methods);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ds_int_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, ds_int_close);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, ds_int_catch);
  lua_setfield(L, -2, "catch");
  return 1;
}
