/*
** lexicon.h — what csrc/lexicon.c offers other C files of the core (today
** csrc/scan.c, the rule engine): the compiled automaton of a lexicon, its
** matcher over already folded text, and its entry tables. The Lua API
** (dossier.lexicon) is unchanged by this header.
*/
#ifndef DS_LEXICON_H
#define DS_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

/*
** Push the automaton of the lexicon at `idx` (building it if needed) and
** return it as an opaque pointer. It stays valid while the pushed userdata is
** referenced (keep it, e.g. as a user value), even if the lexicon changes.
** Raises if `idx` is not an open lexicon.
*/
const void *ds_lexicon_auto(lua_State *L, int idx);

/*
** Push a fresh scan scratch for the lexicon at `idx` (a userdata that frees
** its buffers when collected) and return it. A scan is: automaton, scratch,
** then ds_lexicon_step until it returns 0; one scratch per scan of one text.
*/
void *ds_lexicon_scratch(lua_State *L, int idx);

/*
** Next match of the scan of SOURCE text s[0..len) (the same text at every
** call; matching is on its folding, as lex:scan): 1 with the source span
** [*ms, *me) (0-based, end exclusive) and the 1-based entry index *term (the
** add() call that stored the phrase), 0 at the end, -1 out of memory.
*/
int ds_lexicon_step(const void *automaton, void *scratch, const char *s, size_t len, size_t *ms,
                    size_t *me, int32_t *term);

/*
** Push the lexicon's tables: keys (entry -> folded key; NUL escaped as 00 01,
** a stem as 00 02), ids (entry -> id), attrs (entry -> attrs or nil) and
** index (key -> entry in force: the last add of that key). Returns the
** number of entries (add calls kept). Raises if the lexicon is closed.
*/
size_t ds_lexicon_tables(lua_State *L, int idx);

#endif
