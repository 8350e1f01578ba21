/* IKE_SA_INIT, responder side.
 *
 *   HDR(SPIi,0), [N(COOKIE),] SAi1, KEi, Ni,
 *        [N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP),]
 *        [N(IKEV2_FRAGMENTATION_SUPPORTED),] [N(SIGNATURE_HASH_ALGORITHMS)]  -->
 *   <--  HDR(SPIi,SPIr), SAr1, KEr, Nr, N(NAT_DETECTION_SOURCE_IP),
 *        N(NAT_DETECTION_DESTINATION_IP), [CERTREQ,]
 *        [N(IKEV2_FRAGMENTATION_SUPPORTED),] [N(SIGNATURE_HASH_ALGORITHMS)]
 *
 * or one of the unprotected refusals (no state is kept for them):
 *   <--  HDR(SPIi,0), N(COOKIE)                 RFC 7296 §2.6
 *   <--  HDR(SPIi,0), N(INVALID_KE_PAYLOAD)     §1.2, §3.10.1 (data: our group)
 *   <--  HDR(SPIi,0), N(NO_PROPOSAL_CHOSEN)     §2.7
 *
 * NAT detection §2.23, fragmentation RFC 7383 §2.3, signature hashes
 * RFC 7427 §4.  The reply bytes are kept: they are RealMessage2 of the
 * responder's AUTH (§2.15), the request RealMessage1. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "auth/trustpoint.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/v2/v2.h"

static void sel_log(void *arg, const char *line)
{
	v2_log_peer(arg, 2, "%s", line);
}

static void send_refusal(struct v2_ctx *c, uint16_t type, const uint8_t *data, size_t len)
{
	struct buf b;
	struct ikev2_wr w;
	buf_init(&b);
	struct ikev2_hdr h = { .spi_i = c->outer->hdr.spi_i, .spi_r = 0, .version = IKEV2_VERSION,
			       .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE };
	ikev2_w_begin(&w, &b, &h);
	ikev2_w_notify(&w, 0, NULL, 0, type, data, len);
	if (ikev2_w_finish(&w)) {
		ike_io_send(c->eng->io, &c->pkt->to, &c->pkt->from, b.data, b.len);
		c->eng->st.tx_messages++;
	}
	v2_log_peer(&c->pkt->from, 1, "IKE_SA_INIT answered with N(%s)", ikev2_notify_name(type));
	buf_free(&b);
}

static void log_abort(const struct ike_pkt *p, const char *why)
{
	char l[32], r[32];
	log_event(SEV_WARNING, 750003, "Local:%s Remote:%s Username:Unknown Negotiation aborted due "
		  "to ERROR: %s", ike_addr_str(&p->to, l, sizeof(l)),
		  ike_addr_str(&p->from, r, sizeof(r)), why);
}

/* §2.6: above the half-open threshold every IKE_SA_INIT must return our
 * cookie.  Returns true when the request may go on. */
static bool cookie_ok(struct v2_ctx *c, const struct conf *conf)
{
	const struct ikev2_msg *m = c->in;
	unsigned threshold = conf->ikev2_cookie_threshold ? conf->ikev2_cookie_threshold
							   : V2_DEFAULT_COOKIE_THRESHOLD;
	if (c->eng->half_open < threshold)
		return true;
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_COOKIE);
	if (n && ike_cookie_check(&c->eng->cookies, n->data.data, n->data.len, m->nonce.data,
				  m->nonce.len, &c->pkt->from, m->hdr.spi_i))
		return true;
	uint8_t cookie[IKE_COOKIE_LEN];
	if (ike_cookie_make(&c->eng->cookies, m->nonce.data, m->nonce.len, &c->pkt->from,
			    m->hdr.spi_i, cookie) == 0) {
		c->eng->st.cookies_sent++;
		send_refusal(c, IKEV2_N_COOKIE, cookie, sizeof(cookie));
	}
	return false;
}

/* §2.23: compare the peer's NAT-D hashes with what we see. */
static int detect_nat(struct ike_sa *sa, const struct ikev2_msg *m)
{
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];
	bool have_src = false, have_dst = false, src_match = false, dst_match = false;
	if (ike_natd_hash(sa->spi_i, 0, &sa->remote, src) < 0 ||
	    ike_natd_hash(sa->spi_i, 0, &sa->local, dst) < 0)
		return -1;
	for (unsigned i = 0; i < m->n_notify; i++) {
		const struct ikev2_notify *n = &m->notify[i];
		bool len_ok = n->data.len == IKE_NATD_LEN;
		if (n->type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			have_src = true;
			src_match |= len_ok && memcmp(n->data.data, src, IKE_NATD_LEN) == 0;
		} else if (n->type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			have_dst = true;
			dst_match |= len_ok && memcmp(n->data.data, dst, IKE_NATD_LEN) == 0;
		}
	}
	sa->nat_remote = have_src && !src_match;
	sa->nat_local = have_dst && !dst_match;
	v2_log(sa, 3, "%s", sa->nat_remote ? "NAT OUTSIDE found" :
			    sa->nat_local ? "NAT INSIDE found" : "No NAT found");
	return 0;
}

static void peer_capabilities(struct ike_sa *sa, const struct ikev2_msg *m, const struct conf *conf)
{
	struct v2_sa *v = v2_of(sa);
	v->peer_frag = conf->ikev2_fragmentation &&
		       ikev2_msg_notify(m, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	sa->peer_fragmentation = v->peer_frag;
	const struct ikev2_notify *n = ikev2_msg_notify(m, IKEV2_N_SIGNATURE_HASH_ALGORITHMS);
	v->peer_sig_notify = n != NULL;
	for (size_t i = 0; n && i + 1 < n->data.len; i += 2) {
		unsigned h = (unsigned)n->data.data[i] << 8 | n->data.data[i + 1];
		if (h < 8)
			v->sig_hashes |= (uint8_t)(1u << h);
	}
}

/* DH and SKEYSEED (§2.14) run as a job: everything it needs is copied in,
 * the SA is found again by its serial when it is done. */
struct init_job {
	uint64_t serial;
	struct v2_ike_choice ch;
	uint8_t peer_ke[CRYPTO_MAX_DH_PUB];
	size_t peer_ke_len;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	uint64_t spi_i, spi_r;
	int rc;                              /* results */
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	struct ike_keymat km;
};

static void init_work(void *arg)
{
	struct init_job *j = arg;
	uint8_t shared[CRYPTO_MAX_DH_PUB];
	size_t shared_len = sizeof(shared);
	j->rc = -1;
	struct crypto_dh *dh = crypto_dh_new(j->ch.dh);
	if (dh && crypto_dh_public(dh, j->pub) == 0 &&
	    crypto_dh_shared(dh, j->peer_ke, j->peer_ke_len, shared, &shared_len) == 0) {
		j->km.prf = j->ch.prf;
		j->km.encr = j->ch.encr;
		j->km.integ = j->ch.integ;
		j->rc = ike_keys_derive(&j->km, j->ni, j->ni_len, j->nr, j->nr_len, shared,
					shared_len, j->spi_i, j->spi_r);
	}
	crypto_dh_free(dh);
	mem_wipe(shared, sizeof(shared));
}

static void init_done(void *arg, bool cancelled);

static void write_reply(struct ike_sa *sa, const struct v2_ike_choice *ch, const uint8_t *pub,
			size_t pub_len, struct buf *b)
{
	struct v2_sa *v = v2_of(sa);
	struct ikev2_wr w;
	struct ikev2_hdr h = { .spi_i = sa->spi_i, .spi_r = sa->spi_r, .version = IKEV2_VERSION,
			       .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE };
	ikev2_w_begin(&w, b, &h);
	struct ikev2_proposal p = { .num = ch->proposal_num, .protocol = IKEV2_PROTO_IKE };
	p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, ch->encr->ikev2_id,
		ch->encr->keylen_attr ? ch->encr->key_bits : 0, false };
	p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_PRF, ch->prf->ikev2_id, 0, false };
	if (ch->integ)
		p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_INTEG,
			ch->integ->ikev2_id, 0, false };
	p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_DH, ch->dh->id, 0, false };
	ikev2_w_sa(&w, &p, 1);
	ikev2_w_ke(&w, ch->dh->id, pub, pub_len);
	ikev2_w_nonce(&w, v->nr, v->nr_len);
	uint8_t natd[IKE_NATD_LEN];
	if (ike_natd_hash(sa->spi_i, sa->spi_r, &sa->local, natd) == 0)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, natd, sizeof(natd));
	if (ike_natd_hash(sa->spi_i, sa->spi_r, &sa->remote, natd) == 0)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP, natd,
			       sizeof(natd));
	/* CERTREQ: the CAs we verify client certificates with (§3.7). */
	const struct trustpoint_store *tps = v2_trustpoints(v->eng);
	uint8_t hashes[8 * 20];
	size_t nh = 0;
	for (size_t i = 0; tps && i < tps->n && nh + 20 <= sizeof(hashes); i++)
		if (tps->tp[i].ca && crypto_cert_spki_sha1(tps->tp[i].ca, hashes + nh) == 0)
			nh += 20;
	if (nh)
		ikev2_w_cert(&w, IKEV2_PL_CERTREQ, IKEV2_CERT_X509_SIG, hashes, nh);
	if (v->peer_frag)
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	if (v->peer_sig_notify) {
		static const uint8_t algs[] = { 0, 1, 0, 2, 0, 3, 0, 4 };  /* SHA1 SHA2-256/384/512 */
		ikev2_w_notify(&w, 0, NULL, 0, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, algs, sizeof(algs));
	}
	ikev2_w_finish(&w);
}

static void set_negotiated(struct ike_sa *sa, const struct v2_ike_choice *ch)
{
	sa->encr_id = ch->encr->ikev2_id;
	sa->encr_bits = ch->encr->key_bits;
	sa->prf_id = ch->prf->ikev2_id;
	sa->integ_id = ch->integ ? ch->integ->ikev2_id : 0;
	sa->dh_group = ch->dh->id;
	sa->lifetime_sec = ch->policy->lifetime_sec ? ch->policy->lifetime_sec : 86400;
	sa->policy_priority = ch->policy->priority;
}

/* HDR(SPIi,0), [N(COOKIE),] SAi1, KEi, Ni, [N...] -->
 *   <-- HDR(SPIi,SPIr), SAr1, KEr, Nr, N(NAT_D)x2, [CERTREQ,] [N...]   (from init_done)
 *   <-- HDR(SPIi,0), N(COOKIE | INVALID_KE_PAYLOAD | NO_PROPOSAL_CHOSEN)
 * RFC 7296 §1.2, §2.6, §2.7, §2.23 */
enum v2_verdict v2_init_request(struct v2_ctx *c)
{
	const struct ikev2_msg *m = c->in;
	const struct ike_pkt *p = c->pkt;
	struct conf *conf = v2_conf(c->eng);
	char l[32], r[32];
	log_event(SEV_NOTICE, 750002, "Local:%s Remote:%s Username:Unknown Received a IKE_INIT_SA "
		  "request", ike_addr_str(&p->to, l, sizeof(l)), ike_addr_str(&p->from, r, sizeof(r)));
	v2_dump(NULL, m, false);
	if (!conf || m->nonce.len < IKE_NONCE_MIN || m->nonce.len > IKE_NONCE_MAX ||
	    p->len > 65535)
		return V2_DROP;
	if (!cookie_ok(c, conf))
		return V2_REPLY;
	struct v2_ike_choice ch;
	struct sockaddr_in peer = p->from;
	enum v2_select s = v2_select_ike(conf, &m->sa, m->ke.group, &ch, sel_log, &peer);
	if (s == V2_SEL_NONE) {
		c->eng->st.no_proposal++;
		log_abort(p, "Failed to find a matching policy");
		send_refusal(c, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return V2_REPLY;
	}
	if (s == V2_SEL_INVALID_KE) {
		uint8_t g[2] = { (uint8_t)(ch.dh->id >> 8), (uint8_t)ch.dh->id };
		c->eng->st.invalid_ke_sent++;
		send_refusal(c, IKEV2_N_INVALID_KE_PAYLOAD, g, sizeof(g));
		return V2_REPLY;
	}
	struct ike_sa *sa = v2_sa_new(c->eng, p, m->hdr.spi_i);
	if (!sa)
		return V2_DROP;
	struct v2_sa *v = v2_of(sa);
	struct init_job *j = calloc(1, sizeof(*j));
	set_negotiated(sa, &ch);
	peer_capabilities(sa, m, conf);
	buf_put(&v->init_req, p->data, p->len);
	memcpy(v->ni, m->nonce.data, m->nonce.len);
	v->ni_len = m->nonce.len;
	v->nr_len = V2_NONCE_LEN;
	if (!j || v->init_req.oom || m->ke.data.len > sizeof(j->peer_ke) ||
	    detect_nat(sa, m) < 0 || crypto_random(v->nr, v->nr_len) < 0) {
		free(j);
		v2_sa_destroy(sa, NULL, false);
		return V2_DROP;
	}
	*j = (struct init_job){ .serial = sa->serial, .ch = ch, .peer_ke_len = m->ke.data.len,
				.ni_len = v->ni_len, .nr_len = v->nr_len, .spi_i = sa->spi_i,
				.spi_r = sa->spi_r };
	memcpy(j->peer_ke, m->ke.data.data, m->ke.data.len);
	memcpy(j->ni, v->ni, v->ni_len);
	memcpy(j->nr, v->nr, v->nr_len);
	v->busy = true;
	v2_sa_schedule(sa);                  /* the half-open timeout runs meanwhile */
	if (ike_job_submit(c->eng->jobs, init_work, init_done, j) < 0) {
		free(j);
		v2_sa_destroy(sa, NULL, false);
		return V2_DROP;
	}
	return V2_REPLY;
}

/* The keys are there: answer IKE_SA_INIT. */
static void init_done(void *arg, bool cancelled)
{
	struct init_job *j = arg;
	struct ike_sa *sa = ike_sa_find_serial(j->serial);
	struct buf b;
	buf_init(&b);
	if (!sa || cancelled)
		goto out;
	struct v2_sa *v = v2_of(sa);
	v->busy = false;
	if (j->rc < 0 || ike_sk_init(&v->sk, j->ch.encr, j->ch.integ, j->km.sk_ei, j->km.sk_ai,
				     j->km.sk_er, j->km.sk_ar) < 0) {
		v2_log(sa, 1, "invalid KE payload or key derivation failed (group %u)", j->ch.dh->id);
		v2_sa_destroy(sa, NULL, false);
		goto out;
	}
	v->km = j->km;
	v->keys_ready = true;
	if (log_secrets()) {
		char hex[2 * CRYPTO_MAX_HASH + 1];
		mem_hex(v->km.sk_d, v->km.prf_len, hex);
		v2_log(sa, 1, "SK_d %s", hex);
	}
	write_reply(sa, &j->ch, j->pub, j->ch.dh->pub_len, &b);
	buf_put(&v->init_resp, b.data, b.len);
	v->reply.d = calloc(1, sizeof(struct buf));
	if (b.oom || v->init_resp.oom || !v->reply.d) {
		v2_sa_destroy(sa, NULL, false);
		goto out;
	}
	v->reply.n = 1;
	buf_init(&v->reply.d[0]);
	buf_put(&v->reply.d[0], b.data, b.len);
	v->have_reply = true;
	v->reply_id = 0;
	sa->peer_next_id = 1;
	v->eng->st.sa_init++;
	v2_log(sa, 1, "IKE_SA_INIT done: policy %u, %s-%u %s %s %s", sa->policy_priority,
	       ikev2_transform_name(IKEV2_TRANS_ENCR, sa->encr_id), sa->encr_bits,
	       ikev2_transform_name(IKEV2_TRANS_PRF, sa->prf_id),
	       sa->integ_id ? ikev2_transform_name(IKEV2_TRANS_INTEG, sa->integ_id) : "(AEAD)",
	       ikev2_transform_name(IKEV2_TRANS_DH, sa->dh_group));
	if (log_debug_on(LOG_IKEV2, 4)) {
		struct ikev2_msg *dm = calloc(1, sizeof(*dm));
		struct ikev2_parse_err err;
		if (dm && ikev2_parse_message(b.data, b.len, dm, &err) == 0)
			v2_dump(sa, dm, true);
		free(dm);
	}
	v2_send_dgrams(v->eng, &v->reply, &sa->local, &sa->remote);
	v2_sa_schedule(sa);
out:
	buf_free(&b);
	ike_keys_wipe(&j->km);
	mem_wipe(j, sizeof(*j));
	free(j);
}
