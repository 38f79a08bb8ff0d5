/*
** hs_lexicon.c — the Hyperscan-API baseline (Vectorscan or Intel Hyperscan,
** whichever libhs is installed) for bench/lexicon.lua.
**
**   hs_lexicon NAMES CORPUS [REPEAT]
**   hs_lexicon --version
**
** NAMES has one name per line (already folded: lower-case ASCII); CORPUS is
** the text. All names are compiled as one caseless literal database; every
** reported match is checked for whole-word boundaries in the callback (the
** same word bytes as dossier: ASCII letters, digits, bytes >= 0x80). Prints
** one line for bench/lexicon.lua to parse:
**
**   hs names=N compile_s=T scan_s=T MBps=X matches=M version=V
**
** (CPU time, best of REPEAT; V is hs_version() of the library actually linked:
** Intel's Hyperscan and its fork Vectorscan share the API, the header and the
** soname libhs.so.5, so only the running library can say which it is).
**
** Matches are counted as Hyperscan reports them (all end positions, so
** overlapping names count separately): dossier reports leftmost-longest
** non-overlapping matches, so the counts differ a little; the work compared
** is the same (find every name at every position).
*/
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  const unsigned char *text;
  size_t len;
  const size_t *lens;
  unsigned long long matches;
} ctx_t;

/* CPU time, like os.clock on the Lua side, so a busy machine skews both alike. */
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int isword(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *p) {
  ctx_t *c = p;
  size_t start = (size_t)to - c->lens[id];
  (void)from;
  (void)flags;
  if (start > 0 && isword(c->text[start - 1]) && isword(c->text[start])) return 0;
  if (to < c->len && isword(c->text[to]) && isword(c->text[to - 1])) return 0;
  c->matches++;
  return 0;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *s;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
    free(s);
    s = NULL;
  }
  fclose(f);
  if (s) s[n] = 0;
  *len = (size_t)n;
  return s;
}

int main(int argc, char **argv) {
  size_t nlen, tlen, i, n = 0, cap = 1024;
  char *names, *text, *line;
  const char **exprs = malloc(cap * sizeof *exprs);
  size_t *lens = malloc(cap * sizeof *lens);
  unsigned *flags = malloc(cap * sizeof *flags), *ids = malloc(cap * sizeof *ids);
  hs_database_t *db = NULL;
  hs_compile_error_t *err = NULL;
  hs_scratch_t *scratch = NULL;
  ctx_t c;
  double t0, t1, t2;
  int r, repeat = argc > 3 ? atoi(argv[3]) : 1;
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("version=%s\n", hs_version());
    return 0;
  }
  if (argc < 3) {
    fprintf(stderr, "usage: hs_lexicon NAMES CORPUS [REPEAT]\n");
    return 2;
  }
  names = slurp(argv[1], &nlen);
  text = slurp(argv[2], &tlen);
  if (!names || !text) {
    fprintf(stderr, "hs_lexicon: cannot read input\n");
    return 1;
  }
  for (line = strtok(names, "\n"); line; line = strtok(NULL, "\n")) {
    if (!*line) continue;
    if (n == cap) {
      cap *= 2;
      exprs = realloc(exprs, cap * sizeof *exprs);
      lens = realloc(lens, cap * sizeof *lens);
      flags = realloc(flags, cap * sizeof *flags);
      ids = realloc(ids, cap * sizeof *ids);
    }
    exprs[n] = line;
    lens[n] = strlen(line);
    flags[n] = HS_FLAG_CASELESS;
    ids[n] = (unsigned)n;
    n++;
  }
  t0 = now();
  if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err) !=
      HS_SUCCESS) {
    fprintf(stderr, "hs_lexicon: compile failed: %s\n", err ? err->message : "?");
    return 1;
  }
  t1 = now();
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return 1;
  c.text = (const unsigned char *)text;
  c.len = tlen;
  c.lens = lens;
  {
    double scan = 1e300;
    /* Scan 0 warms up and is not timed: the first scan of a fresh database
    ** and scratch runs about three times slower (24 MB: 0.057 s, then 0.018
    ** s), and dossier's side scans a text it has scanned before too. */
    for (i = 0; i <= (size_t)repeat; i++) { /* best of `repeat` after the warm-up */
      t2 = now();
      c.matches = 0;
      r = hs_scan(db, text, (unsigned)tlen, 0, scratch, on_match, &c);
      if (r != HS_SUCCESS) {
        fprintf(stderr, "hs_lexicon: scan failed (%d)\n", r);
        return 1;
      }
      if (i > 0 && now() - t2 < scan) scan = now() - t2;
    }
    printf("hs names=%zu compile_s=%.4f scan_s=%.4f MBps=%.1f matches=%llu version=%s\n", n,
           t1 - t0, scan, (double)tlen / 1e6 / scan, c.matches, hs_version());
  }
  hs_free_scratch(scratch);
  hs_free_database(db);
  free(exprs);
  free(lens);
  free(flags);
  free(ids);
  free(names);
  free(text);
  return 0;
}
