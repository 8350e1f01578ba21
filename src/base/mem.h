/* Memory helpers: wiping secrets, checked allocation. */
#ifndef RAVPN_BASE_MEM_H
#define RAVPN_BASE_MEM_H

#include <stddef.h>
#include <stdint.h>

/* Wipe memory in a way the compiler may not elide (OPENSSL_cleanse). */
void mem_wipe(void *p, size_t n);
/* Constant-time comparison; 0 when equal. */
int mem_cmp_ct(const void *a, const void *b, size_t n);
/* free() after wiping n bytes; NULL is a no-op. */
void mem_free_secret(void *p, size_t n);
char *mem_strdup(const char *s);            /* NULL-safe strdup */
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void mem_hex(const void *p, size_t n, char *out);
/* Parse hex (spaces and colons ignored); returns bytes written or -1. */
long mem_unhex(const char *s, uint8_t *out, size_t max);

#endif
