/* EAP server (authenticator) side of the methods an IKEv2 responder runs
 * inside IKE_AUTH (RFC 3748): Identity, MD5-Challenge (RFC 3748 §5.4),
 * MSCHAPv2 (draft-kamath-pppext-eap-mschapv2, RFC 2759) with MSK per
 * RFC 3079, GTC (RFC 3748 §5.6).  EAP-AnyConnect (aggregate auth) later.
 *
 * The methods are pure state machines over byte buffers: the IKE layer
 * carries what they produce in EAP payloads.  Users are checked through
 * aaa/.  Passwords never reach a log line. */
#ifndef RAVPN_AUTH_EAP_H
#define RAVPN_AUTH_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aaa/aaa.h"
#include "base/buf.h"

enum eap_code { EAP_CODE_REQUEST = 1, EAP_CODE_RESPONSE = 2, EAP_CODE_SUCCESS = 3, EAP_CODE_FAILURE = 4 };

enum eap_type {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3,
	EAP_TYPE_MD5 = 4,
	EAP_TYPE_GTC = 6,
	EAP_TYPE_MSCHAPV2 = 26,
	EAP_TYPE_EXPANDED = 254,
};

enum eap_step {
	EAP_STEP_SEND,           /* `out` holds an EAP Request to send */
	EAP_STEP_SUCCESS,        /* `out` holds EAP-Success; the user is authenticated */
	EAP_STEP_FAILURE,        /* `out` holds EAP-Failure; see eap_server_reason() */
};

struct eap_server;

/* methods: acceptable EAP types in order of preference (first is proposed;
 * a NAK from the peer may pick another in the list).  If `identity` is
 * non-NULL the Identity round is skipped.
 * ravpn: *aaa is copied, but the configuration and strings it points to
 * must outlive the server.  Unsupported types in the list are skipped with
 * a log line; NULL when none is left (MD5, GTC and MSCHAPv2 are supported)
 * or `identity` is not a usable user name. */
struct eap_server *eap_server_new(const enum eap_type *methods, size_t n_methods,
				  const struct aaa_ctx *aaa, const char *identity);
void eap_server_free(struct eap_server *s);
/* First request (Identity, or the method's first request).  `out` is reset
 * and filled by every call below (the caller owns it: buf_init/buf_free). */
enum eap_step eap_server_start(struct eap_server *s, struct buf *out);
/* Process a peer's EAP Response; produce the next message.  Malformed or
 * unexpected input yields EAP_STEP_FAILURE with a reason, never a crash.
 * A Response whose identifier is not the outstanding Request's is stale or
 * duplicated: it is ignored (log line) and EAP_STEP_SEND returns that same
 * Request again, up to 4 times.  Once SUCCESS or FAILURE was returned, every
 * later call returns the same outcome and final message. */
enum eap_step eap_server_process(struct eap_server *s, const uint8_t *in, size_t len,
				 struct buf *out);
/* The user name the peer gave (Identity response or MSCHAPv2 Name); NULL
 * before it is known.  After EAP_STEP_SUCCESS it is the authenticated user:
 * use it, not IDi (the MSCHAPv2 Name replaces an identity given to
 * eap_server_new; after an Identity round the Name must equal it). */
const char *eap_server_identity(const struct eap_server *s);
enum eap_type eap_server_method(const struct eap_server *s);
/* MSK (RFC 3748 §7.10): 64 bytes for MSCHAPv2; returns 0 and *len, or -1 for
 * methods that derive none (MD5, GTC: the IKE AUTH then uses SK_pi/SK_pr).
 * Available only after EAP_STEP_SUCCESS; msk must hold 64 bytes, *len
 * (may be NULL) is set to 64.  Wiped by eap_server_free(). */
int eap_server_msk(const struct eap_server *s, uint8_t *msk, size_t *len);
/* Text for the log when the method failed ("" otherwise); it lives as long
 * as the server and never contains a password. */
const char *eap_server_reason(const struct eap_server *s);
/* The AAA result that failed the method (for counters/log). */
enum aaa_result eap_server_aaa_result(const struct eap_server *s);
const char *eap_type_name(uint8_t type);

/* MSCHAPv2 primitives (RFC 2759, RFC 3079), exported for the KAT tests and
 * for the client side. */
int mschapv2_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			    const char *user, uint8_t out[8]);
int mschapv2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
			 const char *user, const uint8_t nt_hash[16], uint8_t out[24]);
/* "S=<40 hex>" authenticator response, 42 chars + NUL. */
int mschapv2_authenticator_response(const uint8_t nt_hash[16], const uint8_t nt_response[24],
				    const uint8_t peer_challenge[16],
				    const uint8_t auth_challenge[16], const char *user,
				    char out[43]);
/* RFC 3079 §3.4 master key and §3.4 send/receive keys, and the EAP MSK
 * (RFC 3079 keys as used by EAP-MSCHAPv2: MSK = MasterReceiveKey ||
 * MasterSendKey || 32 zero bytes, from the authenticator's view). */
int mschapv2_master_key(const uint8_t nt_hash[16], const uint8_t nt_response[24], uint8_t out[16]);
int mschapv2_asymmetric_key(const uint8_t master_key[16], uint8_t out[16], size_t key_len,
			    bool is_send, bool is_server);
int mschapv2_msk(const uint8_t nt_hash[16], const uint8_t nt_response[24], uint8_t msk[64]);

#endif
