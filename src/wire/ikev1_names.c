/* IKEv1 code point names (RFC 2407, 2408, 2409, 3706, 3947, the XAUTH and
 * Mode Config drafts, Cisco Unity; values in protocol.md §1).
 *
 * These are the names of the public ikev1_*_name() functions (logs, show
 * output).  The debug dump prints the PIX/IOS wording ("3DES-CBC", "SHA",
 * "extended auth pre-share") from its own tables in ikev1_dump.c. */
#include <stddef.h>

#include "wire/ikev1_pl.h"

struct name {
	unsigned value;
	const char *text;
};

#define N(v, t) { v, t }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find(const struct name *t, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].text;
	return NULL;
}

static const char *or_unknown(const char *s)
{
	return s ? s : "UNKNOWN";
}

#define LOOKUP(table, v) or_unknown(find(table, COUNT(table), v))

static const struct name exchange_names[] = {
	N(IKEV1_X_BASE, "Base"),
	N(IKEV1_X_MAIN, "Main Mode"),
	N(IKEV1_X_AUTH_ONLY, "Auth Only"),
	N(IKEV1_X_AGGRESSIVE, "Aggressive"),
	N(IKEV1_X_INFO, "Informational"),
	N(IKEV1_X_TRANSACTION, "Transaction"),
	N(IKEV1_X_QUICK, "Quick Mode"),
	N(IKEV1_X_NEW_GROUP, "New Group"),
};

/* The names the ASA prints in "IKE_DECODE RECEIVED Message ... with
 * payloads : HDR + SA (1) + VENDOR (13) + NONE (0)" (protocol.md §3.6). */
static const struct name payload_names[] = {
	N(IKEV1_PL_NONE, "NONE"),
	N(IKEV1_PL_SA, "SA"),
	N(IKEV1_PL_P, "PROPOSAL"),
	N(IKEV1_PL_T, "TRANSFORM"),
	N(IKEV1_PL_KE, "KE"),
	N(IKEV1_PL_ID, "ID"),
	N(IKEV1_PL_CERT, "CERT"),
	N(IKEV1_PL_CR, "CERT_REQ"),
	N(IKEV1_PL_HASH, "HASH"),
	N(IKEV1_PL_SIG, "SIG"),
	N(IKEV1_PL_NONCE, "NONCE"),
	N(IKEV1_PL_N, "NOTIFY"),
	N(IKEV1_PL_D, "DELETE"),
	N(IKEV1_PL_VID, "VENDOR"),
	N(IKEV1_PL_ATTR, "ATTR"),
	N(IKEV1_PL_NATD, "NAT-D"),
	N(IKEV1_PL_NATOA, "NAT-OA"),
	N(IKEV1_PL_NATD_DRAFT, "NAT-D"),
	N(IKEV1_PL_NATOA_DRAFT, "NAT-OA"),
	N(IKEV1_PL_FRAG, "FRAGMENT"),
};

/* RFC 2408 §3.14.1 spells them with hyphens. */
static const struct name notify_names[] = {
	N(IKEV1_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE"),
	N(IKEV1_N_DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED"),
	N(IKEV1_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED"),
	N(IKEV1_N_INVALID_COOKIE, "INVALID-COOKIE"),
	N(IKEV1_N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION"),
	N(6, "INVALID-MINOR-VERSION"),
	N(IKEV1_N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE"),
	N(IKEV1_N_INVALID_FLAGS, "INVALID-FLAGS"),
	N(IKEV1_N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID"),
	N(IKEV1_N_INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID"),
	N(IKEV1_N_INVALID_SPI, "INVALID-SPI"),
	N(IKEV1_N_INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID"),
	N(IKEV1_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED"),
	N(IKEV1_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN"),
	N(IKEV1_N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX"),
	N(IKEV1_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED"),
	N(IKEV1_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION"),
	N(IKEV1_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION"),
	N(19, "INVALID-CERT-ENCODING"),
	N(20, "INVALID-CERTIFICATE"),
	N(21, "CERT-TYPE-UNSUPPORTED"),
	N(22, "INVALID-CERT-AUTHORITY"),
	N(IKEV1_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION"),
	N(IKEV1_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED"),
	N(IKEV1_N_INVALID_SIGNATURE, "INVALID-SIGNATURE"),
	N(26, "ADDRESS-NOTIFICATION"),
	N(27, "NOTIFY-SA-LIFETIME"),
	N(28, "CERTIFICATE-UNAVAILABLE"),
	N(29, "UNSUPPORTED-EXCHANGE-TYPE"),
	N(30, "UNEQUAL-PAYLOAD-LENGTHS"),
	N(IKEV1_N_CONNECTED, "CONNECTED"),
	N(IKEV1_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME"),
	N(IKEV1_N_REPLAY_STATUS, "REPLAY-STATUS"),
	N(IKEV1_N_INITIAL_CONTACT, "INITIAL-CONTACT"),
	N(30000, "CISCO-HELLO"),
	N(30001, "CISCO-WWTEBR"),
	N(30002, "CISCO-SHUT-UP"),
	N(32768, "CISCO-KEEPALIVE-REQ"),
	N(32769, "CISCO-KEEPALIVE-ACK"),
	N(IKEV1_N_R_U_THERE, "R-U-THERE"),
	N(IKEV1_N_R_U_THERE_ACK, "R-U-THERE-ACK"),
	N(IKEV1_N_CISCO_LOAD_BALANCE, "CISCO-LOAD-BALANCE"),
	N(40503, "CISCO-PRESHARED-KEY-HASH"),
};

static const struct name encr_names[] = {
	N(IKEV1_ENCR_DES, "DES"),
	N(IKEV1_ENCR_3DES, "3DES"),
	N(IKEV1_ENCR_AES, "AES"),
};

static const struct name hash_names[] = {
	N(IKEV1_HASH_MD5, "MD5"),
	N(IKEV1_HASH_SHA1, "SHA1"),
	N(IKEV1_HASH_SHA256, "SHA2-256"),
	N(IKEV1_HASH_SHA384, "SHA2-384"),
	N(IKEV1_HASH_SHA512, "SHA2-512"),
};

static const struct name auth_names[] = {
	N(IKEV1_AUTH_PSK, "Preshared key"),
	N(IKEV1_AUTH_DSS, "DSS signatures"),
	N(IKEV1_AUTH_RSA_SIG, "RSA signatures"),
	N(4, "RSA encryption"),
	N(5, "RSA revised encryption"),
	N(IKEV1_AUTH_HYBRID_INIT_RSA, "HybridInitRSA"),
	N(64222, "HybridRespRSA"),
	N(64223, "HybridInitDSS"),
	N(64224, "HybridRespDSS"),
	N(IKEV1_AUTH_XAUTH_INIT_PSK, "XAUTHInitPreShared"),
	N(IKEV1_AUTH_XAUTH_RESP_PSK, "XAUTHRespPreShared"),
	N(65003, "XAUTHInitDSS"),
	N(65004, "XAUTHRespDSS"),
	N(IKEV1_AUTH_XAUTH_INIT_RSA, "XAUTHInitRSA"),
	N(65006, "XAUTHRespRSA"),
	N(65007, "XAUTHInitRSAEncryption"),
	N(65008, "XAUTHRespRSAEncryption"),
	N(65009, "XAUTHInitRSARevisedEncryption"),
	N(65010, "XAUTHRespRSARevisedEncryption"),
};

static const struct name esp_names[] = {
	N(IKEV1_ESP_DES, "ESP_DES"),
	N(IKEV1_ESP_3DES, "ESP_3DES"),
	N(IKEV1_ESP_NULL, "ESP_NULL"),
	N(IKEV1_ESP_AES, "ESP_AES"),
};

static const struct name esp_auth_names[] = {
	N(IKEV1_AUTH_HMAC_MD5, "MD5"),
	N(IKEV1_AUTH_HMAC_SHA1, "SHA"),
	N(IKEV1_AUTH_HMAC_SHA256, "SHA256"),
	N(IKEV1_AUTH_HMAC_SHA384, "SHA384"),
	N(IKEV1_AUTH_HMAC_SHA512, "SHA512"),
};

static const struct name encap_names[] = {
	N(IKEV1_ENCAP_TUNNEL, "Tunnel"),
	N(IKEV1_ENCAP_TRANSPORT, "Transport"),
	N(IKEV1_ENCAP_UDP_TUNNEL, "UDP-Encapsulated-Tunnel"),
	N(IKEV1_ENCAP_UDP_TRANSPORT, "UDP-Encapsulated-Transport"),
	N(IKEV1_ENCAP_UDP_TUNNEL_DRAFT, "UDP-Encapsulated-Tunnel (draft)"),
	N(IKEV1_ENCAP_UDP_TRANSPORT_DRAFT, "UDP-Encapsulated-Transport (draft)"),
};

static const struct name id_names[] = {
	N(IKEV1_ID_IPV4_ADDR, "ID_IPV4_ADDR"),
	N(IKEV1_ID_FQDN, "ID_FQDN"),
	N(IKEV1_ID_USER_FQDN, "ID_USER_FQDN"),
	N(IKEV1_ID_IPV4_ADDR_SUBNET, "ID_IPV4_ADDR_SUBNET"),
	N(IKEV1_ID_IPV6_ADDR, "ID_IPV6_ADDR"),
	N(IKEV1_ID_IPV6_ADDR_SUBNET, "ID_IPV6_ADDR_SUBNET"),
	N(IKEV1_ID_IPV4_ADDR_RANGE, "ID_IPV4_ADDR_RANGE"),
	N(IKEV1_ID_IPV6_ADDR_RANGE, "ID_IPV6_ADDR_RANGE"),
	N(IKEV1_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"),
	N(IKEV1_ID_DER_ASN1_GN, "ID_DER_ASN1_GN"),
	N(IKEV1_ID_KEY_ID, "ID_KEY_ID"),
};

static const struct name cfg_attr_names[] = {
	N(IKEV1_CA_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS"),
	N(IKEV1_CA_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK"),
	N(IKEV1_CA_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS"),
	N(IKEV1_CA_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS"),
	N(IKEV1_CA_INTERNAL_ADDRESS_EXPIRY, "INTERNAL_ADDRESS_EXPIRY"),
	N(IKEV1_CA_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP"),
	N(IKEV1_CA_APPLICATION_VERSION, "APPLICATION_VERSION"),
	N(8, "INTERNAL_IP6_ADDRESS"),
	N(9, "INTERNAL_IP6_NETMASK"),
	N(10, "INTERNAL_IP6_DNS"),
	N(11, "INTERNAL_IP6_NBNS"),
	N(12, "INTERNAL_IP6_DHCP"),
	N(IKEV1_CA_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET"),
	N(IKEV1_CA_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES"),
	N(15, "INTERNAL_IP6_SUBNET"),
	N(IKEV1_CA_XAUTH_TYPE, "XAUTH_TYPE"),
	N(IKEV1_CA_XAUTH_USER_NAME, "XAUTH_USER_NAME"),
	N(IKEV1_CA_XAUTH_USER_PASSWORD, "XAUTH_USER_PASSWORD"),
	N(IKEV1_CA_XAUTH_PASSCODE, "XAUTH_PASSCODE"),
	N(IKEV1_CA_XAUTH_MESSAGE, "XAUTH_MESSAGE"),
	N(IKEV1_CA_XAUTH_CHALLENGE, "XAUTH_CHALLENGE"),
	N(IKEV1_CA_XAUTH_DOMAIN, "XAUTH_DOMAIN"),
	N(IKEV1_CA_XAUTH_STATUS, "XAUTH_STATUS"),
	N(IKEV1_CA_XAUTH_NEXT_PIN, "XAUTH_NEXT_PIN"),
	N(IKEV1_CA_XAUTH_ANSWER, "XAUTH_ANSWER"),
	N(IKEV1_CA_UNITY_BANNER, "UNITY_BANNER"),
	N(IKEV1_CA_UNITY_SAVE_PASSWD, "UNITY_SAVE_PASSWD"),
	N(IKEV1_CA_UNITY_DEF_DOMAIN, "UNITY_DEF_DOMAIN"),
	N(IKEV1_CA_UNITY_SPLITDNS_NAME, "UNITY_SPLITDNS_NAME"),
	N(IKEV1_CA_UNITY_SPLIT_INCLUDE, "UNITY_SPLIT_INCLUDE"),
	N(IKEV1_CA_UNITY_NATT_PORT, "UNITY_NATT_PORT"),
	N(IKEV1_CA_UNITY_LOCAL_LAN, "UNITY_LOCAL_LAN"),
	N(IKEV1_CA_UNITY_PFS, "UNITY_PFS"),
	N(IKEV1_CA_UNITY_FW_TYPE, "UNITY_FW_TYPE"),
	N(IKEV1_CA_UNITY_BACKUP_SERVERS, "UNITY_BACKUP_SERVERS"),
	N(IKEV1_CA_UNITY_DDNS_HOSTNAME, "UNITY_DDNS_HOSTNAME"),
};

const char *ikev1_exchange_name(uint8_t x)
{
	return LOOKUP(exchange_names, x);
}

const char *ikev1_payload_name(uint8_t t)
{
	return LOOKUP(payload_names, t);
}

const char *ikev1_notify_name(uint16_t t)
{
	return find(notify_names, COUNT(notify_names), t);
}

const char *ikev1_encr_name(uint16_t v)
{
	return LOOKUP(encr_names, v);
}

const char *ikev1_hash_name(uint16_t v)
{
	return LOOKUP(hash_names, v);
}

const char *ikev1_auth_name(uint16_t v)
{
	return LOOKUP(auth_names, v);
}

const char *ikev1_esp_name(uint16_t v)
{
	return LOOKUP(esp_names, v);
}

const char *ikev1_esp_auth_name(uint16_t v)
{
	return LOOKUP(esp_auth_names, v);
}

const char *ikev1_encap_name(uint16_t v)
{
	return LOOKUP(encap_names, v);
}

const char *ikev1_id_type_name(uint8_t t)
{
	return LOOKUP(id_names, t);
}

const char *ikev1_cfg_attr_name(uint16_t t)
{
	return LOOKUP(cfg_attr_names, t);
}
