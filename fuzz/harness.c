/*
** harness.c — the libFuzzer entry point for every fuzz target (make fuzz).
**
** Built once per target with -DDS_FUZZ_TARGET="<name>" and
** -fsanitize=fuzzer,address,undefined, linked with the C core compiled the
** same way. Most targets are written in Lua (fuzz/<name>.lua returns a
** function of the input bytes), so they reach the C entry points exactly as
** dossier's own modules do: the text functions, the lexicon and its loaders,
** the regex compiler and matcher, the JSONL reader and ingest, the rule
** template compiler and engine. A Lua error is an expected answer to bad
** input; a crash, a sanitizer report or a failed differential check is a bug.
**
** The `utf8` target is C only: it checks that the core's UTF-8 validator
** (ds_utf8_valid, which lets dossier.regex run PCRE2 unchecked) accepts
** exactly what PCRE2's own check accepts.
**
** Run from the repository root (the Lua modules are loaded from lua/).
*/
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pcre2.h>

#include "../csrc/fold.h"

#ifndef DS_FUZZ_TARGET
#error "define DS_FUZZ_TARGET"
#endif

int luaopen_dossier_core(lua_State *L);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness's state: one per process, as libFuzzer drives one target. */
typedef struct {
  lua_State *L;
  int fn; /* registry reference of the target function */
  pcre2_code *utf;
  pcre2_match_data *md;
  unsigned long runs;
} ds_fuzz;

static ds_fuzz *ds_fuzz_state(void) {
  static ds_fuzz F; /* libFuzzer's entry points take no context */
  return &F;
}

static void ds_fuzz_lua(ds_fuzz *F) {
  lua_State *L = luaL_newstate();
  if (L == NULL) abort();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_dossier_core);
  lua_setfield(L, -2, "dossier.core");
  lua_pop(L, 1);
  if (luaL_dostring(L, "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path") ||
      luaL_loadfile(L, "fuzz/" DS_FUZZ_TARGET ".lua") || lua_pcall(L, 0, 1, 0) ||
      !lua_isfunction(L, -1)) {
    fprintf(stderr, "fuzz: cannot load fuzz/%s.lua: %s\n", DS_FUZZ_TARGET,
            lua_isstring(L, -1) ? lua_tostring(L, -1) : "not a function");
    exit(2);
  }
  F->fn = luaL_ref(L, LUA_REGISTRYINDEX);
  F->L = L;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  ds_fuzz *F = ds_fuzz_state();
  (void)argc;
  (void)argv;
  if (strcmp(DS_FUZZ_TARGET, "utf8") == 0) {
    int err;
    PCRE2_SIZE off;
    F->utf = pcre2_compile((PCRE2_SPTR) "", 0, PCRE2_UTF, &err, &off, NULL);
    F->md = F->utf ? pcre2_match_data_create(1, NULL) : NULL;
    if (F->md == NULL) abort();
    return 0;
  }
  ds_fuzz_lua(F);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ds_fuzz *F = ds_fuzz_state();
  if (F->utf) {
    int ours = ds_utf8_valid((const char *)data, size);
    int rc = pcre2_match(F->utf, (PCRE2_SPTR)data, size, 0, 0, F->md, NULL);
    int pcre = !(rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21);
    if (ours != pcre) {
      fprintf(stderr, "fuzz utf8: ds_utf8_valid says %d, PCRE2 says %d (rc %d)\n", ours, pcre, rc);
      abort();
    }
    return 0;
  }
  lua_rawgeti(F->L, LUA_REGISTRYINDEX, F->fn);
  lua_pushlstring(F->L, (const char *)data, size);
  if (lua_pcall(F->L, 1, 0, 0) != LUA_OK) {
    /* Errors are answers; the target raises "fuzz: ..." only for a broken
    ** invariant, which is a bug. */
    const char *msg = lua_tostring(F->L, -1);
    if (msg && strncmp(msg, "fuzz: ", 6) == 0) {
      fprintf(stderr, "%s\n", msg);
      abort();
    }
    lua_pop(F->L, 1);
  }
  if (++F->runs % 256 == 0) lua_gc(F->L, LUA_GCCOLLECT);
  return 0;
}
