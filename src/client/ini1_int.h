/* Internals of the IKEv1 initiator (ini1.c: state, transport, phase 1;
 * ini1_p2.c: XAUTH, Mode Config, Quick Mode, Informational). */
#ifndef RAVPN_CLIENT_INI1_INT_H
#define RAVPN_CLIENT_INI1_INT_H

#include "base/buf.h"
#include "client/ini1.h"
#include "crypto/crypto.h"
#include "ike/v1/keys1.h"
#include "wire/ikev1.h"

#define INI1_NONCE_LEN 20

enum ini1_state {
	INI1_ST_IDLE,
	INI1_ST_AM,          /* AM1 sent */
	INI1_ST_P1_DONE,     /* AM3 sent: waiting for XAUTH (or pulling Mode Config) */
	INI1_ST_CFG,         /* our Mode Config REQUEST is out */
	INI1_ST_QM,          /* QM1 sent */
	INI1_ST_UP,
	INI1_ST_DOWN,
};

/* A Quick Mode we started. */
struct ini1_qm {
	uint32_t msg_id;
	uint8_t iv[V1_MAX_BLOCK];
	uint8_t ni[INI1_NONCE_LEN];
	uint32_t spi_in;
	struct crypto_dh *dh;
	uint16_t pfs_group;
	bool active;
};

/* A Quick Mode the gateway started (its rekey of our IPsec SA). */
struct ini1_gw_qm {
	uint32_t msg_id;
	uint8_t iv[V1_MAX_BLOCK];
	uint8_t ni[256];                    /* the gateway's nonce */
	size_t ni_len;
	uint8_t nr[INI1_NONCE_LEN];         /* ours */
	uint32_t spi_in, spi_out;
	struct ikev1_transform t;
	uint8_t gqm[CRYPTO_MAX_DH_PUB];
	size_t gqm_len;
	bool active;
};

struct ini1_child {
	uint32_t spi_in, spi_out;
	uint32_t life_sec;
	uint64_t up_ms;
	bool installed;
};

struct ini1 {
	struct loop *loop;
	struct ini1_config cfg;
	struct ini2_hooks h;
	enum ini1_state st;
	uint64_t cky_i, cky_r;
	const struct crypto_dh_group *g;
	struct crypto_dh *dh;
	uint8_t gxi[CRYPTO_MAX_DH_PUB];
	size_t gx_len;
	uint8_t ni[INI1_NONCE_LEN];
	uint8_t *sai_b;                     /* our SA payload body (HASH input) */
	size_t sai_len;
	uint8_t idii_b[4 + 256];
	size_t idii_len;
	struct v1_keys k;
	bool keys_ready;
	bool natt;                          /* gateway speaks NAT-T: we are on its 4500 */
	int natd_type;                      /* 20 or 130 */
	bool gw_dpd, gw_unity;
	uint16_t p1_encr, p1_hash, p1_bits;
	/* XAUTH / Mode Config */
	bool xauth_seen;
	uint32_t cfg_msg_id;                /* our Mode Config REQUEST */
	uint8_t cfg_iv[V1_MAX_BLOCK];
	struct ini2_lease lease;
	struct ini1_extra extra;
	/* Quick Mode and the IPsec SA */
	struct ini1_qm qm;
	struct ini1_gw_qm gw_qm;
	struct ini1_child child, old_child;
	/* our outstanding request, retransmitted until answered */
	struct buf req;
	bool req_out;
	unsigned tries;
	struct loop_timer *rtx, *tick;
	uint64_t last_rx_ms;
	uint32_t dpd_seq;
	unsigned dpd_misses;
	bool dpd_out;
	bool connected_seen;                /* the gateway's CONNECTED (commit bit) */
	/* the last message received, for retransmissions of the gateway */
	uint8_t rx_digest[20];
	struct buf last_reply;              /* our answer to it */
	struct ikev1_msg *m;
	struct buf plain;
};

typedef void (*ini1_fill_fn)(struct ini1 *s, struct ikev1_wr *w, const void *arg);

void ini1_down(struct ini1 *s, enum ini2_result r, const char *why);
/* Build an encrypted message with HASH(1)-style hash prf(SKEYID_a, M-ID |
 * pre | payloads) (zero_hash: HASH(3) form, no payload after it) and iv
 * (advanced).  Returns 0 or -1. */
int ini1_build(struct ini1 *s, struct buf *b, uint8_t exchange, uint32_t msg_id, uint8_t *iv,
	       const uint8_t *pre, size_t pre_len, ini1_fill_fn fill, const void *arg);
int ini1_send(struct ini1 *s, const struct buf *b);
/* Send b as our outstanding request (retransmitted until ini1_req_done). */
int ini1_request(struct ini1 *s, const struct buf *b);
void ini1_req_done(struct ini1 *s);
uint32_t ini1_msg_id(void);

/* ini1_p2.c */
void ini1_transaction(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next);
void ini1_quick(struct ini1 *s, const struct ikev1_msg *m, const uint8_t *iv_next);
void ini1_info(struct ini1 *s, const struct ikev1_msg *m);
int ini1_start_qm(struct ini1 *s);
void ini1_send_dpd(struct ini1 *s);
void ini1_send_deletes(struct ini1 *s);
void ini1_tick(struct ini1 *s);

#endif
