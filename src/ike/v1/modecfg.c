/* Mode Config (draft-dukes-ike-mode-cfg) with the Cisco Unity attributes.
 *
 * Pull (`crypto map M client configuration address respond`; what vpnc and
 * strongSwan do):
 *   HDR*, HASH, ATTR(CFG_REQUEST: ADDRESS, NETMASK, DNS, NBNS, Unity ...) -->
 *   <-- HDR*, HASH, ATTR(CFG_REPLY: the requested attributes we support)
 * Push (`... address initiate` alone):
 *   <-- HDR*, HASH, ATTR(CFG_SET: ADDRESS, NETMASK, DNS, ...)
 *   HDR*, HASH, ATTR(CFG_ACK) -->
 *
 * The address comes from the tunnel-group's address-pool, the group-policy's
 * address-pools, or PIX `isakmp client configuration address-pool local P`,
 * leased to "tunnelgroup/user" so a reconnecting user gets it back.
 * Attributes we do not support are left out of the reply, as the PIX does
 * ("Unsupported Attr: 5"). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/pool.h"
#include "conf/conf.h"
#include "ike/v1/v1.h"

#define MAX_SPLIT 16
#define APP_VERSION "ravpn IKEv1 gateway"

static int lease(struct ike_sa *sa, const struct conf_group_policy *gp)
{
	struct v1_sa *v = v1_of(sa);
	if (sa->lease_held)
		return 0;
	const char *const *names = NULL;
	size_t n = 0;
	if (v->tg && v->tg->n_address_pools) {
		names = (const char *const *)v->tg->address_pools;
		n = v->tg->n_address_pools;
	} else if (gp->n_address_pools) {
		names = (const char *const *)gp->address_pools;
		n = gp->n_address_pools;
	} else if (sa->conf->isakmp_client_pool) {
		names = (const char *const *)&sa->conf->isakmp_client_pool;
		n = 1;
	}
	char ip[INET_ADDRSTRLEN];
	if (n == 0) {
		log_msg(SEV_WARNING, "IPAA: Session=0x%08x, no address pool for tunnel-group %s "
			"(address-pool), group-policy %s (address-pools) or isakmp client "
			"configuration address-pool", sa->session_id,
			sa->tunnel_group ? sa->tunnel_group : "-", gp->name ? gp->name : "-");
		return -1;
	}
	char owner[300];
	snprintf(owner, sizeof(owner), "%s/%s", sa->tunnel_group ? sa->tunnel_group : "",
		 sa->username ? sa->username : "");
	uint32_t addr;
	const char *pool = NULL;
	struct pool_set *ps = v1_pools(v->eng);
	if (!ps || pool_lease(ps, names, n, owner, &addr, &pool) < 0) {
		log_msg(SEV_WARNING, "IPAA: Session=0x%08x, no free address in local pool %s%s for "
			"user %s", sa->session_id, names[0], n > 1 ? " ..." : "",
			sa->username ? sa->username : "?");
		return -1;
	}
	sa->assigned_addr = addr;
	sa->pool_name = ike_pool_name(sa->conf, pool);
	sa->lease_held = true;
	log_event(SEV_NOTICE, 713228, "Group = %s, Username = %s, IP = %s, Assigned private IP "
		  "address %s to remote user", sa->tunnel_group ? sa->tunnel_group : "Unknown",
		  sa->username ? sa->username : "Unknown",
		  inet_ntoa(sa->remote.sin_addr), ike_ip_str(addr, ip, sizeof(ip)));
	return 0;
}

static void put_addr(uint8_t *p, uint32_t a)
{
	p[0] = (uint8_t)(a >> 24);
	p[1] = (uint8_t)(a >> 16);
	p[2] = (uint8_t)(a >> 8);
	p[3] = (uint8_t)a;
}

/* Storage for the attribute values of one reply. */
struct cfg_vals {
	uint8_t addr[4], mask[4], dns[4][4], wins[4][4];
	uint8_t split[MAX_SPLIT * 14];
	size_t split_len;
	char banner[1024];
	char split_dns[512];
};

static void add(struct ikev1_cfg *cfg, uint16_t type, const void *v, size_t len)
{
	if (cfg->n >= IKEV1_MAX_CFG_ATTRS)
		return;
	cfg->a[cfg->n++] = (struct ikev1_attr){ .type = type,
		.value = { (const uint8_t *)v, len } };
}

static void add_tv(struct ikev1_cfg *cfg, uint16_t type, uint16_t val)
{
	if (cfg->n >= IKEV1_MAX_CFG_ATTRS)
		return;
	cfg->a[cfg->n++] = (struct ikev1_attr){ .type = type, .tv = true, .tv_value = val };
}

/* Unity split-include entries: address, mask, then protocol/ports zero. */
static void split_entries(const struct ike_sa *sa, const struct conf_group_policy *gp,
			  struct cfg_vals *vals)
{
	vals->split_len = 0;
	if (gp->split_policy != SPLIT_TUNNELSPECIFIED || !gp->split_acl)
		return;
	const struct conf_acl_entry *e[MAX_SPLIT];
	size_t ne = conf_acl_entries(sa->conf, gp->split_acl, e, MAX_SPLIT);
	for (size_t i = 0; i < ne; i++) {
		if (!e[i]->permit)
			continue;
		uint8_t *p = vals->split + vals->split_len;
		memset(p, 0, 14);
		put_addr(p, e[i]->addr & e[i]->mask);
		put_addr(p + 4, e[i]->mask);
		vals->split_len += 14;
	}
}

/* Does the group's dynamic map ask for PFS? (Unity PFS attribute) */
static bool pfs_configured(const struct conf *c)
{
	for (size_t i = 0; i < c->n_dynmaps; i++)
		if (c->dynmaps[i].pfs_group)
			return true;
	return false;
}

/* want(type): pull answers what was asked; push sends everything. */
static bool wanted(const struct ikev1_cfg *req, uint16_t type)
{
	return !req || ikev1_cfg_attr(req, type) != NULL;
}

static void build(struct ike_sa *sa, const struct conf_group_policy *gp,
		  const struct ikev1_cfg *req, struct ikev1_cfg *cfg, struct cfg_vals *vals)
{
	put_addr(vals->addr, sa->assigned_addr);
	add(cfg, IKEV1_CA_INTERNAL_IP4_ADDRESS, vals->addr, 4);
	if (wanted(req, IKEV1_CA_INTERNAL_IP4_NETMASK)) {
		uint32_t m = ike_pool_mask(sa->conf, sa->pool_name);
		put_addr(vals->mask, m ? m : 0xffffffffu);
		add(cfg, IKEV1_CA_INTERNAL_IP4_NETMASK, vals->mask, 4);
	}
	for (size_t i = 0; i < gp->n_dns && i < 4 && wanted(req, IKEV1_CA_INTERNAL_IP4_DNS); i++) {
		put_addr(vals->dns[i], gp->dns[i]);
		add(cfg, IKEV1_CA_INTERNAL_IP4_DNS, vals->dns[i], 4);
	}
	for (size_t i = 0; i < gp->n_wins && i < 4 && wanted(req, IKEV1_CA_INTERNAL_IP4_NBNS); i++) {
		put_addr(vals->wins[i], gp->wins[i]);
		add(cfg, IKEV1_CA_INTERNAL_IP4_NBNS, vals->wins[i], 4);
	}
	if (gp->default_domain && *gp->default_domain && wanted(req, IKEV1_CA_UNITY_DEF_DOMAIN))
		add(cfg, IKEV1_CA_UNITY_DEF_DOMAIN, gp->default_domain, strlen(gp->default_domain));
	split_entries(sa, gp, vals);
	if (vals->split_len && wanted(req, IKEV1_CA_UNITY_SPLIT_INCLUDE))
		add(cfg, IKEV1_CA_UNITY_SPLIT_INCLUDE, vals->split, vals->split_len);
	if (gp->banner && *gp->banner && wanted(req, IKEV1_CA_UNITY_BANNER)) {
		snprintf(vals->banner, sizeof(vals->banner), "%s", gp->banner);
		add(cfg, IKEV1_CA_UNITY_BANNER, vals->banner, strlen(vals->banner));
	}
	if (req && ikev1_cfg_attr(req, IKEV1_CA_UNITY_SAVE_PASSWD))
		add_tv(cfg, IKEV1_CA_UNITY_SAVE_PASSWD, gp->password_storage ? 1 : 0);
	if (req && ikev1_cfg_attr(req, IKEV1_CA_UNITY_PFS))
		add_tv(cfg, IKEV1_CA_UNITY_PFS, gp->pfs || pfs_configured(sa->conf) ? 1 : 0);
	if (gp->n_split_dns && wanted(req, IKEV1_CA_UNITY_SPLITDNS_NAME)) {
		size_t n = 0;
		for (size_t i = 0; i < gp->n_split_dns; i++)
			n += (size_t)snprintf(vals->split_dns + n, n < sizeof(vals->split_dns)
					      ? sizeof(vals->split_dns) - n : 0, "%s%s", i ? "," : "",
					      gp->split_dns[i]);
		if (n < sizeof(vals->split_dns))
			add(cfg, IKEV1_CA_UNITY_SPLITDNS_NAME, vals->split_dns, n);
	}
	if (req && ikev1_cfg_attr(req, IKEV1_CA_APPLICATION_VERSION))
		add(cfg, IKEV1_CA_APPLICATION_VERSION, APP_VERSION, sizeof(APP_VERSION) - 1);
}

/* Debug: which requested attributes we leave out. */
static void log_request(struct ike_sa *sa, const struct ikev1_cfg *req,
			const struct ikev1_cfg *reply)
{
	for (size_t i = 0; i < req->n; i++) {
		uint16_t t = req->a[i].type;
		bool answered = false;
		for (size_t j = 0; j < reply->n; j++)
			answered |= reply->a[j].type == t;
		v1_log(sa, 5, "MODE_CFG: attribute %s (%u)%s", ikev1_cfg_attr_name(t), t,
		       answered ? "" : ": Unsupported Attr or not configured");
	}
}

static void note_client(struct ike_sa *sa, const struct ikev1_cfg *req)
{
	const struct ikev1_attr *a = ikev1_cfg_attr(req, IKEV1_CA_APPLICATION_VERSION);
	if (!a || a->tv || !a->value.len || sa->client_version)
		return;
	size_t n = a->value.len < 200 ? a->value.len : 200;
	char *s = malloc(n + 1);
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		s[i] = a->value.data[i] >= 0x20 && a->value.data[i] < 0x7f ? (char)a->value.data[i]
									   : '?';
	s[n] = 0;
	sa->client_version = s;
}

struct fill_arg {
	const struct ikev1_cfg *cfg;
};

static void fill_cfg(struct ikev1_wr *w, void *arg)
{
	ikev1_w_cfg(w, ((const struct fill_arg *)arg)->cfg);
}

static const struct conf_group_policy *effective_gp(struct ike_sa *sa,
						    struct conf_group_policy *tmp)
{
	const struct conf_group_policy *gp = conf_gp_effective(sa->conf, sa->group_policy, tmp);
	return gp ? gp : tmp;
}

static void pull(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	const struct ikev1_cfg *req = &c->m->cfg;
	if (c->v->phase < V1_MODECFG) {
		v1_log(sa, 1, "Mode Config request before XAUTH completed: ignored");
		v1_exch_free(c->ex);
		return;
	}
	struct conf_group_policy tmp;
	const struct conf_group_policy *gp = effective_gp(sa, &tmp);
	note_client(sa, req);
	if (lease(sa, gp) < 0) {
		v1_sa_delete(sa, "No address available");
		return;
	}
	struct ikev1_cfg reply = { .type = IKEV1_CFG_REPLY, .identifier = req->identifier };
	struct cfg_vals vals;
	build(sa, gp, req, &reply, &vals);
	log_request(sa, req, &reply);
	struct fill_arg fa = { &reply };
	if (v1_send_in(sa, IKEV1_X_TRANSACTION, c->ex, NULL, 0, fill_cfg, &fa) < 0) {
		v1_sa_delete(sa, "Internal error");
		return;
	}
	char ip[INET_ADDRSTRLEN];
	v1_log(sa, 2, "MODE_CFG: reply with address %s and %u attributes",
	       ike_ip_str(sa->assigned_addr, ip, sizeof(ip)), reply.n);
	v1_sa_up(sa);
}

int v1_modecfg_push(struct ike_sa *sa)
{
	struct conf_group_policy tmp;
	const struct conf_group_policy *gp = effective_gp(sa, &tmp);
	if (lease(sa, gp) < 0)
		return -1;
	uint32_t id = v1_new_msg_id(sa);
	struct v1_exch *ex = id ? v1_exch_new(sa, V1_EX_CFG_SET, id) : NULL;
	uint16_t cfg_id;
	if (!ex || crypto_random(&cfg_id, sizeof(cfg_id)) < 0)
		return -1;
	ex->cfg_id = cfg_id;
	struct ikev1_cfg set = { .type = IKEV1_CFG_SET, .identifier = cfg_id };
	struct cfg_vals vals;
	build(sa, gp, NULL, &set, &vals);
	struct fill_arg fa = { &set };
	v1_log(sa, 2, "MODE_CFG: pushing the address (CFG_SET, %u attributes)", set.n);
	return v1_send_new(sa, IKEV1_X_TRANSACTION, ex, fill_cfg, &fa);
}

void v1_transaction(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	if (!IKEV1_PRESENT(c->m, IKEV1_PL_ATTR)) {
		v1_log(sa, 1, "Transaction message without an attribute payload: ignored");
		return;
	}
	const struct ikev1_cfg *cfg = &c->m->cfg;
	switch (c->ex->kind) {
	case V1_EX_XAUTH:
	case V1_EX_XAUTH_STATUS:
		v1_xauth_input(c);
		return;
	case V1_EX_CFG_SET:
		if (cfg->type == IKEV1_CFG_ACK) {
			c->ex->awaiting = false;
			v1_log(sa, 2, "MODE_CFG: peer accepted the address");
			v1_sa_up(sa);
		}
		return;
	case V1_EX_CFG_PULL:
		if (cfg->type == IKEV1_CFG_REQUEST) {
			pull(c);
			return;
		}
		break;
	default:
		break;
	}
	v1_log(sa, 1, "unexpected Transaction message (type %u, msgid %08x): ignored", cfg->type,
	       c->ex->msg_id);
	v1_exch_free(c->ex);
}
