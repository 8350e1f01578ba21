/* XAUTH (draft-ietf-ipsec-isakmp-xauth-06) in Transaction exchanges,
 * gateway-driven as on the PIX/ASA:
 *
 *   <-- HDR*, HASH, ATTR(CFG_REQUEST: XAUTH_TYPE, XAUTH_USER_NAME, XAUTH_USER_PASSWORD)
 *   HDR*, HASH, ATTR(CFG_REPLY: name, password) -->
 *   <-- HDR*, HASH, ATTR(CFG_SET: XAUTH_STATUS = 1 | 0)       (new message ID)
 *   HDR*, HASH, ATTR(CFG_ACK) -->
 *
 * A wrong password gets a new request (up to V1_XAUTH_ATTEMPTS in all, as
 * the PIX retries), then STATUS = 0 and, once acknowledged, the ISAKMP SA is
 * deleted.  Passwords are checked against the local user database
 * (`crypto map M client authentication LOCAL`, `authentication-server-group
 * LOCAL` or none); a named RADIUS/TACACS+ group fails the login with a clear
 * log line until the AAA work lands (aaa_verify_password says why). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "conf/conf.h"
#include "ike/v1/v1.h"

#define V1_MAX_USER 128
#define V1_MAX_PASSWORD 256

struct xauth_req {
	uint16_t id;
	bool retry;
};

static void fill_request(struct ikev1_wr *w, void *arg)
{
	const struct xauth_req *r = arg;
	static const char retry_msg[] = "Authentication failed, please try again";
	struct ikev1_cfg cfg = { .type = IKEV1_CFG_REQUEST, .identifier = r->id };
	cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_TYPE, .tv = true,
					      .tv_value = 0 };
	cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_NAME };
	cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_USER_PASSWORD };
	if (r->retry)
		cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_MESSAGE,
			.value = { (const uint8_t *)retry_msg, sizeof(retry_msg) - 1 } };
	ikev1_w_cfg(w, &cfg);
}

static int send_request(struct ike_sa *sa, bool retry)
{
	uint32_t id = v1_new_msg_id(sa);
	struct v1_exch *ex = id ? v1_exch_new(sa, V1_EX_XAUTH, id) : NULL;
	uint16_t cfg_id;
	if (!ex || crypto_random(&cfg_id, sizeof(cfg_id)) < 0)
		return -1;
	ex->cfg_id = cfg_id;
	struct xauth_req r = { cfg_id, retry };
	v1_log(sa, 3, "XAUTH: requesting XAUTH_TYPE, XAUTH_USER_NAME, XAUTH_USER_PASSWORD "
	       "(msgid %08x%s)", id, retry ? ", retry" : "");
	return v1_send_new(sa, IKEV1_X_TRANSACTION, ex, fill_request, &r);
}

int v1_xauth_start(struct ike_sa *sa)
{
	return send_request(sa, false);
}

struct status_arg {
	uint16_t id;
	bool ok;
};

static void fill_status(struct ikev1_wr *w, void *arg)
{
	const struct status_arg *s = arg;
	struct ikev1_cfg cfg = { .type = IKEV1_CFG_SET, .identifier = s->id };
	cfg.a[cfg.n++] = (struct ikev1_attr){ .type = IKEV1_CA_XAUTH_STATUS, .tv = true,
					      .tv_value = s->ok ? 1 : 0 };
	ikev1_w_cfg(w, &cfg);
}

static int send_status(struct ike_sa *sa, bool ok)
{
	uint32_t id = v1_new_msg_id(sa);
	struct v1_exch *ex = id ? v1_exch_new(sa, V1_EX_XAUTH_STATUS, id) : NULL;
	uint16_t cfg_id;
	if (!ex || crypto_random(&cfg_id, sizeof(cfg_id)) < 0)
		return -1;
	ex->cfg_id = cfg_id;
	struct status_arg s = { cfg_id, ok };
	v1_sa_set_phase(sa, V1_XAUTH_STATUS);
	return v1_send_new(sa, IKEV1_X_TRANSACTION, ex, fill_status, &s);
}

static void copy_attr(const struct ikev1_attr *a, char *out, size_t cap)
{
	size_t n = a && !a->tv ? a->value.len : 0;
	if (n > cap - 1)
		n = cap - 1;
	if (n)
		memcpy(out, a->value.data, n);
	out[n] = 0;
}

/* The user's group-policy allows IKEv1 (vpn-tunnel-protocol ikev1 / ipsec). */
static bool protocol_allowed(struct ike_sa *sa, const char **gp_name)
{
	const struct conf_user *u = sa->username ? conf_user(sa->conf, sa->username) : NULL;
	if (u && u->group_policy) {
		free(sa->group_policy);
		sa->group_policy = strdup(u->group_policy);
	}
	struct conf_group_policy gp;
	const struct conf_group_policy *eg = conf_gp_effective(sa->conf, sa->group_policy, &gp);
	*gp_name = sa->group_policy ? sa->group_policy : "DfltGrpPolicy";
	if (!eg)
		eg = &gp;
	return !eg->tunnel_protocols_set || (eg->tunnel_protocols & TUNPROTO_IKEV1);
}

static void check_credentials(struct ike_sa *sa, const struct ikev1_cfg *cfg)
{
	struct v1_sa *v = v1_of(sa);
	char user[V1_MAX_USER], pw[V1_MAX_PASSWORD], ip[INET_ADDRSTRLEN];
	copy_attr(ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_USER_NAME), user, sizeof(user));
	const struct ikev1_attr *pa = ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_USER_PASSWORD);
	copy_attr(pa, pw, sizeof(pw));
	free(sa->username);
	sa->username = user[0] ? strdup(user) : NULL;
	struct aaa_ctx ctx = { .conf = sa->conf, .server_group = v->xauth_server_group,
			       .tunnel_group = sa->tunnel_group,
			       .peer = ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), ip, sizeof(ip)) };
	const char *why = NULL;
	enum aaa_result r = user[0] ? aaa_verify_password(&ctx, user, pw, strlen(pw), &why)
				    : AAA_UNKNOWN_USER;
	mem_wipe(pw, sizeof(pw));
	const char *gp_name = NULL;
	if (r == AAA_ACCEPT && !protocol_allowed(sa, &gp_name)) {
		log_event(SEV_WARNING, 713103, "Group = %s, Username = %s, IP = %s, User is not "
			  "allowed to use IKEv1: group-policy %s has no 'vpn-tunnel-protocol ikev1'",
			  sa->tunnel_group ? sa->tunnel_group : "Unknown", user, ip, gp_name);
		v->xauth_attempts = V1_XAUTH_ATTEMPTS;
		r = AAA_REJECT;
	}
	if (r == AAA_ACCEPT) {
		v->eng->st.xauth_ok++;
		sa->xauth_done = true;
		sa->xauth_time = time(NULL);
		v1_log(sa, 1, "XAUTH: user %s authenticated", user);
		ike_sa_index_user(sa);
		if (v->initial_contact)
			v1_initial_contact(sa);
		if (send_status(sa, true) < 0)
			v1_sa_delete(sa, "Internal error");
		return;
	}
	v->eng->st.xauth_failed++;
	v->xauth_attempts++;
	/* aaa/ logged the rejection (113015); say what happens next. */
	v1_log(sa, 1, "XAUTH: user %s rejected (%s), attempt %u of %u%s", user[0] ? user : "(none)",
	       why ? why : aaa_result_name(r), v->xauth_attempts, V1_XAUTH_ATTEMPTS,
	       v->xauth_attempts < V1_XAUTH_ATTEMPTS && r != AAA_ERROR ? ": asking again" :
	       ": sending XAUTH_STATUS FAIL");
	if (v->xauth_attempts < V1_XAUTH_ATTEMPTS && r != AAA_ERROR) {
		if (send_request(sa, true) < 0)
			v1_sa_delete(sa, "Internal error");
		return;
	}
	sa->xauth_done = false;
	if (send_status(sa, false) < 0)
		v1_sa_delete(sa, "User authentication failed");
}

/* A Transaction message of the XAUTH exchange. */
void v1_xauth_input(struct v1_ctx *c)
{
	struct ike_sa *sa = c->sa;
	struct v1_sa *v = c->v;
	struct v1_exch *ex = c->ex;
	const struct ikev1_cfg *cfg = &c->m->cfg;
	if (ex->kind == V1_EX_XAUTH && (cfg->type == IKEV1_CFG_REPLY ||
					cfg->type == IKEV1_CFG_ACK)) {
		ex->awaiting = false;
		if (ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_STATUS) &&
		    !ikev1_cfg_attr(cfg, IKEV1_CA_XAUTH_USER_NAME)) {
			v1_log(sa, 1, "XAUTH: the client cancelled the login");
			v1_sa_delete(sa, "User cancelled");
			return;
		}
		check_credentials(sa, cfg);
		return;
	}
	if (ex->kind == V1_EX_XAUTH_STATUS && cfg->type == IKEV1_CFG_ACK) {
		ex->awaiting = false;
		if (!sa->xauth_done) {
			v1_sa_delete(sa, "User authentication failed");
			return;
		}
		v1_sa_set_phase(sa, V1_MODECFG);
		if (v->cfg_push && v1_modecfg_push(sa) < 0)
			v1_sa_delete(sa, "Internal error");
		else
			v1_sa_schedule(sa);
		return;
	}
	v1_log(sa, 1, "unexpected %s in the XAUTH exchange (msgid %08x): ignored",
	       cfg->type == IKEV1_CFG_REQUEST ? "CFG_REQUEST" : cfg->type == IKEV1_CFG_REPLY
	       ? "CFG_REPLY" : cfg->type == IKEV1_CFG_SET ? "CFG_SET" : "CFG_ACK", ex->msg_id);
}
