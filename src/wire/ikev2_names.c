/* IKEv2 code point names.
 *
 * Exchange, notify, ID, auth and CP names follow the IANA registry
 * ("IKEv2 Parameters").  Transform ids use the display names of the Cisco
 * ASA debug output (protocol.md §3.6): "AES-CBC", "SHA96",
 * "DH_GROUP_1024_MODP/Group 2", so that a `debug crypto ikev2 protocol`
 * transcript reads like the ASA's. */
#include "wire/ikev2_pl.h"

struct name {
	unsigned value;
	const char *text;
};

#define N(v, t) { v, t }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct name exchange_names[] = {
	N(IKEV2_IKE_SA_INIT, "IKE_SA_INIT"),
	N(IKEV2_IKE_AUTH, "IKE_AUTH"),
	N(IKEV2_CREATE_CHILD_SA, "CREATE_CHILD_SA"),
	N(IKEV2_INFORMATIONAL, "INFORMATIONAL"),
};

static const struct name notify_names[] = {
	N(IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD"),
	N(IKEV2_N_INVALID_IKE_SPI, "INVALID_IKE_SPI"),
	N(IKEV2_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"),
	N(IKEV2_N_INVALID_SYNTAX, "INVALID_SYNTAX"),
	N(IKEV2_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"),
	N(IKEV2_N_INVALID_SPI, "INVALID_SPI"),
	N(IKEV2_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"),
	N(IKEV2_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"),
	N(IKEV2_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"),
	N(IKEV2_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED"),
	N(IKEV2_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS"),
	N(IKEV2_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE"),
	N(IKEV2_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED"),
	N(IKEV2_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE"),
	N(IKEV2_N_INVALID_SELECTORS, "INVALID_SELECTORS"),
	N(IKEV2_N_UNACCEPTABLE_ADDRESSES, "UNACCEPTABLE_ADDRESSES"),
	N(IKEV2_N_UNEXPECTED_NAT_DETECTED, "UNEXPECTED_NAT_DETECTED"),
	N(IKEV2_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE"),
	N(IKEV2_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND"),
	N(IKEV2_N_INITIAL_CONTACT, "INITIAL_CONTACT"),
	N(IKEV2_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE"),
	N(IKEV2_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE"),
	N(IKEV2_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED"),
	N(IKEV2_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP"),
	N(IKEV2_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP"),
	N(IKEV2_N_COOKIE, "COOKIE"),
	N(IKEV2_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE"),
	N(IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED"),
	N(IKEV2_N_REKEY_SA, "REKEY_SA"),
	N(IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED"),
	N(IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO"),
	N(IKEV2_N_MOBIKE_SUPPORTED, "MOBIKE_SUPPORTED"),
	N(IKEV2_N_ADDITIONAL_IP4_ADDRESS, "ADDITIONAL_IP4_ADDRESS"),
	N(IKEV2_N_ADDITIONAL_IP6_ADDRESS, "ADDITIONAL_IP6_ADDRESS"),
	N(IKEV2_N_NO_ADDITIONAL_ADDRESSES, "NO_ADDITIONAL_ADDRESSES"),
	N(IKEV2_N_UPDATE_SA_ADDRESSES, "UPDATE_SA_ADDRESSES"),
	N(IKEV2_N_COOKIE2, "COOKIE2"),
	N(IKEV2_N_NO_NATS_ALLOWED, "NO_NATS_ALLOWED"),
	N(IKEV2_N_AUTH_LIFETIME, "AUTH_LIFETIME"),
	N(IKEV2_N_MULTIPLE_AUTH_SUPPORTED, "MULTIPLE_AUTH_SUPPORTED"),
	N(IKEV2_N_ANOTHER_AUTH_FOLLOWS, "ANOTHER_AUTH_FOLLOWS"),
	N(IKEV2_N_REDIRECT_SUPPORTED, "REDIRECT_SUPPORTED"),
	N(IKEV2_N_REDIRECT, "REDIRECT"),
	N(IKEV2_N_REDIRECTED_FROM, "REDIRECTED_FROM"),
	N(IKEV2_N_EAP_ONLY_AUTHENTICATION, "EAP_ONLY_AUTHENTICATION"),
	N(IKEV2_N_CHILDLESS_IKEV2_SUPPORTED, "CHILDLESS_IKEV2_SUPPORTED"),
	N(IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED"),
	N(IKEV2_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS"),
};

static const struct name transform_type_names[] = {
	N(IKEV2_TRANS_ENCR, "ENCR"),
	N(IKEV2_TRANS_PRF, "PRF"),
	N(IKEV2_TRANS_INTEG, "INTEG"),
	N(IKEV2_TRANS_DH, "DH"),
	N(IKEV2_TRANS_ESN, "ESN"),
};

/* Transform ids, RFC 7296 §3.3.2 and the IANA registry. */
static const struct name encr_names[] = {
	N(2, "DES"),
	N(3, "3DES"),
	N(11, "NULL"),
	N(12, "AES-CBC"),
	N(13, "AES-CTR"),
	N(14, "AES-CCM-8"),
	N(15, "AES-CCM-12"),
	N(16, "AES-CCM-16"),
	N(18, "AES-GCM-8"),
	N(19, "AES-GCM-12"),
	N(20, "AES-GCM"),
	N(21, "NULL-AES-GMAC"),
	N(28, "CHACHA20-POLY1305"),
};

static const struct name prf_names[] = {
	N(1, "MD5"),
	N(2, "SHA1"),
	N(4, "AES-XCBC"),
	N(5, "SHA256"),
	N(6, "SHA384"),
	N(7, "SHA512"),
	N(8, "AES-CMAC"),
};

static const struct name integ_names[] = {
	N(0, "NONE"),
	N(1, "MD596"),
	N(2, "SHA96"),
	N(5, "AES-XCBC-96"),
	N(8, "AES-CMAC-96"),
	N(9, "AES-GMAC-128"),
	N(10, "AES-GMAC-192"),
	N(11, "AES-GMAC-256"),
	N(12, "SHA256"),
	N(13, "SHA384"),
	N(14, "SHA512"),
};

static const struct name dh_names[] = {
	N(0, "NONE"),
	N(1, "DH_GROUP_768_MODP/Group 1"),
	N(2, "DH_GROUP_1024_MODP/Group 2"),
	N(5, "DH_GROUP_1536_MODP/Group 5"),
	N(14, "DH_GROUP_2048_MODP/Group 14"),
	N(15, "DH_GROUP_3072_MODP/Group 15"),
	N(16, "DH_GROUP_4096_MODP/Group 16"),
	N(17, "DH_GROUP_6144_MODP/Group 17"),
	N(18, "DH_GROUP_8192_MODP/Group 18"),
	N(19, "DH_GROUP_256_ECP/Group 19"),
	N(20, "DH_GROUP_384_ECP/Group 20"),
	N(21, "DH_GROUP_521_ECP/Group 21"),
	N(24, "DH_GROUP_2048_256_MODP/Group 24"),
	N(31, "DH_GROUP_CURVE25519/Group 31"),
};

static const struct name esn_names[] = {
	N(0, "No ESN"),
	N(1, "ESN"),
};

static const struct name id_names[] = {
	N(IKEV2_ID_IPV4_ADDR, "IPv4 address"),
	N(IKEV2_ID_FQDN, "FQDN"),
	N(IKEV2_ID_RFC822_ADDR, "RFC822 address"),
	N(IKEV2_ID_IPV6_ADDR, "IPv6 address"),
	N(IKEV2_ID_DER_ASN1_DN, "DER ASN1 DN"),
	N(IKEV2_ID_DER_ASN1_GN, "DER ASN1 GN"),
	N(IKEV2_ID_KEY_ID, "KEY ID"),
	N(IKEV2_ID_CISCO_GROUP, "Group"),
};

static const struct name auth_names[] = {
	N(IKEV2_AUTH_RSA, "RSA"),
	N(IKEV2_AUTH_PSK, "PSK"),
	N(IKEV2_AUTH_DSS, "DSS"),
	N(IKEV2_AUTH_ECDSA_256, "ECDSA-256"),
	N(IKEV2_AUTH_ECDSA_384, "ECDSA-384"),
	N(IKEV2_AUTH_ECDSA_521, "ECDSA-521"),
	N(IKEV2_AUTH_NULL, "NULL"),
	N(IKEV2_AUTH_DIGITAL_SIGNATURE, "Digital Signature"),
};

static const struct name protocol_names[] = {
	N(IKEV2_PROTO_IKE, "IKE"),
	N(IKEV2_PROTO_AH, "AH"),
	N(IKEV2_PROTO_ESP, "ESP"),
};

static const struct name cfg_type_names[] = {
	N(IKEV2_CFG_REQUEST, "CFG_REQUEST"),
	N(IKEV2_CFG_REPLY, "CFG_REPLY"),
	N(IKEV2_CFG_SET, "CFG_SET"),
	N(IKEV2_CFG_ACK, "CFG_ACK"),
};

static const struct name cfg_attr_names[] = {
	N(IKEV2_CA_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS"),
	N(IKEV2_CA_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK"),
	N(IKEV2_CA_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS"),
	N(IKEV2_CA_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS"),
	N(IKEV2_CA_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP"),
	N(IKEV2_CA_APPLICATION_VERSION, "APPLICATION_VERSION"),
	N(IKEV2_CA_INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS"),
	N(IKEV2_CA_INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS"),
	N(12, "INTERNAL_IP6_DHCP"),
	N(IKEV2_CA_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET"),
	N(IKEV2_CA_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES"),
	N(IKEV2_CA_INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET"),
	N(24, "TIMEOUT_PERIOD_FOR_DPD"),
	N(IKEV2_CA_INTERNAL_DNS_DOMAIN, "INTERNAL_DNS_DOMAIN"),
};

static const struct name ts_names[] = {
	N(IKEV2_TS_IPV4_ADDR_RANGE, "TS_IPV4_ADDR_RANGE"),
	N(IKEV2_TS_IPV6_ADDR_RANGE, "TS_IPV6_ADDR_RANGE"),
};

static const struct name cert_names[] = {
	N(1, "PKCS #7 wrapped X.509 certificate"),
	N(2, "PGP Certificate"),
	N(3, "DNS Signed Key"),
	N(IKEV2_CERT_X509_SIG, "X.509 Certificate - Signature"),
	N(6, "Kerberos Token"),
	N(7, "Certificate Revocation List (CRL)"),
	N(8, "Authority Revocation List (ARL)"),
	N(9, "SPKI Certificate"),
	N(10, "X.509 Certificate - Attribute"),
	N(12, "Hash and URL of X.509 certificate"),
	N(13, "Hash and URL of X.509 bundle"),
};

struct name_table {
	const struct name *names;
	size_t n;
};

#define T(a) { a, COUNT(a) }
static const struct name_table tables[IKEV2_NAMES_KIND_MAX] = {
	[IKEV2_NAMES_EXCHANGE] = T(exchange_names),
	[IKEV2_NAMES_NOTIFY] = T(notify_names),
	[IKEV2_NAMES_TRANSFORM_TYPE] = T(transform_type_names),
	[IKEV2_NAMES_ENCR] = T(encr_names),
	[IKEV2_NAMES_PRF] = T(prf_names),
	[IKEV2_NAMES_INTEG] = T(integ_names),
	[IKEV2_NAMES_DH] = T(dh_names),
	[IKEV2_NAMES_ESN] = T(esn_names),
	[IKEV2_NAMES_ID] = T(id_names),
	[IKEV2_NAMES_AUTH] = T(auth_names),
	[IKEV2_NAMES_PROTOCOL] = T(protocol_names),
	[IKEV2_NAMES_CFG_TYPE] = T(cfg_type_names),
	[IKEV2_NAMES_CFG_ATTR] = T(cfg_attr_names),
	[IKEV2_NAMES_TS] = T(ts_names),
	[IKEV2_NAMES_CERT] = T(cert_names),
};

const char *ikev2_name_find(enum ikev2_names_kind kind, unsigned value)
{
	if ((unsigned)kind >= IKEV2_NAMES_KIND_MAX)
		return NULL;
	const struct name_table *t = &tables[kind];
	for (size_t i = 0; i < t->n; i++)
		if (t->names[i].value == value)
			return t->names[i].text;
	return NULL;
}

static const char *or_unknown(const char *s)
{
	return s ? s : "UNKNOWN";
}

const char *ikev2_exchange_name(uint8_t x)
{
	return or_unknown(ikev2_name_find(IKEV2_NAMES_EXCHANGE, x));
}

const char *ikev2_payload_name(uint8_t t)
{
	if (t == IKEV2_PL_NONE)
		return "NONE";
	const struct ikev2_pl_desc *d = ikev2_pl_find(t);
	return d ? d->name : "UNKNOWN";
}

const char *ikev2_notify_name(uint16_t t)
{
	return ikev2_name_find(IKEV2_NAMES_NOTIFY, t);
}

const char *ikev2_transform_type_name(uint8_t t)
{
	return or_unknown(ikev2_name_find(IKEV2_NAMES_TRANSFORM_TYPE, t));
}

enum ikev2_names_kind ikev2_transform_names_kind(uint8_t type)
{
	switch (type) {
	case IKEV2_TRANS_ENCR: return IKEV2_NAMES_ENCR;
	case IKEV2_TRANS_PRF: return IKEV2_NAMES_PRF;
	case IKEV2_TRANS_INTEG: return IKEV2_NAMES_INTEG;
	case IKEV2_TRANS_DH: return IKEV2_NAMES_DH;
	case IKEV2_TRANS_ESN: return IKEV2_NAMES_ESN;
	default: return IKEV2_NAMES_KIND_MAX;
	}
}

const char *ikev2_transform_name(uint8_t type, uint16_t id)
{
	return or_unknown(ikev2_name_find(ikev2_transform_names_kind(type), id));
}

const char *ikev2_id_type_name(uint8_t t)
{
	return or_unknown(ikev2_name_find(IKEV2_NAMES_ID, t));
}

const char *ikev2_auth_method_name(uint8_t m)
{
	return or_unknown(ikev2_name_find(IKEV2_NAMES_AUTH, m));
}
