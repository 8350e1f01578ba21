/* Internal interfaces of the IKEv2 responder (ike/v2).  Not for other
 * layers: they use ike/v2/ikev2.h.
 *
 * One file per exchange (init.c, auth.c, eap.c, cp.c, child.c, info.c,
 * rekey.c); exchange.c receives a message, checks it against the
 * transition table (table.c) and calls the handler; send.c protects,
 * fragments, sends and keeps replies for retransmission; sa.c creates,
 * schedules and frees SAs; proposal.c holds the pure selection functions
 * (IKE policy, ESP proposal, traffic selectors) that the tests exercise
 * directly. */
#ifndef RAVPN_IKE_V2_V2_H
#define RAVPN_IKE_V2_V2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/log.h"
#include "conf/model.h"
#include "crypto/crypto.h"
#include "ike/core/cookie.h"
#include "ike/core/frag.h"
#include "ike/core/ike.h"
#include "ike/core/job.h"
#include "ike/core/keys.h"
#include "ike/core/sa.h"
#include "ike/core/session.h"
#include "ike/core/sk.h"
#include "ike/v2/ikev2.h"
#include "aaa/aaa.h"
#include "wire/ikev2.h"

struct eap_server;
struct loop_timer;

#define V2_HALF_OPEN_TIMEOUT_MS 60000u    /* IKE_SA_INIT .. ESTABLISHED */
#define V2_DEFAULT_COOKIE_THRESHOLD 64u   /* half-open SAs before cookies */
#define V2_DPD_MAX_RETRIES 5u             /* unanswered liveness checks before delete */
#define V2_DELETE_RETRY_MS 2000u
#define V2_DELETE_MAX_TRIES 3u
#define V2_NONCE_LEN 32

/* The engine. */
struct ikev2 {
	struct loop *loop;
	struct ike_io *io;
	struct ikev2_env env;
	struct ike_cookie_gen cookies;
	struct loop_timer *housekeeping;
	size_t half_open;
	uint32_t next_session_id;
	uint32_t next_conn_id;
	struct log_limit lim_drop, lim_auth;
	struct ikev2_stats st;
	bool shutting_down;
	struct ike_jobs *jobs;                 /* DH and signatures (NULL: inline) */
	/* parse results of the message being handled (one at a time) */
	struct ikev2_msg outer, inner;
};

/* Datagrams kept for retransmission (one, or the SKF fragments). */
struct v2_dgrams {
	struct buf *d;
	size_t n;
};

enum v2_req_kind { V2_REQ_NONE, V2_REQ_DPD, V2_REQ_DELETE_IKE, V2_REQ_DELETE_CHILD };

/* State kept only while IKE_AUTH runs (freed once established). */
struct v2_auth {
	const struct conf_tunnel_group *tg;     /* borrowed from sa->conf */
	enum conf_auth remote_auth;
	uint8_t *idi_body;                      /* IDi payload body: the AUTH input */
	size_t idi_len;
	uint8_t idr_body[1024];                 /* our IDr payload body */
	size_t idr_len;
	bool have_child;                        /* SAi2/TSi/TSr were sent */
	struct ikev2_sa sai2;
	struct ikev2_ts_list tsi, tsr;
	bool cp_request;
	uint64_t cp_want;                       /* bit n: attribute n requested (n < 64) */
	bool initial_contact;
	struct eap_server *eap;
	struct aaa_ctx aaa;
	char peer_str[24];
	uint8_t msk[64];
	size_t msk_len;
	/* our signature, computed by a job (sign_pending) before the handler
	 * that needs it runs again */
	bool sig_ready, sig_pending, sig_failed;
	uint8_t sig_method;
	uint8_t sig[1100];
	size_t sig_len;
};

/* A request whose handler waits for a job: re-run from here when it ends. */
struct v2_pending {
	struct buf plain;
	uint8_t first;
	struct ikev2_hdr hdr;
	struct ike_pkt pkt;                     /* addresses only (data = NULL) */
};

/* Version-specific part of struct ike_sa (sa->priv). */
struct v2_sa {
	struct ikev2 *eng;
	struct ike_keymat km;
	struct ike_sk sk;
	bool keys_ready;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	struct buf init_req, init_resp;         /* RealMessage1 / RealMessage2 */
	/* responder side of the message ID window (size 1) */
	bool have_reply;
	uint32_t reply_id;
	struct v2_dgrams reply;
	struct ike_frag_rx *frag;               /* allocated on the first SKF */
	/* a job is computing for the request with ID peer_next_id */
	bool busy;
	struct v2_pending *pending;
	/* peer capabilities from IKE_SA_INIT */
	bool peer_sig_notify;
	bool peer_frag;
	uint8_t sig_hashes;                     /* bit n: RFC 7427 hash n announced */
	/* IKE_AUTH in progress */
	struct v2_auth *auth;
	/* our own requests (liveness, delete) */
	enum v2_req_kind req_kind;
	bool req_pending;
	uint32_t req_id;
	unsigned req_tries;
	uint64_t req_next_ms;
	struct v2_dgrams req;
	uint32_t req_child_spi;                 /* V2_REQ_DELETE_CHILD */
	/* timers */
	struct loop_timer *timer;
	uint64_t timer_due;
	uint64_t deadline_ms;                   /* not established by then: drop */
	uint64_t last_dpd_ms;
	uint32_t dpd_misses;
	bool up;                                /* counted in sessions_up */
};

static inline struct v2_sa *v2_of(const struct ike_sa *sa)
{
	return (struct v2_sa *)sa->priv;
}

/* ---- handlers ----------------------------------------------------------- */

enum v2_verdict {
	V2_REPLY,            /* send the reply the handler wrote; go to c->next */
	V2_REPLY_CLOSE,      /* send it, then delete the SA (failed authentication) */
	V2_NOTIFY,           /* reply with only N(c->notify), SA unchanged */
	V2_NOTIFY_CLOSE,     /* reply with only N(c->notify), then delete the SA */
	V2_DROP,             /* no reply, message ID not consumed */
	V2_WAIT,             /* a job runs; the handler runs again when it is done */
};

struct v2_ctx {
	struct ikev2 *eng;
	struct ike_sa *sa;
	struct v2_sa *v;
	const struct ike_pkt *pkt;
	const struct ikev2_msg *outer;
	const struct ikev2_msg *in;      /* inner chain (== outer for IKE_SA_INIT) */
	struct ikev2_wr *w;              /* reply writer, positioned inside SK */
	int next;                        /* state after V2_REPLY (from the table) */
	uint16_t notify;
	uint8_t notify_data[64];
	size_t notify_len;
	const char *close_reason;        /* for V2_*_CLOSE */
};

typedef enum v2_verdict (*v2_handler_fn)(struct v2_ctx *c);

#define V2_STATE_NONE (-1)
struct v2_transition {
	int state;                       /* enum ike_state, or V2_STATE_NONE */
	uint8_t exchange;
	uint32_t need;                   /* IKEV2_BIT()s that must be present */
	uint32_t absent;                 /* ... that must not be present */
	v2_handler_fn fn;
	int next;
	const char *story;
};
const struct v2_transition *v2_transition_find(int state, uint8_t exchange, uint32_t present,
					       bool *exchange_known);

enum v2_verdict v2_init_request(struct v2_ctx *c);      /* init.c */
enum v2_verdict v2_auth_eap_begin(struct v2_ctx *c);    /* auth.c */
enum v2_verdict v2_auth_direct(struct v2_ctx *c);       /* auth.c */
enum v2_verdict v2_eap_continue(struct v2_ctx *c);      /* eap.c */
enum v2_verdict v2_eap_final(struct v2_ctx *c);         /* eap.c */
enum v2_verdict v2_info_request(struct v2_ctx *c);      /* info.c */
enum v2_verdict v2_create_child(struct v2_ctx *c);      /* rekey.c */
enum v2_verdict v2_temporary_failure(struct v2_ctx *c); /* rekey.c */

/* ---- exchange.c / send.c -------------------------------------------------- */
void v2_input(void *arg, const struct ike_pkt *p);
/* Protect (and fragment) the message in b whose SK payload is at sk_off,
 * send it to `to` from `from`, keep the datagrams in *keep (if not NULL). */
int v2_send_protected(struct ike_sa *sa, struct buf *b, size_t sk_off,
		      const struct sockaddr_in *from, const struct sockaddr_in *to,
		      struct v2_dgrams *keep);
int v2_send_dgrams(struct ikev2 *e, const struct v2_dgrams *d, const struct sockaddr_in *from,
		   const struct sockaddr_in *to);
void v2_dgrams_free(struct v2_dgrams *d);
/* Start a request of ours (INFORMATIONAL): fill() writes the inner payloads. */
int v2_send_request(struct ike_sa *sa, enum v2_req_kind kind,
		    void (*fill)(struct ikev2_wr *w, void *arg), void *arg);
void v2_response(struct ikev2 *e, const struct ike_pkt *p, const struct ikev2_msg *m);
/* A job finished for sa->pending: run the handler again. */
void v2_resume(struct ike_sa *sa);

/* ---- sa.c --------------------------------------------------------------- */
struct ike_sa *v2_sa_new(struct ikev2 *e, const struct ike_pkt *p, uint64_t spi_i);
/* Tear down: children, lease, table, timers.  log_down: 113019 etc. */
void v2_sa_destroy(struct ike_sa *sa, const char *reason, bool log_down);
/* Delete: send INFORMATIONAL DELETE first when the SA is established. */
void v2_sa_delete(struct ike_sa *sa, const char *reason);
void v2_sa_schedule(struct ike_sa *sa);
void v2_sa_set_state(struct ike_sa *sa, enum ike_state st);
void v2_auth_free(struct v2_auth *a);
void v2_release_lease(struct ike_sa *sa);
uint32_t v2_new_child_spi(uint64_t serial);
struct conf *v2_conf(struct ikev2 *e);
struct pool_set *v2_pools(struct ikev2 *e);
const struct trustpoint_store *v2_trustpoints(struct ikev2 *e);

/* ---- logging with SA context ---------------------------------------------- */
void v2_log(const struct ike_sa *sa, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Debug lines about a peer before an SA exists. */
void v2_log_peer(const struct sockaddr_in *peer, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void v2_dump(const struct ike_sa *sa, const struct ikev2_msg *m, bool sent);

/* ---- proposal.c (pure) ------------------------------------------------------ */
struct v2_ike_choice {
	const struct conf_ikev2_policy *policy;
	uint8_t proposal_num;
	const struct crypto_encr *encr;
	const struct crypto_prf *prf;
	const struct crypto_integ *integ;       /* NULL for AEAD */
	const struct crypto_dh_group *dh;
};
enum v2_select { V2_SEL_OK, V2_SEL_INVALID_KE, V2_SEL_NONE };
/* Walk `crypto ikev2 policy` entries in priority order against every
 * proposal the peer offered.  ke_group: group of the peer's KE payload.
 * V2_SEL_INVALID_KE: a policy matched with another group (choice->dh). */
enum v2_select v2_select_ike(const struct conf *c, const struct ikev2_sa *offer,
			     uint16_t ke_group, struct v2_ike_choice *out,
			     void (*logf)(void *arg, const char *line), void *arg);

struct v2_esp_choice {
	const struct conf_dynmap_entry *dynmap;
	const struct conf_ipsec_proposal *proposal;
	uint8_t proposal_num;
	uint32_t peer_spi;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;       /* NULL for AEAD */
	bool esn_offered, esn;
	const struct crypto_dh_group *dh;       /* PFS group, NULL = none */
};
/* ESP proposal from the crypto map bound to ifname (dynamic-map entries in
 * sequence order, their `set ikev2 ipsec-proposal` lists, encryption x
 * integrity in configured order) against the peer's ESP proposals.
 * ke_group: group of the KE payload in CREATE_CHILD_SA (0: none; DH
 * transforms are then ignored, as in IKE_AUTH when !pfs_allowed). */
enum v2_select v2_select_esp(const struct conf *c, const char *ifname,
			     const struct ikev2_sa *offer, bool create_child, uint16_t ke_group,
			     struct v2_esp_choice *out);
/* The dynamic-map entries that apply to ifname (for the lifetime/PFS). */
size_t v2_dynmaps_for(const struct conf *c, const char *ifname,
		      const struct conf_dynmap_entry **out, size_t max);

/* Remote-access narrowing (RFC 7296 §2.9): TSi -> the assigned /32 (must
 * lie in one of the peer's TSi), TSr -> peer's TSr intersected with our
 * protected networks.  Returns 0, or -1 (TS_UNACCEPTABLE). */
int v2_ts_narrow(const struct ikev2_ts_list *tsi, const struct ikev2_ts_list *tsr,
		 uint32_t assigned, const struct ike_ts *nets, size_t n_nets,
		 struct ikev2_ts_list *out_i, struct ikev2_ts_list *out_r);
void v2_ts_from_wire(const struct ikev2_ts *t, struct ike_ts *out);
void v2_ts_to_wire(const struct ike_ts *t, struct ikev2_ts *out);

/* ---- auth helpers (authcalc.c) ------------------------------------------------ */
/* Octets signed/MACed by one side (RFC 7296 §2.15):
 *   responder: RealMessage2 | Ni | prf(SK_pr, IDr')
 *   initiator: RealMessage1 | Nr | prf(SK_pi, IDi')  */
int v2_auth_octets(const struct v2_sa *v, bool responder, const uint8_t *id_body, size_t id_len,
		   struct buf *out) __attribute__((warn_unused_result));
/* The same from explicit parts, for an initiator that has no struct v2_sa
 * (the client, src/client): sk_p is SK_pi or SK_pr (prf->out_len bytes). */
int v2_auth_octets_raw(const struct crypto_prf *prf, const uint8_t *sk_p, const uint8_t *real,
		       size_t real_len, const uint8_t *nonce, size_t nonce_len,
		       const uint8_t *id_body, size_t id_len, struct buf *out)
	__attribute__((warn_unused_result));
/* Signature scheme and bare signature of a signature AUTH payload (methods
 * 1, 9-11 and 14 with its RFC 7427 AlgorithmIdentifier); 0 or -1. */
int v2_auth_parse_sig(const struct ikev2_auth *au, enum crypto_sig *s, const uint8_t **sig,
		      size_t *len) __attribute__((warn_unused_result));
/* AUTH = prf(prf(secret, "Key Pad for IKEv2"), octets)  (§2.15, §2.16) */
int v2_auth_psk(const struct crypto_prf *prf, const uint8_t *secret, size_t secret_len,
		const struct buf *octets, uint8_t *out, size_t *out_len)
	__attribute__((warn_unused_result));

/* ---- pieces shared by auth.c / eap.c / cp.c / child.c ------------------------ */
/* Write IDr, [CERT], AUTH for our side.  Returns 0, 1 when a signing job
 * was started (return V2_WAIT), or -1 (logged). */
int v2_write_our_auth(struct v2_ctx *c);
/* After the peer is authenticated: group-policy checks, CP (lease), CHILD SA,
 * events.  Writes CP, SA, TSi, TSr (or error notifies). */
enum v2_verdict v2_auth_complete(struct v2_ctx *c);
/* CP reply for the request kept in c->v->auth (cp.c); 0, or the notify to send. */
uint16_t v2_cp_reply(struct v2_ctx *c, const struct conf_group_policy *gp);
/* Negotiate, key and install a CHILD SA (child.c).  Writes SA, [Nr, KEr,]
 * TSi, TSr.  In IKE_AUTH (ke == NULL, nr_write == NULL) the nonces are those
 * of IKE_SA_INIT; in CREATE_CHILD_SA they are the exchange's, nr_write is
 * written after SA and a KE payload (PFS) is answered with ours.  Returns 0
 * or a notify type (data, for INVALID_KE_PAYLOAD, in c->notify_data);
 * *out gets the child, already linked to the SA. */
uint16_t v2_child_create(struct v2_ctx *c, const struct ikev2_sa *sai,
			 const struct ikev2_ts_list *tsi, const struct ikev2_ts_list *tsr,
			 const struct ikev2_ke *ke, bool create_child,
			 const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			 bool write_nr, struct child_sa **out);
/* Protected networks for TSr from the effective group-policy. */
size_t v2_protected_nets(const struct conf *c, const struct conf_group_policy *gp,
			 struct ike_ts *out, size_t max);

#endif
