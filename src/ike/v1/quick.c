/* Quick Mode (RFC 2409 §5.5): the IPsec SA of a remote-access client.
 *
 *   HDR*, HASH(1), SA, Ni, [KE], IDci, IDcr              -->
 *   <-- HDR*, HASH(2), SA, Nr, [KE], IDci, IDcr, [N(RESPONDER-LIFETIME)]
 *   HDR*, HASH(3)                                        -->
 *
 * IDci must be the address Mode Config assigned (as /32 or a subnet holding
 * it); IDcr is echoed (vpnc asks for 0.0.0.0/0, strongSwan for the split
 * networks it was given).  The SA goes to the data plane when HASH(3)
 * arrives: KEYMAT per direction from the SPI of the receiving side.  A
 * second Quick Mode while one SA is up is the client's rekey: the new SA is
 * installed beside the old one, which goes when the client deletes it or
 * expires (the data plane switches outbound traffic make-before-break). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/core/child.h"
#include "ike/v1/v1.h"

static void walk_line(void *arg, const char *line)
{
	v1_log(arg, 5, "%s", line);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An IPv4 ID as an address range; -1 for other types. */
static int id_range(const struct ikev1_id *id, struct ike_ts *out)
{
	const uint8_t *d = id->data.data;
	memset(out, 0, sizeof(*out));
	out->proto = id->proto;
	out->port_start = id->port ? id->port : 0;
	out->port_end = id->port ? id->port : 65535;
	switch (id->type) {
	case IKEV1_ID_IPV4_ADDR:
		if (id->data.len != 4)
			return -1;
		out->start = out->end = be32(d);
		return 0;
	case IKEV1_ID_IPV4_ADDR_SUBNET:
		if (id->data.len != 8)
			return -1;
		out->start = be32(d) & be32(d + 4);
		out->end = out->start | ~be32(d + 4);
		return 0;
	case IKEV1_ID_IPV4_ADDR_RANGE:
		if (id->data.len != 8 || be32(d) > be32(d + 4))
			return -1;
		out->start = be32(d);
		out->end = be32(d + 4);
		return 0;
	default:
		return -1;
	}
}

static uint16_t check_ids(struct ike_sa *sa, const struct ikev1_msg *m, struct v1_qm *q)
{
	if (m->n_id != 2) {
		v1_log(sa, 1, "Quick Mode without client IDs: a remote-access client must name its "
		       "assigned address");
		return IKEV1_N_INVALID_ID_INFORMATION;
	}
	if (id_range(&m->id[0], &q->remote_ts) < 0 || id_range(&m->id[1], &q->local_ts) < 0) {
		v1_log(sa, 1, "Quick Mode IDs of type %s/%s are not IPv4 addresses or subnets",
		       ikev1_id_type_name(m->id[0].type), ikev1_id_type_name(m->id[1].type));
		return IKEV1_N_INVALID_ID_INFORMATION;
	}
	if (sa->assigned_addr < q->remote_ts.start || sa->assigned_addr > q->remote_ts.end) {
		char a[16], b[16];
		v1_log(sa, 1, "Quick Mode IDci %s does not hold the assigned address %s",
		       ike_ip_str(q->remote_ts.start, a, sizeof(a)),
		       ike_ip_str(sa->assigned_addr, b, sizeof(b)));
		return IKEV1_N_INVALID_ID_INFORMATION;
	}
	q->remote_ts.start = q->remote_ts.end = sa->assigned_addr;
	return 0;
}

/* PFS: our KE and g(qm)^xy. */
static int pfs(struct ike_sa *sa, struct v1_qm *q, const struct ikev1_blob *ke, uint8_t *pub,
	       size_t *pub_len)
{
	*pub_len = 0;
	q->gqm_len = 0;
	if (!q->pfs_group)
		return 0;
	const struct crypto_dh_group *g = crypto_dh_group(q->pfs_group);
	if (!g || ke->len != g->pub_len)
		return -1;
	struct crypto_dh *dh = crypto_dh_new(g);
	size_t len = sizeof(q->gqm);
	int rc = -1;
	if (dh && crypto_dh_public(dh, pub) == 0 &&
	    crypto_dh_shared(dh, ke->data, ke->len, q->gqm, &len) == 0) {
		q->gqm_len = len;
		*pub_len = g->pub_len;
		rc = 0;
	} else {
		v1_log(sa, 1, "PFS: invalid KE payload for group %u", q->pfs_group);
	}
	crypto_dh_free(dh);
	return rc;
}

struct qm2 {
	const struct ikev1_msg *m;
	const struct v1_p2_choice *ch;
	const struct v1_qm *q;
	const uint8_t *ke;
	size_t ke_len;
};

static void write_lifetime(struct ikev1_wr *w, const struct v1_qm *q)
{
	uint8_t spi[4] = { (uint8_t)(q->spi_in >> 24), (uint8_t)(q->spi_in >> 16),
			   (uint8_t)(q->spi_in >> 8), (uint8_t)q->spi_in };
	uint8_t d[24];
	size_t n = 0;
	/* life type seconds (TV), duration (TLV 4), life type kilobytes, duration */
	const uint32_t vals[2] = { q->life_sec, q->life_kb };
	for (int i = 0; i < 2; i++) {
		d[n++] = 0x80;
		d[n++] = IKEV1_A2_LIFE_TYPE;
		d[n++] = 0;
		d[n++] = (uint8_t)(i == 0 ? IKEV1_LIFE_SECONDS : IKEV1_LIFE_KILOBYTES);
		d[n++] = 0;
		d[n++] = IKEV1_A2_LIFE_DURATION;
		d[n++] = 0;
		d[n++] = 4;
		d[n++] = (uint8_t)(vals[i] >> 24);
		d[n++] = (uint8_t)(vals[i] >> 16);
		d[n++] = (uint8_t)(vals[i] >> 8);
		d[n++] = (uint8_t)vals[i];
	}
	ikev1_w_notify(w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ESP, spi, 4, IKEV1_N_RESPONDER_LIFETIME, d, n);
}

static void fill_qm2(struct ikev1_wr *w, void *arg)
{
	const struct qm2 *a = arg;
	struct ikev1_sa *sa = calloc(1, sizeof(*sa));
	if (!sa) {
		w->b->oom = true;
		return;
	}
	const struct ikev1_proposal *op = &a->m->sa.p[a->ch->prop_index];
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n = 1;
	sa->p[0] = *op;
	sa->p[0].spi_size = 4;
	sa->p[0].spi[0] = (uint8_t)(a->q->spi_in >> 24);
	sa->p[0].spi[1] = (uint8_t)(a->q->spi_in >> 16);
	sa->p[0].spi[2] = (uint8_t)(a->q->spi_in >> 8);
	sa->p[0].spi[3] = (uint8_t)a->q->spi_in;
	sa->p[0].n_transforms = 1;
	sa->p[0].first = 0;
	sa->n_t = 1;
	sa->t[0] = a->m->sa.t[a->ch->t_index];
	ikev1_w_sa(w, sa);
	free(sa);
	ikev1_w_nonce(w, a->q->nr, sizeof(a->q->nr));
	if (a->ke_len)
		ikev1_w_ke(w, a->ke, a->ke_len);
	for (size_t i = 0; i < a->m->n_id; i++) {
		const struct ikev1_id *id = &a->m->id[i];
		ikev1_w_id(w, id->type, id->proto, id->port, id->data.data, id->data.len);
	}
	if (a->ch->shortened)
		write_lifetime(w, a->q);
}

static void qm_fail(struct ike_sa *sa, struct v1_exch *ex, const char *why)
{
	struct v1_sa *v = v1_of(sa);
	char ip[INET_ADDRSTRLEN];
	v->eng->st.qm_failed++;
	log_event(SEV_WARNING, 713902, "Group = %s, Username = %s, IP = %s, QM FSM error "
		  "(msgid=%08x): %s", sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  sa->username ? sa->username : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), ex->msg_id, why);
	v1_exch_free(ex);
	v1_send_error(sa, IKEV1_N_NO_PROPOSAL_CHOSEN);
}

static void quick_first(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = c->v;
	const struct ikev1_msg *m = c->m;
	struct v1_exch *ex = c->ex;
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->order[0] != IKEV1_PL_HASH ||
	    m->hash.len != v->k.prf_len ||
	    v1_hash_msg(&v->k, false, m->hdr.msg_id, m->after_hash.data, m->after_hash.len,
			NULL, 0, NULL, 0, h) < 0 || CRYPTO_memcmp(h, m->hash.data, v->k.prf_len)) {
		v->eng->st.rx_bad_hash++;
		v1_log(sa, 1, "Quick Mode message 1 with a wrong HASH(1): dropped");
		v1_exch_free(ex);
		return;
	}
	v1_note_addresses(sa, c->pkt);
	sa->last_rx_ms = loop_now_ms();
	if (v->phase != V1_READY) {
		qm_fail(sa, ex, "Quick Mode before XAUTH and Mode Config completed");
		return;
	}
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || !IKEV1_PRESENT(m, IKEV1_PL_NONCE) ||
	    m->nonce.len < 8 || m->nonce.len > 256) {
		qm_fail(sa, ex, "Quick Mode message 1 without SA or a valid nonce");
		return;
	}
	struct v1_qm *q = calloc(1, sizeof(*q));
	if (!q)
		return;
	ex->qm = q;
	bool nat = sa->nat_remote || sa->nat_local;
	struct v1_p2_choice ch;
	uint16_t ke_group = 0;
	if (IKEV1_PRESENT(m, IKEV1_PL_KE)) {
		/* the group is announced in the transforms; the KE length decides */
		for (size_t i = 0; i < m->sa.n_t; i++)
			if (m->sa.t[i].pfs_group)
				ke_group = m->sa.t[i].pfs_group;
	}
	if (v1_select_p2(sa->conf, sa->ifname, &m->sa, v->natt != 0, !nat, ke_group, &ch,
			 walk_line, sa) < 0) {
		v1_log(sa, 1, "All IPSec SA proposals found unacceptable!");
		qm_fail(sa, ex, "no IPsec proposal matches the crypto map's transform sets");
		return;
	}
	q->encr = ch.encr;
	q->integ = ch.integ;
	q->esp_id = m->sa.t[ch.t_index].id;
	q->auth_alg = m->sa.t[ch.t_index].auth_alg;
	q->pfs_group = ch.pfs_group;
	q->encap = ch.encap;
	q->spi_out = ch.peer_spi;
	q->life_sec = ch.life_sec;
	q->life_kb = ch.life_kb;
	q->dynmap = ch.dynmap;
	q->commit = m->hdr.flags & IKEV1_FLAG_COMMIT;
	ex->flags = q->commit ? IKEV1_FLAG_COMMIT : 0;      /* echoed in QM2 */
	uint16_t n = check_ids(sa, m, q);
	if (n) {
		qm_fail(sa, ex, "client IDs do not match the assigned address");
		return;
	}
	memcpy(q->ni, m->nonce.data, m->nonce.len);
	q->ni_len = m->nonce.len;
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	size_t pub_len;
	q->spi_in = 0;
	for (int tries = 0; tries < 32 && !q->spi_in; tries++) {
		uint32_t spi;
		if (crypto_random(&spi, sizeof(spi)) < 0)
			break;
		if (spi >= 256 && ike_child_spi_add(spi, sa->serial) == 0)
			q->spi_in = spi;
	}
	if (!q->spi_in || crypto_random(q->nr, sizeof(q->nr)) < 0 ||
	    pfs(sa, q, &m->ke, pub, &pub_len) < 0) {
		if (q->spi_in)
			ike_child_spi_remove(q->spi_in);
		q->spi_in = 0;
		qm_fail(sa, ex, "no SPI, nonce or PFS key");
		return;
	}
	struct qm2 a = { m, &ch, q, pub, pub_len };
	if (v1_send_in(sa, IKEV1_X_QUICK, ex, q->ni, q->ni_len, fill_qm2, &a) < 0) {
		ike_child_spi_remove(q->spi_in);
		q->spi_in = 0;
		qm_fail(sa, ex, "could not send Quick Mode message 2");
		return;
	}
	v1_log(sa, 2, "Quick Mode: accepted %s-%u %s from crypto dynamic-map %s %u (line %d), "
	       "transform-set %s (line %d); our SPI 0x%08x, theirs 0x%08x%s", ch.encr->name,
	       ch.encr->key_bits, ch.integ ? ch.integ->name : "(no integrity)", ch.dynmap->name,
	       ch.dynmap->seq, ch.dynmap->line, ch.ts->name, ch.ts->line, q->spi_in, q->spi_out,
	       ch.shortened ? ", RESPONDER-LIFETIME sent" : "");
}

static struct child_sa *new_child(struct ike_sa *sa, const struct v1_qm *q)
{
	struct child_sa *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->spi_in = q->spi_in;
	k->spi_out = q->spi_out;
	k->protocol = IKEV1_PROTO_ESP;
	k->encr_id = q->encr->ikev2_id;
	k->encr_bits = q->encr->key_bits;
	k->integ_id = q->integ ? q->integ->ikev2_id : 0;
	k->pfs_group = q->pfs_group;
	k->local_ts = q->local_ts;
	k->remote_ts = q->remote_ts;
	k->lifetime_sec = q->life_sec;
	k->lifetime_kb = q->life_kb;
	k->created = time(NULL);
	k->conn_id = ++v1_of(sa)->eng->next_conn_id;
	k->dynmap = q->dynmap ? q->dynmap->name : NULL;
	k->dynmap_seq = q->dynmap ? q->dynmap->seq : 0;
	k->udp_encap = q->encap == IKEV1_ENCAP_UDP_TUNNEL || q->encap == IKEV1_ENCAP_UDP_TUNNEL_DRAFT;
	k->ike_serial = sa->serial;
	return k;
}

static void log_child(struct ike_sa *sa, const struct child_sa *k, uint32_t msg_id)
{
	char a[16], b[16];
	const char *user = sa->username ? sa->username : "Unknown";
	const char *group = sa->tunnel_group ? sa->tunnel_group : "Unknown";
	ike_ip_str(ntohl(sa->local.sin_addr.s_addr), a, sizeof(a));
	ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), b, sizeof(b));
	log_event(SEV_INFO, 602303, "IPSEC: An outbound remote access SA (SPI= 0x%08X) between %s "
		  "and %s (user= %s) has been created.", k->spi_out, a, b, user);
	log_event(SEV_INFO, 602303, "IPSEC: An inbound remote access SA (SPI= 0x%08X) between %s "
		  "and %s (user= %s) has been created.", k->spi_in, b, a, user);
	log_event(SEV_NOTICE, 713049, "Group = %s, Username = %s, IP = %s, Security negotiation "
		  "complete for User (%s)  Responder, Inbound SPI = 0x%08x, Outbound SPI = 0x%08x",
		  group, user, b, user, k->spi_in, k->spi_out);
	log_event(SEV_NOTICE, 713120, "Group = %s, Username = %s, IP = %s, PHASE 2 COMPLETED "
		  "(msgid=%08x)", group, user, b, msg_id);
}

/* KEYMAT for both directions (from the SPI of the receiving side, RFC 2409
 * §5.5) and the one call into the data plane; the child is linked to sa. */
static int key_install(struct ike_sa *sa, struct v1_qm *q, const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len, struct child_sa **out)
{
	struct v1_sa *v = v1_of(sa);
	struct ike_child_keys keys = { .encr_len = q->encr->key_len,
				       .integ_len = q->integ ? q->integ->key_len : 0 };
	uint8_t km[2 * CRYPTO_MAX_KEY];
	size_t need = keys.encr_len + keys.integ_len;
	const uint8_t *g = q->gqm_len ? q->gqm : NULL;
	struct child_sa *k = NULL;
	int rc = -1;
	/* what we receive (our SPI) takes the "initiator -> responder" slot,
	 * as ike_child_install() reads it for a responder */
	if (v1_keymat(&v->k, g, q->gqm_len, IKEV1_PROTO_ESP, q->spi_in, ni, ni_len, nr, nr_len,
		      km, need) == 0) {
		memcpy(keys.encr_i, km, keys.encr_len);
		memcpy(keys.integ_i, km + keys.encr_len, keys.integ_len);
		if (v1_keymat(&v->k, g, q->gqm_len, IKEV1_PROTO_ESP, q->spi_out, ni, ni_len, nr,
			      nr_len, km, need) == 0) {
			memcpy(keys.encr_r, km, keys.encr_len);
			memcpy(keys.integ_r, km + keys.encr_len, keys.integ_len);
			k = new_child(sa, q);
			rc = k ? ike_child_install(sa, k, &keys, q->encr, q->integ,
						   sa->conf->replay_window) : -1;
		}
	}
	mem_wipe(km, sizeof(km));
	mem_wipe(&keys, sizeof(keys));
	if (rc < 0) {
		if (k)
			ike_child_free(k);    /* releases the SPI */
		else
			ike_child_spi_remove(q->spi_in);
		q->spi_in = 0;
		return -1;
	}
	q->spi_in = 0;                   /* owned by the child now */
	struct child_sa **pp = &sa->children;
	while (*pp)
		pp = &(*pp)->next;
	*pp = k;
	*out = k;
	v->eng->st.qm_done++;
	return 0;
}

/* Keep a finished exchange (keys wiped): a late copy of its first message
 * must not start a second SA. */
static void qm_finished(struct v1_exch *ex)
{
	crypto_dh_free(ex->qm->dh);
	mem_wipe(ex->qm, sizeof(*ex->qm));
	ex->qm->done = true;
	ex->awaiting = false;
}

static void quick_third(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = c->v;
	struct v1_exch *ex = c->ex;
	struct v1_qm *q = ex->qm;
	const struct ikev1_msg *m = c->m;
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != v->k.prf_len ||
	    v1_hash_msg(&v->k, true, ex->msg_id, q->ni, q->ni_len, q->nr, sizeof(q->nr), NULL, 0,
			h) < 0 || CRYPTO_memcmp(h, m->hash.data, v->k.prf_len)) {
		v->eng->st.rx_bad_hash++;
		v1_log(sa, 1, "Quick Mode message 3 with a wrong HASH(3): dropped");
		return;
	}
	v1_note_addresses(sa, c->pkt);
	sa->last_rx_ms = loop_now_ms();
	struct child_sa *k;
	bool commit = q->commit;
	if (key_install(sa, q, q->ni, q->ni_len, q->nr, sizeof(q->nr), &k) < 0) {
		qm_fail(sa, ex, "the IPsec SA could not be keyed or installed");
		return;
	}
	log_child(sa, k, ex->msg_id);
	if (commit)
		v1_send_connected(sa, k->spi_in);
	qm_finished(ex);
	v1_sa_schedule(sa);
}

/* ---- a Quick Mode we start: rekey of an IPsec SA ------------------------------ */

static void id_payload(struct ikev1_wr *w, const struct ike_ts *t)
{
	uint8_t d[8] = { (uint8_t)(t->start >> 24), (uint8_t)(t->start >> 16),
			 (uint8_t)(t->start >> 8), (uint8_t)t->start };
	if (t->start == t->end) {
		ikev1_w_id(w, IKEV1_ID_IPV4_ADDR, 0, 0, d, 4);
		return;
	}
	uint32_t mask = ~(t->end - t->start);
	d[4] = (uint8_t)(mask >> 24);
	d[5] = (uint8_t)(mask >> 16);
	d[6] = (uint8_t)(mask >> 8);
	d[7] = (uint8_t)mask;
	ikev1_w_id(w, IKEV1_ID_IPV4_ADDR_SUBNET, 0, 0, d, 8);
}

struct qm1_ours {
	const struct v1_qm *q;
	const uint8_t *ke;
	size_t ke_len;
};

static void fill_qm1_ours(struct ikev1_wr *w, void *arg)
{
	const struct qm1_ours *a = arg;
	const struct v1_qm *q = a->q;
	struct ikev1_sa *sa = calloc(1, sizeof(*sa));
	if (!sa) {
		w->b->oom = true;
		return;
	}
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n = 1;
	sa->p[0] = (struct ikev1_proposal){ .num = 1, .protocol = IKEV1_PROTO_ESP, .spi_size = 4,
		.spi = { (uint8_t)(q->spi_in >> 24), (uint8_t)(q->spi_in >> 16),
			 (uint8_t)(q->spi_in >> 8), (uint8_t)q->spi_in }, .n_transforms = 1 };
	sa->n_t = 1;
	sa->t[0] = (struct ikev1_transform){ .num = 1, .id = (uint8_t)q->esp_id,
		.key_bits = q->esp_id == IKEV1_ESP_AES ? q->encr->key_bits : 0,
		.encap = q->encap, .auth_alg = q->auth_alg, .pfs_group = q->pfs_group,
		.life_sec = q->life_sec, .life_kb = q->life_kb };
	ikev1_w_sa(w, sa);
	free(sa);
	ikev1_w_nonce(w, q->ni, q->ni_len);
	if (a->ke_len)
		ikev1_w_ke(w, a->ke, a->ke_len);
	id_payload(w, &q->local_ts);     /* IDci: our side initiates */
	id_payload(w, &q->remote_ts);    /* IDcr: the client's address */
}

static const struct conf_dynmap_entry *dynmap_named(const struct conf *c, const char *name,
						    unsigned seq)
{
	for (size_t i = 0; name && i < c->n_dynmaps; i++)
		if (c->dynmaps[i].seq == seq && strcmp(c->dynmaps[i].name, name) == 0)
			return &c->dynmaps[i];
	return NULL;
}

/* The same suite, lifetimes and selectors as the SA being replaced. */
static int rekey_params(struct ike_sa *sa, const struct child_sa *old, struct v1_qm *q)
{
	q->encr = crypto_encr_ikev2(old->encr_id, old->encr_bits);
	q->integ = old->integ_id ? crypto_integ_ikev2(old->integ_id) : NULL;
	if (!q->encr || !q->encr->ikev1_esp_id || (old->integ_id && !q->integ))
		return -1;
	q->esp_id = q->encr->ikev1_esp_id;
	q->auth_alg = q->integ ? q->integ->ikev1_esp_auth : 0;
	q->pfs_group = old->pfs_group;
	q->encap = !old->udp_encap ? IKEV1_ENCAP_TUNNEL : sa->v1_natt_draft
		   ? IKEV1_ENCAP_UDP_TUNNEL_DRAFT : IKEV1_ENCAP_UDP_TUNNEL;
	q->life_sec = old->lifetime_sec;
	q->life_kb = (uint32_t)(old->lifetime_kb > UINT32_MAX ? UINT32_MAX : old->lifetime_kb);
	q->dynmap = dynmap_named(sa->conf, old->dynmap, old->dynmap_seq);
	q->local_ts = old->local_ts;
	q->remote_ts = old->remote_ts;
	q->ours = true;
	q->rekey_of = old->spi_in;
	q->ni_len = V1_NONCE_LEN;
	return crypto_random(q->ni, q->ni_len);
}

int v1_quick_rekey(struct ike_sa *sa, struct child_sa *old)
{
	struct v1_sa *v = v1_of(sa);
	if (v->phase != V1_READY)
		return -1;
	uint32_t id = v1_new_msg_id(sa);
	struct v1_qm *q = calloc(1, sizeof(*q));
	if (!id || !q || rekey_params(sa, old, q) < 0) {
		free(q);
		return -1;
	}
	for (int tries = 0; tries < 32 && !q->spi_in; tries++) {
		uint32_t spi;
		if (crypto_random(&spi, sizeof(spi)) < 0)
			break;
		if (spi >= 256 && ike_child_spi_add(spi, sa->serial) == 0)
			q->spi_in = spi;
	}
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	size_t pub_len = 0;
	const struct crypto_dh_group *g = q->pfs_group ? crypto_dh_group(q->pfs_group) : NULL;
	if (g) {
		q->dh = crypto_dh_new(g);
		if (q->dh && crypto_dh_public(q->dh, pub) == 0)
			pub_len = g->pub_len;
	}
	struct v1_exch *ex = q->spi_in && (!g || pub_len) ? v1_exch_new(sa, V1_EX_QUICK, id) : NULL;
	if (!ex) {
		if (q->spi_in)
			ike_child_spi_remove(q->spi_in);
		crypto_dh_free(q->dh);
		free(q);
		return -1;
	}
	ex->qm = q;
	struct qm1_ours a = { q, pub, pub_len };
	if (v1_send_new(sa, IKEV1_X_QUICK, ex, fill_qm1_ours, &a) < 0) {
		ike_child_spi_remove(q->spi_in);
		v1_exch_free(ex);
		return -1;
	}
	v1_log(sa, 1, "rekeying IPsec SA 0x%08x/0x%08x (Quick Mode msgid %08x, new SPI 0x%08x)",
	       old->spi_in, old->spi_out, id, q->spi_in);
	return 0;
}

/* QM2 from the client in a Quick Mode we started: check, answer HASH(3),
 * install. */
static void quick_second(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = c->v;
	struct v1_exch *ex = c->ex;
	struct v1_qm *q = ex->qm;
	const struct ikev1_msg *m = c->m;
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->order[0] != IKEV1_PL_HASH ||
	    m->hash.len != v->k.prf_len ||
	    v1_hash_msg(&v->k, false, ex->msg_id, q->ni, q->ni_len, m->after_hash.data,
			m->after_hash.len, NULL, 0, h) < 0 ||
	    CRYPTO_memcmp(h, m->hash.data, v->k.prf_len)) {
		v->eng->st.rx_bad_hash++;
		v1_log(sa, 1, "Quick Mode message 2 with a wrong HASH(2): dropped");
		return;
	}
	v1_note_addresses(sa, c->pkt);
	sa->last_rx_ms = loop_now_ms();
	ex->awaiting = false;
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || m->sa.n != 1 || m->sa.p[0].spi_size != 4 ||
	    m->sa.p[0].protocol != IKEV1_PROTO_ESP || m->sa.p[0].n_transforms != 1 ||
	    m->sa.t[m->sa.p[0].first].id != q->esp_id || !IKEV1_PRESENT(m, IKEV1_PL_NONCE) ||
	    m->nonce.len < 8 || m->nonce.len > sizeof(q->nr_peer)) {
		ike_child_spi_remove(q->spi_in);
		q->spi_in = 0;
		qm_finished(ex);
		v1_log(sa, 1, "the client's answer to our rekey is unacceptable: the old SA stays "
		       "until it expires");
		return;
	}
	q->spi_out = be32(m->sa.p[0].spi);
	memcpy(q->nr_peer, m->nonce.data, m->nonce.len);
	q->nr_peer_len = m->nonce.len;
	size_t len = sizeof(q->gqm);
	if (q->dh && (!IKEV1_PRESENT(m, IKEV1_PL_KE) ||
		      crypto_dh_shared(q->dh, m->ke.data, m->ke.len, q->gqm, &len) < 0)) {
		ike_child_spi_remove(q->spi_in);
		q->spi_in = 0;
		qm_finished(ex);
		v1_log(sa, 1, "rekey: the client's PFS KE is unusable");
		return;
	}
	q->gqm_len = q->dh ? len : 0;
	/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
	struct v1_out o;
	v1_out_begin(&o, sa, IKEV1_X_QUICK, ex->msg_id, IKEV1_FLAG_ENC, true);
	int rc = o.b.oom ? -1 : v1_hash_msg(&v->k, true, ex->msg_id, q->ni, q->ni_len, q->nr_peer,
					     q->nr_peer_len, NULL, 0, o.b.data + o.hash_off);
	if (rc == 0)
		rc = v1_out_seal(&o, sa, ex->iv);
	if (rc == 0) {
		buf_reset(&ex->last_tx);
		buf_put(&ex->last_tx, o.b.data, o.b.len);
		rc = v1_send_raw(sa, o.b.data, o.b.len);
	}
	v1_out_free(&o);
	struct child_sa *k;
	if (rc < 0 || key_install(sa, q, q->ni, q->ni_len, q->nr_peer, q->nr_peer_len, &k) < 0) {
		qm_fail(sa, ex, "the rekeyed IPsec SA could not be keyed or installed");
		return;
	}
	log_child(sa, k, ex->msg_id);
	qm_finished(ex);
	v1_sa_schedule(sa);
}

void v1_quick(struct v1_ctx *c)
{
	const struct v1_qm *q = c->ex->qm;
	if (q && !q->done && q->ours)
		quick_second(c);
	else if (q && !q->done && q->spi_in)
		quick_third(c);
	else if (!q)
		quick_first(c);
	else
		v1_log(c->sa, 3, "Quick Mode message for a finished exchange (a late copy): ignored");
}
