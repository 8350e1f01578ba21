/* The model: allocation, built-in objects, reference counting, lookups,
 * group-policy inheritance and model equality. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "conf/conf_int.h"

bool str_ieq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

void *model_grow(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	if (*n >= SIZE_MAX / size - 1)
		return NULL;
	char *p = realloc(*arr, (*n + 1) * size);
	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

void model_free_str(char **s)
{
	free(*s);
	*s = NULL;
}

void model_free_secret(char **s)
{
	if (*s)
		mem_free_secret(*s, strlen(*s));
	*s = NULL;
}

static void gp_init_default(struct conf_group_policy *gp)
{
	gp->internal = true;
	gp->tunnel_protocols = CONF_DFLT_TUNNEL_PROTOCOLS;
	gp->idle_timeout_min = CONF_DFLT_IDLE_MIN;
	gp->split_policy = SPLIT_TUNNELALL;
}

struct conf *model_new(void)
{
	struct conf *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1;
	c->ikev2_cookie_threshold = 64;
	c->ikev2_fragmentation = true;
	c->ipsec_lifetime_sec = 28800;
	c->ipsec_lifetime_kb = 4608000;
	c->replay_window = 64;
	c->isakmp_nat_traversal = true;
	c->isakmp_nat_keepalive = 20;
	struct conf_group_policy *gp =
		model_grow(&c->group_policies, &c->n_group_policies, sizeof(*gp));
	if (!gp || !(gp->name = mem_strdup(CONF_DFLTGRPPOLICY))) {
		model_free(c);
		return NULL;
	}
	gp_init_default(gp);
	return c;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
}

void model_free(struct conf *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->hostname);
	free(c->domain_name);
	for (size_t i = 0; i < c->n_ifaces; i++) {
		free(c->ifaces[i].hwname);
		free(c->ifaces[i].nameif);
	}
	free(c->ifaces);
	free(c->ikev2_policies);
	free_list(c->ikev2_enabled_ifaces, c->n_ikev2_enabled);
	free(c->ikev2_ra_trustpoint);
	for (size_t i = 0; i < c->n_proposals; i++)
		free(c->proposals[i].name);
	free(c->proposals);
	for (size_t i = 0; i < c->n_transform_sets; i++)
		free(c->transform_sets[i].name);
	free(c->transform_sets);
	for (size_t i = 0; i < c->n_dynmaps; i++) {
		struct conf_dynmap_entry *e = &c->dynmaps[i];
		free(e->name);
		free_list(e->ikev2_proposals, e->n_ikev2_proposals);
		free_list(e->transform_sets, e->n_transform_sets);
	}
	free(c->dynmaps);
	for (size_t i = 0; i < c->n_cmaps; i++) {
		free(c->cmaps[i].name);
		free(c->cmaps[i].dynmap);
	}
	free(c->cmaps);
	for (size_t i = 0; i < c->n_cmap_bindings; i++) {
		free(c->cmap_bindings[i].name);
		free(c->cmap_bindings[i].ifname);
	}
	free(c->cmap_bindings);
	for (size_t i = 0; i < c->n_trustpoints; i++) {
		struct conf_trustpoint *t = &c->trustpoints[i];
		free(t->name);
		free(t->subject);
		free(t->fqdn);
		free(t->cert_file);
		free(t->key_file);
		free(t->ca_file);
	}
	free(c->trustpoints);
	for (size_t i = 0; i < c->n_pools; i++)
		free(c->pools[i].name);
	free(c->pools);
	for (size_t i = 0; i < c->n_acl; i++)
		free(c->acl[i].name);
	free(c->acl);
	for (size_t i = 0; i < c->n_group_policies; i++) {
		struct conf_group_policy *g = &c->group_policies[i];
		free(g->name);
		free(g->default_domain);
		free(g->split_acl);
		free_list(g->address_pools, g->n_address_pools);
		free(g->banner);
		free_list(g->split_dns, g->n_split_dns);
	}
	free(c->group_policies);
	for (size_t i = 0; i < c->n_tunnel_groups; i++) {
		struct conf_tunnel_group *t = &c->tunnel_groups[i];
		free(t->name);
		free_list(t->address_pools, t->n_address_pools);
		free(t->default_group_policy);
		free(t->authn_server_group);
		free(t->authn_server_ifname);
		free(t->authz_server_group);
		free(t->acct_server_group);
		model_free_secret(&t->ikev2_remote_psk);
		free(t->ikev2_local_trustpoint);
		model_free_secret(&t->ikev2_local_psk);
		model_free_secret(&t->ikev1_psk);
		free_list(t->group_aliases, t->n_group_aliases);
		free(t->type_name);
		free(t->ikev1_user_auth_ifname);
	}
	free(c->tunnel_groups);
	for (size_t i = 0; i < c->n_users; i++) {
		free(c->users[i].name);
		model_free_secret(&c->users[i].password);
		free(c->users[i].group_policy);
	}
	free(c->users);
	for (size_t i = 0; i < c->n_aaa_groups; i++) {
		free(c->aaa_groups[i].name);
		free(c->aaa_groups[i].protocol);
	}
	free(c->aaa_groups);
	for (size_t i = 0; i < c->n_aaa_servers; i++) {
		free(c->aaa_servers[i].group);
		free(c->aaa_servers[i].ifname);
		model_free_secret(&c->aaa_servers[i].key);
	}
	free(c->aaa_servers);
	for (size_t i = 0; i < c->n_unused; i++)
		free(c->unused[i].text);
	free(c->unused);
	free(c->tun_name);
	free(c->ikev1_policies);
	free_list(c->ikev1_enabled_ifaces, c->n_ikev1_enabled);
	for (size_t i = 0; i < c->n_isakmp_keys; i++)
		model_free_secret(&c->isakmp_keys[i].key);
	free(c->isakmp_keys);
	free(c->isakmp_client_pool);
	free(c->isakmp_client_pool_ifname);
	for (size_t i = 0; i < c->n_cmap_clients; i++) {
		free(c->cmap_clients[i].name);
		free(c->cmap_clients[i].authn_server_group);
	}
	free(c->cmap_clients);
	free(c);
}

struct conf *conf_ref(struct conf *c)
{
	if (c)
		c->refs++;
	return c;
}

void conf_unref(struct conf *c)
{
	if (c && --c->refs == 0)
		model_free(c);
}

static int cmp_ikev2_policy(const void *a, const void *b)
{
	const struct conf_ikev2_policy *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

static int cmp_ikev1_policy(const void *a, const void *b)
{
	const struct conf_ikev1_policy *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

static int cmp_dynmap(const void *a, const void *b)
{
	const struct conf_dynmap_entry *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	if (r)
		return r;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

void model_finish(struct conf *c)
{
	/* keys are unique (a repeated priority or name+seq reopens the entry),
	 * so qsort's instability does not matter */
	if (c->n_ikev2_policies > 1)
		qsort(c->ikev2_policies, c->n_ikev2_policies, sizeof(*c->ikev2_policies),
		      cmp_ikev2_policy);
	if (c->n_ikev1_policies > 1)
		qsort(c->ikev1_policies, c->n_ikev1_policies, sizeof(*c->ikev1_policies),
		      cmp_ikev1_policy);
	if (c->n_dynmaps > 1)
		qsort(c->dynmaps, c->n_dynmaps, sizeof(*c->dynmaps), cmp_dynmap);
}

bool model_builtin_tunnel_group(const char *name, bool *remote_access)
{
	static const struct { const char *name; bool ra; } b[] = {
		{ "DefaultRAGroup", true },
		{ "DefaultL2LGroup", false },
		{ "DefaultWEBVPNGroup", false },
	};
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (strcmp(name, b[i].name) == 0) {
			if (remote_access)
				*remote_access = b[i].ra;
			return true;
		}
	return false;
}

/* ---- lookups ---------------------------------------------------------- */

#define FIND_BY(arr, n, field, key)                              \
	do {                                                     \
		if (!c || !(key))                                \
			return SIZE_MAX;                         \
		for (size_t i_ = 0; i_ < c->n; i_++)             \
			if (c->arr[i_].field && strcmp(c->arr[i_].field, (key)) == 0) \
				return i_;                       \
		return SIZE_MAX;                                 \
	} while (0)

size_t model_find_gp(const struct conf *c, const char *name)
{
	FIND_BY(group_policies, n_group_policies, name, name);
}

size_t model_find_tg(const struct conf *c, const char *name)
{
	FIND_BY(tunnel_groups, n_tunnel_groups, name, name);
}

size_t model_find_user(const struct conf *c, const char *name)
{
	FIND_BY(users, n_users, name, name);
}

size_t model_find_iface_hw(const struct conf *c, const char *hw)
{
	/* hardware names are not case-sensitive on the ASA/PIX
	 * ("interface ethernet0" and "Ethernet0" are the same port) */
	if (!c || !hw)
		return SIZE_MAX;
	for (size_t i = 0; i < c->n_ifaces; i++)
		if (str_ieq(c->ifaces[i].hwname, hw))
			return i;
	return SIZE_MAX;
}

size_t model_find_iface_nameif(const struct conf *c, const char *nameif)
{
	FIND_BY(ifaces, n_ifaces, nameif, nameif);
}

#define LOOKUP(type, arr, n, field)                                          \
	do {                                                                 \
		if (!c || !name)                                             \
			return NULL;                                         \
		for (size_t i_ = 0; i_ < c->n; i_++)                         \
			if (c->arr[i_].field && strcmp(c->arr[i_].field, name) == 0) \
				return &c->arr[i_];                          \
		return NULL;                                                 \
	} while (0)

const struct conf_interface *conf_iface_by_nameif(const struct conf *c, const char *name)
{
	LOOKUP(conf_interface, ifaces, n_ifaces, nameif);
}

const struct conf_tunnel_group *conf_tunnel_group(const struct conf *c, const char *name)
{
	LOOKUP(conf_tunnel_group, tunnel_groups, n_tunnel_groups, name);
}

const struct conf_tunnel_group *conf_tunnel_group_by_alias(const struct conf *c, const char *name)
{
	const struct conf_tunnel_group *tg = conf_tunnel_group(c, name);
	if (tg || !c || !name)
		return tg;
	for (size_t i = 0; i < c->n_tunnel_groups; i++)
		for (size_t j = 0; j < c->tunnel_groups[i].n_group_aliases; j++)
			if (strcmp(c->tunnel_groups[i].group_aliases[j], name) == 0)
				return &c->tunnel_groups[i];
	return NULL;
}

const struct conf_group_policy *conf_group_policy(const struct conf *c, const char *name)
{
	LOOKUP(conf_group_policy, group_policies, n_group_policies, name);
}

const struct conf_pool *conf_pool(const struct conf *c, const char *name)
{
	LOOKUP(conf_pool, pools, n_pools, name);
}

const struct conf_user *conf_user(const struct conf *c, const char *name)
{
	LOOKUP(conf_user, users, n_users, name);
}

const struct conf_ipsec_proposal *conf_proposal(const struct conf *c, const char *name)
{
	LOOKUP(conf_ipsec_proposal, proposals, n_proposals, name);
}

const struct conf_trustpoint *conf_trustpoint(const struct conf *c, const char *name)
{
	LOOKUP(conf_trustpoint, trustpoints, n_trustpoints, name);
}

const struct conf_aaa_server_group *conf_aaa_group(const struct conf *c, const char *name)
{
	LOOKUP(conf_aaa_server_group, aaa_groups, n_aaa_groups, name);
}

size_t conf_acl_entries(const struct conf *c, const char *name, const struct conf_acl_entry **out,
			size_t max)
{
	size_t n = 0;
	if (!c || !name)
		return 0;
	for (size_t i = 0; i < c->n_acl; i++)
		if (strcmp(c->acl[i].name, name) == 0) {
			if (out && n < max)
				out[n] = &c->acl[i];
			n++;
		}
	return n;
}

/* Effective attributes: DfltGrpPolicy holds the ASA defaults for every
 * attribute it does not set itself, so starting from a copy of it and
 * laying the named policy's own attributes over it gives the answer; line
 * fields stay 0 where a built-in default decided. */
/* The IKEv1 (Unity) attributes of conf_gp_effective. */
static void gp_effective_ikev1(const struct conf_group_policy *g, struct conf_group_policy *out)
{
	if (g->pfs_set) {
		out->pfs = g->pfs;
		out->pfs_set = true;
		out->line_pfs = g->line_pfs;
	}
	if (g->password_storage_set) {
		out->password_storage = g->password_storage;
		out->password_storage_set = true;
		out->line_password_storage = g->line_password_storage;
	}
	if (g->session_timeout_set) {
		out->session_timeout_min = g->session_timeout_min;
		out->session_timeout_set = true;
		out->line_session_timeout = g->line_session_timeout;
	}
	if (g->split_dns_set) {
		memcpy(out->split_dns, g->split_dns, sizeof(out->split_dns));
		out->n_split_dns = g->n_split_dns;
		out->split_dns_set = true;
		out->line_split_dns = g->line_split_dns;
	}
}

const struct conf_group_policy *conf_gp_effective(const struct conf *c, const char *gp_name,
						  struct conf_group_policy *out)
{
	const struct conf_group_policy *d = conf_group_policy(c, CONF_DFLTGRPPOLICY);
	const struct conf_group_policy *g = gp_name ? conf_group_policy(c, gp_name) : d;
	if (!d || !g || !out)
		return NULL;
	*out = *d;
	if (g == d)
		return out;
	out->name = g->name;
	out->internal = g->internal;
	out->line = g->line;
	if (g->dns_set) {
		memcpy(out->dns, g->dns, sizeof(out->dns));
		out->n_dns = g->n_dns;
		out->dns_set = true;
		out->line_dns = g->line_dns;
	}
	if (g->wins_set) {
		memcpy(out->wins, g->wins, sizeof(out->wins));
		out->n_wins = g->n_wins;
		out->wins_set = true;
		out->line_wins = g->line_wins;
	}
	if (g->default_domain_set) {
		out->default_domain = g->default_domain;
		out->default_domain_set = true;
		out->line_domain = g->line_domain;
	}
	if (g->tunnel_protocols_set) {
		out->tunnel_protocols = g->tunnel_protocols;
		out->tunnel_protocols_set = true;
		out->line_protocols = g->line_protocols;
	}
	if (g->split_policy_set) {
		out->split_policy = g->split_policy;
		out->split_policy_set = true;
		out->line_split = g->line_split;
	}
	if (g->split_acl_set) {
		out->split_acl = g->split_acl;
		out->split_acl_set = true;
		out->line_split_acl = g->line_split_acl;
	}
	if (g->address_pools_set) {
		memcpy(out->address_pools, g->address_pools, sizeof(out->address_pools));
		out->n_address_pools = g->n_address_pools;
		out->address_pools_set = true;
		out->line_pools = g->line_pools;
	}
	if (g->idle_timeout_set) {
		out->idle_timeout_min = g->idle_timeout_min;
		out->idle_timeout_set = true;
		out->line_idle = g->line_idle;
	}
	if (g->banner_set) {
		out->banner = g->banner;
		out->banner_set = true;
		out->line_banner = g->line_banner;
	}
	gp_effective_ikev1(g, out);
	return out;
}

/* ---- equality --------------------------------------------------------- */

static bool seq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool lists_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!seq(a[i], b[i]))
			return false;
	return true;
}

static bool algs_eq(const struct conf_alg *a, size_t na, const struct conf_alg *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].id != b[i].id || a[i].key_bits != b[i].key_bits)
			return false;
	return true;
}

static bool u16s_eq(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

static bool u32s_eq(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

#define EQ(f) (x->f == y->f)
#define SEQ(f) seq(x->f, y->f)

static bool iface_eq(const struct conf_interface *x, const struct conf_interface *y)
{
	return SEQ(hwname) && SEQ(nameif) && EQ(security_level) && EQ(addr) && EQ(mask) &&
	       EQ(shutdown);
}

static bool ikev2_policy_eq(const struct conf_ikev2_policy *x, const struct conf_ikev2_policy *y)
{
	return EQ(priority) && algs_eq(x->encr, x->n_encr, y->encr, y->n_encr) &&
	       u16s_eq(x->integ, x->n_integ, y->integ, y->n_integ) &&
	       u16s_eq(x->prf, x->n_prf, y->prf, y->n_prf) &&
	       u16s_eq(x->group, x->n_group, y->group, y->n_group) && EQ(lifetime_sec);
}

static bool proposal_eq(const struct conf_ipsec_proposal *x, const struct conf_ipsec_proposal *y)
{
	return SEQ(name) && algs_eq(x->encr, x->n_encr, y->encr, y->n_encr) &&
	       u16s_eq(x->integ, x->n_integ, y->integ, y->n_integ);
}

static bool ts_eq(const struct conf_transform_set *x, const struct conf_transform_set *y)
{
	return SEQ(name) && EQ(esp_id) && EQ(key_bits) && EQ(auth_alg);
}

static bool dynmap_eq(const struct conf_dynmap_entry *x, const struct conf_dynmap_entry *y)
{
	return SEQ(name) && EQ(seq) &&
	       lists_eq(x->ikev2_proposals, x->n_ikev2_proposals, y->ikev2_proposals,
			y->n_ikev2_proposals) &&
	       lists_eq(x->transform_sets, x->n_transform_sets, y->transform_sets,
			y->n_transform_sets) &&
	       EQ(pfs_group) && EQ(lifetime_sec) && EQ(lifetime_kb) && EQ(reverse_route);
}

static bool cmap_eq(const struct conf_crypto_map_entry *x, const struct conf_crypto_map_entry *y)
{
	return SEQ(name) && EQ(seq) && SEQ(dynmap);
}

static bool binding_eq(const struct conf_crypto_map_binding *x,
		       const struct conf_crypto_map_binding *y)
{
	return SEQ(name) && SEQ(ifname);
}

static bool tp_eq(const struct conf_trustpoint *x, const struct conf_trustpoint *y)
{
	return SEQ(name) && EQ(enroll_self) && SEQ(subject) && SEQ(fqdn) && SEQ(cert_file) &&
	       SEQ(key_file) && SEQ(ca_file);
}

static bool pool_eq(const struct conf_pool *x, const struct conf_pool *y)
{
	return SEQ(name) && EQ(first) && EQ(last) && EQ(mask);
}

static bool acl_eq(const struct conf_acl_entry *x, const struct conf_acl_entry *y)
{
	return SEQ(name) && EQ(permit) && EQ(addr) && EQ(mask);
}

static bool gp_eq(const struct conf_group_policy *x, const struct conf_group_policy *y)
{
	return SEQ(name) && EQ(internal) && u32s_eq(x->dns, x->n_dns, y->dns, y->n_dns) &&
	       EQ(dns_set) && u32s_eq(x->wins, x->n_wins, y->wins, y->n_wins) && EQ(wins_set) &&
	       SEQ(default_domain) && EQ(default_domain_set) && EQ(tunnel_protocols) &&
	       EQ(tunnel_protocols_set) && EQ(split_policy) && EQ(split_policy_set) &&
	       SEQ(split_acl) && EQ(split_acl_set) &&
	       lists_eq(x->address_pools, x->n_address_pools, y->address_pools,
			y->n_address_pools) &&
	       EQ(address_pools_set) && EQ(idle_timeout_min) && EQ(idle_timeout_set) &&
	       SEQ(banner) && EQ(banner_set) && EQ(pfs) && EQ(pfs_set) &&
	       EQ(password_storage) && EQ(password_storage_set) && EQ(session_timeout_min) &&
	       EQ(session_timeout_set) &&
	       lists_eq(x->split_dns, x->n_split_dns, y->split_dns, y->n_split_dns) &&
	       EQ(split_dns_set);
}

static bool tg_eq(const struct conf_tunnel_group *x, const struct conf_tunnel_group *y)
{
	return SEQ(name) && EQ(remote_access) && SEQ(type_name) &&
	       lists_eq(x->address_pools, x->n_address_pools, y->address_pools,
			y->n_address_pools) &&
	       SEQ(default_group_policy) && SEQ(authn_server_group) &&
	       SEQ(authn_server_ifname) && EQ(authn_fallback_local) &&
	       SEQ(authz_server_group) && SEQ(acct_server_group) && EQ(ikev2_remote_auth) &&
	       SEQ(ikev2_remote_psk) && EQ(eap_query_identity) && EQ(ikev2_local_auth) &&
	       SEQ(ikev2_local_trustpoint) && SEQ(ikev2_local_psk) && SEQ(ikev1_psk) &&
	       EQ(keepalive_threshold) && EQ(keepalive_retry) && EQ(keepalive_disabled) &&
	       lists_eq(x->group_aliases, x->n_group_aliases, y->group_aliases,
			y->n_group_aliases) &&
	       EQ(ikev1_user_auth) && SEQ(ikev1_user_auth_ifname);
}

static bool user_eq(const struct conf_user *x, const struct conf_user *y)
{
	return SEQ(name) && SEQ(password) && EQ(kind) && EQ(privilege) && SEQ(group_policy);
}

static bool aaa_group_eq(const struct conf_aaa_server_group *x,
			 const struct conf_aaa_server_group *y)
{
	return SEQ(name) && SEQ(protocol);
}

static bool aaa_server_eq(const struct conf_aaa_server *x, const struct conf_aaa_server *y)
{
	return SEQ(group) && SEQ(ifname) && EQ(addr) && SEQ(key) && EQ(auth_port) &&
	       EQ(acct_port) && EQ(timeout_sec) && EQ(retry_interval_sec);
}

static bool ikev1_policy_eq(const struct conf_ikev1_policy *x, const struct conf_ikev1_policy *y)
{
	return EQ(priority) && EQ(auth) && EQ(encr) && EQ(key_bits) && EQ(hash) && EQ(group) &&
	       EQ(lifetime_sec);
}

static bool isakmp_key_eq(const struct conf_isakmp_key *x, const struct conf_isakmp_key *y)
{
	return SEQ(key) && EQ(addr) && EQ(mask) && EQ(no_xauth) && EQ(no_config_mode);
}

static bool cmap_client_eq(const struct conf_crypto_map_client *x,
			   const struct conf_crypto_map_client *y)
{
	return SEQ(name) && EQ(config_initiate) && EQ(config_respond) &&
	       SEQ(authn_server_group);
}

#define ARR_EQ(arr, n, fn)                                             \
	do {                                                           \
		if (a->n != b->n)                                      \
			return false;                                  \
		for (size_t i_ = 0; i_ < a->n; i_++)                   \
			if (!fn(&a->arr[i_], &b->arr[i_]))             \
				return false;                          \
	} while (0)

bool conf_equal(const struct conf *a, const struct conf *b)
{
	if (!a || !b)
		return a == b;
	const struct conf *x = a, *y = b;
	if (!SEQ(hostname) || !SEQ(domain_name))
		return false;
	ARR_EQ(ifaces, n_ifaces, iface_eq);
	ARR_EQ(ikev2_policies, n_ikev2_policies, ikev2_policy_eq);
	if (!lists_eq(a->ikev2_enabled_ifaces, a->n_ikev2_enabled, b->ikev2_enabled_ifaces,
		      b->n_ikev2_enabled))
		return false;
	if (!EQ(ikev2_client_services) || !EQ(ikev2_client_services_port) ||
	    !SEQ(ikev2_ra_trustpoint) || !EQ(ikev2_cookie_threshold) || !EQ(ikev2_fragmentation))
		return false;
	ARR_EQ(proposals, n_proposals, proposal_eq);
	ARR_EQ(transform_sets, n_transform_sets, ts_eq);
	ARR_EQ(dynmaps, n_dynmaps, dynmap_eq);
	ARR_EQ(cmaps, n_cmaps, cmap_eq);
	ARR_EQ(cmap_bindings, n_cmap_bindings, binding_eq);
	if (!EQ(ipsec_lifetime_sec) || !EQ(ipsec_lifetime_kb) || !EQ(replay_window))
		return false;
	ARR_EQ(trustpoints, n_trustpoints, tp_eq);
	ARR_EQ(pools, n_pools, pool_eq);
	ARR_EQ(acl, n_acl, acl_eq);
	ARR_EQ(group_policies, n_group_policies, gp_eq);
	ARR_EQ(tunnel_groups, n_tunnel_groups, tg_eq);
	ARR_EQ(users, n_users, user_eq);
	ARR_EQ(aaa_groups, n_aaa_groups, aaa_group_eq);
	ARR_EQ(aaa_servers, n_aaa_servers, aaa_server_eq);
	if (!SEQ(tun_name) || !EQ(tun_mtu))
		return false;
	ARR_EQ(ikev1_policies, n_ikev1_policies, ikev1_policy_eq);
	if (!lists_eq(a->ikev1_enabled_ifaces, a->n_ikev1_enabled, b->ikev1_enabled_ifaces,
		      b->n_ikev1_enabled))
		return false;
	ARR_EQ(isakmp_keys, n_isakmp_keys, isakmp_key_eq);
	if (!EQ(isakmp_identity) || !EQ(isakmp_keepalive_threshold) ||
	    !EQ(isakmp_keepalive_retry) || !EQ(isakmp_nat_traversal) ||
	    !EQ(isakmp_nat_keepalive) || !SEQ(isakmp_client_pool) ||
	    !SEQ(isakmp_client_pool_ifname))
		return false;
	ARR_EQ(cmap_clients, n_cmap_clients, cmap_client_eq);
	if (!EQ(ikev1_am_disabled) || !EQ(uauth_timeout_sec) || !EQ(uauth_inactivity))
		return false;
	return true;
}
