/* IKE_AUTH, first message: tunnel-group selection, the initiator's AUTH
 * (pre-shared key or certificate) or the start of EAP, and our own AUTH.
 *
 * Tunnel-group from IDi (the ASA way, protocol.md §2.5): ID_KEY_ID (11)
 * or the Cisco group ID (201) names a tunnel-group or an enabled
 * group-alias ("keyid:GROUP" in strongSwan); any other identity (an FQDN,
 * an e-mail address, a user name, *$AnyConnectClient$*) lands on
 * DefaultRAGroup when it is configured.
 *
 * Our AUTH: RSA signature with the key of `ikev2 local-authentication
 * certificate TP` or `crypto ikev2 remote-access trustpoint TP` -- method 1
 * (SHA-1), or RFC 7427 method 14 with SHA-256 when the initiator sent
 * SIGNATURE_HASH_ALGORITHMS with SHA2-256 -- and IDr = DER_ASN1_DN of the
 * certificate subject; or a MIC with `ikev2 local-authentication
 * pre-shared-key` and IDr = our IPv4 address. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/eap.h"
#include "auth/trustpoint.h"
#include "base/mem.h"
#include "conf/conf.h"
#include "ike/v2/v2.h"

#define SIG_MAX 1024

static char *printable_id(const struct ikev2_id *id)
{
	char out[160];
	const uint8_t *d = id->data.data;
	size_t n = id->data.len;
	if (id->type == IKEV2_ID_IPV4_ADDR && n == 4) {
		snprintf(out, sizeof(out), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
	} else if (id->type == IKEV2_ID_DER_ASN1_DN || id->type == IKEV2_ID_DER_ASN1_GN ||
		   id->type == IKEV2_ID_IPV6_ADDR) {
		snprintf(out, sizeof(out), "%s (%zu bytes)", ikev2_id_type_name(id->type), n);
	} else {
		size_t k = 0;
		for (size_t i = 0; i < n && k + 1 < sizeof(out); i++)
			out[k++] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '?';
		out[k] = '\0';
	}
	return mem_strdup(out);
}

/* The tunnel-group for this IDi, or NULL with *why set. */
static const struct conf_tunnel_group *select_tg(struct ike_sa *sa, const struct ikev2_id *id,
						 const char **why)
{
	const struct conf *conf = sa->conf;
	if ((id->type == IKEV2_ID_KEY_ID || id->type == IKEV2_ID_CISCO_GROUP) &&
	    id->data.len > 0 && id->data.len < 128) {
		char name[128];
		memcpy(name, id->data.data, id->data.len);
		name[id->data.len] = '\0';
		const struct conf_tunnel_group *tg = conf_tunnel_group_by_alias(conf, name);
		if (tg && tg->remote_access) {
			v2_log(sa, 2, "Connection landed on tunnel_group %s (IDi %s)", tg->name, name);
			return tg;
		}
		v2_log(sa, 1, "IDi names group \"%s\": no remote-access tunnel-group or enabled "
		       "group-alias of that name", sa->remote_id);
	}
	const struct conf_tunnel_group *def = conf_tunnel_group(conf, "DefaultRAGroup");
	if (def) {
		v2_log(sa, 2, "Connection landed on tunnel_group DefaultRAGroup (IDi type %s)",
		       ikev2_id_type_name(id->type));
		return def;
	}
	*why = "IDi does not name a tunnel-group or group-alias and DefaultRAGroup is not configured";
	return NULL;
}

static void save_request(struct v2_auth *a, const struct ikev2_msg *in)
{
	a->have_child = (in->present & IKEV2_BIT(IKEV2_PL_SA)) &&
			(in->present & IKEV2_BIT(IKEV2_PL_TSI)) &&
			(in->present & IKEV2_BIT(IKEV2_PL_TSR));
	if (a->have_child) {
		a->sai2 = in->sa;
		a->tsi = in->tsi;
		a->tsr = in->tsr;
	}
	a->cp_request = (in->present & IKEV2_BIT(IKEV2_PL_CP)) && in->cp.type == IKEV2_CFG_REQUEST;
	for (unsigned i = 0; a->cp_request && i < in->cp.n; i++)
		if (in->cp.a[i].type < 64)
			a->cp_want |= UINT64_C(1) << in->cp.a[i].type;
	a->initial_contact = ikev2_msg_notify(in, IKEV2_N_INITIAL_CONTACT) != NULL;
}

static void log_auth_failure(struct ike_sa *sa, const char *why)
{
	char l[32], r[32];
	unsigned sup = 0;
	struct ikev2 *e = v2_of(sa)->eng;
	e->st.auth_failed++;
	if (!log_limit_pass(&e->lim_auth, 20, &sup))
		return;
	log_event(SEV_WARNING, 750003, "Local:%s Remote:%s Username:%s Negotiation aborted due to "
		  "ERROR: %s", ike_addr_str(&sa->local, l, sizeof(l)),
		  ike_addr_str(&sa->remote, r, sizeof(r)), sa->username ? sa->username : "Unknown",
		  why);
	v2_log(sa, 1, "authentication failed: %s", why);
}

static enum v2_verdict fail(struct v2_ctx *c, const char *why)
{
	log_auth_failure(c->sa, why);
	c->notify = IKEV2_N_AUTHENTICATION_FAILED;
	c->close_reason = why;
	return V2_NOTIFY_CLOSE;
}

/* Common start of both first-IKE_AUTH rows. */
static int auth_setup(struct v2_ctx *c, const char **why)
{
	struct ike_sa *sa = c->sa;
	const struct ikev2_msg *in = c->in;
	if (c->v->auth)
		return 0;          /* the handler runs again after a signing job */
	struct v2_auth *a = calloc(1, sizeof(*a));
	if (!a) {
		*why = "out of memory";
		return -1;
	}
	c->v->auth = a;
	free(sa->remote_id);
	sa->remote_id = printable_id(&in->idi);
	a->idi_body = malloc(in->idi.body.len ? in->idi.body.len : 1);
	if (!a->idi_body) {
		*why = "out of memory";
		return -1;
	}
	memcpy(a->idi_body, in->idi.body.data, in->idi.body.len);
	a->idi_len = in->idi.body.len;
	save_request(a, in);
	a->tg = select_tg(sa, &in->idi, why);
	if (!a->tg)
		return -1;
	free(sa->tunnel_group);
	sa->tunnel_group = mem_strdup(a->tg->name);
	a->remote_auth = a->tg->ikev2_remote_auth;
	ike_ip_str(ntohl(sa->remote.sin_addr.s_addr), a->peer_str, sizeof(a->peer_str));
	a->aaa = (struct aaa_ctx){ .conf = sa->conf, .server_group = a->tg->authn_server_group,
				   .tunnel_group = a->tg->name, .peer = a->peer_str };
	return 0;
}

/* ---- our AUTH ------------------------------------------------------------ */

static void set_idr(struct v2_auth *a, uint8_t type, const uint8_t *data, size_t len)
{
	if (len + 4 > sizeof(a->idr_body))
		len = sizeof(a->idr_body) - 4;
	memset(a->idr_body, 0, 4);
	a->idr_body[0] = type;
	memcpy(a->idr_body + 4, data, len);
	a->idr_len = len + 4;
}

static int our_auth_psk(struct v2_ctx *c, const char *psk)
{
	struct ike_sa *sa = c->sa;
	struct v2_auth *a = c->v->auth;
	struct buf oct;
	uint8_t mac[CRYPTO_MAX_HASH];
	size_t mac_len = 0;
	int rc = -1;
	buf_init(&oct);
	set_idr(a, IKEV2_ID_IPV4_ADDR, (const uint8_t *)&sa->local.sin_addr.s_addr, 4);
	if (v2_auth_octets(c->v, true, a->idr_body, a->idr_len, &oct) < 0 ||
	    v2_auth_psk(c->v->km.prf, (const uint8_t *)psk, strlen(psk), &oct, mac, &mac_len) < 0)
		goto out;
	ikev2_w_id(c->w, IKEV2_PL_IDR, IKEV2_ID_IPV4_ADDR, a->idr_body + 4, 4);
	ikev2_w_auth(c->w, IKEV2_AUTH_PSK, mac, mac_len);
	char ip[INET_ADDRSTRLEN];
	free(sa->local_id);
	sa->local_id = mem_strdup(ike_ip_str(ntohl(sa->local.sin_addr.s_addr), ip, sizeof(ip)));
	sa->auth_sign = IKE_AUTHK_PSK;
	v2_log(sa, 2, "My authentication method is 'PSK'");
	rc = 0;
out:
	mem_wipe(mac, sizeof(mac));
	buf_free(&oct);
	return rc;
}

/* RSA signature; method 14 (RFC 7427) with SHA-256 when announced.  The
 * private-key operation runs as a job; the handler runs again when it is
 * done and finds the signature in the auth state. */
struct sign_job {
	uint64_t serial;
	const struct crypto_key *key;       /* kept alive: reloads drain the jobs first */
	enum crypto_sig scheme;
	struct buf octets;
	int rc;
	size_t pre;                          /* RFC 7427: length byte + AlgorithmIdentifier */
	uint8_t sig[SIG_MAX];
	size_t sig_len;
};

static void sign_work(void *arg)
{
	struct sign_job *j = arg;
	size_t len = SIG_MAX - j->pre;
	j->rc = crypto_sign(j->key, j->scheme, j->octets.data, j->octets.len, j->sig + j->pre, &len);
	j->sig_len = j->pre + len;
}

static void sign_done(void *arg, bool cancelled)
{
	struct sign_job *j = arg;
	struct ike_sa *sa = ike_sa_find_serial(j->serial);
	struct v2_auth *a = sa ? v2_of(sa)->auth : NULL;
	if (a && !cancelled && a->sig_pending) {
		a->sig_pending = false;
		if (j->rc == 0 && j->sig_len <= sizeof(a->sig)) {
			memcpy(a->sig, j->sig, j->sig_len);
			a->sig_len = j->sig_len;
			a->sig_ready = true;
		} else {
			a->sig_failed = true;
		}
		v2_resume(sa);       /* without sig_ready the handler fails the exchange */
	}
	buf_free(&j->octets);
	free(j);
}

static int start_signature(struct v2_ctx *c, const struct trustpoint *tp, const struct buf *oct)
{
	struct v2_auth *a = c->v->auth;
	bool rfc7427 = c->v->sig_hashes & (1u << 2);
	struct sign_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	j->serial = c->sa->serial;
	j->key = tp->key;
	j->scheme = rfc7427 ? SIG_RSA_PKCS1_SHA256 : SIG_RSA_PKCS1_SHA1;
	if (rfc7427) {
		size_t alen;
		const uint8_t *algid = crypto_sig_algid(j->scheme, &alen);
		if (!algid || alen > 255) {
			free(j);
			return -1;
		}
		j->sig[0] = (uint8_t)alen;
		memcpy(j->sig + 1, algid, alen);
		j->pre = 1 + alen;
	}
	buf_init(&j->octets);
	buf_put(&j->octets, oct->data, oct->len);
	a->sig_method = rfc7427 ? IKEV2_AUTH_DIGITAL_SIGNATURE : IKEV2_AUTH_RSA;
	a->sig_pending = true;
	if (j->octets.oom || ike_job_submit(c->eng->jobs, sign_work, sign_done, j) < 0) {
		a->sig_pending = false;
		buf_free(&j->octets);
		free(j);
		return -1;
	}
	return 0;
}

static int our_auth_cert(struct v2_ctx *c, const char *tp_name)
{
	struct ike_sa *sa = c->sa;
	struct v2_auth *a = c->v->auth;
	const struct trustpoint *tp = tp_name ? trustpoint_get(v2_trustpoints(c->eng), tp_name) : NULL;
	if (!tp || !tp->key || !tp->cert || !crypto_key_is_rsa(tp->key)) {
		v2_log(sa, 1, "trustpoint %s has no RSA key and certificate to authenticate with",
		       tp_name ? tp_name : "(none configured)");
		return -1;
	}
	size_t dn_len = 0, der_len = 0;
	uint8_t *dn = crypto_cert_subject_der(tp->cert, &dn_len);
	uint8_t *der = crypto_cert_der(tp->cert, &der_len);
	struct buf oct;
	int rc = -1;
	buf_init(&oct);
	if (!dn || !der || dn_len + 4 > sizeof(a->idr_body))
		goto out;
	set_idr(a, IKEV2_ID_DER_ASN1_DN, dn, dn_len);
	if (!a->sig_ready) {
		if (a->sig_failed || a->sig_pending)
			goto out;
		if (v2_auth_octets(c->v, true, a->idr_body, a->idr_len, &oct) < 0 ||
		    start_signature(c, tp, &oct) < 0)
			goto out;
		if (!a->sig_ready) {         /* on a worker: come back later (or it failed) */
			rc = ike_jobs_async(c->eng->jobs) && !a->sig_failed ? 1 : -1;
			goto out;
		}
	}
	ikev2_w_id(c->w, IKEV2_PL_IDR, IKEV2_ID_DER_ASN1_DN, dn, dn_len);
	ikev2_w_cert(c->w, IKEV2_PL_CERT, IKEV2_CERT_X509_SIG, der, der_len);
	ikev2_w_auth(c->w, a->sig_method, a->sig, a->sig_len);
	char subj[256];
	crypto_cert_subject_str(tp->cert, subj, sizeof(subj));
	free(sa->local_id);
	sa->local_id = mem_strdup(subj);
	sa->auth_sign = IKE_AUTHK_RSA;
	v2_log(sa, 2, "My authentication method is 'RSA' (AUTH method %u, trustpoint %s)",
	       a->sig_method, tp_name);
	rc = 0;
out:
	free(dn);
	free(der);
	buf_free(&oct);
	return rc;
}

int v2_write_our_auth(struct v2_ctx *c)
{
	const struct conf_tunnel_group *tg = c->v->auth->tg;
	if (tg->ikev2_local_auth == AUTH_PSK) {
		if (!tg->ikev2_local_psk) {
			v2_log(c->sa, 1, "tunnel-group %s: ikev2 local-authentication pre-shared-key "
			       "has no key", tg->name);
			return -1;
		}
		return our_auth_psk(c, tg->ikev2_local_psk);
	}
	const char *tp = tg->ikev2_local_auth == AUTH_CERT && tg->ikev2_local_trustpoint
				 ? tg->ikev2_local_trustpoint : c->sa->conf->ikev2_ra_trustpoint;
	return our_auth_cert(c, tp);
}

/* ---- the initiator's AUTH ---------------------------------------------------- */

static int verify_psk(struct v2_ctx *c, const char *psk)
{
	const struct ikev2_auth *au = &c->in->auth;
	struct v2_auth *a = c->v->auth;
	uint8_t mac[CRYPTO_MAX_HASH];
	size_t mac_len = 0;
	struct buf oct;
	int rc = -1;
	buf_init(&oct);
	if (au->method == IKEV2_AUTH_PSK &&
	    v2_auth_octets(c->v, false, a->idi_body, a->idi_len, &oct) == 0 &&
	    v2_auth_psk(c->v->km.prf, (const uint8_t *)psk, strlen(psk), &oct, mac, &mac_len) == 0 &&
	    au->data.len == mac_len && mem_cmp_ct(mac, au->data.data, mac_len) == 0)
		rc = 0;
	mem_wipe(mac, sizeof(mac));
	buf_free(&oct);
	return rc;
}

/* Signature scheme and bare signature of an AUTH payload. */
int v2_auth_parse_sig(const struct ikev2_auth *au, enum crypto_sig *s, const uint8_t **sig,
		      size_t *len)
{
	const uint8_t *d = au->data.data;
	size_t n = au->data.len;
	switch (au->method) {
	case IKEV2_AUTH_RSA: *s = SIG_RSA_PKCS1_SHA1; break;
	case IKEV2_AUTH_ECDSA_256: *s = SIG_ECDSA_SHA256; break;
	case IKEV2_AUTH_ECDSA_384: *s = SIG_ECDSA_SHA384; break;
	case IKEV2_AUTH_ECDSA_521: *s = SIG_ECDSA_SHA512; break;
	case IKEV2_AUTH_DIGITAL_SIGNATURE:
		if (n < 1 || (size_t)d[0] + 1 > n || crypto_sig_from_algid(d + 1, d[0], s) < 0)
			return -1;
		*sig = d + 1 + d[0];
		*len = n - 1 - d[0];
		return 0;
	default: return -1;
	}
	*sig = d;
	*len = n;
	return 0;
}

static int verify_cert(struct v2_ctx *c, const char **why)
{
	const struct ikev2_msg *in = c->in;
	struct v2_auth *a = c->v->auth;
	const struct trustpoint_store *tps = v2_trustpoints(c->eng);
	enum crypto_sig s;
	const uint8_t *sig = NULL;
	size_t sig_len = 0;
	if (in->n_cert == 0 || in->cert[0].encoding != IKEV2_CERT_X509_SIG) {
		*why = "certificate authentication without an X.509 CERT payload";
		return -1;
	}
	if (v2_auth_parse_sig(&in->auth, &s, &sig, &sig_len) < 0) {
		*why = "unsupported AUTH method for certificate authentication";
		return -1;
	}
	struct crypto_cert *cert = crypto_cert_from_der(in->cert[0].data.data, in->cert[0].data.len);
	struct buf oct;
	int rc = -1;
	buf_init(&oct);
	*why = "client certificate not issued by a trusted CA";
	for (size_t i = 0; cert && tps && i < tps->n && rc < 0; i++)
		if (tps->tp[i].ca && crypto_cert_verify(cert, tps->tp[i].ca) == 0)
			rc = 0;
	if (rc == 0) {
		rc = -1;
		*why = "signature in AUTH does not verify";
		if (v2_auth_octets(c->v, false, a->idi_body, a->idi_len, &oct) == 0 &&
		    crypto_verify(cert, s, oct.data, oct.len, sig, sig_len) == 0) {
			char subj[256];
			crypto_cert_subject_str(cert, subj, sizeof(subj));
			free(c->sa->username);
			c->sa->username = mem_strdup(subj);
			rc = 0;
		}
	}
	crypto_cert_free(cert);
	buf_free(&oct);
	return rc;
}

/* ---- handlers --------------------------------------------------------------- */

/* HDR, SK {IDi, [CERTREQ,] [IDr,] [CP(CFG_REQUEST),] SAi2, TSi, TSr, [N...]} -->
 *   <-- HDR, SK {IDr, [CERT,] AUTH, EAP(Request)}
 * RFC 7296 §2.16: no AUTH from the initiator asks for EAP. */
enum v2_verdict v2_auth_eap_begin(struct v2_ctx *c)
{
	const char *why = NULL;
	if (auth_setup(c, &why) < 0)
		return fail(c, why);
	struct v2_auth *a = c->v->auth;
	if (a->remote_auth != AUTH_EAP && a->remote_auth != AUTH_UNSET)
		return fail(c, a->remote_auth == AUTH_PSK
			       ? "tunnel-group wants pre-shared-key authentication, client asked for EAP"
			       : "tunnel-group wants certificate authentication, client asked for EAP");
	int rc = v2_write_our_auth(c);
	if (rc < 0)
		return fail(c, "cannot compute our AUTH (trustpoint or key missing)");
	if (rc > 0)
		return V2_WAIT;
	enum eap_type methods[3];
	size_t n = 0;
	if (crypto_legacy_available())
		methods[n++] = EAP_TYPE_MSCHAPV2;    /* offered first; a NAK may pick another */
	methods[n++] = EAP_TYPE_MD5;
	methods[n++] = EAP_TYPE_GTC;
	a->eap = eap_server_new(methods, n, &a->aaa, NULL);
	if (!a->eap)
		return fail(c, "cannot start EAP");
	struct buf out;
	buf_init(&out);
	enum eap_step st = eap_server_start(a->eap, &out);
	if (st != EAP_STEP_SEND || out.oom) {
		buf_free(&out);
		return fail(c, "cannot start EAP");
	}
	ikev2_w_eap(c->w, out.data, out.len);
	buf_free(&out);
	c->sa->auth_verify = IKE_AUTHK_EAP;
	v2_log(c->sa, 2, "EAP started (first request: %s)",
	       eap_type_name(eap_server_method(a->eap)));
	return V2_REPLY;
}

/* HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, [CP(CFG_REQUEST),] SAi2, TSi, TSr} -->
 *   <-- HDR, SK {IDr, [CERT,] AUTH, [CP(CFG_REPLY),] SAr2, TSi, TSr}
 * RFC 7296 §1.2, §2.15: pre-shared key (method 2) or signature. */
enum v2_verdict v2_auth_direct(struct v2_ctx *c)
{
	const char *why = NULL;
	if (auth_setup(c, &why) < 0)
		return fail(c, why);
	struct v2_auth *a = c->v->auth;
	struct ike_sa *sa = c->sa;
	enum conf_auth mode = a->remote_auth;
	if (mode == AUTH_UNSET)
		mode = c->in->auth.method == IKEV2_AUTH_PSK ? AUTH_PSK : AUTH_CERT;
	if (mode == AUTH_EAP)
		return fail(c, "tunnel-group wants EAP, client sent AUTH");
	if (mode == AUTH_PSK) {
		if (!a->tg->ikev2_remote_psk)
			return fail(c, "tunnel-group has no ikev2 remote-authentication pre-shared-key");
		if (verify_psk(c, a->tg->ikev2_remote_psk) < 0)
			return fail(c, "pre-shared key AUTH does not verify");
		free(sa->username);
		sa->username = mem_strdup(sa->remote_id);
		sa->auth_verify = IKE_AUTHK_PSK;
	} else {
		if (verify_cert(c, &why) < 0)
			return fail(c, why);
		sa->auth_verify = IKE_AUTHK_CERT;
	}
	v2_log(sa, 1, "initiator authenticated (%s)", mode == AUTH_PSK ? "PSK" : "certificate");
	int rc = v2_write_our_auth(c);
	if (rc < 0)
		return fail(c, "cannot compute our AUTH (trustpoint or key missing)");
	if (rc > 0)
		return V2_WAIT;
	return v2_auth_complete(c);
}
