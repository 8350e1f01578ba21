/* Configuration payload (RFC 7296 §2.19, §3.15): the CFG_REPLY to the
 * initiator's CFG_REQUEST, from the tunnel-group and group-policy.
 *
 *   CP(CFG_REQUEST) = INTERNAL_IP4_ADDRESS() [INTERNAL_IP4_DNS() ...] -->
 *   <-- CP(CFG_REPLY) = INTERNAL_IP4_ADDRESS(a) [INTERNAL_IP4_NETMASK(m)]
 *                       [INTERNAL_IP4_DNS(d)...] [INTERNAL_IP4_NBNS(w)...]
 *                       [INTERNAL_DNS_DOMAIN(dom)] [INTERNAL_IP4_SUBNET(n/m)...]
 *
 * The address comes from the tunnel-group's `address-pool` (or the
 * group-policy's `address-pools`), leased with owner "tunnelgroup/user"
 * so that a reconnecting user gets the same address back.  The lease
 * belongs to the IKE SA: it is released when the SA goes (moved on an
 * IKE SA rekey).  No free address: INTERNAL_ADDRESS_FAILURE (RFC 7296
 * §3.10.1: no CHILD SA is created). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "aaa/pool.h"
#include "conf/conf.h"
#include "ike/v2/v2.h"

#define MAX_SPLIT 16

static int lease(struct v2_ctx *c, const struct conf_group_policy *gp)
{
	struct ike_sa *sa = c->sa;
	const struct conf_tunnel_group *tg = c->v->auth->tg;
	const char *const *names = (const char *const *)tg->address_pools;
	size_t n = tg->n_address_pools;
	if (n == 0) {
		names = (const char *const *)gp->address_pools;
		n = gp->n_address_pools;
	}
	if (n == 0) {
		log_msg(SEV_WARNING, "IPAA: Session=0x%08x, no address pool configured for "
			"tunnel-group %s (line %d) or group-policy %s", sa->session_id, tg->name,
			tg->line, gp->name ? gp->name : "?");
		return -1;
	}
	struct pool_set *ps = v2_pools(c->eng);
	char owner[300];
	snprintf(owner, sizeof(owner), "%s/%s", tg->name, sa->username ? sa->username : "");
	uint32_t addr;
	const char *pool = NULL;
	if (!ps || pool_lease(ps, names, n, owner, &addr, &pool) < 0) {
		log_msg(SEV_WARNING, "IPAA: Session=0x%08x, no free address in local pool%s %s%s for "
			"tunnel-group %s user %s", sa->session_id, n > 1 ? "s" : "", names[0],
			n > 1 ? " ..." : "", tg->name, sa->username ? sa->username : "?");
		return -1;
	}
	sa->assigned_addr = addr;
	sa->pool_name = ike_pool_name(sa->conf, pool);
	sa->lease_held = true;
	char ip[INET_ADDRSTRLEN];
	log_event(SEV_INFO, 737006, "IPAA: Session=0x%08x, Local pool request succeeded for "
		  "tunnel-group '%s'", sa->session_id, tg->name);
	/* 737026 "Client assigned" is logged by the pool itself. */
	v2_log(sa, 2, "IPAA: Client assigned %s from local pool %s", ike_ip_str(addr, ip, sizeof(ip)),
	       sa->pool_name);
	return 0;
}

static void put_addr(uint8_t *p, uint32_t a)
{
	p[0] = (uint8_t)(a >> 24);
	p[1] = (uint8_t)(a >> 16);
	p[2] = (uint8_t)(a >> 8);
	p[3] = (uint8_t)a;
}

size_t v2_protected_nets(const struct conf *c, const struct conf_group_policy *gp,
			 struct ike_ts *out, size_t max)
{
	size_t n = 0;
	if (gp->split_policy == SPLIT_TUNNELSPECIFIED && gp->split_acl) {
		const struct conf_acl_entry *e[MAX_SPLIT];
		size_t ne = conf_acl_entries(c, gp->split_acl, e, MAX_SPLIT);
		for (size_t i = 0; i < ne && n < max; i++) {
			if (!e[i]->permit)
				continue;
			out[n++] = (struct ike_ts){ e[i]->addr & e[i]->mask, e[i]->addr | ~e[i]->mask,
						    0, 65535, 0 };
		}
	}
	if (n == 0 && max > 0)
		out[n++] = (struct ike_ts){ 0, 0xffffffffu, 0, 65535, 0 };
	return n;
}

static void add_attr(struct ikev2_cp *cp, uint16_t type, const uint8_t *v, size_t len)
{
	if (cp->n >= IKEV2_MAX_CP_ATTRS)
		return;
	cp->a[cp->n].type = type;
	cp->a[cp->n].value.data = v;
	cp->a[cp->n].value.len = len;
	cp->n++;
}

uint16_t v2_cp_reply(struct v2_ctx *c, const struct conf_group_policy *gp)
{
	struct ike_sa *sa = c->sa;
	if (lease(c, gp) < 0)
		return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
	struct ikev2_cp cp = { .type = IKEV2_CFG_REPLY };
	uint8_t addr[4], mask[4], dns[4][4], wins[4][4], split[MAX_SPLIT][8];
	put_addr(addr, sa->assigned_addr);
	add_attr(&cp, IKEV2_CA_INTERNAL_IP4_ADDRESS, addr, 4);
	uint32_t m = ike_pool_mask(sa->conf, sa->pool_name);
	if (m) {
		put_addr(mask, m);
		add_attr(&cp, IKEV2_CA_INTERNAL_IP4_NETMASK, mask, 4);
	}
	for (size_t i = 0; i < gp->n_dns && i < 4; i++) {
		put_addr(dns[i], gp->dns[i]);
		add_attr(&cp, IKEV2_CA_INTERNAL_IP4_DNS, dns[i], 4);
	}
	for (size_t i = 0; i < gp->n_wins && i < 4; i++) {
		put_addr(wins[i], gp->wins[i]);
		add_attr(&cp, IKEV2_CA_INTERNAL_IP4_NBNS, wins[i], 4);
	}
	if (gp->default_domain && *gp->default_domain)
		add_attr(&cp, IKEV2_CA_INTERNAL_DNS_DOMAIN, (const uint8_t *)gp->default_domain,
			 strlen(gp->default_domain));
	if (gp->split_policy == SPLIT_TUNNELSPECIFIED) {
		struct ike_ts nets[MAX_SPLIT];
		size_t n = v2_protected_nets(sa->conf, gp, nets, MAX_SPLIT);
		for (size_t i = 0; i < n; i++) {
			put_addr(split[i], nets[i].start);
			put_addr(split[i] + 4, ~(nets[i].end - nets[i].start));
			add_attr(&cp, IKEV2_CA_INTERNAL_IP4_SUBNET, split[i], 8);
		}
	} else if (gp->split_policy == SPLIT_EXCLUDESPECIFIED) {
		v2_log(sa, 1, "split-tunnel-policy excludespecified: not signalled over IKEv2, "
		       "tunnelling all traffic");
	}
	ikev2_w_cp(c->w, &cp);
	char ip[INET_ADDRSTRLEN];
	v2_log(sa, 2, "CFG_REPLY: address %s from pool %s, %u attributes",
	       ike_ip_str(sa->assigned_addr, ip, sizeof(ip)), sa->pool_name, cp.n);
	return 0;
}
