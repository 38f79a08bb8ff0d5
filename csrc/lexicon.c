/*
** lexicon.c — placeholder until the lexicon concern lands (being written now).
*/
#include "dossier.h"

int ds_open_lexicon(lua_State *L) {
  lua_newtable(L);
  return 1;
}
