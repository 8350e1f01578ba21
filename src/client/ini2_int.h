/* Internals of the IKEv2 initiator engine (ini2.c: state and transport,
 * ini2_exch.c: the exchanges, ini2_offer.c: the pure pieces). */
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

enum ini2_req_kind { INI2_REQ_NONE, INI2_REQ_DPD, INI2_REQ_DELETE };

struct ini2 {
	struct loop *loop;
	struct ini2_config cfg;
	struct ini2_hooks h;
	enum ini2_state st;
	uint64_t spi_i, spi_r;
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
void ini2_arm_dpd(struct ini2 *s);

void ini2_on_init_reply(struct ini2 *s, const uint8_t *data, size_t len);   /* ini2_exch.c */
void ini2_on_response(struct ini2 *s);
void ini2_on_peer_request(struct ini2 *s, const uint8_t *data, size_t len);

#endif
