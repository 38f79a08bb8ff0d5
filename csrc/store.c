/*
** store.c — placeholder until the store concern lands (being written now).
*/
#include "dossier.h"

int ds_open_store(lua_State *L) {
  lua_newtable(L);
  return 1;
}
