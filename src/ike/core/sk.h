/* The Encrypted payload (SK, RFC 7296 §3.14) and the Encrypted Fragment
 * payload (SKF, RFC 7383 §2.5): protect and unprotect.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        (SKF only) Fragment Number  |   Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Encrypted IKE Payloads                     ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * CBC + HMAC: the ICV covers the message from the IKE header to the end of
 * the Pad Length byte.  AEAD (RFC 5282 §5): the AAD is the message from the
 * IKE header to the end of the SK/SKF header (not the IV); the nonce is
 * salt (from the key) || IV; the ICV is the AEAD tag. */
#ifndef RAVPN_IKE_CORE_SK_H
#define RAVPN_IKE_CORE_SK_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "crypto/crypto.h"

#define IKE_SK_HDR 4     /* SK generic header */
#define IKE_SKF_HDR 8    /* SKF: generic header + fragment number + total */

/* One IKE SA's protection state: inbound keys (verify/decrypt what the peer
 * sends) and outbound keys (what we send).  The keys are kept; the crypto
 * contexts made from them (about 1 KiB each for AES-GCM in OpenSSL) live
 * only while the SA is busy: after ike_sk_idle() they are freed and made
 * again for each message, so an idle established SA holds none. */
struct ike_sk {
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;    /* NULL for AEAD */
	struct crypto_cipher *c_in, *c_out;
	struct crypto_mac *m_in, *m_out;
	bool idle;                           /* contexts are made per message */
	uint8_t ke_in[CRYPTO_MAX_KEY], ke_out[CRYPTO_MAX_KEY];
	uint8_t ka_in[CRYPTO_MAX_KEY], ka_out[CRYPTO_MAX_KEY];
};

int ike_sk_init(struct ike_sk *s, const struct crypto_encr *e, const struct crypto_integ *i,
		const uint8_t *ke_in, const uint8_t *ka_in,
		const uint8_t *ke_out, const uint8_t *ka_out) __attribute__((warn_unused_result));
void ike_sk_free(struct ike_sk *s);
/* From now on make the contexts for each message and free them after it
 * (established SAs: messages are rare, memory per SA is what counts). */
void ike_sk_idle(struct ike_sk *s);

/* Verify and decrypt the SK/SKF payload whose generic header starts at
 * msg[sp_off] (sp_hdr_len = IKE_SK_HDR or IKE_SKF_HDR) and runs to the end
 * of the message.  The inner payloads (padding removed) are appended to
 * out.  Returns 0, or -1 when the ICV does not verify or lengths are bad. */
int ike_sk_open(struct ike_sk *s, const uint8_t *msg, size_t msg_len, size_t sp_off,
		size_t sp_hdr_len, struct buf *out) __attribute__((warn_unused_result));

/* Protect in place.  b holds a message starting at msg_start whose last
 * payload is an SK/SKF payload at sp_off: its header (sp_hdr_len bytes),
 * iv_len reserved bytes, then the plaintext inner payloads up to b->len.
 * Pads, encrypts, appends the ICV, patches the payload length and the IKE
 * header length. */
int ike_sk_seal(struct ike_sk *s, struct buf *b, size_t msg_start, size_t sp_off,
		size_t sp_hdr_len) __attribute__((warn_unused_result));

/* Bytes an SK payload adds around n bytes of plaintext (header, IV,
 * padding, ICV). */
size_t ike_sk_overhead(const struct ike_sk *s, size_t sp_hdr_len, size_t n);

#endif
