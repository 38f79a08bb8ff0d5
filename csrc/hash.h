/*
** hash.h — dossier's one 128-bit content hash (32 hex digits), used for the
** document key (store_ingest.c: doc_hash) and for rule-set hashes (scan.c:
** hash). Not cryptographic: two 64-bit multiply-rotate lanes with different
** seeds and constants, each finished with MurmurHash3's fmix64 and
** cross-mixed, read the input 8 bytes at a time (little-endian, so the hash is
** the same on every machine). Good against accidental collisions (about
** n^2 / 2^129 for n inputs), not against a deliberate attacker.
*/
#ifndef DS_HASH_H
#define DS_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct ds_hash {
  uint64_t h1, h2;
  uint64_t total;
  unsigned char buf[256];
  size_t n;
} ds_hash;

void ds_hash_init(ds_hash *h);
/* Mixes nwords full 8-byte words at p (the buffer's flush). */
void ds_hash_words(ds_hash *h, const unsigned char *p, size_t nwords);
void ds_hash_bytes(ds_hash *h, const unsigned char *p, size_t n);
/* Writes the 32 hex digits and a terminating NUL. */
void ds_hash_final(ds_hash *h, char out[33]);

/* One byte (inline: the document hash feeds its normalised text byte by byte). */
static inline void ds_hash_byte(ds_hash *h, unsigned char c) {
  h->buf[h->n++] = c;
  if (h->n == sizeof h->buf) {
    ds_hash_words(h, h->buf, sizeof h->buf / 8);
    h->total += sizeof h->buf;
    h->n = 0;
  }
}

#endif
