/* Phase 1: Main Mode and Aggressive Mode with pre-shared keys (RFC 2409
 * §5, §5.4), as the Cisco VPN Client generation uses them.
 *
 * Aggressive Mode (vpnc, Cisco VPN Client with a group):
 *   HDR, SA, KE, Ni, IDii(KEY_ID = group), VID...            -->
 *   <-- HDR, SA, KE, Nr, IDir, HASH_R, VID..., NAT-D, NAT-D, [N(RESPONDER-LIFETIME)]
 *   HDR*, HASH_I, [N(INITIAL-CONTACT)], VID..., NAT-D, NAT-D -->
 * The group name selects the tunnel-group; its `ikev1 pre-shared-key` (PIX:
 * `vpngroup G password`) keys SKEYID.
 *
 * Main Mode (identities are encrypted, so the key is chosen by address):
 *   HDR, SA, VID...              -->  <-- HDR, SA, VID...
 *   HDR, KE, Ni, [NAT-D, NAT-D]  -->  <-- HDR, KE, Nr, [NAT-D, NAT-D]
 *   HDR*, IDii, HASH_I, [N]      -->  <-- HDR*, IDir, HASH_R
 * The key is the most specific `isakmp key K address A netmask M` (PIX;
 * 0.0.0.0/0 is the wildcard key), else the DefaultRAGroup's pre-shared key
 * (what an ASA does for Main Mode remote-access clients).
 *
 * NAT-T (RFC 3947 and drafts 00-03): the newest version both sides know is
 * echoed; NAT-D payloads compare the addresses each side saw; from the
 * message after the NAT-D exchange the client may continue on UDP 4500. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/v1/v1.h"

#define V1_MAX_ID 256

/* ---- peer capabilities --------------------------------------------------- */

static void read_vendor_ids(struct v1_sa *v, const struct ikev1_msg *m)
{
	/* NAT-T versions, newest first: what we echo and how NAT-D is sent. */
	static const struct { enum ikev1_vid vid; int natd; bool floats; } natt[] = {
		{ IKEV1_VID_NATT_RFC, IKEV1_PL_NATD, true },
		{ IKEV1_VID_NATT_03, IKEV1_PL_NATD_DRAFT, true },
		{ IKEV1_VID_NATT_02N, IKEV1_PL_NATD_DRAFT, true },
		{ IKEV1_VID_NATT_02, IKEV1_PL_NATD_DRAFT, true },
	};
	bool seen[IKEV1_VID_COUNT] = { false };
	for (size_t i = 0; i < m->n_vendor; i++) {
		enum ikev1_vid id = ikev1_vid_match(m->vendor[i].data, m->vendor[i].len);
		if (id < IKEV1_VID_COUNT)
			seen[id] = true;
	}
	v->peer_unity = seen[IKEV1_VID_UNITY];
	v->peer_xauth = seen[IKEV1_VID_XAUTH];
	v->peer_dpd = seen[IKEV1_VID_DPD];
	v->peer_frag = seen[IKEV1_VID_FRAG];
	for (size_t i = 0; i < sizeof(natt) / sizeof(natt[0]); i++) {
		if (seen[natt[i].vid]) {
			v->natt = natt[i].natd;
			v->natt_vid = natt[i].vid;
			v->natt_float = natt[i].floats;
			return;
		}
	}
}

static void put_vid(struct ikev1_wr *w, enum ikev1_vid id)
{
	size_t len;
	const uint8_t *b = ikev1_vid_bytes(id, &len);
	if (b)
		ikev1_w_vendor(w, b, len);
}

static void write_vendor_ids(struct ikev1_wr *w, const struct v1_sa *v)
{
	if (v->peer_unity)
		put_vid(w, IKEV1_VID_UNITY);
	if (v->peer_xauth)
		put_vid(w, IKEV1_VID_XAUTH);
	if (v->peer_dpd)
		put_vid(w, IKEV1_VID_DPD);
	if (v->natt)
		put_vid(w, (enum ikev1_vid)v->natt_vid);
	if (v->peer_frag) {
		/* capability 0x80000000: fragments of Main/Aggressive Mode accepted */
		size_t len;
		const uint8_t *b = ikev1_vid_bytes(IKEV1_VID_FRAG, &len);
		uint8_t vid[32];
		if (b && len + 4 <= sizeof(vid)) {
			memcpy(vid, b, len);
			memcpy(vid + len, "\x80\x00\x00\x00", 4);
			ikev1_w_vendor(w, vid, len + 4);
		}
	}
}

/* ---- keys and identities ---------------------------------------------------- */

static const struct conf_isakmp_key *key_by_addr(const struct conf *c, uint32_t addr)
{
	const struct conf_isakmp_key *best = NULL;
	for (size_t i = 0; i < c->n_isakmp_keys; i++) {
		const struct conf_isakmp_key *k = &c->isakmp_keys[i];
		if ((addr & k->mask) != (k->addr & k->mask))
			continue;
		if (!best || __builtin_popcount(k->mask) > __builtin_popcount(best->mask))
			best = k;
	}
	return best;
}

static const struct conf_tunnel_group *ra_group(const struct conf *c, const char *name)
{
	const struct conf_tunnel_group *tg = conf_tunnel_group(c, name);
	if (!tg)
		tg = conf_tunnel_group_by_alias(c, name);
	return tg && tg->ikev1_psk ? tg : NULL;
}

/* Printable identity ("group" for KEY_ID/FQDN, dotted address for IPv4). */
static void id_str(const struct ikev1_id *id, char *out, size_t cap)
{
	if (id->type == IKEV1_ID_IPV4_ADDR && id->data.len == 4) {
		uint32_t a = (uint32_t)id->data.data[0] << 24 | (uint32_t)id->data.data[1] << 16 |
			     (uint32_t)id->data.data[2] << 8 | id->data.data[3];
		ike_ip_str(a, out, cap);
		return;
	}
	size_t n = id->data.len < cap - 1 ? id->data.len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = id->data.data[i];
		out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[n] = 0;
}

/* How the user is authenticated and configured after phase 1. */
static void decide_aaa(struct ike_sa *sa, const struct conf_isakmp_key *key)
{
	struct v1_sa *v = v1_of(sa);
	const struct conf *c = sa->conf;
	const struct conf_crypto_map_client *cm = c->n_cmap_clients ? &c->cmap_clients[0] : NULL;
	v->need_xauth = v->chosen.auth == IKEV1_AUTH_XAUTH_INIT_PSK ||
			v->chosen.auth == IKEV1_AUTH_XAUTH_INIT_RSA ||
			(cm && cm->authn_server_group) || (v->tg && v->tg->remote_access);
	if ((key && key->no_xauth) || (v->tg && v->tg->ikev1_user_auth == V1UAUTH_NONE))
		v->need_xauth = false;   /* isakmp key ... no-xauth / ikev1 user-authentication none */
	v->xauth_server_group = v->tg && v->tg->authn_server_group ? v->tg->authn_server_group
				: cm ? cm->authn_server_group : NULL;
	/* Push only when the configuration asks for it alone: with `respond`
	 * configured too, the client pulls (vpnc and strongSwan always do). */
	v->cfg_push = cm && cm->config_initiate && !cm->config_respond &&
		      !(key && key->no_config_mode);
}

static void set_group(struct ike_sa *sa, const struct conf_tunnel_group *tg)
{
	struct v1_sa *v = v1_of(sa);
	v->tg = tg;
	free(sa->tunnel_group);
	sa->tunnel_group = tg ? strdup(tg->name) : NULL;
	free(sa->group_policy);
	sa->group_policy = tg && tg->default_group_policy ? strdup(tg->default_group_policy)
			   : strdup("DfltGrpPolicy");
	if (tg) {
		sa->dpd_interval = tg->keepalive_disabled ? 0 : tg->keepalive_threshold;
		sa->dpd_retry = tg->keepalive_retry;
	}
	if (sa->conf->isakmp_keepalive_threshold) {
		sa->dpd_interval = sa->conf->isakmp_keepalive_threshold;
		sa->dpd_retry = sa->conf->isakmp_keepalive_retry;
	}
	if (!sa->dpd_interval && !(tg && tg->keepalive_disabled))
		sa->dpd_interval = 10;
	if (!sa->dpd_retry)
		sa->dpd_retry = 2;
}

/* ---- helpers shared by both modes -------------------------------------------- */

/* DH, our nonce, SKEYID and the rest.  Returns 0 or an IKEv1 notify type. */
static uint16_t make_keys(struct ike_sa *sa, const struct v1_p1_choice *ch,
			  const struct ikev1_blob *ke, const struct ikev1_blob *nonce)
{
	struct v1_sa *v = v1_of(sa);
	if (ke->len != ch->dh->pub_len) {
		v1_log(sa, 1, "KE payload of %zu bytes, group %u needs %u", ke->len, ch->dh->id,
		       ch->dh->pub_len);
		return IKEV1_N_INVALID_KEY_INFORMATION;
	}
	if (nonce->len < 8 || nonce->len > sizeof(v->ni)) {
		v1_log(sa, 1, "nonce of %zu bytes (8..256 allowed)", nonce->len);
		return IKEV1_N_PAYLOAD_MALFORMED;
	}
	uint8_t gxy[CRYPTO_MAX_DH_PUB];
	size_t gxy_len = sizeof(gxy);
	free(v->gxi);
	v->gxi = malloc(2u * ch->dh->pub_len);
	if (!v->gxi)
		return IKEV1_N_INVALID_KEY_INFORMATION;
	v->gxr = v->gxi + ch->dh->pub_len;
	struct crypto_dh *dh = crypto_dh_new(ch->dh);
	int rc = -1;
	if (dh && crypto_dh_public(dh, v->gxr) == 0 &&
	    crypto_dh_shared(dh, ke->data, ke->len, gxy, &gxy_len) == 0)
		rc = 0;
	crypto_dh_free(dh);
	if (rc < 0) {
		v1_log(sa, 1, "Diffie-Hellman with the peer's KE failed (invalid public value)");
		mem_wipe(gxy, sizeof(gxy));
		return IKEV1_N_INVALID_KEY_INFORMATION;
	}
	memcpy(v->gxi, ke->data, ke->len);
	v->gx_len = ke->len;
	memcpy(v->ni, nonce->data, nonce->len);
	v->ni_len = nonce->len;
	v->k.prf = ch->prf;
	v->k.hash = ch->hash;
	v->k.encr = ch->encr;
	v->k.prf_len = ch->prf->out_len;
	const char *psk = v->psk ? v->psk : "";
	if (crypto_random(v->nr, sizeof(v->nr)) < 0 ||
	    v1_skeyid_psk(ch->prf, (const uint8_t *)psk, strlen(psk), v->ni, v->ni_len, v->nr,
			  sizeof(v->nr), v->k.skeyid) < 0 ||
	    v1_keys_derive(&v->k, gxy, gxy_len, sa->spi_i, sa->spi_r) < 0 ||
	    v1_iv_phase1(&v->k, v->gxi, v->gx_len, v->gxr, v->gx_len) < 0) {
		mem_wipe(gxy, sizeof(gxy));
		return IKEV1_N_INVALID_KEY_INFORMATION;
	}
	mem_wipe(gxy, sizeof(gxy));
	v->keys_ready = true;
	return 0;
}

static int keep_blob(uint8_t **dst, size_t *len, const struct ikev1_blob *b)
{
	free(*dst);
	*dst = malloc(b->len ? b->len : 1);
	if (!*dst)
		return -1;
	memcpy(*dst, b->data, b->len);
	*len = b->len;
	return 0;
}

/* Our ID payload body (type | proto 17 | port 500 | data): `isakmp
 * identity address|hostname|key-id`, address by default. */
static size_t our_id(const struct ike_sa *sa, uint8_t *out, size_t cap)
{
	const struct conf *c = sa->conf;
	uint8_t type = IKEV1_ID_IPV4_ADDR;
	const char *name = c->hostname ? c->hostname : "ravpn";
	char fqdn[300];
	if (c->isakmp_identity == 2) {
		type = IKEV1_ID_FQDN;
		snprintf(fqdn, sizeof(fqdn), "%s%s%s", name, c->domain_name ? "." : "",
			 c->domain_name ? c->domain_name : "");
		name = fqdn;
	} else if (c->isakmp_identity == 3) {
		type = IKEV1_ID_KEY_ID;
	}
	out[0] = type;
	out[1] = 17;
	out[2] = 500 >> 8;
	out[3] = 500 & 0xff;
	if (type == IKEV1_ID_IPV4_ADDR) {
		memcpy(out + 4, &sa->local.sin_addr.s_addr, 4);
		return 8;
	}
	size_t n = strlen(name) < cap - 4 ? strlen(name) : cap - 4;
	memcpy(out + 4, name, n);
	return 4 + n;
}

static void write_natd(struct ikev1_wr *w, const struct ike_sa *sa)
{
	const struct v1_sa *v = v1_of(sa);
	uint8_t h[CRYPTO_MAX_HASH];
	size_t hl = crypto_hash_len(v->k.hash);
	bool draft = v->natt == IKEV1_PL_NATD_DRAFT;
	/* First the address we send to (the peer's), then our own. */
	if (v1_natd(v->k.hash, sa->spi_i, sa->spi_r, v->p1_remote.sin_addr.s_addr,
		    v->p1_remote.sin_port, h) == 0)
		ikev1_w_natd(w, draft, h, hl);
	if (v1_natd(v->k.hash, sa->spi_i, sa->spi_r, v->p1_local.sin_addr.s_addr,
		    v->p1_local.sin_port, h) == 0)
		ikev1_w_natd(w, draft, h, hl);
}

/* The peer's NAT-D payloads: the first is our address as it saw it, the
 * others its own addresses. */
static void check_natd(struct ike_sa *sa, const struct ikev1_msg *m)
{
	struct v1_sa *v = v1_of(sa);
	if (!v->natt || m->n_natd < 2)
		return;
	uint8_t ours[CRYPTO_MAX_HASH], theirs[CRYPTO_MAX_HASH];
	size_t hl = crypto_hash_len(v->k.hash);
	if (v1_natd(v->k.hash, sa->spi_i, sa->spi_r, v->p1_local.sin_addr.s_addr,
		    v->p1_local.sin_port, ours) < 0 ||
	    v1_natd(v->k.hash, sa->spi_i, sa->spi_r, v->p1_remote.sin_addr.s_addr,
		    v->p1_remote.sin_port, theirs) < 0)
		return;
	sa->nat_local = m->natd[0].len != hl || memcmp(m->natd[0].data, ours, hl) != 0;
	bool match = false;
	for (size_t i = 1; i < m->n_natd; i++)
		if (m->natd[i].len == hl && memcmp(m->natd[i].data, theirs, hl) == 0)
			match = true;
	sa->nat_remote = !match;
	sa->v1_natt_draft = v->natt == IKEV1_PL_NATD_DRAFT;
	if (sa->nat_remote || sa->nat_local)
		v1_log(sa, 1, "NAT-Traversal: %s%s is behind a NAT device",
		       sa->nat_remote ? "the remote end" : "",
		       sa->nat_local ? (sa->nat_remote ? " and this end" : "this end") : "");
}

/* The chosen transform, echoed in a one-proposal SA. */
static void write_sa(struct ikev1_wr *w, const struct v1_sa *v, const struct ikev1_msg *m)
{
	struct ikev1_sa *sa = calloc(1, sizeof(*sa));
	if (!sa) {
		w->b->oom = true;
		return;
	}
	sa->doi = IKEV1_DOI_IPSEC;
	sa->situation = IKEV1_SIT_IDENTITY_ONLY;
	sa->n = 1;
	sa->p[0].num = m->sa.p[v->chosen_prop].num;
	sa->p[0].protocol = IKEV1_PROTO_ISAKMP;
	sa->p[0].n_transforms = 1;
	sa->p[0].first = 0;
	sa->n_t = 1;
	sa->t[0] = v->chosen;
	ikev1_w_sa(w, sa);
	free(sa);
}

/* RESPONDER-LIFETIME for the ISAKMP SA (SPI = CKY-I | CKY-R). */
static void write_p1_lifetime(struct ikev1_wr *w, const struct ike_sa *sa)
{
	uint8_t spi[16], data[10];
	for (int i = 0; i < 8; i++) {
		spi[i] = (uint8_t)(sa->spi_i >> (56 - 8 * i));
		spi[8 + i] = (uint8_t)(sa->spi_r >> (56 - 8 * i));
	}
	uint32_t life = sa->lifetime_sec;
	/* life type (TV, seconds), life duration (TLV, 4 bytes) */
	data[0] = 0x80;
	data[1] = IKEV1_A_LIFE_TYPE;
	data[2] = 0;
	data[3] = IKEV1_LIFE_SECONDS;
	data[4] = 0;
	data[5] = IKEV1_A_LIFE_DURATION;
	data[6] = 0;
	data[7] = 4;
	uint8_t d2[14];
	memcpy(d2, data, 8);
	d2[8] = (uint8_t)(life >> 24);
	d2[9] = (uint8_t)(life >> 16);
	d2[10] = (uint8_t)(life >> 8);
	d2[11] = (uint8_t)life;
	ikev1_w_notify(w, IKEV1_DOI_IPSEC, IKEV1_PROTO_ISAKMP, spi, 16, IKEV1_N_RESPONDER_LIFETIME,
		       d2, 12);
}

struct walk_log {
	const struct ike_sa *sa;
	const struct sockaddr_in *peer;
};

static void walk_line(void *arg, const char *line)
{
	const struct walk_log *w = arg;
	if (w->sa)
		v1_log(w->sa, 5, "%s", line);
}

/* Select the phase-1 transform and record it.  Returns 0 or -1. */
static int choose(struct ike_sa *sa, const struct ikev1_msg *m, bool xauth_ok,
		  struct v1_p1_choice *ch)
{
	struct v1_sa *v = v1_of(sa);
	struct walk_log wl = { sa, &sa->remote };
	if (v1_select_p1(sa->conf, &m->sa, xauth_ok, ch, walk_line, &wl) < 0) {
		char ip[INET_ADDRSTRLEN];
		log_event(SEV_WARNING, 713257, "Phase 1 failure: Mismatched attribute types for class "
			  "Group Description (no isakmp policy matches any of the %u offered "
			  "transforms), IP = %s", m->sa.n ? m->sa.p[0].n_transforms : 0,
			  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)));
		v->eng->st.no_proposal++;
		return -1;
	}
	v->chosen = m->sa.t[ch->t_index];
	v->chosen_prop = ch->prop_index;
	v->dh = ch->dh;
	sa->encr_id = v1_encr_to_v2(v->chosen.encr);
	sa->encr_bits = ch->encr->key_bits;
	sa->prf_id = sa->integ_id = v1_hash_to_v2_prf(v->chosen.hash);
	sa->dh_group = ch->dh->id;
	sa->lifetime_sec = ch->lifetime;
	sa->policy_priority = ch->policy->priority;
	sa->v1_auth = v->chosen.auth;
	v1_log(sa, 2, "phase 1 transform %u accepted by isakmp policy %u (line %d): %s-%u, %s, "
	       "group %u, %s, lifetime %u s", v->chosen.num, ch->policy->priority, ch->policy->line,
	       ch->encr->name, ch->encr->key_bits, ch->prf->name, ch->dh->id,
	       ikev1_auth_name(v->chosen.auth), ch->lifetime);
	return 0;
}

static int keep_last_tx(struct ike_sa *sa, const struct v1_out *o)
{
	struct v1_sa *v = v1_of(sa);
	buf_reset(&v->p1_last_tx);
	buf_put(&v->p1_last_tx, o->b.data, o->b.len);
	return v->p1_last_tx.oom ? -1 : 0;
}

static void remember_first(struct ike_sa *sa, const struct ike_pkt *p)
{
	struct v1_sa *v = v1_of(sa);
	v->p1_local = p->to;
	v->p1_remote = p->from;
	if (crypto_hash(HASH_SHA1, p->data, p->len, NULL, 0, NULL, 0, v->p1_rx_digest) < 0)
		memset(v->p1_rx_digest, 0, sizeof(v->p1_rx_digest));
}

static void fail_first(struct ikev1 *e, const struct ike_pkt *p, struct ike_sa *sa,
		       uint16_t notify, const char *reason)
{
	v1_notify_plain(e, p, sa->spi_i, sa->spi_r, notify);
	e->st.p1_failed++;
	v1_sa_destroy(sa, reason, false);
}

static bool verify_hash_i(struct ike_sa *sa, const struct ikev1_msg *m)
{
	struct v1_sa *v = v1_of(sa);
	uint8_t h[CRYPTO_MAX_HASH];
	if (!IKEV1_PRESENT(m, IKEV1_PL_HASH) || m->hash.len != v->k.prf_len)
		return false;
	if (v1_hash_phase1(&v->k, true, v->gxi, v->gx_len, v->gxr, v->gx_len, sa->spi_i, sa->spi_r,
			   v->sai_b, v->sai_len, v->idii_b, v->idii_len, h) < 0)
		return false;
	return CRYPTO_memcmp(h, m->hash.data, v->k.prf_len) == 0;
}

static void auth_failed(struct ike_sa *sa, const char *what)
{
	struct v1_sa *v = v1_of(sa);
	char ip[INET_ADDRSTRLEN];
	log_event(SEV_WARNING, 713198, "Group = %s, IP = %s, %s: hash verification failed; the "
		  "client's pre-shared key for this group differs from ours",
		  sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), what);
	v->eng->st.auth_failed++;
	v->eng->st.p1_failed++;
	v1_sa_destroy(sa, "Authentication failed", false);
}

static void phase1_authenticated(struct ike_sa *sa, const struct ikev1_msg *m)
{
	struct v1_sa *v = v1_of(sa);
	/* With XAUTH the user is not known yet: xauth.c acts on it. */
	v->initial_contact = ikev1_msg_notify(m, IKEV1_N_INITIAL_CONTACT) != NULL;
	if (v->initial_contact && !v->need_xauth)
		v1_initial_contact(sa);
	char ip[INET_ADDRSTRLEN];
	log_event(SEV_NOTICE, 713119, "Group = %s, IP = %s, PHASE 1 COMPLETED",
		  sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)));
	v->eng->st.p1_done++;
	v1_phase1_done(sa);
}

/* ---- Aggressive Mode ------------------------------------------------------------ */

static const struct conf_tunnel_group *am_group(struct ike_sa *sa, const struct ikev1_id *id,
						const struct conf_isakmp_key **key)
{
	struct v1_sa *v = v1_of(sa);
	char name[V1_MAX_ID];
	id_str(id, name, sizeof(name));
	*key = NULL;
	const struct conf_tunnel_group *tg = ra_group(sa->conf, name);
	if (tg) {
		v->psk = tg->ikev1_psk;
		v->psk_source = "tunnel-group ipsec-attributes ikev1 pre-shared-key";
		v->psk_line = tg->line_ikev1_psk;
		return tg;
	}
	tg = ra_group(sa->conf, "DefaultRAGroup");
	if (tg) {
		v1_log(sa, 1, "no tunnel-group named '%s': using DefaultRAGroup", name);
		v->psk = tg->ikev1_psk;
		v->psk_source = "DefaultRAGroup pre-shared key";
		v->psk_line = tg->line_ikev1_psk;
		return tg;
	}
	*key = key_by_addr(sa->conf, ntohl(sa->remote.sin_addr.s_addr));
	if (*key) {
		v->psk = (*key)->key;
		v->psk_source = "isakmp key";
		v->psk_line = (*key)->line;
	}
	return NULL;
}

static void am_first(struct v1_ctx *c)
{
	const struct ikev1_msg *m = c->m;
	const struct conf *conf = v1_conf(c->eng);
	if (conf && conf->ikev1_am_disabled) {
		unsigned sup = 0;
		if (log_limit_pass(&c->eng->lim_drop, 10, &sup))
			log_msg(SEV_NOTICE, "IKEv1: Aggressive Mode from %s refused: crypto ikev1 "
				"am-disable (line %d)%s", inet_ntoa(c->pkt->from.sin_addr),
				conf->line_ikev1_am_disable, sup ? " (more suppressed)" : "");
		v1_notify_plain(c->eng, c->pkt, m->hdr.spi_i, 0, IKEV1_N_NO_PROPOSAL_CHOSEN);
		return;
	}
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA) || !IKEV1_PRESENT(m, IKEV1_PL_KE) ||
	    !IKEV1_PRESENT(m, IKEV1_PL_NONCE) || m->n_id < 1) {
		v1_log_peer(&c->pkt->from, 1, "Aggressive Mode message 1 without SA, KE, nonce and ID: "
			    "dropped");
		return;
	}
	struct ike_sa *sa = v1_sa_new(c->eng, c->pkt, m->hdr.spi_i);
	if (!sa)
		return;
	struct v1_sa *v = v1_of(sa);
	sa->v1_mode = IKEV1_X_AGGRESSIVE;
	v1_sa_set_phase(sa, V1_P1_AM);
	remember_first(sa, c->pkt);
	read_vendor_ids(v, m);
	char name[V1_MAX_ID];
	id_str(&m->id[0], name, sizeof(name));
	sa->remote_id = strdup(name);
	const struct conf_isakmp_key *key;
	const struct conf_tunnel_group *tg = am_group(sa, &m->id[0], &key);
	if (!v->psk) {
		char ip[INET_ADDRSTRLEN];
		log_event(SEV_WARNING, 713022, "IP = %s, No Group found matching %s for Pre-shared "
			  "key peer %s (no tunnel-group with an IKEv1 pre-shared key, no "
			  "DefaultRAGroup key, no isakmp key for this address)",
			  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)), name, ip);
		fail_first(c->eng, c->pkt, sa, IKEV1_N_INVALID_ID_INFORMATION, "Unknown group");
		return;
	}
	set_group(sa, tg);
	struct v1_p1_choice ch;
	if (choose(sa, m, !(key && key->no_xauth), &ch) < 0) {
		fail_first(c->eng, c->pkt, sa, IKEV1_N_NO_PROPOSAL_CHOSEN, "No proposal");
		return;
	}
	decide_aaa(sa, key);
	uint16_t n = make_keys(sa, &ch, &m->ke, &m->nonce);
	if (n) {
		fail_first(c->eng, c->pkt, sa, n, "Key exchange failed");
		return;
	}
	if (keep_blob(&v->sai_b, &v->sai_len, &m->sa.body) < 0 ||
	    keep_blob(&v->idii_b, &v->idii_len, &m->id[0].body) < 0) {
		v1_sa_destroy(sa, NULL, false);
		return;
	}
	uint8_t idr[V1_MAX_ID + 8], hash_r[CRYPTO_MAX_HASH];
	size_t idr_len = our_id(sa, idr, sizeof(idr));
	if (v1_hash_phase1(&v->k, false, v->gxi, v->gx_len, v->gxr, v->gx_len, sa->spi_i,
			   sa->spi_r, v->sai_b, v->sai_len, idr, idr_len, hash_r) < 0) {
		v1_sa_destroy(sa, NULL, false);
		return;
	}
	struct v1_out o;
	v1_out_begin(&o, sa, IKEV1_X_AGGRESSIVE, 0, 0, false);
	write_sa(&o.w, v, m);
	ikev1_w_ke(&o.w, v->gxr, v->gx_len);
	ikev1_w_nonce(&o.w, v->nr, sizeof(v->nr));
	ikev1_w_id(&o.w, idr[0], idr[1], 500, idr + 4, idr_len - 4);
	size_t hoff = ikev1_w_hash(&o.w, IKEV1_PL_HASH, v->k.prf_len);
	write_vendor_ids(&o.w, v);
	if (v->natt)
		write_natd(&o.w, sa);
	if (ch.shortened)
		write_p1_lifetime(&o.w, sa);
	if (!o.b.oom)
		memcpy(o.b.data + hoff, hash_r, v->k.prf_len);
	int rc = v1_out_seal(&o, sa, NULL);
	if (rc == 0) {
		struct ikev1_msg *dm = calloc(1, sizeof(*dm));
		struct ikev1_parse_err err;
		if (dm && log_debug_on(LOG_IKEV1, 4) &&
		    ikev1_parse_message(o.b.data, o.b.len, dm, &err) == 0)
			v1_dump(sa, dm, true);
		free(dm);
		rc = keep_last_tx(sa, &o);
		if (rc == 0)
			rc = v1_send_raw(sa, o.b.data, o.b.len);
	}
	v1_out_free(&o);
	if (rc < 0) {
		v1_sa_destroy(sa, NULL, false);
		return;
	}
	v1_log(sa, 2, "Aggressive Mode: sent message 2 (pre-shared key from %s, line %d)",
	       v->psk_source, v->psk_line);
	v1_sa_schedule(sa);
}

static void am_third(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	if (!verify_hash_i(sa, c->m)) {
		auth_failed(sa, "Aggressive Mode message 3");
		return;
	}
	v1_note_addresses(sa, c->pkt);           /* may have floated to 4500 */
	sa->last_rx_ms = loop_now_ms();
	check_natd(sa, c->m);
	phase1_authenticated(sa, c->m);
}

void v1_aggressive(struct v1_ctx *c)
{
	if (!c->sa)
		am_first(c);
	else
		am_third(c);
}

/* ---- Main Mode ---------------------------------------------------------------------- */

static void mm_send(struct ike_sa *sa, struct v1_out *o)
{
	if (keep_last_tx(sa, o) == 0)
		(void)v1_send_raw(sa, o->b.data, o->b.len);
}

static void mm_first(struct v1_ctx *c)
{
	const struct ikev1_msg *m = c->m;
	if (!IKEV1_PRESENT(m, IKEV1_PL_SA)) {
		v1_log_peer(&c->pkt->from, 1, "Main Mode message 1 without SA: dropped");
		return;
	}
	struct ike_sa *sa = v1_sa_new(c->eng, c->pkt, m->hdr.spi_i);
	if (!sa)
		return;
	struct v1_sa *v = v1_of(sa);
	sa->v1_mode = IKEV1_X_MAIN;
	v1_sa_set_phase(sa, V1_P1_MM_SA);
	remember_first(sa, c->pkt);
	read_vendor_ids(v, m);
	const struct conf_isakmp_key *key = key_by_addr(sa->conf, ntohl(sa->remote.sin_addr.s_addr));
	const struct conf_tunnel_group *tg = NULL;
	if (key) {
		v->psk = key->key;
		v->psk_source = "isakmp key";
		v->psk_line = key->line;
	} else if ((tg = ra_group(sa->conf, "DefaultRAGroup"))) {
		v->psk = tg->ikev1_psk;
		v->psk_source = "DefaultRAGroup pre-shared key";
		v->psk_line = tg->line_ikev1_psk;
	}
	if (!v->psk) {
		char ip[INET_ADDRSTRLEN];
		log_event(SEV_WARNING, 713022, "IP = %s, No pre-shared key for a Main Mode peer at "
			  "this address (no isakmp key and no DefaultRAGroup ikev1 pre-shared-key)",
			  ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)));
		fail_first(c->eng, c->pkt, sa, IKEV1_N_NO_PROPOSAL_CHOSEN, "No pre-shared key");
		return;
	}
	set_group(sa, tg);
	struct v1_p1_choice ch;
	if (choose(sa, m, !(key && key->no_xauth), &ch) < 0) {
		fail_first(c->eng, c->pkt, sa, IKEV1_N_NO_PROPOSAL_CHOSEN, "No proposal");
		return;
	}
	decide_aaa(sa, key);
	v->k.prf = ch.prf;
	v->k.hash = ch.hash;
	v->k.encr = ch.encr;
	v->k.prf_len = ch.prf->out_len;
	if (keep_blob(&v->sai_b, &v->sai_len, &m->sa.body) < 0) {
		v1_sa_destroy(sa, NULL, false);
		return;
	}
	struct v1_out o;
	v1_out_begin(&o, sa, IKEV1_X_MAIN, 0, 0, false);
	write_sa(&o.w, v, m);
	write_vendor_ids(&o.w, v);
	if (ch.shortened)
		write_p1_lifetime(&o.w, sa);
	if (v1_out_seal(&o, sa, NULL) == 0)
		mm_send(sa, &o);
	v1_out_free(&o);
	v1_sa_schedule(sa);
}

static void mm_third(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = v1_of(sa);
	const struct ikev1_msg *m = c->m;
	if (!IKEV1_PRESENT(m, IKEV1_PL_KE) || !IKEV1_PRESENT(m, IKEV1_PL_NONCE)) {
		v1_log(sa, 1, "Main Mode message 3 without KE and nonce: dropped");
		return;
	}
	struct v1_p1_choice ch = { .encr = v->k.encr, .prf = v->k.prf, .hash = v->k.hash,
				   .dh = v->dh };
	uint16_t n = make_keys(sa, &ch, &m->ke, &m->nonce);
	if (n) {
		v1_notify_plain(v->eng, c->pkt, sa->spi_i, sa->spi_r, n);
		v1_sa_destroy(sa, "Key exchange failed", false);
		return;
	}
	check_natd(sa, m);
	struct v1_out o;
	v1_out_begin(&o, sa, IKEV1_X_MAIN, 0, 0, false);
	ikev1_w_ke(&o.w, v->gxr, v->gx_len);
	ikev1_w_nonce(&o.w, v->nr, sizeof(v->nr));
	if (v->natt)
		write_natd(&o.w, sa);
	if (v1_out_seal(&o, sa, NULL) == 0)
		mm_send(sa, &o);
	v1_out_free(&o);
	v1_sa_set_phase(sa, V1_P1_MM_KE);
	v1_sa_schedule(sa);
}

/* MM5 may name a tunnel-group (KEY_ID/FQDN) keyed with the same secret. */
static void mm_group_from_id(struct ike_sa *sa, const struct ikev1_id *id)
{
	struct v1_sa *v = v1_of(sa);
	char name[V1_MAX_ID];
	id_str(id, name, sizeof(name));
	free(sa->remote_id);
	sa->remote_id = strdup(name);
	const struct conf_tunnel_group *tg = ra_group(sa->conf, name);
	if (tg && v->psk && strcmp(tg->ikev1_psk, v->psk) == 0 && tg != v->tg) {
		set_group(sa, tg);
		decide_aaa(sa, key_by_addr(sa->conf, ntohl(sa->remote.sin_addr.s_addr)));
	}
}

static void mm_fifth(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = v1_of(sa);
	const struct ikev1_msg *m = c->m;
	if (m->n_id < 1 || keep_blob(&v->idii_b, &v->idii_len, &m->id[0].body) < 0) {
		v1_log(sa, 1, "Main Mode message 5 without ID: dropped");
		return;
	}
	if (!verify_hash_i(sa, m)) {
		auth_failed(sa, "Main Mode message 5");
		return;
	}
	v1_note_addresses(sa, c->pkt);           /* may have floated to 4500 */
	sa->last_rx_ms = loop_now_ms();
	mm_group_from_id(sa, &m->id[0]);
	uint8_t idr[V1_MAX_ID + 8], hash_r[CRYPTO_MAX_HASH];
	size_t idr_len = our_id(sa, idr, sizeof(idr));
	if (v1_hash_phase1(&v->k, false, v->gxi, v->gx_len, v->gxr, v->gx_len, sa->spi_i,
			   sa->spi_r, v->sai_b, v->sai_len, idr, idr_len, hash_r) < 0)
		return;
	struct v1_out o;
	v1_out_begin(&o, sa, IKEV1_X_MAIN, 0, IKEV1_FLAG_ENC, false);
	ikev1_w_id(&o.w, idr[0], idr[1], 500, idr + 4, idr_len - 4);
	size_t hoff = ikev1_w_hash(&o.w, IKEV1_PL_HASH, v->k.prf_len);
	if (!o.b.oom)
		memcpy(o.b.data + hoff, hash_r, v->k.prf_len);
	if (v1_out_seal(&o, sa, v->k.iv) == 0)
		mm_send(sa, &o);
	v1_out_free(&o);
	phase1_authenticated(sa, m);
}

void v1_main_mode(struct v1_ctx *c)
{
	if (!c->sa)
		mm_first(c);
	else if (c->v->phase == V1_P1_MM_SA)
		mm_third(c);
	else
		mm_fifth(c);
}

/* ---- after phase 1 ------------------------------------------------------------------- */

void v1_phase1_done(struct ike_sa *sa)
{
	struct v1_sa *v = v1_of(sa);
	free(v->sai_b);
	v->sai_b = NULL;
	if (v->need_xauth) {
		v1_sa_set_phase(sa, V1_XAUTH);
		if (v1_xauth_start(sa) < 0)
			v1_sa_delete(sa, "Internal error");
		return;
	}
	v1_sa_set_phase(sa, V1_MODECFG);
	if (v->cfg_push && v1_modecfg_push(sa) < 0)
		v1_sa_delete(sa, "Internal error");
	else
		v1_sa_schedule(sa);
}
