/*
** sys.c — the few operating-system services plain Lua lacks and
** lua-filesystem does not give: is a descriptor a terminal, a monotonic
** clock, and a sleep. `dossier.sys` (lua/dossier/sys.lua) re-exports them
** beside its directory walk (built on lua-filesystem).
**
**   isatty([fd])   true when fd (default 2, stderr) is a terminal
**   now()          monotonic seconds, for rates and ETAs
**   sleep(seconds) sleeps, resuming after signals
*/
#include <errno.h>
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

static const luaL_Reg ds_sys_funcs[] = {
    {"isatty", ds_isatty},
    {"now", ds_now},
    {"sleep", ds_sleep},
    {NULL, NULL},
};

int ds_open_sys(lua_State *L) {
  luaL_newlib(L, ds_sys_funcs);
  return 1;
}
