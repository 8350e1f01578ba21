/* Proposal selection for IKEv1 (pure functions over the configuration and
 * the parsed offer; the tests call them directly).
 *
 * Phase 1: `isakmp policy` / `crypto ikev1 policy` entries in priority
 * order, each against every transform of the client's (single) ISAKMP
 * proposal in the client's order — the walk the PIX prints as "Checking
 * ISAKMP transform 1 against priority 10 policy ... atts are not
 * acceptable".  A policy with `authentication pre-share` accepts both
 * pre-shared key (1) and XAUTHInitPreShared (65001), as the seed's PIX
 * does ("extended auth pre-share ... atts are acceptable").
 *
 * Phase 2: the client's ESP proposals in its order (vpnc sends 12, one
 * transform each) against the transform sets of the dynamic-map entries
 * bound to the interface, in sequence order.  Proposals whose protocol we do
 * not do (AH, IPCOMP with its 2-byte CPI: "bad SPI size") are skipped
 * without failing the exchange, and so are ANDed groups containing them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike/v1/v1.h"

uint16_t v1_encr_to_v2(uint16_t e)
{
	switch (e) {
	case IKEV1_ENCR_DES: return 2;
	case IKEV1_ENCR_3DES: return 3;
	case IKEV1_ENCR_AES: return 12;
	default: return 0;
	}
}

uint16_t v1_hash_to_v2_prf(uint16_t h)
{
	switch (h) {
	case IKEV1_HASH_MD5: return 1;
	case IKEV1_HASH_SHA1: return 2;
	case IKEV1_HASH_SHA256: return 5;
	case IKEV1_HASH_SHA384: return 6;
	case IKEV1_HASH_SHA512: return 7;
	default: return 0;
	}
}

static void say(void (*logf)(void *, const char *), void *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(void (*logf)(void *, const char *), void *arg, const char *fmt, ...)
{
	if (!logf)
		return;
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	logf(arg, line);
}

/* Does the policy's authentication accept the offered method? */
static bool auth_matches(uint16_t policy_auth, uint16_t offered, bool xauth_ok)
{
	if (policy_auth == IKEV1_AUTH_PSK)
		return offered == IKEV1_AUTH_PSK || (xauth_ok && offered == IKEV1_AUTH_XAUTH_INIT_PSK);
	if (policy_auth == IKEV1_AUTH_RSA_SIG)
		return offered == IKEV1_AUTH_RSA_SIG ||
		       (xauth_ok && offered == IKEV1_AUTH_XAUTH_INIT_RSA);
	return policy_auth == offered;
}

/* Why a transform does not fit a policy; NULL if it does. */
static const char *p1_mismatch(const struct conf_ikev1_policy *p, const struct ikev1_transform *t,
			       bool xauth_ok)
{
	if (t->unknown_attr)
		return "unsupported attribute";
	if (t->id != IKEV1_KEY_IKE)
		return "transform ID is not KEY_IKE";
	if (t->encr != p->encr)
		return "encryption algorithm offered does not match policy";
	uint16_t want_bits = p->encr == IKEV1_ENCR_AES ? (p->key_bits ? p->key_bits : 128) : 0;
	uint16_t got_bits = t->encr == IKEV1_ENCR_AES ? (t->key_bits ? t->key_bits : 128) : 0;
	if (want_bits != got_bits)
		return "key length offered does not match policy";
	if (t->hash != p->hash)
		return "hash algorithm offered does not match policy";
	if (t->group != p->group)
		return "Diffie-Hellman group offered does not match policy";
	if (!auth_matches(p->auth, t->auth, xauth_ok))
		return "authentication method offered does not match policy";
	return NULL;
}

int v1_select_p1(const struct conf *c, const struct ikev1_sa *offer, bool xauth_ok,
		 struct v1_p1_choice *out, void (*logf)(void *arg, const char *line), void *arg)
{
	memset(out, 0, sizeof(*out));
	if (offer->n == 0)
		return -1;
	const struct ikev1_proposal *pr = &offer->p[0];
	if (pr->protocol != IKEV1_PROTO_ISAKMP) {
		say(logf, arg, "phase 1 proposal is not for ISAKMP (protocol %u)", pr->protocol);
		return -1;
	}
	const struct ikev1_transform *ts = ikev1_proposal_transforms(offer, 0);
	for (size_t pi = 0; pi < c->n_ikev1_policies; pi++) {
		const struct conf_ikev1_policy *p = &c->ikev1_policies[pi];
		for (size_t ti = 0; ti < pr->n_transforms; ti++) {
			const struct ikev1_transform *t = &ts[ti];
			const char *why = p1_mismatch(p, t, xauth_ok);
			say(logf, arg, "Checking ISAKMP transform %u against priority %u policy (line %d): %s",
			    t->num, p->priority, p->line, why ? why : "atts are acceptable");
			if (why)
				continue;
			const struct crypto_encr *e = crypto_encr_ikev1(t->encr, t->key_bits);
			const struct crypto_prf *f = crypto_prf_ikev1(t->hash);
			const struct crypto_dh_group *g = crypto_dh_group(t->group);
			enum crypto_hash h;
			if (!e || !f || !g || v1_hash_from_attr(t->hash, &h) < 0) {
				say(logf, arg, "transform %u: algorithm not available here", t->num);
				continue;
			}
			out->policy = p;
			out->prop_index = 0;
			out->t_index = (uint8_t)(pr->first + ti);
			out->encr = e;
			out->prf = f;
			out->hash = h;
			out->dh = g;
			uint32_t ours = p->lifetime_sec ? p->lifetime_sec : V1_DEFAULT_P1_LIFETIME;
			out->lifetime = ours;
			out->shortened = !t->life_sec || t->life_sec > ours;
			if (t->life_sec && t->life_sec < ours)
				out->lifetime = t->life_sec;
			return 0;
		}
	}
	return -1;
}

/* ---- phase 2 ------------------------------------------------------------- */

static size_t dynmaps_for(const struct conf *c, const char *ifname,
			  const struct conf_dynmap_entry **out, size_t max)
{
	size_t n = 0;
	/* crypto map NAME interface IF -> its entries -> their dynamic maps */
	for (size_t b = 0; b < c->n_cmap_bindings; b++) {
		const struct conf_crypto_map_binding *bd = &c->cmap_bindings[b];
		if (ifname && bd->ifname && strcmp(bd->ifname, ifname) != 0)
			continue;
		for (size_t i = 0; i < c->n_cmaps; i++) {
			const struct conf_crypto_map_entry *m = &c->cmaps[i];
			if (strcmp(m->name, bd->name) != 0 || !m->dynmap)
				continue;
			for (size_t d = 0; d < c->n_dynmaps && n < max; d++)
				if (strcmp(c->dynmaps[d].name, m->dynmap) == 0)
					out[n++] = &c->dynmaps[d];
		}
		if (n)
			return n;
	}
	return n;
}

static const struct conf_transform_set *find_ts(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_transform_sets; i++)
		if (strcmp(c->transform_sets[i].name, name) == 0)
			return &c->transform_sets[i];
	return NULL;
}

static bool encap_ok(uint16_t encap, bool udp_ok, bool tunnel_ok)
{
	switch (encap) {
	case IKEV1_ENCAP_TUNNEL: return tunnel_ok;
	case IKEV1_ENCAP_UDP_TUNNEL:
	case IKEV1_ENCAP_UDP_TUNNEL_DRAFT: return udp_ok;
	default: return false;          /* transport modes: not for remote access */
	}
}

static const char *p2_mismatch(const struct conf_transform_set *s, const struct ikev1_transform *t)
{
	if (t->unknown_attr)
		return "unsupported attribute";
	if (t->id != s->esp_id)
		return "encryption does not match the transform set";
	uint16_t want = s->esp_id == IKEV1_ESP_AES ? (s->key_bits ? s->key_bits : 128) : 0;
	uint16_t got = t->id == IKEV1_ESP_AES ? (t->key_bits ? t->key_bits : 128) : 0;
	if (want != got)
		return "key length does not match the transform set";
	if (t->auth_alg != s->auth_alg)
		return "authenticator does not match the transform set";
	return NULL;
}

/* Every proposal with the same number as p[i] must be ESP with a 4-byte SPI
 * for us to take p[i] (RFC 2408 §4.2: same number = AND). */
static const char *and_group_problem(const struct ikev1_sa *o, size_t i)
{
	for (size_t j = 0; j < o->n; j++) {
		if (o->p[j].num != o->p[i].num)
			continue;
		if (o->p[j].protocol != IKEV1_PROTO_ESP)
			return "ANDed with a protocol other than ESP";
		if (o->p[j].spi_size != 4)
			return "bad SPI size";
		if (j != i)
			return "ANDed proposal";
	}
	return NULL;
}

static int pick_transform(const struct conf *c, const struct conf_dynmap_entry *dm,
			  const struct ikev1_sa *offer, size_t pi, bool udp_ok, bool tunnel_ok,
			  uint16_t ke_group, struct v1_p2_choice *out,
			  void (*logf)(void *, const char *), void *arg)
{
	const struct ikev1_proposal *pr = &offer->p[pi];
	const struct ikev1_transform *ts = ikev1_proposal_transforms(offer, pi);
	for (size_t ti = 0; ti < pr->n_transforms; ti++) {
		const struct ikev1_transform *t = &ts[ti];
		if (!encap_ok(t->encap ? t->encap : IKEV1_ENCAP_TUNNEL, udp_ok, tunnel_ok)) {
			say(logf, arg, "proposal %u transform %u: encapsulation mode %u not acceptable "
			    "here (NAT-T %s)", pr->num, t->num, t->encap, udp_ok ? "on" : "off");
			continue;
		}
		/* PFS: the dynamic map's group if set; else whatever the client asks. */
		uint16_t want_pfs = dm->pfs_group;
		if (want_pfs && t->pfs_group != want_pfs) {
			say(logf, arg, "proposal %u transform %u: PFS group %u, crypto dynamic-map %s %u "
			    "(line %d) wants group %u", pr->num, t->num, t->pfs_group, dm->name, dm->seq,
			    dm->line_pfs, want_pfs);
			continue;
		}
		if (t->pfs_group && (t->pfs_group != ke_group || !crypto_dh_group(t->pfs_group))) {
			say(logf, arg, "proposal %u transform %u: PFS group %u without a matching KE",
			    pr->num, t->num, t->pfs_group);
			continue;
		}
		for (size_t s = 0; s < dm->n_transform_sets; s++) {
			const struct conf_transform_set *set = find_ts(c, dm->transform_sets[s]);
			if (!set)
				continue;
			const char *why = p2_mismatch(set, t);
			say(logf, arg, "Checking IPsec proposal %u transform %u (%s) against transform-set "
			    "%s (line %d): %s", pr->num, t->num, ikev1_esp_name(t->id), set->name,
			    set->line, why ? why : "atts are acceptable");
			if (why)
				continue;
			const struct crypto_encr *e = crypto_encr_ikev1_esp(t->id, t->key_bits);
			const struct crypto_integ *ig = t->auth_alg ? crypto_integ_ikev1_esp(t->auth_alg)
							   : NULL;
			if (!e || (t->auth_alg && !ig) || (!t->auth_alg && !e->aead &&
							    t->id == IKEV1_ESP_NULL)) {
				/* ESP-NULL without integrity protects nothing at all. */
				say(logf, arg, "transform %u: algorithm not available here", t->num);
				continue;
			}
			out->dynmap = dm;
			out->ts = set;
			out->prop_index = (uint8_t)pi;
			out->t_index = (uint8_t)(pr->first + ti);
			out->peer_spi = (uint32_t)pr->spi[0] << 24 | (uint32_t)pr->spi[1] << 16 |
					(uint32_t)pr->spi[2] << 8 | pr->spi[3];
			out->encr = e;
			out->integ = ig;
			out->pfs_group = t->pfs_group;
			out->encap = t->encap ? t->encap : IKEV1_ENCAP_TUNNEL;
			uint32_t sec = dm->lifetime_sec ? dm->lifetime_sec
				       : c->ipsec_lifetime_sec ? c->ipsec_lifetime_sec : 28800;
			uint32_t kb = dm->lifetime_kb ? dm->lifetime_kb
				      : c->ipsec_lifetime_kb ? c->ipsec_lifetime_kb : 4608000;
			out->shortened = (!t->life_sec || t->life_sec > sec) ||
					 (t->life_kb && t->life_kb > kb);
			out->life_sec = t->life_sec && t->life_sec < sec ? t->life_sec : sec;
			out->life_kb = t->life_kb && t->life_kb < kb ? t->life_kb : kb;
			return 0;
		}
	}
	return -1;
}

int v1_select_p2(const struct conf *c, const char *ifname, const struct ikev1_sa *offer,
		 bool udp_ok, bool tunnel_ok, uint16_t ke_group, struct v1_p2_choice *out,
		 void (*logf)(void *arg, const char *line), void *arg)
{
	memset(out, 0, sizeof(*out));
	const struct conf_dynmap_entry *dms[32];
	size_t n_dm = dynmaps_for(c, ifname, dms, 32);
	if (n_dm == 0) {
		say(logf, arg, "no crypto dynamic-map is bound to interface %s", ifname ? ifname : "?");
		return -1;
	}
	for (size_t pi = 0; pi < offer->n; pi++) {
		const char *why = and_group_problem(offer, pi);
		if (why) {
			say(logf, arg, "skipping IPsec proposal %u (%s %u, SPI size %u): %s",
			    offer->p[pi].num,
			    offer->p[pi].protocol == IKEV1_PROTO_ESP ? "ESP" : "protocol",
			    offer->p[pi].protocol, offer->p[pi].spi_size, why);
			continue;
		}
		for (size_t d = 0; d < n_dm; d++)
			if (pick_transform(c, dms[d], offer, pi, udp_ok, tunnel_ok, ke_group, out, logf,
					   arg) == 0)
				return 0;
	}
	return -1;
}
