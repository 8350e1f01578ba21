/* ASA keywords and the numbers they stand for (protocol.md 4.4).
 *
 * One table per keyword family; the parser reads through kw_find(), the
 * writer and `show` output through kw_name(), so a keyword and its number
 * are written down exactly once.  IKEv2 tables hold IKEv2 transform IDs
 * (RFC 7296 / IANA); the IKEv1 tables hold Oakley and IPsec DOI numbers. */
#include <strings.h>

#include "conf/conf_int.h"

#define KW_TABLE(name, ...)                                          \
	static const struct kw_alg name##_t[] = { __VA_ARGS__ };      \
	const struct kw_table name = { name##_t, sizeof(name##_t) / sizeof(name##_t[0]) }

/* crypto ikev2 policy: encryption (aes-gcm: ENCR_AES_GCM_16, see
 * protocol.md open point 11) */
KW_TABLE(kw_ikev2_encr,
	 { "des", 2, 0 }, { "3des", 3, 0 },
	 { "aes", 12, 128 }, { "aes-192", 12, 192 }, { "aes-256", 12, 256 },
	 { "aes-gcm", 20, 128 }, { "aes-gcm-192", 20, 192 }, { "aes-gcm-256", 20, 256 });

/* crypto ikev2 policy: integrity ("null" is handled by the parser: no
 * INTEG transform, AEAD only) */
KW_TABLE(kw_ikev2_integ,
	 { "md5", 1, 0 }, { "sha", 2, 0 }, { "sha256", 12, 0 }, { "sha384", 13, 0 },
	 { "sha512", 14, 0 });

KW_TABLE(kw_ikev2_prf,
	 { "md5", 1, 0 }, { "sha", 2, 0 }, { "sha256", 5, 0 }, { "sha384", 6, 0 },
	 { "sha512", 7, 0 });

/* Diffie-Hellman groups the ASA accepts in "group N" (the keyword is the
 * IANA number itself). */
KW_TABLE(kw_dh_group,
	 { "1", 1, 0 }, { "2", 2, 0 }, { "5", 5, 0 }, { "14", 14, 0 }, { "15", 15, 0 },
	 { "16", 16, 0 }, { "19", 19, 0 }, { "20", 20, 0 }, { "21", 21, 0 }, { "24", 24, 0 },
	 { "31", 31, 0 });

/* crypto ipsec ikev2 ipsec-proposal: protocol esp encryption */
KW_TABLE(kw_esp_encr,
	 { "des", 2, 0 }, { "3des", 3, 0 },
	 { "aes", 12, 128 }, { "aes-192", 12, 192 }, { "aes-256", 12, 256 },
	 { "aes-gcm", 20, 128 }, { "aes-gcm-192", 20, 192 }, { "aes-gcm-256", 20, 256 },
	 { "aes-gmac", 21, 128 }, { "aes-gmac-192", 21, 192 }, { "aes-gmac-256", 21, 256 },
	 { "null", 11, 0 });

/* protocol esp integrity; "null" is ID 0 in the model (none allowed) */
KW_TABLE(kw_esp_integ,
	 { "md5", 1, 0 }, { "sha-1", 2, 0 }, { "sha-256", 12, 0 }, { "sha-384", 13, 0 },
	 { "sha-512", 14, 0 }, { "null", 0, 0 });

/* crypto ipsec [ikev1] transform-set: IPsec DOI ESP transform IDs and the
 * auth algorithm attribute (0 = esp-none; 5 = HMAC-SHA2-256, RFC 4868) */
KW_TABLE(kw_ts_encr,
	 { "esp-des", 2, 0 }, { "esp-3des", 3, 0 },
	 { "esp-aes", 12, 128 }, { "esp-aes-192", 12, 192 }, { "esp-aes-256", 12, 256 },
	 { "esp-null", 11, 0 });
KW_TABLE(kw_ts_auth,
	 { "esp-md5-hmac", 1, 0 }, { "esp-sha-hmac", 2, 0 }, { "esp-sha256-hmac", 5, 0 },
	 { "esp-none", 0, 0 });

/* IKEv1 policy (Oakley attributes) */
KW_TABLE(kw_ikev1_encr,
	 { "des", 1, 0 }, { "3des", 5, 0 },
	 { "aes", 7, 128 }, { "aes-192", 7, 192 }, { "aes-256", 7, 256 });
KW_TABLE(kw_ikev1_hash, { "md5", 1, 0 }, { "sha", 2, 0 });
KW_TABLE(kw_ikev1_auth, { "pre-share", 1, 0 }, { "rsa-sig", 3, 0 },
	 { "crack", CONF_IKEV1_AUTH_CRACK, 0 });

/* crypto dynamic-map ... set pfs groupN */
KW_TABLE(kw_pfs_group,
	 { "group1", 1, 0 }, { "group2", 2, 0 }, { "group5", 5, 0 }, { "group14", 14, 0 },
	 { "group15", 15, 0 }, { "group16", 16, 0 }, { "group19", 19, 0 },
	 { "group20", 20, 0 }, { "group21", 21, 0 }, { "group24", 24, 0 },
	 { "group31", 31, 0 });

/* vpn-tunnel-protocol; the pre-8.4 spellings map onto the same bits and
 * come after the current ones, so kw_name() writes the current spelling. */
KW_TABLE(kw_tunnel_proto,
	 { "ikev1", TUNPROTO_IKEV1, 0 }, { "ikev2", TUNPROTO_IKEV2, 0 },
	 { "l2tp-ipsec", TUNPROTO_L2TP_IPSEC, 0 }, { "ssl-client", TUNPROTO_SSL_CLIENT, 0 },
	 { "ssl-clientless", TUNPROTO_SSL_CLIENTLESS, 0 },
	 { "ipsec", TUNPROTO_IKEV1, 0 }, { "svc", TUNPROTO_SSL_CLIENT, 0 },
	 { "webvpn", TUNPROTO_SSL_CLIENTLESS, 0 });

const struct kw_alg *kw_find(const struct kw_table *t, const char *word)
{
	if (!word)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strcasecmp(t->t[i].kw, word) == 0)
			return &t->t[i];
	return NULL;
}

const char *kw_name(const struct kw_table *t, uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->t[i].id == id && t->t[i].bits == bits)
			return t->t[i].kw;
	return NULL;
}

const char *conf_alg_keyword(int type, uint16_t id, uint16_t key_bits, bool esp)
{
	switch (type) {
	case 1:
		return kw_name(esp ? &kw_esp_encr : &kw_ikev2_encr, id, key_bits);
	case 2:
		return kw_name(&kw_ikev2_prf, id, 0);
	case 3:
		return kw_name(esp ? &kw_esp_integ : &kw_ikev2_integ, id, 0);
	case 4:
		return kw_name(&kw_dh_group, id, 0);
	default:
		return NULL;
	}
}
