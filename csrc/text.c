/*
** text.c — placeholder until the text concern lands (being written now).
*/
#include "dossier.h"

int ds_open_text(lua_State *L) {
  lua_newtable(L);
  return 1;
}
