/*
** text.h — what csrc/text.c offers other C files of the core (today
** csrc/scan.c, the rule engine): the sentence splitter of
** dossier.text.sentences, without a Lua iterator around it.
*/
#ifndef DS_TEXT_H
#define DS_TEXT_H

#include <stddef.h>

/* Language bits for ds_text_sentence (abbreviation lists). */
#define DS_TEXT_EN 1
#define DS_TEXT_SR 2

/*
** The next sentence of s[0..len) at or after i: 1 with [*a, *b) (0-based, end
** exclusive) and *next, where the following search starts; 0 when only
** whitespace is left. Exactly the spans of dossier.text.sentences.
*/
int ds_text_sentence(const char *s, size_t len, size_t i, int langs, size_t *a, size_t *b,
                     size_t *next);

#endif
