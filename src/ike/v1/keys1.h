/* IKEv1 key derivation and message protection (RFC 2409 §5, App. B).
 *
 *   SKEYID    = prf(pre-shared-key, Ni_b | Nr_b)              (PSK)
 *   SKEYID_d  = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)
 *   SKEYID_a  = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)
 *   SKEYID_e  = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
 *   encryption key: SKEYID_e if long enough, else K1 | K2 | ... with
 *   K1 = prf(SKEYID_e, 0x00), Kn = prf(SKEYID_e, Kn-1)        (App. B)
 *   HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b)
 *   HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b)
 *   phase-1 IV  = hash(g^xi | g^xr), first block-size bytes
 *   IV of a later exchange with message ID M = hash(last phase-1 CBC
 *   block | M), first block-size bytes; inside an exchange each message's
 *   IV is the last cipher block of the previous message.
 *   Quick Mode: HASH(1) = prf(SKEYID_a, M-ID | rest)
 *               HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest)
 *               HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
 *   Informational / Transaction: HASH = prf(SKEYID_a, M-ID | rest)
 *   KEYMAT = K1 | K2 | ...  K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 *            Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)
 *
 * The prf is HMAC with the negotiated hash (crypto_prf_ikev1()).  Everything
 * here is a pure function over bytes; the message ID is 4 bytes network
 * order, CKY-I/CKY-R are the 8-byte cookies in network order. */
#ifndef RAVPN_IKE_V1_KEYS1_H
#define RAVPN_IKE_V1_KEYS1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define V1_WUR __attribute__((warn_unused_result))
#define V1_MAX_BLOCK 16

/* Phase-1 key material of one ISAKMP SA. */
struct v1_keys {
	const struct crypto_prf *prf;     /* HMAC over the negotiated hash */
	enum crypto_hash hash;            /* the same hash, for IVs and NAT-D */
	const struct crypto_encr *encr;   /* CBC cipher of the ISAKMP SA */
	size_t prf_len;                   /* = hash length */
	uint8_t skeyid[CRYPTO_MAX_HASH];
	uint8_t skeyid_d[CRYPTO_MAX_HASH];
	uint8_t skeyid_a[CRYPTO_MAX_HASH];
	uint8_t skeyid_e[CRYPTO_MAX_HASH];
	uint8_t enc_key[CRYPTO_MAX_KEY];  /* encr->key_len bytes */
	uint8_t iv[V1_MAX_BLOCK];         /* phase-1 IV chain (last cipher block) */
	size_t block;                     /* encr->block_len */
};

/* SKEYID for pre-shared keys. */
int v1_skeyid_psk(const struct crypto_prf *prf, const uint8_t *psk, size_t psk_len,
		  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		  uint8_t *skeyid) V1_WUR;
/* SKEYID for signatures: prf(Ni_b | Nr_b, g^xy). */
int v1_skeyid_sig(const struct crypto_prf *prf, const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, const uint8_t *gxy, size_t gxy_len,
		  uint8_t *skeyid) V1_WUR;
/* SKEYID_d/a/e and the encryption key from k->skeyid; k->prf, k->hash,
 * k->encr must be set.  Sets k->block; does not touch k->iv. */
int v1_keys_derive(struct v1_keys *k, const uint8_t *gxy, size_t gxy_len,
		   uint64_t cky_i, uint64_t cky_r) V1_WUR;
/* The cipher key of App. B from SKEYID_e (prf->out_len bytes): its first
 * key_len bytes when long enough, else K1 | K2 | ... truncated.  Used by
 * v1_keys_derive(); exposed for known-answer tests. */
int v1_enc_key(const struct crypto_prf *prf, const uint8_t *skeyid_e, uint8_t *key,
	       size_t key_len) V1_WUR;
/* Phase-1 IV into k->iv. */
int v1_iv_phase1(struct v1_keys *k, const uint8_t *gxi, size_t gxi_len,
		 const uint8_t *gxr, size_t gxr_len) V1_WUR;
/* First IV of a new exchange with message ID msg_id, from the phase-1 IV
 * chain in k->iv (which is not modified).  out gets k->block bytes. */
int v1_iv_msgid(const struct v1_keys *k, uint32_t msg_id, uint8_t *out) V1_WUR;
/* HASH_I (initiator = true) or HASH_R.  gx_mine/gx_peer etc. are given in
 * the formula's order by the caller's role: pass the initiator's values as
 * *_i and the responder's as *_r; `id_b` is IDii_b for HASH_I, IDir_b for
 * HASH_R.  out gets prf_len bytes. */
int v1_hash_phase1(const struct v1_keys *k, bool initiator,
		   const uint8_t *gx_i, size_t gx_i_len, const uint8_t *gx_r, size_t gx_r_len,
		   uint64_t cky_i, uint64_t cky_r, const uint8_t *sai_b, size_t sai_len,
		   const uint8_t *id_b, size_t id_len, uint8_t *out) V1_WUR;
/* prf(SKEYID_a, [0x00 if zero_prefix] | M-ID | a | b | c) for HASH(1),
 * HASH(2), HASH(3) and the Informational/Transaction HASH; any of a/b/c may
 * be NULL. */
int v1_hash_msg(const struct v1_keys *k, bool zero_prefix, uint32_t msg_id,
		const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
		const uint8_t *c, size_t c_len, uint8_t *out) V1_WUR;
/* Quick Mode KEYMAT for one direction (the SPI of the receiving side);
 * gqm may be NULL (no PFS).  out gets out_len bytes. */
int v1_keymat(const struct v1_keys *k, const uint8_t *gqm, size_t gqm_len, uint8_t protocol,
	      uint32_t spi, const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
	      uint8_t *out, size_t out_len) V1_WUR;
/* NAT-D = hash(CKY-I | CKY-R | IPv4 | port) (RFC 3947 §3.2); addr and
 * port in network order.  out gets the hash length. */
int v1_natd(enum crypto_hash h, uint64_t cky_i, uint64_t cky_r, uint32_t addr_be,
	    uint16_t port_be, uint8_t *out) V1_WUR;

/* CBC over a message body in place (len a multiple of k->block).  iv is the
 * IV to use and receives the last cipher block (the next IV of the chain).
 * Decryption checks nothing but the block multiple (HASH does the rest). */
int v1_encrypt(const struct v1_keys *k, uint8_t *iv, uint8_t *data, size_t len) V1_WUR;
int v1_decrypt(const struct v1_keys *k, uint8_t *iv, uint8_t *data, size_t len) V1_WUR;
/* The enc hash of the phase-1 prf as a crypto_hash (for IVs, NAT-D). */
int v1_hash_from_attr(uint16_t hash_attr, enum crypto_hash *out) V1_WUR;
void v1_keys_wipe(struct v1_keys *k);

#endif
