/* Internal interfaces of the IKEv1 responder (ike/v1).  Other layers use
 * ike/v1/ikev1.h.
 *
 * One file per exchange: phase1.c (Main and Aggressive Mode), xauth.c,
 * modecfg.c (Mode Config pull and push), quick.c (Quick Mode), info.c
 * (Informational: DPD, DELETE, notifies); input.c receives, finds the SA,
 * decrypts and dispatches; send.c builds, hashes, encrypts, sends and keeps
 * what must be retransmitted; sa.c creates, schedules and frees SAs;
 * proposal.c holds the pure selection functions (ISAKMP policy walk, IPsec
 * transform-set walk) that the tests exercise directly.
 *
 * Message IDs and IVs.  Phase 1 uses message ID 0 and the IV chain in
 * keys.iv.  Every later exchange (Transaction, Quick Mode, Informational)
 * has its own message ID and starts from hash(last phase-1 block | M-ID);
 * a Transaction or Quick Mode exchange then chains its own IV (struct
 * v1_exch.iv) from message to message. */
#ifndef RAVPN_IKE_V1_V1_H
#define RAVPN_IKE_V1_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa/aaa.h"
#include "base/buf.h"
#include "base/log.h"
#include "conf/model.h"
#include "crypto/crypto.h"
#include "ike/core/ike.h"
#include "ike/core/sa.h"
#include "ike/core/session.h"
#include "ike/v1/ikev1.h"
#include "ike/v1/keys1.h"
#include "wire/ikev1.h"

struct loop_timer;

#define V1_HALF_OPEN_TIMEOUT_MS 30000u    /* first message .. phase 1 + XAUTH + Mode Config */
#define V1_SETUP_TIMEOUT_MS 90000u        /* XAUTH and Mode Config (a user types a password) */
#define V1_RETRANSMIT_MS 2000u            /* our Transaction requests */
#define V1_MAX_RETRANSMITS 5u
#define V1_XAUTH_ATTEMPTS 3u              /* wrong passwords before the SA is deleted */
#define V1_DPD_MAX_MISSES 5u
#define V1_NONCE_LEN 20                   /* what the ASA and vpnc send */
#define V1_MAX_EXCH 4                     /* Transaction / Quick Mode exchanges in flight */
#define V1_DEFAULT_P1_LIFETIME 86400u

/* Setup progress of a session after phase 1 (ctl state names follow it). */
enum v1_phase {
	V1_P1_MM_SA,          /* MM1 answered, waiting for MM3 */
	V1_P1_MM_KE,          /* MM3 answered, waiting for MM5 */
	V1_P1_AM,             /* AM1 answered, waiting for AM3 */
	V1_XAUTH,             /* our XAUTH request is out */
	V1_XAUTH_STATUS,      /* XAUTH status SET is out, waiting for ACK */
	V1_MODECFG,           /* waiting for the client's Mode Config REQUEST (pull) or
			       * our SET's ACK (push) */
	V1_READY,             /* address assigned: Quick Mode allowed */
};

enum v1_exch_kind { V1_EX_FREE, V1_EX_XAUTH, V1_EX_XAUTH_STATUS, V1_EX_CFG_SET,
		    V1_EX_CFG_PULL, V1_EX_QUICK };

/* Quick Mode state between QM2 and QM3. */
struct v1_qm {
	uint8_t ni[256], nr[V1_NONCE_LEN];
	size_t ni_len;
	uint8_t gqm[CRYPTO_MAX_DH_PUB];           /* PFS shared secret */
	size_t gqm_len;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;
	uint16_t esp_id, auth_alg, pfs_group, encap;
	uint32_t spi_in, spi_out;
	uint32_t life_sec, life_kb;
	const struct conf_dynmap_entry *dynmap;
	struct ike_ts local_ts, remote_ts;
	/* a Quick Mode we started (rekey of the IPsec SA with inbound SPI
	 * rekey_of): our DH key waits for the client's KE */
	bool ours;
	uint32_t rekey_of;
	struct crypto_dh *dh;
	uint8_t nr_peer[256];            /* the client's nonce in a Quick Mode we started */
	size_t nr_peer_len;
	bool done;
	bool commit;                     /* QM1 had the commit bit: say CONNECTED when keyed */
};

/* One exchange with its own message ID. */
struct v1_exch {
	enum v1_exch_kind kind;
	uint32_t msg_id;
	uint8_t iv[V1_MAX_BLOCK];        /* IV of the next message in this exchange */
	uint8_t rx_digest[20];           /* last message received in it (retransmissions) */
	bool have_rx;
	struct buf last_tx;              /* our last message in it (to retransmit) */
	bool awaiting;                   /* our request waits for an answer */
	unsigned tries;
	uint64_t next_ms;
	uint16_t cfg_id;                 /* ATTR identifier of our request */
	uint8_t flags;                   /* header flags our messages in it carry besides E */
	struct v1_qm *qm;                /* Quick Mode only */
};

/* Version-specific part of struct ike_sa (sa->priv). */
struct v1_sa {
	struct ikev1 *eng;
	enum v1_phase phase;
	struct v1_keys k;
	bool keys_ready;
	/* phase 1 inputs kept until authenticated */
	const struct crypto_dh_group *dh;
	uint8_t *gxi, *gxr;              /* the DH public values (gx_len each), kept
					  * for the phase-1 hashes only: freed when the
					  * session is up, as the phase-1 retransmission copy */
	size_t gx_len;
	uint8_t ni[256], nr[V1_NONCE_LEN];
	size_t ni_len;
	uint8_t *sai_b;                  /* the initiator's SA payload body */
	size_t sai_len;
	uint8_t *idii_b;                 /* the initiator's ID payload body */
	size_t idii_len;
	struct ikev1_transform chosen;   /* phase-1 transform we accepted */
	uint8_t chosen_num;              /* its transform number */
	uint8_t chosen_prop;
	/* identity and policy */
	const struct conf_tunnel_group *tg;      /* NULL: PIX isakmp key without a group */
	const char *psk;                 /* borrowed from sa->conf (secret) */
	const char *psk_source;          /* "tunnel-group X", "isakmp key line N" (explain) */
	int psk_line;
	bool need_xauth;
	const char *xauth_server_group;  /* NULL/"LOCAL": local users */
	bool cfg_push;                   /* crypto map client configuration address initiate */
	unsigned xauth_attempts;
	/* peer capabilities (vendor IDs) */
	bool peer_unity, peer_xauth, peer_dpd, peer_frag;
	int natt;                        /* 0 none, else NAT-D payload type to use (20/130) */
	int natt_vid;                    /* enum ikev1_vid we echo */
	struct sockaddr_in p1_local, p1_remote;   /* addresses of the first message (NAT-D) */
	bool natt_float;                 /* RFC / draft-02+: float to 4500 */
	bool initial_contact;
	/* retransmission of phase 1 */
	uint8_t p1_rx_digest[20];
	struct buf p1_last_tx;
	/* later exchanges */
	struct v1_exch ex[V1_MAX_EXCH];
	/* DPD */
	uint32_t dpd_seq;
	unsigned dpd_misses;
	bool dpd_pending;
	uint64_t dpd_sent_ms;
	/* timers */
	struct loop_timer *timer;
	uint64_t timer_due;
	uint64_t deadline_ms;            /* not READY by then: drop */
	bool up;                         /* counted in sessions_up */
	bool in_xauth;                   /* counted in xauth_in_progress */
	bool deleting;
};

static inline struct v1_sa *v1_of(const struct ike_sa *sa)
{
	return (struct v1_sa *)sa->priv;
}

/* A message being reassembled from fragments (frag.c). */
#define V1_FRAG_SLOTS 16
#define V1_FRAG_MAX 16
struct v1_frag_slot {
	bool used;
	uint64_t spi_i;
	uint32_t peer;
	uint16_t port, id;
	uint64_t started_ms;
	uint8_t total;                   /* number of the LAST piece, 0 = not seen yet */
	uint8_t *piece[V1_FRAG_MAX + 1]; /* by number, 1..V1_FRAG_MAX */
	uint16_t len[V1_FRAG_MAX + 1];
	size_t bytes;
};

struct ikev1 {
	struct loop *loop;
	struct ike_io *io;
	struct ikev1_env env;
	uint32_t next_session_id;
	uint32_t next_conn_id;
	struct log_limit lim_drop, lim_auth;
	struct ikev1_stats st;
	bool shutting_down;
	struct ikev1_msg msg;            /* parse result of the message being handled */
	struct v1_frag_slot frag[V1_FRAG_SLOTS];
};

/* Context of one received message. */
struct v1_ctx {
	struct ikev1 *eng;
	struct ike_sa *sa;               /* NULL for a first message */
	struct v1_sa *v;
	const struct ike_pkt *pkt;
	const struct ikev1_msg *m;
	struct v1_exch *ex;              /* the exchange of a Transaction/Quick Mode */
};

/* ---- input.c ------------------------------------------------------------ */
void v1_input(void *arg, const struct ike_pkt *p);
void v1_note_addresses(struct ike_sa *sa, const struct ike_pkt *p);

/* ---- frag.c -------------------------------------------------------------- */
/* One fragment: 1 with the whole message in *out (malloc'd), 0 while pieces
 * are missing, -1 to drop (*why says why). */
int v1_frag_add(struct ikev1 *e, const struct ike_pkt *p, const struct ikev1_hdr *h,
		uint8_t **out, size_t *out_len, const char **why);
void v1_frag_clear_all(struct ikev1 *e);

/* ---- phase1.c ----------------------------------------------------------- */
void v1_main_mode(struct v1_ctx *c);
void v1_aggressive(struct v1_ctx *c);
/* After phase 1: start XAUTH, or Mode Config, or go READY. */
void v1_phase1_done(struct ike_sa *sa);

/* ---- xauth.c / modecfg.c ------------------------------------------------ */
int v1_xauth_start(struct ike_sa *sa);
void v1_transaction(struct v1_ctx *c);
void v1_xauth_input(struct v1_ctx *c);
int v1_modecfg_push(struct ike_sa *sa);

/* ---- quick.c / info.c --------------------------------------------------- */
void v1_quick(struct v1_ctx *c);
void v1_informational(struct v1_ctx *c);
int v1_send_dpd(struct ike_sa *sa);
/* Rekey an IPsec SA from our side (vpnc never does: it relies on the
 * gateway).  Returns 0 when Quick Mode message 1 went out. */
int v1_quick_rekey(struct ike_sa *sa, struct child_sa *old);
/* DELETE for the ISAKMP SA (best effort) and for CHILD SAs. */
void v1_send_delete_isakmp(struct ike_sa *sa);
void v1_send_delete_esp(struct ike_sa *sa, uint32_t spi_in);
/* Encrypted error notify (e.g. NO-PROPOSAL-CHOSEN for a Quick Mode). */
void v1_send_error(struct ike_sa *sa, uint16_t type);
/* CONNECTED for an IPsec SA whose Quick Mode had the commit bit (RFC 2408
 * §3.1, RFC 2409 §5.5). */
void v1_send_connected(struct ike_sa *sa, uint32_t spi_in);
/* Unencrypted notify in answer to a first message (no SA yet). */
void v1_notify_plain(struct ikev1 *e, const struct ike_pkt *p, uint64_t spi_i, uint64_t spi_r,
		     uint16_t type);

/* ---- send.c ------------------------------------------------------------- */
struct v1_out {
	struct buf b;
	struct ikev1_wr w;
	size_t hash_off;                 /* offset of the HASH data (0: none) */
	size_t hash_len;
};
/* Header for a message of this SA; with_hash reserves a HASH payload first. */
void v1_out_begin(struct v1_out *o, const struct ike_sa *sa, uint8_t exchange, uint32_t msg_id,
		  uint8_t flags, bool with_hash);
/* HASH = prf(SKEYID_a, [0 if zero] | M-ID | pre | payloads after HASH). */
int v1_out_hash(struct v1_out *o, const struct ike_sa *sa, uint32_t msg_id,
		const uint8_t *pre, size_t pre_len) __attribute__((warn_unused_result));
/* Pad, patch the length and encrypt the body with iv (updated to the last
 * cipher block).  Without ENC in the header only the length is patched. */
int v1_out_seal(struct v1_out *o, const struct ike_sa *sa, uint8_t *iv)
	__attribute__((warn_unused_result));
void v1_out_free(struct v1_out *o);
int v1_send_raw(struct ike_sa *sa, const uint8_t *data, size_t len);
/* Start an exchange of ours (Transaction SET/REQUEST, Informational):
 * fill() writes the payloads after the HASH; kept for retransmission when
 * ex is not NULL (a reply is awaited). */
int v1_send_new(struct ike_sa *sa, uint8_t exchange, struct v1_exch *ex,
		void (*fill)(struct ikev1_wr *w, void *arg), void *arg)
	__attribute__((warn_unused_result));
/* Reply within an exchange started by the peer (uses and advances ex->iv). */
int v1_send_in(struct ike_sa *sa, uint8_t exchange, struct v1_exch *ex,
	       const uint8_t *pre, size_t pre_len,
	       void (*fill)(struct ikev1_wr *w, void *arg), void *arg)
	__attribute__((warn_unused_result));
void v1_dump(const struct ike_sa *sa, const struct ikev1_msg *m, bool sent);

/* ---- sa.c --------------------------------------------------------------- */
struct ike_sa *v1_sa_new(struct ikev1 *e, const struct ike_pkt *p, uint64_t spi_i);
void v1_sa_destroy(struct ike_sa *sa, const char *reason, bool log_down);
/* Send an ISAKMP DELETE (when keyed) and destroy. */
void v1_sa_delete(struct ike_sa *sa, const char *reason);
void v1_sa_schedule(struct ike_sa *sa);
void v1_sa_set_phase(struct ike_sa *sa, enum v1_phase ph);
void v1_sa_up(struct ike_sa *sa);
struct v1_exch *v1_exch_find(struct ike_sa *sa, uint32_t msg_id);
struct v1_exch *v1_exch_new(struct ike_sa *sa, enum v1_exch_kind kind, uint32_t msg_id);
void v1_exch_free(struct v1_exch *ex);
uint32_t v1_new_msg_id(struct ike_sa *sa);
void v1_release_lease(struct ike_sa *sa);
struct conf *v1_conf(struct ikev1 *e);
struct pool_set *v1_pools(struct ikev1 *e);
/* INITIAL-CONTACT: the older IKEv1 sessions of the same user (after XAUTH)
 * or of the same address and port (without XAUTH) go. */
void v1_initial_contact(struct ike_sa *sa);

/* ---- logging ------------------------------------------------------------ */
void v1_log(const struct ike_sa *sa, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void v1_log_peer(const struct sockaddr_in *peer, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- proposal.c (pure) -------------------------------------------------- */
struct v1_p1_choice {
	const struct conf_ikev1_policy *policy;
	uint8_t prop_index;              /* in offer->p[] */
	uint8_t t_index;                 /* in offer->t[] */
	const struct crypto_encr *encr;
	const struct crypto_prf *prf;
	enum crypto_hash hash;
	const struct crypto_dh_group *dh;
	uint32_t lifetime;               /* ours (min of policy and offer) */
	bool shortened;                  /* the offer asked for more: RESPONDER-LIFETIME */
};
/* Walk the IKEv1 policies in priority order, each against every transform
 * of the offer in the peer's order (as the PIX trace does).  xauth_ok:
 * XAUTHInitPreShared may be chosen.  logf gets the walk for `debug crypto
 * isakmp`.  Returns 0 or -1 (NO-PROPOSAL-CHOSEN). */
int v1_select_p1(const struct conf *c, const struct ikev1_sa *offer, bool xauth_ok,
		 struct v1_p1_choice *out, void (*logf)(void *arg, const char *line), void *arg);

struct v1_p2_choice {
	const struct conf_dynmap_entry *dynmap;
	const struct conf_transform_set *ts;
	uint8_t prop_index, t_index;
	uint32_t peer_spi;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;
	uint16_t pfs_group;              /* 0 = none */
	uint16_t encap;                  /* as offered */
	uint32_t life_sec, life_kb;      /* ours */
	bool shortened;
};
/* Walk the client's ESP proposals in order against the transform sets of
 * the dynamic-map entries bound to ifname (in sequence order).  udp_ok:
 * UDP-encapsulated modes are acceptable (NAT-T negotiated); tunnel_ok:
 * plain tunnel mode is (no NAT in the path).  ke_group: group of the KE
 * payload (0: none). */
int v1_select_p2(const struct conf *c, const char *ifname, const struct ikev1_sa *offer,
		 bool udp_ok, bool tunnel_ok, uint16_t ke_group, struct v1_p2_choice *out,
		 void (*logf)(void *arg, const char *line), void *arg);
/* Oakley/ESP numbers to the IKEv2 ones the shows print. */
uint16_t v1_encr_to_v2(uint16_t oakley_encr);
uint16_t v1_hash_to_v2_prf(uint16_t oakley_hash);

#endif
