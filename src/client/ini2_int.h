/* Internals of the IKEv2 initiator engine (ini2.c: state and transport,
 * ini2_exch.c: the exchanges, ini2_rekey.c: rekeying, ini2_offer.c: the
 * pure pieces). */
#ifndef RAVPN_CLIENT_INI2_INT_H
#define RAVPN_CLIENT_INI2_INT_H

#include "base/buf.h"
#include "client/eap_peer.h"
#include "client/ini2.h"
#include "crypto/crypto.h"
#include "ike/core/frag.h"
#include "ike/core/keys.h"
#include "ike/core/sk.h"
#include "wire/ikev2.h"

#define INI2_NONCE_LEN 32

enum ini2_state {
	INI2_ST_IDLE,
	INI2_ST_INIT,        /* IKE_SA_INIT sent */
	INI2_ST_AUTH,        /* first IKE_AUTH sent */
	INI2_ST_EAP,         /* EAP rounds */
	INI2_ST_EAP_AUTH,    /* final AUTH after EAP-Success sent */
	INI2_ST_UP,
	INI2_ST_DELETING,    /* our DELETE sent */
	INI2_ST_DOWN,
};

enum ini2_req_kind {
	INI2_REQ_NONE, INI2_REQ_DPD, INI2_REQ_DELETE,
	INI2_REQ_REKEY_CHILD,    /* CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} */
	INI2_REQ_DELETE_CHILD,   /* INFORMATIONAL {D(ESP, the replaced SA)} */
	INI2_REQ_REKEY_IKE,      /* CREATE_CHILD_SA {SA(IKE), Ni, KEi} */
	INI2_REQ_DELETE_OLD_IKE, /* INFORMATIONAL {D(IKE)} on the replaced IKE SA */
};

/* The rekey in flight (one at a time: our window is 1). */
struct ini2_rekey {
	uint8_t ni[INI2_NONCE_LEN];
	const struct crypto_dh_group *g;    /* KEi group; NULL: CHILD rekey without PFS */
	struct crypto_dh *dh;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	bool pfs_all;                       /* offer every group: the gateway wants PFS */
	uint32_t spi_in;                    /* CHILD: our new inbound SPI */
	uint64_t spi_i, spi_r;              /* IKE: the new SA's SPIs */
	struct ike_keymat km;               /* IKE: the new SA's keys, used once the */
	struct ike_sk sk;                   /* old SA's DELETE is answered */
	bool ike_ready;
	bool peer;                          /* IKE: the gateway started it, so it is the
					     * initiator of the new SA (spi_i its SPI) */
};

struct ini2 {
	struct loop *loop;
	struct ini2_config cfg;
	struct ini2_hooks h;
	enum ini2_state st;
	uint64_t spi_i, spi_r;              /* as in the header: the IKE SA initiator's first */
	bool orig_resp;                     /* the gateway rekeyed the IKE SA: it is the
					     * initiator now (RFC 7296 §2.18), we send
					     * without the I flag and with SK_er/SK_ar */
	const struct crypto_dh_group *g;
	struct crypto_dh *dh;
	uint8_t ni[INI2_NONCE_LEN], nr[IKE_NONCE_MAX];
	size_t nr_len;
	struct buf cookie;                  /* N(COOKIE) data to echo */
	struct buf req1, resp1;             /* RealMessage1 / RealMessage2 */
	struct ike_keymat km;
	struct ike_sk sk;
	bool keys_ready;
	bool natt;                          /* on the gateway's port 4500 */
	uint8_t idi_body[4 + 256];
	size_t idi_len;
	struct buf idr_body;                /* the gateway's IDr, for the AUTH after EAP */
	struct eap_peer eap;
	/* the CHILD SA */
	uint32_t child_spi_in, child_spi_out;
	bool child_installed;
	/* the CHILD SA a rekey replaced: carried until its DELETE is answered */
	uint32_t old_spi_in, old_spi_out;
	bool old_installed;
	/* rekeying */
	struct ini2_rekey rk;
	struct loop_timer *child_rk_t, *ike_rk_t;
	struct loop_timer *old_t;           /* the gateway's rekey: delete the old CHILD SA
					     * ourselves if the gateway does not */
	uint32_t old_t_spi;
	struct loop_timer *peer_ike_t;      /* the gateway's IKE rekey: switch even without
					     * its DELETE of the old SA */
	uint64_t child_born_ms, ike_born_ms;
	unsigned rekeys_child, rekeys_ike;
	struct ini2_lease lease;
	/* our request (window 1) */
	uint32_t next_id, req_id;
	struct buf req;
	bool req_out;
	unsigned tries;
	enum ini2_req_kind req_kind;
	struct loop_timer *rtx, *dpd;
	uint64_t last_rx_ms;
	/* the gateway's requests: the last reply, for its retransmissions */
	uint32_t peer_next_id;
	struct buf peer_reply;
	bool have_peer_reply;
	/* input */
	struct ike_frag_rx frag;
	struct buf plain;
	struct ikev2_msg *outer, *in;
};

typedef void (*ini2_fill_fn)(struct ini2 *s, struct ikev2_wr *w, const void *arg);

void ini2_down(struct ini2 *s, enum ini2_result r, const char *why);
int ini2_send_req(struct ini2 *s);
void ini2_req_done(struct ini2 *s);
int ini2_build(struct ini2 *s, struct buf *b, uint8_t exchange, bool response, uint32_t msg_id,
	       ini2_fill_fn fill, const void *arg);
int ini2_request(struct ini2 *s, uint8_t exchange, ini2_fill_fn fill, const void *arg);
/* Answer the gateway's request `id` (kept for its retransmissions). */
int ini2_answer(struct ini2 *s, uint8_t exchange, uint32_t id, ini2_fill_fn fill, const void *arg);
void ini2_arm_dpd(struct ini2 *s);

void ini2_on_init_reply(struct ini2 *s, const uint8_t *data, size_t len);   /* ini2_exch.c */
void ini2_on_response(struct ini2 *s);
void ini2_on_peer_request(struct ini2 *s, const uint8_t *data, size_t len);
/* shared with ini2_rekey.c */
int ini2_alloc_child_spi(struct ini2 *s, uint32_t *spi);
void ini2_write_ts_all(struct ikev2_wr *w);
int ini2_ike_choice(const struct ikev2_sa *sa, const struct crypto_dh_group *g,
		    struct ike_keymat *km);
int ini2_esp_choice(const struct ikev2_sa *offer, const struct ikev2_sa *sa, uint32_t spi_in,
		    struct ini2_child *c, uint16_t *dh);
/* we_init: we started this exchange (Ni ours), so the initiator->responder
 * keys are the ones we send with; else they are the ones we receive with. */
int ini2_child_keys_up(struct ini2 *s, struct ini2_child *c, bool we_init, const uint8_t *gir,
		       size_t gir_len, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len);

void ini2_rekey_start_timers(struct ini2 *s, bool child, bool ike);   /* ini2_rekey.c */
void ini2_rekey_stop(struct ini2 *s);
void ini2_rekey_on_response(struct ini2 *s);
void ini2_rekey_finish_ike(struct ini2 *s);
void ini2_rekey_on_peer_request(struct ini2 *s);   /* the gateway's CREATE_CHILD_SA */
bool ini2_rekey_busy(const struct ini2 *s);        /* hold our own requests */

#endif
