/* Proposal selection and traffic-selector narrowing: pure functions over
 * the configuration model and parsed payloads (tested directly by
 * tests/unit/ike/test_ikev2_select.c).
 *
 * IKE SA (RFC 7296 §2.7, §3.3): the `crypto ikev2 policy` entries are
 * walked in priority order against every proposal and transform the
 * initiator offered, the way the ASA prints it with
 * `debug crypto ikev2 protocol`:
 *   IKEv2-PROTO-2: (7): Received Policies:
 *   IKEv2-PROTO-2: (7): Proposal 1: AES-CBC-256 SHA1 SHA96 DH_GROUP_1024_MODP/Group 2
 *   IKEv2-PROTO-2: (7): Failed to find a matching policy
 *   IKEv2-PROTO-2: (7): Expected Policies:
 *   IKEv2-PROTO-2: (7): Policy 10: AES-CBC-192 SHA1 SHA96 DH_GROUP_1024_MODP/Group 2
 * A policy that matches with the group of the initiator's KE payload wins;
 * otherwise the first policy that matches with another group is answered
 * with INVALID_KE_PAYLOAD naming that group (§1.2, §2.7). */
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "ike/v2/v2.h"

static const uint16_t default_prf[] = { 2 };          /* prf sha */
static const uint16_t default_groups[] = { 2, 5 };    /* ASA default */

static bool offers(const struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	for (unsigned i = 0; i < p->n_transforms; i++) {
		const struct ikev2_transform *t = &p->t[i];
		if (t->type == type && t->id == id && t->key_bits == bits && !t->unknown_attr)
			return true;
	}
	return false;
}

static bool has_type(const struct ikev2_proposal *p, uint8_t type, bool ignore_none)
{
	for (unsigned i = 0; i < p->n_transforms; i++)
		if (p->t[i].type == type && !(ignore_none && p->t[i].id == 0))
			return true;
	return false;
}

static void names(char *out, size_t len, const struct ikev2_proposal *p, uint8_t type)
{
	for (unsigned i = 0; i < p->n_transforms; i++) {
		const struct ikev2_transform *t = &p->t[i];
		if (t->type != type)
			continue;
		size_t n = strlen(out);
		if (t->key_bits)
			snprintf(out + n, len - n, "%s-%u ", ikev2_transform_name(type, t->id),
				 t->key_bits);
		else
			snprintf(out + n, len - n, "%s ", ikev2_transform_name(type, t->id));
	}
}

static void log_offer(const struct ikev2_sa *offer, void (*logf)(void *, const char *), void *arg)
{
	if (!logf)
		return;
	logf(arg, "Received Policies:");
	for (unsigned i = 0; i < offer->n; i++) {
		const struct ikev2_proposal *p = &offer->p[i];
		char line[1024];
		int n = snprintf(line, sizeof(line), "Proposal %u: ", p->num);
		line[n > 0 && (size_t)n < sizeof(line) ? n : 0] = '\0';
		names(line, sizeof(line), p, IKEV2_TRANS_ENCR);
		names(line, sizeof(line), p, IKEV2_TRANS_PRF);
		names(line, sizeof(line), p, IKEV2_TRANS_INTEG);
		names(line, sizeof(line), p, IKEV2_TRANS_DH);
		logf(arg, line);
	}
}

static void log_policies(const struct conf *c, void (*logf)(void *, const char *), void *arg)
{
	if (!logf)
		return;
	logf(arg, "Expected Policies:");
	for (size_t i = 0; i < c->n_ikev2_policies; i++) {
		const struct conf_ikev2_policy *p = &c->ikev2_policies[i];
		char line[1024];
		size_t n = (size_t)snprintf(line, sizeof(line), "Policy %u:", p->priority);
		for (size_t k = 0; k < p->n_encr && n < sizeof(line); k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s%s%.0u",
					      ikev2_transform_name(IKEV2_TRANS_ENCR, p->encr[k].id),
					      p->encr[k].key_bits ? "-" : "", p->encr[k].key_bits);
		const uint16_t *prf = p->n_prf ? p->prf : default_prf;
		size_t n_prf = p->n_prf ? p->n_prf : 1;
		for (size_t k = 0; k < n_prf && n < sizeof(line); k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
					      ikev2_transform_name(IKEV2_TRANS_PRF, prf[k]));
		for (size_t k = 0; k < p->n_integ && n < sizeof(line); k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
					      ikev2_transform_name(IKEV2_TRANS_INTEG, p->integ[k]));
		const uint16_t *g = p->n_group ? p->group : default_groups;
		size_t n_g = p->n_group ? p->n_group : 2;
		for (size_t k = 0; k < n_g && n < sizeof(line); k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
					      ikev2_transform_name(IKEV2_TRANS_DH, g[k]));
		logf(arg, line);
	}
}

/* One policy against one proposal; *group_ok tells whether ke_group is
 * acceptable, out->dh is the group to use (ke_group when acceptable). */
static bool match_policy(const struct conf_ikev2_policy *pol, const struct ikev2_proposal *op,
			 uint16_t ke_group, struct v2_ike_choice *out, bool *group_ok)
{
	memset(out, 0, sizeof(*out));
	if (op->protocol != IKEV2_PROTO_IKE)
		return false;
	for (size_t k = 0; k < pol->n_encr && !out->encr; k++) {
		const struct crypto_encr *e = crypto_encr_ikev2(pol->encr[k].id, pol->encr[k].key_bits);
		uint16_t bits = e && e->keylen_attr ? e->key_bits : 0;
		if (e && offers(op, IKEV2_TRANS_ENCR, pol->encr[k].id, bits))
			out->encr = e;
	}
	if (!out->encr)
		return false;
	if (!out->encr->aead) {
		for (size_t k = 0; k < pol->n_integ && !out->integ; k++) {
			const struct crypto_integ *i = crypto_integ_ikev2(pol->integ[k]);
			if (i && offers(op, IKEV2_TRANS_INTEG, pol->integ[k], 0))
				out->integ = i;
		}
		if (!out->integ)
			return false;
	} else if (has_type(op, IKEV2_TRANS_INTEG, true)) {
		return false;       /* an AEAD proposal carries no integrity algorithm */
	}
	const uint16_t *prf = pol->n_prf ? pol->prf : default_prf;
	size_t n_prf = pol->n_prf ? pol->n_prf : 1;
	for (size_t k = 0; k < n_prf && !out->prf; k++) {
		const struct crypto_prf *p = crypto_prf_ikev2(prf[k]);
		if (p && offers(op, IKEV2_TRANS_PRF, prf[k], 0))
			out->prf = p;
	}
	if (!out->prf)
		return false;
	const uint16_t *g = pol->n_group ? pol->group : default_groups;
	size_t n_g = pol->n_group ? pol->n_group : 2;
	*group_ok = false;
	for (size_t k = 0; k < n_g; k++) {
		const struct crypto_dh_group *d = crypto_dh_group(g[k]);
		if (!d || !offers(op, IKEV2_TRANS_DH, g[k], 0))
			continue;
		if (g[k] == ke_group) {
			out->dh = d;
			*group_ok = true;
			break;
		}
		if (!out->dh)
			out->dh = d;
	}
	if (!out->dh)
		return false;
	out->policy = pol;
	out->proposal_num = op->num;
	return true;
}

enum v2_select v2_select_ike(const struct conf *c, const struct ikev2_sa *offer,
			     uint16_t ke_group, struct v2_ike_choice *out,
			     void (*logf)(void *arg, const char *line), void *arg)
{
	struct v2_ike_choice cand, first_other;
	bool have_other = false;
	log_offer(offer, logf, arg);
	for (size_t i = 0; i < c->n_ikev2_policies; i++) {
		for (unsigned j = 0; j < offer->n; j++) {
			bool group_ok;
			if (!match_policy(&c->ikev2_policies[i], &offer->p[j], ke_group, &cand,
					  &group_ok))
				continue;
			if (group_ok) {
				*out = cand;
				if (logf) {
					char line[128];
					snprintf(line, sizeof(line), "Policy %u matches Proposal %u",
						 cand.policy->priority, cand.proposal_num);
					logf(arg, line);
				}
				return V2_SEL_OK;
			}
			if (!have_other) {
				first_other = cand;
				have_other = true;
			}
		}
	}
	if (have_other) {
		*out = first_other;
		if (logf) {
			char line[160];
			snprintf(line, sizeof(line), "Policy %u matches Proposal %u with group %u, "
				 "KE payload has group %u", first_other.policy->priority,
				 first_other.proposal_num, first_other.dh->id, ke_group);
			logf(arg, line);
		}
		return V2_SEL_INVALID_KE;
	}
	if (logf)
		logf(arg, "Failed to find a matching policy");
	log_policies(c, logf, arg);
	return V2_SEL_NONE;
}

/* ---- ESP ---------------------------------------------------------------- */

size_t v2_dynmaps_for(const struct conf *c, const char *ifname,
		      const struct conf_dynmap_entry **out, size_t max)
{
	size_t n = 0;
	bool any_binding = false;
	for (size_t b = 0; b < c->n_cmap_bindings; b++)
		if (ifname && c->cmap_bindings[b].ifname &&
		    strcmp(c->cmap_bindings[b].ifname, ifname) == 0)
			any_binding = true;
	/* crypto map entries in sequence order (selection by smallest unseen) */
	unsigned last_seq = 0;
	bool first = true;
	for (;;) {
		const struct conf_crypto_map_entry *best = NULL;
		for (size_t i = 0; i < c->n_cmaps; i++) {
			const struct conf_crypto_map_entry *m = &c->cmaps[i];
			if (!m->dynmap || (!first && m->seq <= last_seq))
				continue;
			bool bound = !any_binding;
			for (size_t b = 0; b < c->n_cmap_bindings && !bound; b++)
				bound = strcmp(c->cmap_bindings[b].name, m->name) == 0 &&
					c->cmap_bindings[b].ifname &&
					strcmp(c->cmap_bindings[b].ifname, ifname) == 0;
			if (bound && (!best || m->seq < best->seq))
				best = m;
		}
		if (!best)
			break;
		first = false;
		last_seq = best->seq;
		for (size_t d = 0; d < c->n_dynmaps && n < max; d++)
			if (strcmp(c->dynmaps[d].name, best->dynmap) == 0)
				out[n++] = &c->dynmaps[d];
	}
	return n;
}

static const struct conf_ipsec_proposal *find_proposal(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_proposals; i++)
		if (strcmp(c->proposals[i].name, name) == 0)
			return &c->proposals[i];
	return NULL;
}

/* ESN: prefer "no ESN"; accept ESN when it is all the peer offers. */
static bool pick_esn(const struct ikev2_proposal *op, bool *offered, bool *esn)
{
	bool has0 = false, has1 = false;
	for (unsigned i = 0; i < op->n_transforms; i++) {
		if (op->t[i].type != IKEV2_TRANS_ESN)
			continue;
		has0 |= op->t[i].id == 0;
		has1 |= op->t[i].id == 1;
	}
	*offered = has0 || has1;
	*esn = !has0 && has1;
	return !*offered || has0 || has1;
}

/* DH for a CHILD SA: 0 = ok, 1 = no, 2 = INVALID_KE with *dh. */
static int pick_dh(const struct conf_dynmap_entry *dm, const struct ikev2_proposal *op,
		   bool create_child, uint16_t ke_group, const struct crypto_dh_group **dh)
{
	*dh = NULL;
	if (!create_child)
		return 0;          /* IKE_AUTH: no KE, DH transforms are ignored */
	if (dm->pfs_group) {
		if (!offers(op, IKEV2_TRANS_DH, dm->pfs_group, 0))
			return 1;
		*dh = crypto_dh_group(dm->pfs_group);
		if (!*dh)
			return 1;
		return ke_group == dm->pfs_group ? 0 : 2;
	}
	if (ke_group) {
		if (!offers(op, IKEV2_TRANS_DH, ke_group, 0))
			return 1;
		*dh = crypto_dh_group(ke_group);
		return *dh ? 0 : 1;
	}
	/* no PFS: the proposal must allow NONE */
	return has_type(op, IKEV2_TRANS_DH, true) ? 1 : 0;
}

static bool esp_match(const struct conf_dynmap_entry *dm, const struct ikev2_proposal *op,
		      const struct crypto_encr *e, uint16_t bits, const struct crypto_integ *in,
		      bool create_child, uint16_t ke_group, struct v2_esp_choice *out, int *dh_res)
{
	if (op->protocol != IKEV2_PROTO_ESP || op->spi_size != 4)
		return false;
	if (!offers(op, IKEV2_TRANS_ENCR, e->ikev2_id, bits))
		return false;
	if (in ? !offers(op, IKEV2_TRANS_INTEG, in->ikev2_id, 0)
	       : has_type(op, IKEV2_TRANS_INTEG, true))
		return false;
	bool esn_offered, esn;
	if (!pick_esn(op, &esn_offered, &esn))
		return false;
	const struct crypto_dh_group *dh;
	*dh_res = pick_dh(dm, op, create_child, ke_group, &dh);
	if (*dh_res == 1)
		return false;
	out->dynmap = dm;
	out->proposal_num = op->num;
	out->peer_spi = (uint32_t)op->spi[0] << 24 | (uint32_t)op->spi[1] << 16 |
			(uint32_t)op->spi[2] << 8 | op->spi[3];
	out->encr = e;
	out->integ = in;
	out->esn_offered = esn_offered;
	out->esn = esn;
	out->dh = dh;
	return true;
}

enum v2_select v2_select_esp(const struct conf *c, const char *ifname,
			     const struct ikev2_sa *offer, bool create_child, uint16_t ke_group,
			     struct v2_esp_choice *out)
{
	const struct conf_dynmap_entry *dms[32];
	size_t n_dm = v2_dynmaps_for(c, ifname, dms, 32);
	bool have_invalid_ke = false;
	struct v2_esp_choice invalid;
	for (size_t d = 0; d < n_dm; d++) {
		for (size_t pn = 0; pn < dms[d]->n_ikev2_proposals; pn++) {
			const struct conf_ipsec_proposal *pr = find_proposal(c, dms[d]->ikev2_proposals[pn]);
			if (!pr)
				continue;
			for (size_t k = 0; k < pr->n_encr; k++) {
				const struct crypto_encr *e = crypto_encr_ikev2(pr->encr[k].id,
										pr->encr[k].key_bits);
				if (!e)
					continue;
				uint16_t bits = e->keylen_attr ? e->key_bits : 0;
				size_t n_in = e->aead ? 1 : pr->n_integ;
				for (size_t ii = 0; ii < n_in; ii++) {
					const struct crypto_integ *in = NULL;
					if (!e->aead) {
						in = crypto_integ_ikev2(pr->integ[ii]);
						if (!pr->integ[ii] || !in)
							continue;
					}
					for (unsigned j = 0; j < offer->n; j++) {
						int dh_res;
						struct v2_esp_choice ch;
						memset(&ch, 0, sizeof(ch));
						if (!esp_match(dms[d], &offer->p[j], e, bits, in,
							       create_child, ke_group, &ch, &dh_res))
							continue;
						ch.proposal = pr;
						if (dh_res == 0) {
							*out = ch;
							return V2_SEL_OK;
						}
						if (!have_invalid_ke) {
							invalid = ch;
							have_invalid_ke = true;
						}
					}
				}
			}
		}
	}
	if (have_invalid_ke) {
		*out = invalid;
		return V2_SEL_INVALID_KE;
	}
	return V2_SEL_NONE;
}

/* ---- traffic selectors ---------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void v2_ts_from_wire(const struct ikev2_ts *t, struct ike_ts *out)
{
	out->start = be32(t->start);
	out->end = be32(t->end);
	out->port_start = t->start_port;
	out->port_end = t->end_port;
	out->proto = t->ip_proto;
}

void v2_ts_to_wire(const struct ike_ts *t, struct ikev2_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->type = IKEV2_TS_IPV4_ADDR_RANGE;
	out->ip_proto = t->proto;
	out->start_port = t->port_start;
	out->end_port = t->port_end;
	put_be32(out->start, t->start);
	put_be32(out->end, t->end);
}

/* Intersection of two selectors; false when empty. */
static bool ts_intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	if (a->proto && b->proto && a->proto != b->proto)
		return false;
	out->proto = a->proto ? a->proto : b->proto;
	out->start = a->start > b->start ? a->start : b->start;
	out->end = a->end < b->end ? a->end : b->end;
	out->port_start = a->port_start > b->port_start ? a->port_start : b->port_start;
	out->port_end = a->port_end < b->port_end ? a->port_end : b->port_end;
	return out->start <= out->end && out->port_start <= out->port_end;
}

int v2_ts_narrow(const struct ikev2_ts_list *tsi, const struct ikev2_ts_list *tsr,
		 uint32_t assigned, const struct ike_ts *nets, size_t n_nets,
		 struct ikev2_ts_list *out_i, struct ikev2_ts_list *out_r)
{
	memset(out_i, 0, sizeof(*out_i));
	memset(out_r, 0, sizeof(*out_r));
	/* TSi: the initiator's inner address is the one we assigned. */
	struct ike_ts host = { assigned, assigned, 0, 65535, 0 };
	for (unsigned i = 0; i < tsi->n && out_i->n == 0; i++) {
		if (tsi->ts[i].type != IKEV2_TS_IPV4_ADDR_RANGE)
			continue;
		struct ike_ts t, x;
		v2_ts_from_wire(&tsi->ts[i], &t);
		if (ts_intersect(&t, &host, &x) && x.start == assigned)
			v2_ts_to_wire(&x, &out_i->ts[out_i->n++]);
	}
	if (out_i->n == 0)
		return -1;
	/* TSr: what the initiator asked for, cut to what we protect. */
	for (unsigned i = 0; i < tsr->n; i++) {
		if (tsr->ts[i].type != IKEV2_TS_IPV4_ADDR_RANGE)
			continue;
		struct ike_ts t;
		v2_ts_from_wire(&tsr->ts[i], &t);
		for (size_t k = 0; k < n_nets && out_r->n < IKEV2_MAX_TS; k++) {
			struct ike_ts x;
			if (ts_intersect(&t, &nets[k], &x))
				v2_ts_to_wire(&x, &out_r->ts[out_r->n++]);
		}
	}
	return out_r->n ? 0 : -1;
}
