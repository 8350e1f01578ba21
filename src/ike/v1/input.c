/* Receiving an IKEv1 message.
 *
 *   datagram -> header
 *     responder cookie 0, Main/Aggressive -> a known SA for (CKY-I, peer):
 *                                            the same message again gets the
 *                                            same answer; else a new SA
 *     otherwise -> SA by our cookie; an exact repeat of the last message
 *                  of phase 1 or of an exchange gets our stored answer again
 *                  (RFC 2408 §5: retransmissions); else decrypt with the IV
 *                  of its exchange, parse the chain and dispatch by exchange
 *                  type.
 *
 * A message that cannot be decrypted into a well-formed chain is dropped
 * with a rate-limited log line: with IKEv1 a wrong key shows up here as
 * garbage, and answering garbage would help an attacker. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/loop.h"
#include "base/mem.h"
#include "ike/core/child.h"
#include "ike/v1/v1.h"

static void drop(struct ikev1 *e, const struct sockaddr_in *from, const char *why)
{
	unsigned sup = 0;
	e->st.rx_dropped++;
	if (log_limit_pass(&e->lim_drop, 10, &sup))
		log_msg(SEV_NOTICE, "IKEv1: dropped a message from %s: %s%s",
			inet_ntoa(from->sin_addr), why, sup ? " (more suppressed)" : "");
}

static void digest(const uint8_t *p, size_t len, uint8_t out[20])
{
	if (crypto_hash(HASH_SHA1, p, len, NULL, 0, NULL, 0, out) < 0)
		memset(out, 0, 20);
}

/* Peer moved (NAT-T float to 4500, or a NAT rebinding): called only once the
 * message that shows the new address is authenticated. */
void v1_note_addresses(struct ike_sa *sa, const struct ike_pkt *p)
{
	if (sa->remote.sin_addr.s_addr == p->from.sin_addr.s_addr &&
	    sa->remote.sin_port == p->from.sin_port && sa->local.sin_port == p->to.sin_port)
		return;
	char a[32], b[32];
	v1_log(sa, 2, "peer now at %s (was %s)%s", ike_addr_str(&p->from, a, sizeof(a)),
	       ike_addr_str(&sa->remote, b, sizeof(b)), p->natt ? ", NAT-T port" : "");
	sa->remote = p->from;
	sa->local = p->to;
	ike_child_peer_moved(sa);
}

static int parse_plain(struct ikev1 *e, const struct ike_pkt *p)
{
	struct ikev1_parse_err err;
	if (ikev1_parse_message(p->data, p->len, &e->msg, &err) < 0) {
		drop(e, &p->from, err.why ? err.why : "malformed message");
		return -1;
	}
	return 0;
}

/* Decrypt the body with iv (advanced to the last cipher block) and parse
 * it.  The plaintext lives in *plain (the parsed message borrows it). */
static int open_body(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev1_hdr *h,
		     uint8_t *iv, struct buf *plain)
{
	struct v1_sa *v = v1_of(sa);
	struct ikev1 *e = v->eng;
	size_t body = (h->length <= p->len ? h->length : p->len) - IKEV1_HDR_LEN;
	if (!v->keys_ready || body == 0 || body % v->k.block) {
		drop(e, &p->from, "encrypted body is not a whole number of cipher blocks");
		return -1;
	}
	buf_put(plain, p->data + IKEV1_HDR_LEN, body);
	uint8_t iv_try[V1_MAX_BLOCK];
	memcpy(iv_try, iv, sizeof(iv_try));
	if (plain->oom || v1_decrypt(&v->k, iv_try, plain->data, plain->len) < 0)
		return -1;
	struct ikev1_parse_err err;
	e->msg.hdr = *h;
	if (ikev1_parse_chain(h->next_payload, plain->data, plain->len, &e->msg, &err) < 0) {
		e->st.rx_bad_hash++;
		unsigned sup = 0;
		if (log_limit_pass(&e->lim_auth, 10, &sup))
			v1_log(sa, 1, "decrypted message is malformed (%s): wrong keys (pre-shared "
			       "key mismatch?) or a corrupted packet; dropped%s",
			       err.why ? err.why : "?", sup ? " (more suppressed)" : "");
		return -1;
	}
	memcpy(iv, iv_try, V1_MAX_BLOCK);
	return 0;
}

/* The HASH(1) of an Informational/Transaction/Quick Mode message. */
static bool hash_ok(struct ike_sa *sa, const struct ikev1_msg *m, const uint8_t *pre,
		    size_t pre_len)
{
	struct v1_sa *v = v1_of(sa);
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != v->k.prf_len ||
	    m->order[0] != IKEV1_PL_HASH)
		return false;
	if (v1_hash_msg(&v->k, false, m->hdr.msg_id, pre, pre_len, m->after_hash.data,
			m->after_hash.len, NULL, 0, h) < 0)
		return false;
	return CRYPTO_memcmp(h, m->hash.data, v->k.prf_len) == 0;
}

static void first_message(struct ikev1 *e, const struct ike_pkt *p, const struct ikev1_hdr *h)
{
	struct ike_sa *sa = ike_sa_find_init(h->spi_i, &p->from);
	if (sa && sa->version == IKE_V1) {
		struct v1_sa *v = v1_of(sa);
		uint8_t d[20];
		digest(p->data, p->len, d);
		if (memcmp(d, v->p1_rx_digest, 20) == 0 && v->p1_last_tx.len) {
			e->st.rx_retransmits++;
			v1_log(sa, 3, "retransmitted first message: sending our answer again");
			(void)v1_send_raw(sa, v->p1_last_tx.data, v->p1_last_tx.len);
		}
		return;
	}
	if (e->shutting_down)
		return;
	if (parse_plain(e, p) < 0)
		return;
	struct v1_ctx c = { .eng = e, .pkt = p, .m = &e->msg };
	if (h->exchange == IKEV1_X_AGGRESSIVE)
		v1_aggressive(&c);
	else
		v1_main_mode(&c);
}

/* Phase 1 messages after the first (MM3, MM5, AM3). */
static void phase1_message(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev1_hdr *h)
{
	struct v1_sa *v = v1_of(sa);
	struct ikev1 *e = v->eng;
	uint8_t d[20];
	digest(p->data, p->len, d);
	if (memcmp(d, v->p1_rx_digest, 20) == 0) {
		e->st.rx_retransmits++;
		if (v->p1_last_tx.len)
			(void)v1_send_raw(sa, v->p1_last_tx.data, v->p1_last_tx.len);
		return;
	}
	bool expect_enc = v->phase == V1_P1_AM || v->phase == V1_P1_MM_KE;
	bool expected = (h->exchange == IKEV1_X_AGGRESSIVE && v->phase == V1_P1_AM) ||
			(h->exchange == IKEV1_X_MAIN &&
			 (v->phase == V1_P1_MM_SA || v->phase == V1_P1_MM_KE));
	if (!expected) {
		drop(e, &p->from, "phase 1 message in the wrong state");
		return;
	}
	struct buf plain;
	buf_init(&plain);
	int rc;
	if (expect_enc) {
		if (!(h->flags & IKEV1_FLAG_ENC)) {
			drop(e, &p->from, "phase 1 message should be encrypted");
			buf_free(&plain);
			return;
		}
		memset(&e->msg, 0, sizeof(e->msg));
		rc = open_body(sa, p, h, v->k.iv, &plain);
	} else {
		rc = parse_plain(e, p);
	}
	if (rc == 0) {
		memcpy(v->p1_rx_digest, d, 20);
		struct v1_ctx c = { .eng = e, .sa = sa, .v = v, .pkt = p, .m = &e->msg };
		v1_dump(sa, &e->msg, false);
		if (h->exchange == IKEV1_X_AGGRESSIVE)
			v1_aggressive(&c);
		else
			v1_main_mode(&c);
	}
	buf_free(&plain);
}

/* Transaction, Quick Mode, Informational. */
static void later_exchange(struct ike_sa *sa, const struct ike_pkt *p, const struct ikev1_hdr *h)
{
	struct v1_sa *v = v1_of(sa);
	struct ikev1 *e = v->eng;
	if (!(h->flags & IKEV1_FLAG_ENC) || v->phase < V1_XAUTH) {
		drop(e, &p->from, "unencrypted message, or one before phase 1 completed");
		return;
	}
	struct v1_exch *ex = v1_exch_find(sa, h->msg_id);
	uint8_t d[20];
	digest(p->data, p->len, d);
	if (ex && ex->have_rx && memcmp(d, ex->rx_digest, 20) == 0) {
		/* The peer repeats its last message: in an exchange it started our
		 * answer was lost, so send it again; in one we started (XAUTH,
		 * SET) its answer to us is merely duplicated. */
		e->st.rx_retransmits++;
		bool peer_started = ex->kind == V1_EX_CFG_PULL || ex->kind == V1_EX_QUICK;
		if (peer_started && ex->last_tx.len)
			(void)v1_send_raw(sa, ex->last_tx.data, ex->last_tx.len);
		return;
	}
	uint8_t iv[V1_MAX_BLOCK];
	if (ex)
		memcpy(iv, ex->iv, sizeof(iv));
	else if (v1_iv_msgid(&v->k, h->msg_id, iv) < 0)
		return;
	struct buf plain;
	buf_init(&plain);
	memset(&e->msg, 0, sizeof(e->msg));
	if (open_body(sa, p, h, iv, &plain) < 0) {
		buf_free(&plain);
		return;
	}
	struct ikev1_msg *m = &e->msg;
	v1_dump(sa, m, false);
	/* Quick Mode HASH(2)/(3) inputs differ; quick.c checks its own. */
	if (h->exchange != IKEV1_X_QUICK && !hash_ok(sa, m, NULL, 0)) {
		e->st.rx_bad_hash++;
		v1_log(sa, 1, "%s message with a wrong HASH: dropped", ikev1_exchange_name(h->exchange));
		buf_free(&plain);
		return;
	}
	if (h->exchange != IKEV1_X_QUICK) {        /* Quick Mode: after its own HASH check */
		v1_note_addresses(sa, p);
		sa->last_rx_ms = loop_now_ms();
	}
	if (h->exchange != IKEV1_X_INFO) {
		if (!ex) {
			ex = v1_exch_new(sa, h->exchange == IKEV1_X_QUICK ? V1_EX_QUICK : V1_EX_CFG_PULL,
					 h->msg_id);
			if (!ex) {
				buf_free(&plain);
				return;
			}
		}
		memcpy(ex->iv, iv, sizeof(iv));
		memcpy(ex->rx_digest, d, 20);
		ex->have_rx = true;
	}
	struct v1_ctx c = { .eng = e, .sa = sa, .v = v, .pkt = p, .m = m, .ex = ex };
	switch (h->exchange) {
	case IKEV1_X_TRANSACTION: v1_transaction(&c); break;
	case IKEV1_X_QUICK: v1_quick(&c); break;
	default: v1_informational(&c); break;
	}
	buf_free(&plain);
}

/* A notify in the clear for a negotiation still in phase 1: the client
 * could not verify our hash (wrong group key) or refused our choice.  It is
 * not authenticated, but it can only end a half-open negotiation whose
 * cookies the sender knows, which the half-open timeout would end anyway:
 * ending it now frees the slot and tells the operator why at once. */
static void half_open_notify(struct ike_sa *sa, const struct ike_pkt *p)
{
	struct ikev1 *e = v1_of(sa)->eng;
	if (parse_plain(e, p) < 0 || e->msg.n_notify == 0)
		return;
	uint16_t t = e->msg.notify[0].type;
	if (t != IKEV1_N_INVALID_HASH_INFORMATION && t != IKEV1_N_AUTHENTICATION_FAILED &&
	    t != IKEV1_N_NO_PROPOSAL_CHOSEN && t != IKEV1_N_INVALID_KEY_INFORMATION) {
		drop(e, &p->from, "unencrypted notify during phase 1");
		return;
	}
	char ip[INET_ADDRSTRLEN];
	const char *name = ikev1_notify_name(t);
	log_event(SEV_WARNING, 713902, "Group = %s, IP = %s, the client ended phase 1 with %s%s",
		  sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), name ? name : "a notify",
		  t == IKEV1_N_INVALID_HASH_INFORMATION ? " (it could not verify our hash: the "
		  "group password differs)" : "");
	e->st.p1_failed++;
	v1_sa_destroy(sa, "Peer refused", false);
}

/* A fragment: once the message is whole, handle it as if it had arrived
 * in one datagram (a reassembled message that is itself a fragment is
 * refused: no nesting). */
static void reassemble(struct ikev1 *e, const struct ike_pkt *p, const struct ikev1_hdr *h)
{
	uint8_t *whole = NULL;
	size_t len = 0;
	const char *why = NULL;
	int rc = v1_frag_add(e, p, h, &whole, &len, &why);
	if (rc < 0) {
		drop(e, &p->from, why ? why : "bad fragment");
		return;
	}
	if (rc == 0)
		return;
	if (len < IKEV1_HDR_LEN || whole[16] == IKEV1_PL_FRAG) {
		drop(e, &p->from, "reassembled message is not an ISAKMP message");
	} else {
		struct ike_pkt q = *p;
		q.data = whole;
		q.len = len;
		v1_input(e, &q);
	}
	free(whole);
}

void v1_input(void *arg, const struct ike_pkt *p)
{
	struct ikev1 *e = arg;
	struct ikev1_hdr h;
	struct ikev1_parse_err err;
	e->st.rx++;
	if (ikev1_parse_header(p->data, p->len, &h, &err) < 0) {
		drop(e, &p->from, err.why ? err.why : "bad header");
		return;
	}
	if (h.length > p->len) {
		drop(e, &p->from, "header length beyond the datagram");
		return;
	}
	if (h.next_payload == IKEV1_PL_FRAG) {
		reassemble(e, p, &h);
		return;
	}
	if (h.spi_r == 0) {
		if (h.exchange != IKEV1_X_MAIN && h.exchange != IKEV1_X_AGGRESSIVE) {
			drop(e, &p->from, "no responder cookie outside Main/Aggressive Mode");
			return;
		}
		if (h.msg_id != 0 || (h.flags & IKEV1_FLAG_ENC)) {
			drop(e, &p->from, "first message with a message ID or encrypted");
			return;
		}
		first_message(e, p, &h);
		return;
	}
	struct ike_sa *sa = ike_sa_find_local(h.spi_r);
	if (!sa || sa->version != IKE_V1 || sa->spi_i != h.spi_i) {
		drop(e, &p->from, "unknown cookies (no such ISAKMP SA)");
		return;
	}
	if (h.exchange == IKEV1_X_MAIN || h.exchange == IKEV1_X_AGGRESSIVE) {
		if (h.msg_id != 0) {
			drop(e, &p->from, "phase 1 message with a message ID");
			return;
		}
		if (v1_of(sa)->phase >= V1_XAUTH) {
			/* MM5 repeated after we moved on: MM6 was lost, send it again
			 * (kept until the session is up); a repeated AM3 needs none. */
			struct v1_sa *v = v1_of(sa);
			uint8_t d[20];
			digest(p->data, p->len, d);
			e->st.rx_retransmits++;
			if (h.exchange == IKEV1_X_MAIN && v->p1_last_tx.len &&
			    memcmp(d, v->p1_rx_digest, 20) == 0)
				(void)v1_send_raw(sa, v->p1_last_tx.data, v->p1_last_tx.len);
			return;
		}
		phase1_message(sa, p, &h);
		return;
	}
	if (h.exchange == IKEV1_X_INFO && !(h.flags & IKEV1_FLAG_ENC) &&
	    v1_of(sa)->phase < V1_XAUTH) {
		half_open_notify(sa, p);
		return;
	}
	if (h.exchange != IKEV1_X_TRANSACTION && h.exchange != IKEV1_X_QUICK &&
	    h.exchange != IKEV1_X_INFO) {
		drop(e, &p->from, "unsupported exchange type");
		return;
	}
	if (h.msg_id == 0) {
		drop(e, &p->from, "message ID 0 outside phase 1");
		return;
	}
	later_exchange(sa, p, &h);
}
