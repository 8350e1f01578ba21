/* CREATE_CHILD_SA started by the initiator (RFC 7296 §1.3, §2.8, §2.17,
 * §2.18).
 *
 * Rekey (or add) a CHILD SA:
 *   HDR, SK {[N(REKEY_SA)], SA, Ni, [KEi], TSi, TSr}  -->
 *   <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
 * The new CHILD SA gets its own SPIs and KEYMAT (with g^ir when the
 * initiator or `set pfs` asks for PFS); the old one stays until the
 * initiator deletes it.
 *
 * Rekey the IKE SA:
 *   HDR, SK {SA, Ni, KEi}  -->  <-- HDR, SK {SA, Nr, KEr}
 * A new IKE SA with the initiator's new SPI and a fresh one of ours, keys
 * from SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr); the CHILD SAs, the
 * address lease and the identities move to it; the old SA waits for the
 * initiator's DELETE (§2.18). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/loop.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/core/child.h"
#include "ike/v2/v2.h"

#define REKEYED_GRACE_MS 30000u

static void sel_log(void *arg, const char *line)
{
	v2_log(arg, 2, "%s", line);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Copy identity and policy of the old SA; move children and the lease. */
static void inherit(struct ike_sa *ns, struct ike_sa *old)
{
	ns->session_id = old->session_id;
	ns->created = old->created;
	ns->created_ms = old->created_ms;
	ns->nat_remote = old->nat_remote;
	ns->nat_local = old->nat_local;
	ns->remote_id = mem_strdup(old->remote_id);
	ns->local_id = mem_strdup(old->local_id);
	ns->tunnel_group = mem_strdup(old->tunnel_group);
	ns->group_policy = mem_strdup(old->group_policy);
	ns->username = mem_strdup(old->username);
	ike_sa_index_user(ns);
	ns->client_version = mem_strdup(old->client_version);
	ns->auth_sign = old->auth_sign;
	ns->auth_verify = old->auth_verify;
	ns->dpd_interval = old->dpd_interval;
	ns->dpd_retry = old->dpd_retry;
	ns->peer_fragmentation = old->peer_fragmentation;
	ns->assigned_addr = old->assigned_addr;
	ns->pool_name = old->pool_name;
	ns->lease_held = old->lease_held;
	old->lease_held = false;
	ns->bytes_in = old->bytes_in;
	ns->bytes_out = old->bytes_out;
	ns->rekeys = old->rekeys + 1;
	ns->children = old->children;
	old->children = NULL;
	for (struct child_sa *k = ns->children; k; k = k->next) {
		k->ike_serial = ns->serial;
		ike_child_spi_remove(k->spi_in);
		if (ike_child_spi_add(k->spi_in, ns->serial) < 0)
			v2_log(ns, 1, "SPI 0x%08x could not be moved", k->spi_in);
	}
	if (ns->conf != old->conf) {
		if (ns->conf)
			conf_unref(ns->conf);
		ns->conf = old->conf ? conf_ref(old->conf) : NULL;
		ns->ifname = old->ifname;
	}
}

static int rekey_keys(struct ike_sa *ns, struct ike_sa *old, const struct v2_ike_choice *ch,
		      const struct ikev2_msg *in, uint8_t *pub)
{
	struct v2_sa *nv = v2_of(ns), *ov = v2_of(old);
	uint8_t gir[CRYPTO_MAX_DH_PUB];
	size_t gir_len = sizeof(gir);
	int rc = -1;
	struct crypto_dh *dh = crypto_dh_new(ch->dh);
	if (!dh || crypto_dh_public(dh, pub) < 0 ||
	    crypto_dh_shared(dh, in->ke.data.data, in->ke.data.len, gir, &gir_len) < 0)
		goto out;
	memcpy(nv->ni, in->nonce.data, in->nonce.len);
	nv->ni_len = in->nonce.len;
	nv->nr_len = V2_NONCE_LEN;
	if (crypto_random(nv->nr, nv->nr_len) < 0)
		goto out;
	nv->km.prf = ch->prf;
	nv->km.encr = ch->encr;
	nv->km.integ = ch->integ;
	if (ike_keys_derive_rekey(&nv->km, ov->km.prf, ov->km.sk_d, ov->km.prf_len, gir, gir_len,
				  nv->ni, nv->ni_len, nv->nr, nv->nr_len, ns->spi_i, ns->spi_r) < 0 ||
	    ike_sk_init(&nv->sk, ch->encr, ch->integ, nv->km.sk_ei, nv->km.sk_ai, nv->km.sk_er,
			nv->km.sk_ar) < 0)
		goto out;
	nv->keys_ready = true;
	ike_sk_idle(&nv->sk);                   /* established from the start */
	nv->peer_frag = ov->peer_frag;
	nv->sig_hashes = ov->sig_hashes;
	rc = 0;
out:
	crypto_dh_free(dh);
	mem_wipe(gir, sizeof(gir));
	return rc;
}

/* HDR, SK {SA, Ni, KEi} -->  <-- HDR, SK {SA, Nr, KEr}        §1.3.2, §2.18 */
static enum v2_verdict rekey_ike(struct v2_ctx *c, const struct ikev2_proposal *first)
{
	struct ike_sa *sa = c->sa;
	const struct ikev2_msg *in = c->in;
	struct v2_ike_choice ch;
	if (!(in->present & IKEV2_BIT(IKEV2_PL_KE))) {
		c->notify = IKEV2_N_INVALID_SYNTAX;       /* §2.18: a new DH is mandatory */
		return V2_NOTIFY;
	}
	enum v2_select s = v2_select_ike(sa->conf, &in->sa, in->ke.group, &ch, sel_log, sa);
	if (s != V2_SEL_OK) {
		c->notify = s == V2_SEL_NONE ? IKEV2_N_NO_PROPOSAL_CHOSEN : IKEV2_N_INVALID_KE_PAYLOAD;
		if (s == V2_SEL_INVALID_KE) {
			c->notify_data[0] = (uint8_t)(ch.dh->id >> 8);
			c->notify_data[1] = (uint8_t)ch.dh->id;
			c->notify_len = 2;
		}
		return V2_NOTIFY;
	}
	const struct ikev2_proposal *p = NULL;
	for (unsigned i = 0; i < in->sa.n; i++)
		if (in->sa.p[i].num == ch.proposal_num)
			p = &in->sa.p[i];
	if (!p || p->spi_size != 8 || in->nonce.len < IKE_NONCE_MIN || in->nonce.len > IKE_NONCE_MAX) {
		c->notify = IKEV2_N_INVALID_SYNTAX;
		return V2_NOTIFY;
	}
	(void)first;
	struct ike_sa *ns = v2_sa_new(c->eng, c->pkt, be64(p->spi));
	uint8_t pub[CRYPTO_MAX_DH_PUB];
	if (!ns)
		return V2_DROP;
	if (rekey_keys(ns, sa, &ch, in, pub) < 0) {
		v2_sa_destroy(ns, NULL, false);
		c->notify = IKEV2_N_NO_PROPOSAL_CHOSEN;
		return V2_NOTIFY;
	}
	inherit(ns, sa);
	ns->encr_id = ch.encr->ikev2_id;
	ns->encr_bits = ch.encr->key_bits;
	ns->prf_id = ch.prf->ikev2_id;
	ns->integ_id = ch.integ ? ch.integ->ikev2_id : 0;
	ns->dh_group = ch.dh->id;
	ns->lifetime_sec = ch.policy->lifetime_sec ? ch.policy->lifetime_sec : 86400;
	ns->policy_priority = ch.policy->priority;
	v2_sa_set_state(ns, IKE_STATE_ESTABLISHED);
	ns->created_ms = loop_now_ms();   /* the lifetime counts from the rekey */
	sa->rekeyed_to = ns->serial;
	v2_of(ns)->up = c->v->up;          /* the session moves to the new SA */
	c->v->up = false;
	struct ikev2_proposal rp = { .num = ch.proposal_num, .protocol = IKEV2_PROTO_IKE,
				     .spi_size = 8 };
	for (int i = 0; i < 8; i++)
		rp.spi[i] = (uint8_t)(ns->spi_r >> (56 - 8 * i));
	rp.t[rp.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, ch.encr->ikev2_id,
		ch.encr->keylen_attr ? ch.encr->key_bits : 0, false };
	rp.t[rp.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_PRF, ch.prf->ikev2_id, 0, false };
	if (ch.integ)
		rp.t[rp.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_INTEG,
			ch.integ->ikev2_id, 0, false };
	rp.t[rp.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_DH, ch.dh->id, 0, false };
	ikev2_w_sa(c->w, &rp, 1);
	ikev2_w_nonce(c->w, v2_of(ns)->nr, v2_of(ns)->nr_len);
	ikev2_w_ke(c->w, ch.dh->id, pub, ch.dh->pub_len);
	v2_log(sa, 1, "IKE SA rekeyed: new SPIs %016llx/%016llx", (unsigned long long)ns->spi_i,
	       (unsigned long long)ns->spi_r);
	c->v->deadline_ms = loop_now_ms() + REKEYED_GRACE_MS;
	c->next = IKE_STATE_REKEYED;
	v2_sa_schedule(ns);
	return V2_REPLY;
}

/* HDR, SK {[N(REKEY_SA)], SA, Ni, [KEi], TSi, TSr} -->
 *   <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}                     §1.3.1, §1.3.3 */
static enum v2_verdict child(struct v2_ctx *c)
{
	struct ike_sa *sa = c->sa;
	const struct ikev2_msg *in = c->in;
	const struct ikev2_notify *rk = ikev2_msg_notify(in, IKEV2_N_REKEY_SA);
	struct child_sa *old = NULL, *k = NULL;
	uint8_t nr[V2_NONCE_LEN];
	if (!(in->present & IKEV2_BIT(IKEV2_PL_TSI)) || !(in->present & IKEV2_BIT(IKEV2_PL_TSR)) ||
	    in->nonce.len < IKE_NONCE_MIN || in->nonce.len > IKE_NONCE_MAX) {
		c->notify = IKEV2_N_INVALID_SYNTAX;
		return V2_NOTIFY;
	}
	if (rk) {
		if (rk->spi.len != 4 || !(old = ike_child_by_spi_out(sa, be32(rk->spi.data)))) {
			v2_log(sa, 1, "REKEY_SA for an unknown CHILD SA");
			c->notify = IKEV2_N_CHILD_SA_NOT_FOUND;
			return V2_NOTIFY;
		}
	}
	if (crypto_random(nr, sizeof(nr)) < 0)
		return V2_DROP;
	const struct ikev2_ke *ke = in->present & IKEV2_BIT(IKEV2_PL_KE) ? &in->ke : NULL;
	uint16_t n = v2_child_create(c, &in->sa, &in->tsi, &in->tsr, ke, true, in->nonce.data,
				     in->nonce.len, nr, sizeof(nr), true, &k);
	if (n) {
		c->notify = n;
		return V2_NOTIFY;
	}
	if (old) {
		old->rekeyed = true;
		v2_log(sa, 1, "CHILD SA 0x%08x/0x%08x rekeyed by 0x%08x/0x%08x", old->spi_in,
		       old->spi_out, k->spi_in, k->spi_out);
	}
	sa->rekeys++;
	return V2_REPLY;
}

enum v2_verdict v2_create_child(struct v2_ctx *c)
{
	const struct ikev2_msg *in = c->in;
	if (in->sa.n > 0 && in->sa.p[0].protocol == IKEV2_PROTO_IKE)
		return rekey_ike(c, &in->sa.p[0]);
	return child(c);
}

/* CREATE_CHILD_SA on an SA that is being replaced or deleted: §2.25. */
enum v2_verdict v2_temporary_failure(struct v2_ctx *c)
{
	c->notify = IKEV2_N_TEMPORARY_FAILURE;
	return V2_NOTIFY;
}
