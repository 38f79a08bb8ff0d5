/*
** dossier.c — the `dossier.core` entry point.
**
** Only registration lives here: each concern's file builds its own table and
** this file gathers them under one module, so `require "dossier.core"` gives
** { regex = ..., text = ..., lexicon = ..., store = ..., scan = ..., batch = ..., sys = ...,
** interrupt = ..., workers = ..., pg = ..., version = ... }.
** The Lua modules in lua/dossier/ re-export these tables.
*/
#include "dossier.h"

static const struct {
  const char *name;
  lua_CFunction open;
} ds_parts[] = {
    {"regex", ds_open_regex},         {"text", ds_open_text},
    {"lexicon", ds_open_lexicon},     {"store", ds_open_store},
    {"scan", ds_open_scan},           {"batch", ds_open_batch},
    {"interrupt", ds_open_interrupt}, {"sys", ds_open_sys},
    {"workers", ds_open_workers},     {"pg", ds_open_pg},
};

int luaopen_dossier_core(lua_State *L);

int luaopen_dossier_core(lua_State *L) {
  size_t i;
  lua_createtable(L, 0, (int)(sizeof ds_parts / sizeof ds_parts[0]) + 1);
  for (i = 0; i < sizeof ds_parts / sizeof ds_parts[0]; i++) {
    lua_pushcfunction(L, ds_parts[i].open);
    lua_call(L, 0, 1);
    lua_setfield(L, -2, ds_parts[i].name);
  }
  lua_pushliteral(L, DS_VERSION);
  lua_setfield(L, -2, "version");
  return 1;
}
