/*
** store.h — what the two halves of the store concern share.
**
** csrc/store.c is the SQLite binding (connections, statements, iterators);
** csrc/store_ingest.c holds the ingest hot paths (document hashing, text
** normalisation, the bounded line reader). ds_open_store (store.c) builds the module table and asks
** store_ingest.c to add its functions to it.
*/
#ifndef DS_STORE_H
#define DS_STORE_H

#include "dossier.h"

/* Adds the ingest helpers to the table on top of the stack. */
void ds_store_ingest_funcs(lua_State *L);

#endif
