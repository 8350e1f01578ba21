/* How the ASA spells negotiated algorithms in its show commands.  These
 * are CLI strings, so they live here in ctl/ (DESIGN.md: nothing below
 * ctl/ formats CLI output); the algorithms themselves and their keys are
 * the crypto registry's.  Lookups never return NULL: an unknown ID gets
 * "unknown" so a new algorithm can never crash a show. */
#ifndef RAVPN_CTL_NAMES_H
#define RAVPN_CTL_NAMES_H

#include <stdint.h>

#include "ike/core/sa.h"

struct ctl_encr_name {
	uint16_t id;             /* IKEv2/ESP ENCR transform ID */
	uint16_t bits;           /* key size; 0 = any */
	const char *ike;         /* show crypto ikev2 sa "Encr: AES-CBC" */
	const char *session;     /* show vpn-sessiondb "AES256" */
	const char *esp;         /* show crypto ipsec sa "esp-aes-256" */
	uint8_t iv_len;          /* explicit IV bytes ("IV size") */
	uint8_t pad_block;       /* ESP padding alignment */
	uint8_t icv_len;         /* AEAD tag, 0 otherwise */
};

struct ctl_integ_name {
	uint16_t id;             /* IKEv2/ESP INTEG transform ID; 0 = none (AEAD) */
	const char *ike;         /* "Hash: SHA96", "esp_hmac: SHA96" */
	const char *session;     /* "SHA1" */
	const char *esp;         /* "esp-sha-hmac" */
	uint8_t icv_len;
};

const struct ctl_encr_name *ctl_name_encr(uint16_t id, uint16_t bits);
const struct ctl_integ_name *ctl_name_integ(uint16_t id);
/* PRF as show vpn-sessiondb prints it: "SHA1", "SHA256"... */
const char *ctl_name_prf(uint16_t id);
/* show crypto ikev2 sa "Auth sign: RSA" */
const char *ctl_name_auth(enum ike_auth_kind k);
/* show vpn-sessiondb "Rem Auth Mode: userPassword" / "rsaCertificate" */
const char *ctl_name_auth_mode(enum ike_auth_kind k);

/* IKEv1: show crypto isakmp sa detail "Hash: SHA" (from the PRF ID the SA
 * keeps), "Auth: preshared" (Oakley method); show vpn-sessiondb "Auth Mode:
 * preSharedKeysXauth", "IKE Neg Mode: Aggressive" (2 Main, 4 Aggressive). */
const char *ctl_name_v1_hash(uint16_t prf_id);
const char *ctl_name_v1_auth(uint16_t method);
const char *ctl_name_v1_auth_mode(uint16_t method);
const char *ctl_name_v1_mode(uint8_t mode);

#endif
