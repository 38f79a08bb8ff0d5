/*
** dossier.h — what the C core's files share: the registration entry point
** of each concern and a few helpers every binding needs.
**
** The core is one shared object, `dossier.core`. Each concern (regex, text,
** lexicon, store) lives in its own file and exports one `ds_open_<name>`
** function that pushes that concern's module table; csrc/dossier.c collects
** them. Nothing here holds state: there are no C globals in the core but
** the SIGINT flag of interrupt.c (a signal handler has nowhere else to write).
*/
#ifndef DOSSIER_H
#define DOSSIER_H

#include <lua.h>
#include <lauxlib.h>

#define DS_VERSION "0.1.0"

/* Each pushes its module table and returns 1. */
int ds_open_regex(lua_State *L);
int ds_open_text(lua_State *L);
int ds_open_lexicon(lua_State *L);
int ds_open_store(lua_State *L);
int ds_open_scan(lua_State *L);
int ds_open_batch(lua_State *L);
int ds_open_interrupt(lua_State *L);
int ds_open_sys(lua_State *L);
int ds_open_workers(lua_State *L);
int ds_open_pg(lua_State *L);

#endif
