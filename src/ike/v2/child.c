/* CHILD SA negotiation (RFC 7296 §1.2, §1.3.1, §2.9, §2.17).
 *
 *   SAi2, TSi, TSr -->            (IKE_AUTH; or SA, Ni, [KEi], TSi, TSr in
 *                                  CREATE_CHILD_SA)
 *   <-- SAr2, TSi, TSr             (or SA, Nr, [KEr], TSi, TSr)
 *
 * Proposal: the crypto map bound to the interface IKE arrived on, its
 * dynamic-map entries in sequence order, each entry's `set ikev2
 * ipsec-proposal` list, ESP encryption x integrity in configured order,
 * against every ESP proposal of the initiator (proposal.c).
 * Selectors: TSi narrowed to the address we assigned (/32), TSr to the
 * protected networks (0.0.0.0/0, or the split-tunnel ACL).
 * Keys: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (§2.17), then the one
 * narrow call ike_child_install() hands them to the data plane.
 * Lifetime: dynamic-map `set security-association lifetime`, else
 * `crypto ipsec security-association lifetime` (default 28800 s /
 * 4608000 KB). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "conf/conf.h"
#include "ike/core/child.h"
#include "ike/v2/v2.h"

#define MAX_NETS 16

static void write_sa(struct ikev2_wr *w, const struct v2_esp_choice *ch, uint32_t spi_in)
{
	struct ikev2_proposal p = { .num = ch->proposal_num, .protocol = IKEV2_PROTO_ESP,
				    .spi_size = 4 };
	p.spi[0] = (uint8_t)(spi_in >> 24);
	p.spi[1] = (uint8_t)(spi_in >> 16);
	p.spi[2] = (uint8_t)(spi_in >> 8);
	p.spi[3] = (uint8_t)spi_in;
	p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ENCR, ch->encr->ikev2_id,
		ch->encr->keylen_attr ? ch->encr->key_bits : 0, false };
	if (ch->integ)
		p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_INTEG,
			ch->integ->ikev2_id, 0, false };
	if (ch->dh)
		p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_DH, ch->dh->id, 0, false };
	if (ch->esn_offered)
		p.t[p.n_transforms++] = (struct ikev2_transform){ IKEV2_TRANS_ESN, ch->esn ? 1 : 0, 0,
			false };
	ikev2_w_sa(w, &p, 1);
}

static struct child_sa *new_child(struct v2_ctx *c, const struct v2_esp_choice *ch,
				  const struct ikev2_ts_list *ti, const struct ikev2_ts_list *tr)
{
	struct ike_sa *sa = c->sa;
	const struct conf *conf = sa->conf;
	struct child_sa *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->spi_in = v2_new_child_spi(sa->serial);
	if (!k->spi_in) {
		free(k);
		return NULL;
	}
	k->spi_out = ch->peer_spi;
	k->protocol = IKEV2_PROTO_ESP;
	k->encr_id = ch->encr->ikev2_id;
	k->encr_bits = ch->encr->key_bits;
	k->integ_id = ch->integ ? ch->integ->ikev2_id : 0;
	k->pfs_group = ch->dh ? ch->dh->id : 0;
	k->esn = ch->esn;
	v2_ts_from_wire(&tr->ts[0], &k->local_ts);
	v2_ts_from_wire(&ti->ts[0], &k->remote_ts);
	k->lifetime_sec = ch->dynmap->lifetime_sec ? ch->dynmap->lifetime_sec
			  : conf->ipsec_lifetime_sec ? conf->ipsec_lifetime_sec : 28800;
	k->lifetime_kb = ch->dynmap->lifetime_kb ? ch->dynmap->lifetime_kb
			 : conf->ipsec_lifetime_kb ? conf->ipsec_lifetime_kb : 4608000;
	k->created = time(NULL);
	k->conn_id = ++c->eng->next_conn_id;
	k->dynmap = ch->dynmap->name;
	k->dynmap_seq = ch->dynmap->seq;
	k->udp_encap = sa->nat_remote || sa->nat_local;
	k->ike_serial = sa->serial;
	return k;
}

/* DH for PFS (CREATE_CHILD_SA with KE); *gir_len = 0 without. */
static int pfs(struct v2_ctx *c, const struct v2_esp_choice *ch, const struct ikev2_ke *ke,
	       uint8_t *gir, size_t *gir_len, uint8_t *pub)
{
	*gir_len = 0;
	if (!ch->dh)
		return 0;
	struct crypto_dh *dh = crypto_dh_new(ch->dh);
	size_t len = CRYPTO_MAX_DH_PUB;
	int rc = -1;
	if (dh && crypto_dh_public(dh, pub) == 0 &&
	    crypto_dh_shared(dh, ke->data.data, ke->data.len, gir, &len) == 0) {
		*gir_len = len;
		rc = 0;
	} else {
		v2_log(c->sa, 1, "PFS: invalid KE payload for group %u", ch->dh->id);
	}
	crypto_dh_free(dh);
	return rc;
}

static void log_child(struct ike_sa *sa, const struct child_sa *k)
{
	char li[16], le[16], ri[16];
	v2_log(sa, 1, "CHILD SA up: spi in/out 0x%08x/0x%08x, %s-%u %s%s, local %s-%s remote %s/32, "
	       "lifetime %u s / %llu KB%s", k->spi_in, k->spi_out,
	       ikev2_transform_name(IKEV2_TRANS_ENCR, k->encr_id), k->encr_bits,
	       k->integ_id ? ikev2_transform_name(IKEV2_TRANS_INTEG, k->integ_id) : "(AEAD)",
	       k->pfs_group ? " PFS" : "", ike_ip_str(k->local_ts.start, li, sizeof(li)),
	       ike_ip_str(k->local_ts.end, le, sizeof(le)), ike_ip_str(k->remote_ts.start, ri, sizeof(ri)),
	       k->lifetime_sec, (unsigned long long)k->lifetime_kb,
	       k->udp_encap ? ", UDP-encapsulated" : "");
	char a[16], b[16];
	const char *user = sa->username ? sa->username : "?";
	ike_ip_str(ntohl(sa->local.sin_addr.s_addr), a, sizeof(a));
	ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), b, sizeof(b));
	log_event(SEV_INFO, 602303, "IPSEC: An outbound remote access SA (SPI= 0x%08X) between %s "
		  "and %s (user= %s) has been created.", k->spi_out, a, b, user);
	log_event(SEV_INFO, 602303, "IPSEC: An inbound remote access SA (SPI= 0x%08X) between %s "
		  "and %s (user= %s) has been created.", k->spi_in, b, a, user);
}

uint16_t v2_child_create(struct v2_ctx *c, const struct ikev2_sa *sai,
			 const struct ikev2_ts_list *tsi, const struct ikev2_ts_list *tsr,
			 const struct ikev2_ke *ke, bool create_child,
			 const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			 bool write_nr, struct child_sa **out)
{
	struct ike_sa *sa = c->sa;
	struct v2_sa *v = c->v;
	struct v2_esp_choice ch;
	struct ikev2_ts_list ti, tr;
	struct ike_ts nets[MAX_NETS];
	struct conf_group_policy gp;
	struct ike_child_keys keys;
	uint8_t gir[CRYPTO_MAX_DH_PUB], pub[CRYPTO_MAX_DH_PUB];
	size_t gir_len = 0;
	uint16_t rc = 0;
	struct child_sa *k = NULL;
	*out = NULL;
	enum v2_select s = v2_select_esp(sa->conf, sa->ifname, sai, create_child,
					 ke ? ke->group : 0, &ch);
	if (s == V2_SEL_NONE) {
		v2_log(sa, 1, "All IPSec SA proposals found unacceptable!");
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	}
	if (s == V2_SEL_INVALID_KE) {
		c->notify_data[0] = (uint8_t)(ch.dh->id >> 8);
		c->notify_data[1] = (uint8_t)ch.dh->id;
		c->notify_len = 2;
		return IKEV2_N_INVALID_KE_PAYLOAD;
	}
	const struct conf_group_policy *eg = conf_gp_effective(sa->conf, sa->group_policy, &gp);
	size_t n_nets = v2_protected_nets(sa->conf, eg ? eg : &gp, nets, MAX_NETS);
	if (!sa->assigned_addr ||
	    v2_ts_narrow(tsi, tsr, sa->assigned_addr, nets, n_nets, &ti, &tr) < 0) {
		v2_log(sa, 1, "traffic selectors do not include the assigned address and the "
		       "protected networks");
		return IKEV2_N_TS_UNACCEPTABLE;
	}
	if (pfs(c, &ch, ke, gir, &gir_len, pub) < 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	k = new_child(c, &ch, &ti, &tr);
	if (!k ||
	    ike_child_keymat(v->km.prf, v->km.sk_d, v->km.prf_len, gir_len ? gir : NULL, gir_len,
			     ni, ni_len, nr, nr_len, ch.encr->key_len,
			     ch.integ ? ch.integ->key_len : 0, &keys) < 0 ||
	    ike_child_install(sa, k, &keys, ch.encr, ch.integ, sa->conf->replay_window) < 0) {
		v2_log(sa, 1, "CHILD SA could not be keyed or installed");
		ike_child_free(k);
		rc = IKEV2_N_NO_PROPOSAL_CHOSEN;
		goto out;
	}
	struct child_sa **pp = &sa->children;
	while (*pp)
		pp = &(*pp)->next;
	*pp = k;
	write_sa(c->w, &ch, k->spi_in);
	if (write_nr)
		ikev2_w_nonce(c->w, nr, nr_len);
	if (ch.dh)
		ikev2_w_ke(c->w, ch.dh->id, pub, ch.dh->pub_len);
	ikev2_w_ts(c->w, IKEV2_PL_TSI, &ti);
	ikev2_w_ts(c->w, IKEV2_PL_TSR, &tr);
	log_child(sa, k);
	*out = k;
out:
	mem_wipe(&keys, sizeof(keys));
	mem_wipe(gir, sizeof(gir));
	return rc;
}
