/*
** sys.c — the few operating-system services plain Lua lacks and
** lua-filesystem does not give: is a descriptor a terminal, a monotonic
** clock, and a sleep. `dossier.sys` (lua/dossier/sys.lua) re-exports them
** beside its directory walk (built on lua-filesystem).
**
**   isatty([fd])   true when fd (default 2, stderr) is a terminal
**   now()          monotonic seconds, for rates and ETAs
**   sleep(seconds) sleeps, resuming after signals
**   pid()          this process's id
**   alive(pid)     whether a process with that id runs on this machine
**   host()         this machine's name
**   cores()        the processors online (at least 1)
*/
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "dossier.h"

static int ds_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_optinteger(L, 1, 2)) == 1);
  return 1;
}

static int ds_now(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
  return 1;
}

static int ds_sleep(lua_State *L) {
  lua_Number s = luaL_checknumber(L, 1);
  struct timespec ts;
  if (!(s > 0)) s = 0; /* also NaN */
  if (s > 1e9) s = 1e9;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (lua_Number)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  return 0;
}

static int ds_pid(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)getpid());
  return 1;
}

/* Signal 0 checks only that the process exists; EPERM: it does, as another
   user's. */
static int ds_alive(lua_State *L) {
  lua_Integer pid = luaL_checkinteger(L, 1);
  luaL_argcheck(L, pid > 0 && pid <= 0x7fffffff, 1, "not a process id");
  lua_pushboolean(L, kill((pid_t)pid, 0) == 0 || errno == EPERM);
  return 1;
}

static int ds_host(lua_State *L) {
  char name[256];
  if (gethostname(name, sizeof name - 1) != 0) return luaL_error(L, "dossier.sys: no host name");
  name[sizeof name - 1] = '\0';
  lua_pushstring(L, name);
  return 1;
}

static int ds_cores(lua_State *L) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? (lua_Integer)n : 1);
  return 1;
}

static const luaL_Reg ds_sys_funcs[] = {
    {"isatty", ds_isatty}, {"now", ds_now},   {"sleep", ds_sleep}, {"pid", ds_pid},
    {"alive", ds_alive},   {"host", ds_host}, {"cores", ds_cores}, {NULL, NULL},
};

int ds_open_sys(lua_State *L) {
  luaL_newlib(L, ds_sys_funcs);
  return 1;
}
