/* EAP peer (the client side of RFC 3748) for the methods ravpn-connect runs
 * inside IKEv2 IKE_AUTH: Identity, Notification, Nak, MD5-Challenge
 * (RFC 3748 §5.4), GTC (§5.6) and MSCHAPv2 (draft-kamath-pppext-eap-
 * mschapv2, RFC 2759 computations from auth/mschapv2.c).
 *
 *   gateway                                   peer (here)
 *   Request/Identity               -->        Response/Identity "user"
 *   Request/<other method>         -->        Response/Nak <want>
 *   Request/MSCHAPv2 Challenge     -->        Response/MSCHAPv2 Response
 *   Request/MSCHAPv2 Success S=... -->        (authenticator checked) Response/Success
 *   Success                        -->        done: MSK available
 *
 * Pure state machine over byte buffers; input is untrusted, every length is
 * checked, nothing aborts.  The password is borrowed and never logged. */
#ifndef RAVPN_CLIENT_EAP_PEER_H
#define RAVPN_CLIENT_EAP_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/eap.h"
#include "base/buf.h"

enum eap_peer_step {
	EAP_PEER_SEND,       /* out holds a Response to send */
	EAP_PEER_SUCCESS,    /* EAP-Success received after a finished method */
	EAP_PEER_FAILURE,    /* EAP-Failure, a rejected authenticator, or a bad packet */
};

struct eap_peer {
	enum eap_type want;          /* EAP_TYPE_MSCHAPV2, _MD5 or _GTC */
	const char *user, *password; /* borrowed */
	bool method_done;            /* the method reached its end (MSCHAPv2 Success seen) */
	bool have_msk;
	uint8_t msk[64];
	uint8_t nt_hash[16], nt_resp[24], peer_ch[16], auth_ch[16];
	const char *why;             /* static text after EAP_PEER_FAILURE */
};

void eap_peer_init(struct eap_peer *p, enum eap_type want, const char *user, const char *password);
void eap_peer_wipe(struct eap_peer *p);
/* One EAP packet from the gateway; out is reset and receives the answer. */
enum eap_peer_step eap_peer_process(struct eap_peer *p, const uint8_t *in, size_t len,
				    struct buf *out);

#endif
