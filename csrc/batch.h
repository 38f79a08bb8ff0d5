/*
** batch.h — a batch of texts in one buffer (csrc/batch.c).
**
** The store reads a query's text column into a batch (db:fetch) and the rules
** engine scans it (engine:run_many), so coding a corpus makes no Lua string
** per document: the texts are copied once, into one buffer that the next
** batch reuses.
*/
#ifndef DS_BATCH_H
#define DS_BATCH_H

#include <stddef.h>

#include "dossier.h"

typedef struct ds_batch {
  char *buf;   /* the texts, one after the other */
  size_t len;  /* bytes used */
  size_t cap;  /* bytes allocated */
  size_t *off; /* text k (1-based) is buf[off[k - 1] .. off[k]) */
  size_t n;    /* texts */
  size_t capn; /* entries allocated in off */
  int pins;    /* scans using the buffer (ds_batch_pin): it must not change */
} ds_batch;

/* The batch at idx, or NULL if it is not one. */
ds_batch *ds_batch_test(lua_State *L, int idx);

/* The batch at idx; raises if it is not one. */
ds_batch *ds_batch_check(lua_State *L, int idx);

/* Empties the batch, keeping its memory. */
void ds_batch_clear(ds_batch *b);

/* Appends a text (raises on out of memory; the batch is unchanged then). */
void ds_batch_add(lua_State *L, ds_batch *b, const char *s, size_t len);

/*
** Marks the batch at idx in use until the calling C function returns or
** raises: pushes a to-be-closed guard, to be left on the stack (lua_settop
** below it closes it early). Meanwhile add, clear and close raise, so Lua
** code run during a scan (a finalizer) cannot move the buffer under it.
*/
void ds_batch_pin(lua_State *L, int idx);

/* Appends a text of len bytes left for the caller to write: returns where
   (valid until the batch next grows; raises on out of memory). */
char *ds_batch_append(lua_State *L, ds_batch *b, size_t len);

/* Text k (1 <= k <= b->n) and its length. */
const char *ds_batch_get(const ds_batch *b, size_t k, size_t *len);

#endif
