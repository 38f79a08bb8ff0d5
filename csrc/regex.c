/*
** regex.c — placeholder until the regex concern lands (being written now).
*/
#include "dossier.h"

int ds_open_regex(lua_State *L) {
  lua_newtable(L);
  return 1;
}
