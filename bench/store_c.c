/*
** store_c.c — the plain C baseline for bench/store.lua: the physical ceiling
** for inserting events with the sqlite3 API.
**
**   store_c DB N BATCH [SETUP]  insert N events into DB's events table
**                               (made by dossier.open, so the same schema,
**                               indexes and triggers; or, for ":memory:",
**                               created by the SQL script in file SETUP),
**                               BATCH per transaction, one prepared statement,
**                               values generated the same way as the Lua
**                               side; prints the wall and CPU seconds, then the GROUP BY
**                               counts as "type count" lines and their seconds
**
** The events come in document order, as an extraction run writes them:
** doc_id and date rise, type, actors and item cycle (see bench/store.lua).
** Same pragmas as dossier.open: WAL, synchronous=NORMAL, foreign_keys=ON,
** cache_size 64 MiB.
** Compiled by bench/store.lua at run time (cc -O2), not by the Makefile.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

#include <sqlite3.h>

/* The INSERT dossier's add_event runs, word for word. */
static const char *ins_sql =
    "INSERT INTO events (id, doc_id, run_id, rule, type, actor1, actor2, item, qty, unit, date, "
    "modality,\n  negated, start, stop, sent_start, sent_stop, attrs)\nVALUES (:id, :doc_id, "
    ":run_id, :rule, :type, :actor1, :actor2, :item, :qty, :unit, :date, :modality,\n  "
    "coalesce(:negated, 0), :start, :stop, :sent_start, :sent_stop, :attrs)";

static const char *types[] = {"arms_transfer", "sanction", "meeting",   "attack",
                              "trade",         "aid",      "statement", "protest"};
static const char *items[] = {"rockets", "shells", "oil", "coal", "workers"};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User + system CPU seconds of this process. */
static double cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(sqlite3 *db, const char *what) {
  fprintf(stderr, "store_c: %s: %s\n", what, sqlite3_errmsg(db));
  exit(1);
}

static void run(sqlite3 *db, const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "store_c: %s: %s\n", sql, err);
    exit(1);
  }
}

static int param(sqlite3_stmt *st, const char *name) {
  int j = sqlite3_bind_parameter_index(st, name);
  if (!j) {
    fprintf(stderr, "store_c: no parameter %s\n", name);
    exit(1);
  }
  return j;
}

static void insert(sqlite3 *db, long n, long batch) {
  char actors[20][8], dates[365][16];
  sqlite3_stmt *st;
  int p_doc, p_type, p_a1, p_a2, p_item, p_qty, p_unit, p_date, p_rule, p_start, p_stop, p_neg;
  long i;
  double t0, c0;
  for (i = 0; i < 20; i++) snprintf(actors[i], sizeof actors[i], "A%ld", i + 1);
  for (i = 0; i < 365; i++) {
    time_t t = (time_t)(1546300800 + i * 86400);
    strftime(dates[i], sizeof dates[i], "%Y-%m-%d", gmtime(&t));
  }
  if (sqlite3_prepare_v2(db, ins_sql, -1, &st, NULL) != SQLITE_OK) die(db, "prepare");
  p_doc = param(st, ":doc_id");
  p_type = param(st, ":type");
  p_a1 = param(st, ":actor1");
  p_a2 = param(st, ":actor2");
  p_item = param(st, ":item");
  p_qty = param(st, ":qty");
  p_unit = param(st, ":unit");
  p_date = param(st, ":date");
  p_rule = param(st, ":rule");
  p_start = param(st, ":start");
  p_stop = param(st, ":stop");
  p_neg = param(st, ":negated");
  t0 = now();
  c0 = cpu();
  for (i = 0; i < n; i++) {
    if (i % batch == 0) run(db, "BEGIN IMMEDIATE");
    sqlite3_bind_int64(st, p_doc, 1 + (i / 1000) % 1000);
    sqlite3_bind_text(st, p_type, types[i % 8], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, p_a1, actors[(i / 3) % 20], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, p_a2, actors[(i * 7 + 3) % 20], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, p_item, items[i % 5], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, p_qty, i % 1000);
    sqlite3_bind_text(st, p_unit, "units", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, p_date, dates[(i / 2740) % 365], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, p_rule, "bench", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, p_start, (i % 1000) * 50 + 1);
    sqlite3_bind_int64(st, p_stop, (i % 1000) * 50 + 21);
    sqlite3_bind_int(st, p_neg, i % 10 == 0);
    if (sqlite3_step(st) != SQLITE_DONE) die(db, "insert");
    sqlite3_reset(st);
    if (i % batch == batch - 1 || i == n - 1) run(db, "COMMIT");
  }
  printf("%.6f %.6f\n", now() - t0, cpu() - c0);
  sqlite3_finalize(st);
}

static void count(sqlite3 *db) {
  sqlite3_stmt *st;
  double t0 = now();
  int rc;
  if (sqlite3_prepare_v2(db, "SELECT type, count(*) FROM events GROUP BY type ORDER BY type", -1,
                         &st, NULL) != SQLITE_OK)
    die(db, "prepare");
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    printf("%s %lld\n", (const char *)sqlite3_column_text(st, 0),
           (long long)sqlite3_column_int64(st, 1));
  if (rc != SQLITE_DONE) die(db, "count");
  sqlite3_finalize(st);
  printf("%.6f\n", now() - t0);
}

/* Reads the whole SETUP script (small: the schema and the documents). */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "store_c: cannot read %s\n", path);
    exit(1);
  }
  buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "store_c: cannot read %s\n", path);
    exit(1);
  }
  buf[n] = '\0';
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  sqlite3 *db;
  if (argc < 4) {
    fprintf(stderr, "usage: store_c DB N BATCH [SETUP.sql]\n");
    return 2;
  }
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    die(db, "open");
  sqlite3_busy_timeout(db, 10000);
  /* cache_size: dossier.open's for a read-write store (store.CACHE_KIB, 64 MiB) */
  run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
          "PRAGMA cache_size = -65536");
  if (argc > 4) {
    char *setup = slurp(argv[4]);
    run(db, setup);
    free(setup);
  }
  insert(db, atol(argv[2]), atol(argv[3]));
  count(db);
  sqlite3_close(db);
  return 0;
}
