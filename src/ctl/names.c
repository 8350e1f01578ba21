#include "ctl/names.h"

#include <stddef.h>

/* IKEv2 ENCR IDs (RFC 7296 §3.3.2, RFC 4106): 2 DES, 3 3DES, 11 NULL,
 * 12 AES-CBC, 18/19/20 AES-GCM with an 8/12/16 byte ICV.  Sizes are the
 * RFC 4303 ESP wire sizes, used for "IV size" and "ipsec overhead". */
static const struct ctl_encr_name encr_names[] = {
	{ 2, 0, "DES", "DES", "esp-des", 8, 8, 0 },
	{ 3, 0, "3DES", "3DES", "esp-3des", 8, 8, 0 },
	{ 11, 0, "NULL", "none", "esp-null", 0, 4, 0 },
	{ 12, 128, "AES-CBC", "AES128", "esp-aes", 16, 16, 0 },
	{ 12, 192, "AES-CBC", "AES192", "esp-aes-192", 16, 16, 0 },
	{ 12, 256, "AES-CBC", "AES256", "esp-aes-256", 16, 16, 0 },
	{ 18, 128, "AES-GCM", "AES-GCM-128", "esp-aes-gcm", 8, 4, 8 },
	{ 18, 192, "AES-GCM", "AES-GCM-192", "esp-aes-gcm-192", 8, 4, 8 },
	{ 18, 256, "AES-GCM", "AES-GCM-256", "esp-aes-gcm-256", 8, 4, 8 },
	{ 19, 128, "AES-GCM", "AES-GCM-128", "esp-aes-gcm", 8, 4, 12 },
	{ 19, 192, "AES-GCM", "AES-GCM-192", "esp-aes-gcm-192", 8, 4, 12 },
	{ 19, 256, "AES-GCM", "AES-GCM-256", "esp-aes-gcm-256", 8, 4, 12 },
	{ 20, 128, "AES-GCM", "AES-GCM-128", "esp-aes-gcm", 8, 4, 16 },
	{ 20, 192, "AES-GCM", "AES-GCM-192", "esp-aes-gcm-192", 8, 4, 16 },
	{ 20, 256, "AES-GCM", "AES-GCM-256", "esp-aes-gcm-256", 8, 4, 16 },
};

static const struct ctl_encr_name encr_unknown = { 0, 0, "unknown", "unknown", "esp-unknown",
						   0, 4, 0 };

/* IKEv2 INTEG IDs: 1 HMAC-MD5-96, 2 HMAC-SHA1-96, 12/13/14 HMAC-SHA2. */
static const struct ctl_integ_name integ_names[] = {
	{ 0, "N/A", "none", "esp-null-hmac", 0 },
	{ 1, "MD596", "MD5", "esp-md5-hmac", 12 },
	{ 2, "SHA96", "SHA1", "esp-sha-hmac", 12 },
	{ 12, "SHA256", "SHA256", "esp-sha256-hmac", 16 },
	{ 13, "SHA384", "SHA384", "esp-sha384-hmac", 24 },
	{ 14, "SHA512", "SHA512", "esp-sha512-hmac", 32 },
};

static const struct ctl_integ_name integ_unknown = { 0, "unknown", "unknown", "esp-unknown", 0 };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct ctl_encr_name *ctl_name_encr(uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < COUNT(encr_names); i++) {
		const struct ctl_encr_name *e = &encr_names[i];
		if (e->id == id && (e->bits == 0 || e->bits == bits))
			return e;
	}
	return &encr_unknown;
}

const struct ctl_integ_name *ctl_name_integ(uint16_t id)
{
	for (size_t i = 0; i < COUNT(integ_names); i++)
		if (integ_names[i].id == id)
			return &integ_names[i];
	return &integ_unknown;
}

const char *ctl_name_prf(uint16_t id)
{
	switch (id) {
	case 1: return "MD5";
	case 2: return "SHA1";
	case 5: return "SHA256";
	case 6: return "SHA384";
	case 7: return "SHA512";
	default: return "unknown";
	}
}

const char *ctl_name_auth(enum ike_auth_kind k)
{
	switch (k) {
	case IKE_AUTHK_RSA: return "RSA";
	case IKE_AUTHK_PSK: return "PSK";
	case IKE_AUTHK_EAP: return "EAP";
	case IKE_AUTHK_ECDSA: return "ECDSA";
	case IKE_AUTHK_CERT: return "CERT";
	case IKE_AUTHK_NONE: break;
	}
	return "None";
}

const char *ctl_name_auth_mode(enum ike_auth_kind k)
{
	switch (k) {
	case IKE_AUTHK_RSA: return "rsaCertificate";
	case IKE_AUTHK_PSK: return "preSharedKeys";
	case IKE_AUTHK_EAP: return "userPassword";
	case IKE_AUTHK_ECDSA: return "ecdsaCertificate";
	case IKE_AUTHK_CERT: return "Certificate";
	case IKE_AUTHK_NONE: break;
	}
	return "none";
}

/* IKEv1 (show crypto isakmp sa detail "Hash"): the ASA prints the policy's
 * hash in capitals, "SHA" for SHA-1.  The SA keeps it as an IKEv2 PRF ID. */
const char *ctl_name_v1_hash(uint16_t prf_id)
{
	switch (prf_id) {
	case 1: return "MD5";
	case 2: return "SHA";
	case 5: return "SHA256";
	case 6: return "SHA384";
	case 7: return "SHA512";
	default: return "unknown";
	}
}

/* Oakley authentication method: 1 pre-shared key, 3 RSA signature, 65001
 * XAUTHInitPreShared, 65005 XAUTHInitRSA (draft-beaulieu-ike-xauth). */
const char *ctl_name_v1_auth(uint16_t method)
{
	switch (method) {
	case 1:
	case 65001: return "preshared";
	case 3:
	case 65005: return "rsa-sig";
	default: return "unknown";
	}
}

const char *ctl_name_v1_auth_mode(uint16_t method)
{
	switch (method) {
	case 1: return "preSharedKeys";
	case 65001: return "preSharedKeysXauth";
	case 3: return "rsaCertificate";
	case 65005: return "rsaCertificateXauth";
	default: return "unknown";
	}
}

const char *ctl_name_v1_mode(uint8_t mode)
{
	switch (mode) {
	case 2: return "Main";
	case 4: return "Aggressive";
	default: return "unknown";
	}
}
