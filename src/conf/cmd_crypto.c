/* Crypto commands: IKEv2 policies, IKEv1 policies, IPsec proposals and
 * transform sets, security-association settings, dynamic and static crypto
 * maps, trustpoints.  Grammar: protocol.md 4.1, 4.2, 4.3; keyword numbers:
 * names.c. */
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"

/* ---- shared list parsers ----------------------------------------------------- */

/* Words from..end as keywords of table t into out[] (replacing it). */
static int alg_list(struct pctx *p, size_t from, const struct kw_table *t, const char *what,
		    struct conf_alg *out, size_t *n)
{
	struct conf_alg v[CONF_MAX_ALGS];
	size_t k = 0;
	if (p_need(p, from, what))
		return -1;
	for (size_t i = from; i < p_n(p); i++) {
		const struct kw_alg *a = kw_find(t, p_w(p, i));
		if (!a)
			return p_err(p, "unknown %s '%s'", what, p_w(p, i));
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= v[j].id == a->id && v[j].key_bits == a->bits;
		if (dup) {
			p_warn(p, "%s '%s' listed twice", what, p_w(p, i));
			continue;
		}
		if (k == CONF_MAX_ALGS)
			return p_err(p, "too many %s values (at most %d)", what, CONF_MAX_ALGS);
		v[k].id = a->id;
		v[k].key_bits = a->bits;
		k++;
	}
	memcpy(out, v, k * sizeof(v[0]));
	*n = k;
	return 0;
}

static int id_list(struct pctx *p, size_t from, const struct kw_table *t, const char *what,
		   uint16_t *out, size_t *n)
{
	struct conf_alg v[CONF_MAX_ALGS];
	size_t k;
	if (alg_list(p, from, t, what, v, &k))
		return -1;
	for (size_t i = 0; i < k; i++)
		out[i] = v[i].id;
	*n = k;
	return 0;
}

/* ---- crypto ikev2 policy N ----------------------------------------------------- */

static struct conf_ikev2_policy *cur_ikev2(struct pctx *p)
{
	return &p->c->ikev2_policies[p_obj(p)];
}

static int h_ikev2_policy(struct pctx *p)
{
	unsigned long prio;
	if (p_uint(p, 3, 1, 65535, "priority", &prio) || p_end(p, 4))
		return -1;
	struct conf *c = p->c;
	for (size_t i = 0; i < c->n_ikev2_policies; i++)
		if (c->ikev2_policies[i].priority == prio) {
			p_enter(p, &mode_ikev2_policy, i);
			return 0;
		}
	struct conf_ikev2_policy *pol =
		model_grow(&c->ikev2_policies, &c->n_ikev2_policies, sizeof(*pol));
	if (!pol)
		return p_oom(p);
	/* The ASA's values for what a policy does not say (protocol.md 4.2). */
	pol->priority = (unsigned)prio;
	pol->encr[0] = (struct conf_alg){ 3, 0 };
	pol->n_encr = 1;
	pol->integ[0] = 2;
	pol->n_integ = 1;
	pol->prf[0] = 2;
	pol->n_prf = 1;
	pol->group[0] = 2;
	pol->group[1] = 5;
	pol->n_group = 2;
	pol->lifetime_sec = 86400;
	pol->line = p->line;
	p_enter(p, &mode_ikev2_policy, c->n_ikev2_policies - 1);
	return 0;
}

static int h_pol_encryption(struct pctx *p)
{
	struct conf_ikev2_policy *pol = cur_ikev2(p);
	if (alg_list(p, 1, &kw_ikev2_encr, "encryption", pol->encr, &pol->n_encr))
		return -1;
	pol->line_encr = p->line;
	return 0;
}

static int h_pol_integrity(struct pctx *p)
{
	struct conf_ikev2_policy *pol = cur_ikev2(p);
	if (p_is(p, 1, "null")) {
		if (p_end(p, 2))
			return -1;
		pol->n_integ = 0;
	} else if (id_list(p, 1, &kw_ikev2_integ, "integrity", pol->integ, &pol->n_integ)) {
		return -1;
	}
	pol->line_integ = p->line;
	return 0;
}

static int h_pol_prf(struct pctx *p)
{
	struct conf_ikev2_policy *pol = cur_ikev2(p);
	if (id_list(p, 1, &kw_ikev2_prf, "prf", pol->prf, &pol->n_prf))
		return -1;
	pol->line_prf = p->line;
	return 0;
}

static int h_pol_group(struct pctx *p)
{
	struct conf_ikev2_policy *pol = cur_ikev2(p);
	if (id_list(p, 1, &kw_dh_group, "group", pol->group, &pol->n_group))
		return -1;
	pol->line_group = p->line;
	return 0;
}

static int h_pol_lifetime(struct pctx *p)
{
	unsigned long v;
	if (p_uint(p, 2, 120, 2147483647, "lifetime", &v) || p_end(p, 3))
		return -1;
	cur_ikev2(p)->lifetime_sec = (uint32_t)v;
	cur_ikev2(p)->line_lifetime = p->line;
	return 0;
}

static const struct conf_cmd ikev2_policy_cmds[] = {
	{ "encryption", h_pol_encryption, NULL },
	{ "integrity", h_pol_integrity, NULL },
	{ "prf", h_pol_prf, NULL },
	{ "group", h_pol_group, NULL },
	{ "lifetime seconds", h_pol_lifetime, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_ikev2_policy = { "crypto ikev2 policy", { ikev2_policy_cmds }, false };

/* ---- crypto ikev2 enable / remote-access trustpoint / cookie-challenge --------- */

static int add_ifname(struct pctx *p, char **list, size_t *n, size_t i)
{
	if (p_need(p, i, "interface name"))
		return -1;
	for (size_t j = 0; j < *n; j++)
		if (strcmp(list[j], p_w(p, i)) == 0)
			return 0;
	if (*n == CONF_MAX_LIST)
		return p_err(p, "too many interfaces (at most %d)", CONF_MAX_LIST);
	if (!(list[*n] = strdup(p_w(p, i))))
		return p_oom(p);
	(*n)++;
	return 0;
}

/* crypto ikev2 enable IF [client-services [port N]] */
static int h_ikev2_enable(struct pctx *p)
{
	struct conf *c = p->c;
	unsigned long port = 443;
	bool cs = false;
	if (p_need(p, 3, "interface name"))
		return -1;
	if (p_is(p, 4, "client-services")) {
		cs = true;
		if (p_is(p, 5, "port")) {
			if (p_uint(p, 6, 1, 65535, "port", &port) || p_end(p, 7))
				return -1;
		} else if (p_end(p, 5)) {
			return -1;
		}
	} else if (p_end(p, 4)) {
		return -1;
	}
	if (add_ifname(p, c->ikev2_enabled_ifaces, &c->n_ikev2_enabled, 3))
		return -1;
	if (cs) {
		c->ikev2_client_services = true;
		c->ikev2_client_services_port = (unsigned)port;
	}
	if (!c->line_ikev2_enable)
		c->line_ikev2_enable = p->line;
	return 0;
}

static int h_ikev2_ra_trustpoint(struct pctx *p)
{
	if (p_need(p, 4, "trustpoint name") || p_end(p, 5))
		return -1;
	if (p_str(p, 4, &p->c->ikev2_ra_trustpoint))
		return -1;
	p->c->line_ikev2_ra_trustpoint = p->line;
	return 0;
}

static int h_ikev2_cookie(struct pctx *p)
{
	unsigned long v;
	if (p_uint(p, 3, 0, 1000000, "cookie-challenge threshold", &v) || p_end(p, 4))
		return -1;
	p->c->ikev2_cookie_threshold = (unsigned)v;
	return 0;
}

/* crypto ikev2 fragmentation (on by default); "mtu N" is not used */
static int h_ikev2_frag(struct pctx *p)
{
	if (p_n(p) > 3) {
		p_unused(p);
		return 0;
	}
	p->c->ikev2_fragmentation = true;
	return 0;
}

static int h_no_ikev2_frag(struct pctx *p)
{
	if (p_end(p, 4))
		return -1;
	p->c->ikev2_fragmentation = false;
	return 0;
}

/* ---- IKEv1 policies: crypto ikev1|isakmp policy N (sub-mode) and PIX
 * "isakmp policy N attr value" (one line each) ------------------------------- */

static size_t ikev1_policy_get(struct pctx *p, unsigned prio)
{
	struct conf *c = p->c;
	for (size_t i = 0; i < c->n_ikev1_policies; i++)
		if (c->ikev1_policies[i].priority == prio)
			return i;
	struct conf_ikev1_policy *pol =
		model_grow(&c->ikev1_policies, &c->n_ikev1_policies, sizeof(*pol));
	if (!pol) {
		p_oom(p);
		return SIZE_MAX;
	}
	/* ASA defaults (protocol.md 4.4, marked unconfirmed there) */
	pol->priority = prio;
	pol->auth = 3;
	pol->encr = 5;
	pol->hash = 2;
	pol->group = 2;
	pol->lifetime_sec = 86400;
	pol->line = p->line;
	return c->n_ikev1_policies - 1;
}

static int h_ikev1_policy(struct pctx *p)
{
	unsigned long prio;
	if (p_uint(p, 3, 1, 65535, "priority", &prio) || p_end(p, 4))
		return -1;
	size_t i = ikev1_policy_get(p, (unsigned)prio);
	if (i == SIZE_MAX)
		return -1;
	p_enter(p, &mode_ikev1_policy, i);
	return 0;
}

/* w[a] is the attribute keyword, w[a+1] its value. */
static int ikev1_attr(struct pctx *p, struct conf_ikev1_policy *pol, size_t a)
{
	const char *kw = p_w(p, a);
	const struct kw_alg *v;
	unsigned long n;
	if (p_need(p, a + 1, "value") || p_end(p, a + 2))
		return -1;
	const char *val = p_w(p, a + 1);
	if (str_ieq(kw, "authentication")) {
		if (!(v = kw_find(&kw_ikev1_auth, val)))
			return p_err(p, "unknown authentication '%s' (pre-share, rsa-sig or crack)",
				     val);
		if (v->id == CONF_IKEV1_AUTH_CRACK)
			p_warn(p, "ravpn does not implement CRACK: IKEv1 policy %u will never "
			       "match", pol->priority);
		pol->auth = v->id;
		pol->line_auth = p->line;
	} else if (str_ieq(kw, "encryption")) {
		if (!(v = kw_find(&kw_ikev1_encr, val)))
			return p_err(p, "unknown encryption '%s'", val);
		pol->encr = v->id;
		pol->key_bits = v->bits;
		pol->line_encr = p->line;
	} else if (str_ieq(kw, "hash")) {
		if (!(v = kw_find(&kw_ikev1_hash, val)))
			return p_err(p, "unknown hash '%s' (md5 or sha)", val);
		pol->hash = v->id;
		pol->line_hash = p->line;
	} else if (str_ieq(kw, "group")) {
		if (!(v = kw_find(&kw_dh_group, val)))
			return p_err(p, "unknown group '%s'", val);
		pol->group = v->id;
		pol->line_group = p->line;
	} else {
		if (p_uint(p, a + 1, 60, 2147483647, "lifetime", &n))
			return -1;
		pol->lifetime_sec = (uint32_t)n;
		pol->line_lifetime = p->line;
	}
	return 0;
}

static int h_ikev1_mode_attr(struct pctx *p)
{
	return ikev1_attr(p, &p->c->ikev1_policies[p_obj(p)], 0);
}

static int h_pix_isakmp_policy(struct pctx *p)
{
	unsigned long prio;
	if (p_uint(p, 2, 1, 65535, "priority", &prio))
		return -1;
	size_t i = ikev1_policy_get(p, (unsigned)prio);
	if (i == SIZE_MAX)
		return -1;
	return ikev1_attr(p, &p->c->ikev1_policies[i], 3);
}

static const struct conf_cmd ikev1_policy_cmds[] = {
	{ "authentication", h_ikev1_mode_attr, NULL },
	{ "encryption", h_ikev1_mode_attr, NULL },
	{ "hash", h_ikev1_mode_attr, NULL },
	{ "group", h_ikev1_mode_attr, NULL },
	{ "lifetime", h_ikev1_mode_attr, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_ikev1_policy = { "crypto ikev1 policy", { ikev1_policy_cmds }, false };

/* crypto ikev1|isakmp enable IF, PIX isakmp enable IF */
static int h_ikev1_enable(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_end(p, p->k + 1) || add_ifname(p, c->ikev1_enabled_ifaces, &c->n_ikev1_enabled, p->k))
		return -1;
	if (!c->line_ikev1_enable)
		c->line_ikev1_enable = p->line;
	return 0;
}

/* crypto ikev1|isakmp am-disable */
static int h_ikev1_am_disable(struct pctx *p)
{
	if (p_end(p, p->k))
		return -1;
	p->c->ikev1_am_disabled = true;
	p->c->line_ikev1_am_disable = p->line;
	return 0;
}

/* [crypto] isakmp identity address|hostname|key-id X|auto */
static int h_isakmp_identity(struct pctx *p)
{
	static const char *const v[] = { "auto", "address", "hostname", "key-id" };
	size_t i = p->k;
	if (p_need(p, i, "identity type"))
		return -1;
	for (int k = 0; k < 4; k++)
		if (p_is(p, i, v[k])) {
			if (k == 3) {
				/* the key-id string itself is not modelled */
				p_unused(p);
				return 0;
			}
			if (p_end(p, i + 1))
				return -1;
			p->c->isakmp_identity = k;
			return 0;
		}
	return p_err(p, "unknown identity type '%s'", p_w(p, i));
}

/* [crypto] isakmp nat-traversal [N] */
static int h_isakmp_natt(struct pctx *p)
{
	unsigned long v = 20;
	if (p_w(p, p->k) && p_uint(p, p->k, 10, 3600, "keepalive interval", &v))
		return -1;
	if (p_end(p, p->k + 1))
		return -1;
	p->c->isakmp_nat_traversal = true;
	p->c->isakmp_nat_keepalive = (unsigned)v;
	return 0;
}

static int h_no_isakmp_natt(struct pctx *p)
{
	if (p_end(p, p->k))
		return -1;
	p->c->isakmp_nat_traversal = false;
	return 0;
}

/* PIX: isakmp key KEY address A [netmask M] [no-xauth] [no-config-mode] */
static int h_isakmp_key(struct pctx *p)
{
	uint32_t addr, mask = 0xffffffff;
	bool nx = false, ncm = false;
	if (p_need(p, 2, "key"))
		return -1;
	if (strcmp(p_w(p, 2), "*****") == 0)
		return p_err(p, "isakmp key: the key is masked as '*****'; give the real key");
	if (!p_is(p, 3, "address"))
		return p_err(p, "isakmp key: expected 'address' after the key");
	if (p_ip(p, 4, &addr))
		return -1;
	size_t i = 5;
	if (p_is(p, i, "netmask")) {
		if (p_mask(p, i + 1, &mask))
			return -1;
		i += 2;
	}
	for (; i < p_n(p); i++) {
		if (p_is(p, i, "no-xauth"))
			nx = true;
		else if (p_is(p, i, "no-config-mode"))
			ncm = true;
		else
			return p_end(p, i);
	}
	if (addr & ~mask)
		return p_err(p, "isakmp key: address and netmask do not match");
	struct conf_isakmp_key *k = model_grow(&p->c->isakmp_keys, &p->c->n_isakmp_keys,
					       sizeof(*k));
	if (!k || !(k->key = strdup(p_w(p, 2)))) {
		if (k)
			p->c->n_isakmp_keys--;
		return p_oom(p);
	}
	k->addr = addr;
	k->mask = mask;
	k->no_xauth = nx;
	k->no_config_mode = ncm;
	k->line = p->line;
	return 0;
}

/* PIX: isakmp keepalive SECONDS [RETRY] */
static int h_isakmp_keepalive(struct pctx *p)
{
	unsigned long t, r = 2;
	if (p_uint(p, 2, 10, 3600, "keepalive threshold", &t))
		return -1;
	if (p_w(p, 3) && p_uint(p, 3, 2, 10, "keepalive retry", &r))
		return -1;
	if (p_end(p, 4))
		return -1;
	p->c->isakmp_keepalive_threshold = (unsigned)t;
	p->c->isakmp_keepalive_retry = (unsigned)r;
	return 0;
}

/* PIX: isakmp client configuration address-pool local POOL [IF] */
static int h_isakmp_client_pool(struct pctx *p)
{
	if (!p_is(p, 4, "local"))
		return p_err(p, "isakmp client configuration address-pool: expected 'local POOL'");
	if (p_str(p, 5, &p->c->isakmp_client_pool))
		return -1;
	if (p_w(p, 6) && p_str(p, 6, &p->c->isakmp_client_pool_ifname))
		return -1;
	if (p_end(p, 7))
		return -1;
	p->c->line_isakmp_client_pool = p->line;
	return 0;
}

/* ---- crypto ipsec ------------------------------------------------------------- */

static int h_proposal(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_need(p, 4, "proposal name") || p_end(p, 5))
		return -1;
	for (size_t i = 0; i < c->n_proposals; i++)
		if (strcmp(c->proposals[i].name, p_w(p, 4)) == 0) {
			p_enter(p, &mode_proposal, i);
			return 0;
		}
	struct conf_ipsec_proposal *pr = model_grow(&c->proposals, &c->n_proposals, sizeof(*pr));
	if (!pr)
		return p_oom(p);
	pr->line = p->line;
	if (p_str(p, 4, &pr->name)) {
		c->n_proposals--;
		return -1;
	}
	p_enter(p, &mode_proposal, c->n_proposals - 1);
	return 0;
}

static int h_prop_encryption(struct pctx *p)
{
	struct conf_ipsec_proposal *pr = &p->c->proposals[p_obj(p)];
	if (alg_list(p, 3, &kw_esp_encr, "esp encryption", pr->encr, &pr->n_encr))
		return -1;
	pr->line_encr = p->line;
	return 0;
}

static int h_prop_integrity(struct pctx *p)
{
	struct conf_ipsec_proposal *pr = &p->c->proposals[p_obj(p)];
	if (id_list(p, 3, &kw_esp_integ, "esp integrity", pr->integ, &pr->n_integ))
		return -1;
	pr->line_integ = p->line;
	return 0;
}

static const struct conf_cmd proposal_cmds[] = {
	{ "protocol esp encryption", h_prop_encryption, NULL },
	{ "protocol esp integrity", h_prop_integrity, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_proposal = { "crypto ipsec ikev2 ipsec-proposal", { proposal_cmds },
					 false };

/* crypto ipsec [ikev1] transform-set NAME ENC [AUTH] */
static int h_transform_set(struct pctx *p)
{
	struct conf *c = p->c;
	size_t i = p->k;
	const struct kw_alg *e, *a = NULL;
	if (p_need(p, i, "transform-set name") || p_need(p, i + 1, "ESP encryption"))
		return -1;
	if (!(e = kw_find(&kw_ts_encr, p_w(p, i + 1))))
		return p_err(p, "unknown ESP encryption '%s'", p_w(p, i + 1));
	if (p_w(p, i + 2) && !(a = kw_find(&kw_ts_auth, p_w(p, i + 2))))
		return p_err(p, "unknown ESP authentication '%s'", p_w(p, i + 2));
	if (p_end(p, i + 3))
		return -1;
	if (e->id == 11 && (!a || a->id == 0))
		return p_err(p, "esp-null needs an authentication transform");
	struct conf_transform_set *ts = NULL;
	for (size_t j = 0; j < c->n_transform_sets; j++)
		if (strcmp(c->transform_sets[j].name, p_w(p, i)) == 0)
			ts = &c->transform_sets[j];
	if (!ts) {
		ts = model_grow(&c->transform_sets, &c->n_transform_sets, sizeof(*ts));
		if (!ts)
			return p_oom(p);
		if (p_str(p, i, &ts->name)) {
			c->n_transform_sets--;
			return -1;
		}
	}
	ts->esp_id = e->id;
	ts->key_bits = e->bits;
	ts->auth_alg = a ? a->id : 0;
	ts->line = p->line;
	return 0;
}

/* "seconds N" / "kilobytes N" pairs from word i on */
static int lifetime_pairs(struct pctx *p, size_t i, uint32_t *sec, uint32_t *kb)
{
	unsigned long v;
	if (p_need(p, i, "'seconds N' or 'kilobytes N'"))
		return -1;
	for (; i < p_n(p); i += 2) {
		if (p_is(p, i, "seconds")) {
			if (p_uint(p, i + 1, 120, 2147483647, "lifetime seconds", &v))
				return -1;
			*sec = (uint32_t)v;
		} else if (p_is(p, i, "kilobytes")) {
			if (p_uint(p, i + 1, 10, 2147483647, "lifetime kilobytes", &v))
				return -1;
			*kb = (uint32_t)v;
		} else {
			return p_err(p, "expected 'seconds' or 'kilobytes', not '%s'", p_w(p, i));
		}
	}
	return 0;
}

static int h_sa_lifetime(struct pctx *p)
{
	return lifetime_pairs(p, 4, &p->c->ipsec_lifetime_sec, &p->c->ipsec_lifetime_kb);
}

static int h_replay_window(struct pctx *p)
{
	unsigned long v;
	if (p_uint(p, 5, 64, 1024, "replay window size", &v) || p_end(p, 6))
		return -1;
	if (v & (v - 1))
		return p_err(p, "replay window size must be 64, 128, 256, 512 or 1024");
	p->c->replay_window = (unsigned)v;
	return 0;
}

static int h_replay_disable(struct pctx *p)
{
	if (p_end(p, 5))
		return -1;
	p->c->replay_window = 0;
	return 0;
}

/* ---- crypto dynamic-map NAME SEQ set ... ------------------------------------ */

static struct conf_dynmap_entry *dynmap_get(struct pctx *p)
{
	struct conf *c = p->c;
	unsigned long seq;
	if (p_uint(p, 3, 1, 65535, "sequence number", &seq))
		return NULL;
	for (size_t i = 0; i < c->n_dynmaps; i++)
		if (c->dynmaps[i].seq == seq && strcmp(c->dynmaps[i].name, p_w(p, 2)) == 0)
			return &c->dynmaps[i];
	struct conf_dynmap_entry *e = model_grow(&c->dynmaps, &c->n_dynmaps, sizeof(*e));
	if (!e || !(e->name = strdup(p_w(p, 2)))) {
		if (e)
			c->n_dynmaps--;
		p_oom(p);
		return NULL;
	}
	e->seq = (unsigned)seq;
	e->line = p->line;
	return e;
}

/* Words from..end as a list of names (replacing what the list held). */
int p_name_list(struct pctx *p, size_t from, const char *what, size_t max, char **list, size_t *n)
{
	char *v[CONF_MAX_LIST];
	size_t k = 0;
	if (max > CONF_MAX_LIST)
		max = CONF_MAX_LIST;
	if (p_need(p, from, what))
		return -1;
	if (p_n(p) - from > max)
		return p_err(p, "too many %s names (at most %zu)", what, max);
	for (size_t i = from; i < p_n(p); i++) {
		if (!(v[k] = strdup(p_w(p, i)))) {
			while (k)
				free(v[--k]);
			return p_oom(p);
		}
		k++;
	}
	for (size_t i = 0; i < *n; i++)
		free(list[i]);
	memcpy(list, v, k * sizeof(v[0]));
	*n = k;
	return 0;
}

static int h_dyn_proposal(struct pctx *p)
{
	struct conf_dynmap_entry *e = dynmap_get(p);
	if (!e || p_name_list(p, 7, "ipsec-proposal", CONF_MAX_LIST, e->ikev2_proposals, &e->n_ikev2_proposals))
		return -1;
	e->line_proposal = p->line;
	return 0;
}

static int h_dyn_transform_set(struct pctx *p)
{
	struct conf_dynmap_entry *e = dynmap_get(p);
	return e ? p_name_list(p, p->k, "transform-set", CONF_MAX_LIST, e->transform_sets, &e->n_transform_sets) : -1;
}

static int h_dyn_pfs(struct pctx *p)
{
	struct conf_dynmap_entry *e = dynmap_get(p);
	if (!e)
		return -1;
	uint16_t g = 2;   /* a bare "set pfs" means group2 */
	if (p_w(p, 6)) {
		const struct kw_alg *a = kw_find(&kw_pfs_group, p_w(p, 6));
		if (!a)
			return p_err(p, "unknown pfs group '%s'", p_w(p, 6));
		g = a->id;
	}
	if (p_end(p, 7))
		return -1;
	e->pfs_group = g;
	e->line_pfs = p->line;
	return 0;
}

static int h_dyn_lifetime(struct pctx *p)
{
	struct conf_dynmap_entry *e = dynmap_get(p);
	if (!e || lifetime_pairs(p, 7, &e->lifetime_sec, &e->lifetime_kb))
		return -1;
	e->line_lifetime = p->line;
	return 0;
}

static int h_dyn_rri(struct pctx *p)
{
	struct conf_dynmap_entry *e = dynmap_get(p);
	if (!e || p_end(p, 6))
		return -1;
	e->reverse_route = true;
	return 0;
}

/* ---- crypto map ----------------------------------------------------------- */

static int h_cmap_dynamic(struct pctx *p)
{
	struct conf *c = p->c;
	unsigned long seq;
	if (p_uint(p, 3, 1, 65535, "sequence number", &seq) || p_need(p, 6, "dynamic-map name") ||
	    p_end(p, 7))
		return -1;
	struct conf_crypto_map_entry *e = NULL;
	for (size_t i = 0; i < c->n_cmaps; i++)
		if (c->cmaps[i].seq == seq && strcmp(c->cmaps[i].name, p_w(p, 2)) == 0)
			e = &c->cmaps[i];
	if (!e) {
		e = model_grow(&c->cmaps, &c->n_cmaps, sizeof(*e));
		if (!e || !(e->name = strdup(p_w(p, 2)))) {
			if (e)
				c->n_cmaps--;
			return p_oom(p);
		}
		e->seq = (unsigned)seq;
	}
	e->line = p->line;
	return p_str(p, 6, &e->dynmap);
}

static int h_cmap_interface(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_need(p, 4, "interface name") || p_end(p, 5))
		return -1;
	/* one crypto map per interface: a new binding replaces the old one */
	struct conf_crypto_map_binding *b = NULL;
	for (size_t i = 0; i < c->n_cmap_bindings; i++)
		if (strcmp(c->cmap_bindings[i].ifname, p_w(p, 4)) == 0)
			b = &c->cmap_bindings[i];
	if (!b) {
		b = model_grow(&c->cmap_bindings, &c->n_cmap_bindings, sizeof(*b));
		if (!b || !(b->ifname = strdup(p_w(p, 4)))) {
			if (b)
				c->n_cmap_bindings--;
			return p_oom(p);
		}
	}
	b->line = p->line;
	return p_str(p, 2, &b->name);
}

static struct conf_crypto_map_client *cmap_client_get(struct pctx *p)
{
	struct conf *c = p->c;
	for (size_t i = 0; i < c->n_cmap_clients; i++)
		if (strcmp(c->cmap_clients[i].name, p_w(p, 2)) == 0)
			return &c->cmap_clients[i];
	struct conf_crypto_map_client *e = model_grow(&c->cmap_clients, &c->n_cmap_clients,
						      sizeof(*e));
	if (!e || !(e->name = strdup(p_w(p, 2)))) {
		if (e)
			c->n_cmap_clients--;
		p_oom(p);
		return NULL;
	}
	return e;
}

/* PIX: crypto map NAME client configuration address initiate|respond */
static int h_cmap_client_config(struct pctx *p)
{
	bool ini = p_is(p, 6, "initiate"), resp = p_is(p, 6, "respond");
	if (p_need(p, 6, "'initiate' or 'respond'"))
		return -1;
	if (!ini && !resp)
		return p_err(p, "expected 'initiate' or 'respond', not '%s'", p_w(p, 6));
	if (p_end(p, 7))
		return -1;
	struct conf_crypto_map_client *e = cmap_client_get(p);
	if (!e)
		return -1;
	e->config_initiate |= ini;
	e->config_respond |= resp;
	e->line_config = p->line;
	return 0;
}

/* PIX: crypto map NAME client [token] authentication TAG */
static int h_cmap_client_auth(struct pctx *p)
{
	if (p_need(p, p->k, "aaa-server group") || p_end(p, p->k + 1))
		return -1;
	struct conf_crypto_map_client *e = cmap_client_get(p);
	if (!e || p_str(p, p->k, &e->authn_server_group))
		return -1;
	e->line_authn = p->line;
	return 0;
}

/* ---- crypto ca trustpoint --------------------------------------------------- */

static struct conf_trustpoint *cur_tp(struct pctx *p)
{
	return &p->c->trustpoints[p_obj(p)];
}

static int h_trustpoint(struct pctx *p)
{
	struct conf *c = p->c;
	if (p_need(p, 3, "trustpoint name") || p_end(p, 4))
		return -1;
	for (size_t i = 0; i < c->n_trustpoints; i++)
		if (strcmp(c->trustpoints[i].name, p_w(p, 3)) == 0) {
			p_enter(p, &mode_trustpoint, i);
			return 0;
		}
	struct conf_trustpoint *tp = model_grow(&c->trustpoints, &c->n_trustpoints, sizeof(*tp));
	if (!tp)
		return p_oom(p);
	tp->line = p->line;
	if (p_str(p, 3, &tp->name)) {
		c->n_trustpoints--;
		return -1;
	}
	p_enter(p, &mode_trustpoint, c->n_trustpoints - 1);
	return 0;
}

static int h_tp_enroll_self(struct pctx *p)
{
	if (p_end(p, 2))
		return -1;
	cur_tp(p)->enroll_self = true;
	return 0;
}

static int h_tp_enroll_terminal(struct pctx *p)
{
	if (p_end(p, 2))
		return -1;
	cur_tp(p)->enroll_self = false;
	return 0;
}

static int h_tp_subject(struct pctx *p)
{
	return p_rest(p, 1, &cur_tp(p)->subject);
}

static int h_tp_fqdn(struct pctx *p)
{
	if (p_need(p, 1, "FQDN") || p_end(p, 2))
		return -1;
	if (p_is(p, 1, "none")) {
		model_free_str(&cur_tp(p)->fqdn);
		return 0;
	}
	return p_str(p, 1, &cur_tp(p)->fqdn);
}

static int h_tp_file(struct pctx *p)
{
	struct conf_trustpoint *tp = cur_tp(p);
	char **dst = p_is(p, 1, "certificate-file") ? &tp->cert_file
		     : p_is(p, 1, "key-file")       ? &tp->key_file
						    : &tp->ca_file;
	if (p_need(p, 2, "file name") || p_end(p, 3))
		return -1;
	return p_str(p, 2, dst);
}

static const struct conf_cmd trustpoint_cmds[] = {
	{ "enrollment self", h_tp_enroll_self, NULL },
	{ "enrollment terminal", h_tp_enroll_terminal, NULL },
	{ "enrollment", NULL, NULL },          /* url, retry, protocol, ... */
	{ "subject-name", h_tp_subject, NULL },
	{ "fqdn", h_tp_fqdn, NULL },
	{ "ravpn certificate-file", h_tp_file, NULL },
	{ "ravpn key-file", h_tp_file, NULL },
	{ "ravpn ca-file", h_tp_file, NULL },
	{ "crl configure", NULL, &mode_opaque },
	{ "crl", NULL, NULL },
	{ "keypair", NULL, NULL },
	{ "revocation-check", NULL, NULL },
	{ "validation-usage", NULL, NULL },
	{ "id-usage", NULL, NULL },
	{ "email", NULL, NULL },
	{ "ip-address", NULL, NULL },
	{ "serial-number", NULL, NULL },
	{ "password", NULL, NULL },
	{ "proxy-ldc-issuer", NULL, NULL },
	{ "ca-check", NULL, NULL },
	{ "client-types", NULL, NULL },
	{ "ignore-ipsec-keyusage", NULL, NULL },
	{ "ignore-ssl-keyusage", NULL, NULL },
	{ "accept-subordinates", NULL, NULL },
	{ "support-user-cert-validation", NULL, NULL },
	{ "id-cert-issuer", NULL, NULL },
	{ "match", NULL, NULL },
	{ "auto-import", NULL, NULL },
	{ "ocsp", NULL, NULL },
	{ "name", NULL, NULL },
	{ NULL, NULL, NULL },
};
const struct conf_mode mode_trustpoint = { "crypto ca trustpoint", { trustpoint_cmds }, false };

/* ---- the global crypto table ------------------------------------------------ */

const struct conf_cmd cmds_global_crypto[] = {
	{ "crypto ikev2 policy", h_ikev2_policy, NULL },
	{ "crypto ikev2 enable", h_ikev2_enable, NULL },
	{ "crypto ikev2 remote-access trustpoint", h_ikev2_ra_trustpoint, NULL },
	{ "crypto ikev2 cookie-challenge", h_ikev2_cookie, NULL },
	{ "crypto ikev2 fragmentation", h_ikev2_frag, NULL },
	{ "no crypto ikev2 fragmentation", h_no_ikev2_frag, NULL },
	{ "crypto ikev2", NULL, &mode_opaque },
	{ "crypto ikev1 policy", h_ikev1_policy, NULL },
	{ "crypto isakmp policy", h_ikev1_policy, NULL },
	{ "crypto ikev1 enable", h_ikev1_enable, NULL },
	{ "crypto isakmp enable", h_ikev1_enable, NULL },
	{ "crypto isakmp identity", h_isakmp_identity, NULL },
	{ "crypto ikev1 am-disable", h_ikev1_am_disable, NULL },
	{ "crypto isakmp am-disable", h_ikev1_am_disable, NULL },
	{ "crypto isakmp nat-traversal", h_isakmp_natt, NULL },
	{ "no crypto isakmp nat-traversal", h_no_isakmp_natt, NULL },
	{ "crypto ikev1", NULL, &mode_opaque },
	{ "crypto isakmp", NULL, &mode_opaque },
	{ "crypto ipsec ikev2 ipsec-proposal", h_proposal, NULL },
	{ "crypto ipsec ikev1 transform-set", h_transform_set, NULL },
	{ "crypto ipsec transform-set", h_transform_set, NULL },
	{ "crypto ipsec ikev1 transform-set * mode", NULL, NULL },
	{ "crypto ipsec transform-set * mode", NULL, NULL },
	{ "crypto ipsec security-association lifetime", h_sa_lifetime, NULL },
	{ "crypto ipsec security-association replay window-size", h_replay_window, NULL },
	{ "crypto ipsec security-association replay disable", h_replay_disable, NULL },
	{ "crypto ipsec", NULL, &mode_opaque },
	{ "crypto dynamic-map * * set ikev2 ipsec-proposal", h_dyn_proposal, NULL },
	{ "crypto dynamic-map * * set ikev1 transform-set", h_dyn_transform_set, NULL },
	{ "crypto dynamic-map * * set transform-set", h_dyn_transform_set, NULL },
	{ "crypto dynamic-map * * set pfs", h_dyn_pfs, NULL },
	{ "crypto dynamic-map * * set security-association lifetime", h_dyn_lifetime, NULL },
	{ "crypto dynamic-map * * set reverse-route", h_dyn_rri, NULL },
	{ "crypto dynamic-map", NULL, NULL },
	{ "crypto map * * ipsec-isakmp dynamic", h_cmap_dynamic, NULL },
	{ "crypto map * interface", h_cmap_interface, NULL },
	{ "crypto map * client configuration address", h_cmap_client_config, NULL },
	{ "crypto map * client authentication", h_cmap_client_auth, NULL },
	{ "crypto map * client token authentication", h_cmap_client_auth, NULL },
	{ "crypto map", NULL, NULL },
	{ "crypto ca trustpoint", h_trustpoint, NULL },
	{ "crypto ca", NULL, &mode_opaque },
	{ "crypto", NULL, &mode_opaque },
	/* PIX 6 */
	{ "isakmp enable", h_ikev1_enable, NULL },
	{ "isakmp policy * authentication", h_pix_isakmp_policy, NULL },
	{ "isakmp policy * encryption", h_pix_isakmp_policy, NULL },
	{ "isakmp policy * hash", h_pix_isakmp_policy, NULL },
	{ "isakmp policy * group", h_pix_isakmp_policy, NULL },
	{ "isakmp policy * lifetime", h_pix_isakmp_policy, NULL },
	{ "isakmp key", h_isakmp_key, NULL },
	{ "isakmp identity", h_isakmp_identity, NULL },
	{ "isakmp keepalive", h_isakmp_keepalive, NULL },
	{ "isakmp nat-traversal", h_isakmp_natt, NULL },
	{ "no isakmp nat-traversal", h_no_isakmp_natt, NULL },
	{ "isakmp client configuration address-pool", h_isakmp_client_pool, NULL },
	{ "isakmp", NULL, NULL },
	{ NULL, NULL, NULL },
};
