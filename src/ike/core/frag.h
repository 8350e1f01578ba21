/* IKEv2 message fragmentation (RFC 7383).
 *
 * Receiving: every SKF fragment is verified and decrypted on its own
 * (ike_sk_open) before it is kept here, so only authentic bytes use memory.
 * Reassembly is bounded per IKE SA: at most IKE_FRAG_MAX fragments and
 * IKE_FRAG_MAX_BYTES of plaintext, and IKE_FRAG_TIMEOUT_MS after the first
 * fragment.  Rules of §2.6.2: a fragment with a larger Total Fragments than
 * the set being collected restarts it; a smaller one is dropped;
 * duplicates are ignored; the Next Payload of fragment 1 names the first
 * inner payload.
 *
 * Sending: a message whose SK payload would make a datagram larger than
 * the chosen size is sent as SKF fragments instead, each one a complete
 * IKE message (same header and message ID) with its own IV and ICV. */
#ifndef RAVPN_IKE_CORE_FRAG_H
#define RAVPN_IKE_CORE_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "ike/core/sk.h"

#define IKE_FRAG_MAX 64
#define IKE_FRAG_MAX_BYTES 65536
#define IKE_FRAG_TIMEOUT_MS 10000
/* Datagram size we fragment for: IPv4 minimum-MTU-friendly 1280 bytes
 * (what strongSwan uses by default), including IP and UDP headers. */
#define IKE_FRAG_DATAGRAM 1280

struct ike_frag_rx {
	bool active;
	uint32_t msg_id;
	uint16_t total;
	uint16_t have;
	uint8_t first_inner;      /* Next Payload of fragment 1 */
	size_t bytes;
	uint64_t started_ms;
	uint8_t *part[IKE_FRAG_MAX + 1];   /* index = fragment number */
	size_t part_len[IKE_FRAG_MAX + 1];
};

enum ike_frag_result {
	IKE_FRAG_INCOMPLETE,      /* kept (or duplicate): wait for more */
	IKE_FRAG_COMPLETE,        /* *out holds the inner chain, *first its type */
	IKE_FRAG_DROP,            /* invalid for this set: dropped */
};

/* Add one decrypted fragment.  now_ms drives the timeout. */
enum ike_frag_result ike_frag_add(struct ike_frag_rx *r, uint32_t msg_id, uint16_t num,
				  uint16_t total, uint8_t next_payload, const uint8_t *plain,
				  size_t len, uint64_t now_ms, struct buf *out, uint8_t *first);
void ike_frag_rx_clear(struct ike_frag_rx *r);
bool ike_frag_rx_expired(const struct ike_frag_rx *r, uint64_t now_ms);

/* Split the inner chain `plain` (first payload type `first_inner`) into SKF
 * messages with header fields from hdr28 (the 28 bytes of the unfragmented
 * message's header; Next Payload and Length are rewritten), each at most
 * `datagram` bytes on the wire counting IPv4 + UDP headers and `marker`
 * extra bytes (4 for the non-ESP marker on port 4500).  Fills out[0..n-1]
 * (initialised buffers, caller frees); returns n, or -1. */
int ike_frag_build(struct ike_sk *s, const uint8_t hdr28[28], uint8_t first_inner,
		   const uint8_t *plain, size_t len, size_t datagram, size_t marker,
		   struct buf *out, size_t max_out);

#endif
