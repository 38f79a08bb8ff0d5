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
** Next match in FOLDED text t[0..n) at or after *pos, the whole text being
** present (leftmost-longest, whole words, as lex:scan): 1 with the folded
** span [*ms, *me) and the 1-based entry index *term (the add() call that
** stored the phrase), or 0 when there is none. *pos moves past the match.
** t needs no padding: nothing past t[n - 1] is read.
*/
int ds_lexicon_next(const void *automaton, const unsigned char *t, size_t n, size_t *pos,
                    size_t *ms, size_t *me, int32_t *term);

/*
** Push the lexicon's tables: keys (entry -> folded key; NUL escaped as 00 01,
** a stem as 00 02), ids (entry -> id), attrs (entry -> attrs or nil) and
** index (key -> entry in force: the last add of that key). Returns the
** number of entries (add calls kept). Raises if the lexicon is closed.
*/
size_t ds_lexicon_tables(lua_State *L, int idx);

#endif
