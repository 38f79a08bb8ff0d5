/*
** hash.c — dossier's one 128-bit content hash (hash.h).
*/
#include "hash.h"

#include <string.h>

static uint64_t ds_rotl(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

static uint64_t ds_fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

void ds_hash_init(ds_hash *h) {
  h->h1 = 0x9e3779b97f4a7c15ULL;
  h->h2 = 0x6a09e667f3bcc909ULL;
  h->total = 0;
  h->n = 0;
}

void ds_hash_words(ds_hash *h, const unsigned char *p, size_t nwords) {
  uint64_t h1 = h->h1, h2 = h->h2;
  size_t i;
  for (i = 0; i < nwords; i++, p += 8) {
    uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
                 (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
                 (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
    h1 = ds_rotl(h1 ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL + 0x52dce729;
    h2 = ds_rotl(h2 ^ (w * 0xa0761d6478bd642fULL), 29) * 0xe7037ed1a0b428dbULL + 0x38495ab5;
  }
  h->h1 = h1;
  h->h2 = h2;
}

void ds_hash_bytes(ds_hash *h, const unsigned char *p, size_t n) {
  /* fill the buffer up to a word boundary, then mix whole buffers in place */
  while (n > 0 && h->n > 0) {
    ds_hash_byte(h, *p++);
    n--;
  }
  if (n >= sizeof h->buf) {
    size_t whole = n / sizeof h->buf * sizeof h->buf;
    ds_hash_words(h, p, whole / 8);
    h->total += whole;
    p += whole;
    n -= whole;
  }
  memcpy(h->buf + h->n, p, n);
  h->n += n;
}

void ds_hash_final(ds_hash *h, char out[33]) {
  static const char hex[] = "0123456789abcdef";
  size_t full = h->n / 8, i;
  uint64_t tail = 0, a, b;
  ds_hash_words(h, h->buf, full);
  for (i = full * 8; i < h->n; i++) tail |= (uint64_t)h->buf[i] << (8 * (i - full * 8));
  h->total += h->n;
  a = h->h1 ^ ds_fmix(tail ^ 0x2545f4914f6cdd1dULL) ^ h->total;
  b = h->h2 ^ ds_fmix(tail + 0x9fb21c651e98df25ULL) ^ (h->total * 0x9e3779b97f4a7c15ULL);
  a = ds_fmix(a + b);
  b = ds_fmix(b ^ a);
  for (i = 0; i < 16; i++) {
    out[i] = hex[(a >> (60 - 4 * i)) & 15];
    out[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
  }
  out[32] = '\0';
}
