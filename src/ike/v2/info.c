/* INFORMATIONAL requests from the initiator (RFC 7296 §1.4, §1.4.1, §2.4).
 *
 *   HDR, SK {}                      -->  <-- HDR, SK {}        liveness
 *   HDR, SK {D(IKE)}                -->  <-- HDR, SK {}        IKE SA deleted
 *   HDR, SK {D(ESP, SPIs...)}       -->  <-- HDR, SK {D(ESP, our SPIs)}
 *   HDR, SK {N(...)}                -->  <-- HDR, SK {}        status notifies
 *
 * Deleting the IKE SA frees everything: its CHILD SAs leave the data plane
 * and the address lease goes back to the pool (113019 "User Requested").
 * A DELETE on an IKE SA replaced by a rekey just removes the old one. */
#include <string.h>

#include "ike/core/child.h"
#include "ike/v2/v2.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Delete the CHILD SAs named by the peer (their inbound SPIs = our
 * outbound ones); collect our inbound SPIs for the answer. */
static size_t delete_children(struct ike_sa *sa, const struct ikev2_delete *d, uint8_t *ours,
			      size_t max)
{
	size_t n = 0;
	for (uint16_t i = 0; i < d->n_spi && (size_t)(i + 1) * 4 <= d->spis.len; i++) {
		uint32_t spi = be32(d->spis.data + 4 * i);
		struct child_sa *k = ike_child_by_spi_out(sa, spi);
		if (!k) {
			v2_log(sa, 2, "DELETE for unknown CHILD SA 0x%08x: ignored", spi);
			continue;
		}
		v2_log(sa, 1, "peer deleted CHILD SA 0x%08x/0x%08x", k->spi_in, k->spi_out);
		if (n < max) {
			ours[4 * n] = (uint8_t)(k->spi_in >> 24);
			ours[4 * n + 1] = (uint8_t)(k->spi_in >> 16);
			ours[4 * n + 2] = (uint8_t)(k->spi_in >> 8);
			ours[4 * n + 3] = (uint8_t)k->spi_in;
			n++;
		}
		ike_child_unlink(sa, k);
		ike_child_free(k);
	}
	return n;
}

/* HDR, SK {[N,] [D,] [CP,] ...} -->
 *   <-- HDR, SK {[N,] [D,] [CP], ...}                       RFC 7296 §1.4 */
enum v2_verdict v2_info_request(struct v2_ctx *c)
{
	struct ike_sa *sa = c->sa;
	const struct ikev2_msg *in = c->in;
	uint8_t ours[4 * 64];
	size_t n_ours = 0;
	for (unsigned i = 0; i < in->n_delete; i++) {
		const struct ikev2_delete *d = &in->del[i];
		if (d->protocol == IKEV2_PROTO_IKE) {
			v2_log(sa, 1, "peer deleted the IKE SA");
			c->close_reason = sa->state == IKE_STATE_REKEYED ? NULL : "User Requested";
			return V2_REPLY_CLOSE;       /* empty reply, then everything goes */
		}
		if (d->protocol == IKEV2_PROTO_ESP && d->spi_size == 4)
			n_ours += delete_children(sa, d, ours + 4 * n_ours, 64 - n_ours);
	}
	if (n_ours)
		ikev2_w_delete(c->w, IKEV2_PROTO_ESP, 4, ours, (uint16_t)n_ours);
	bool error = false;
	for (unsigned i = 0; i < in->n_notify; i++) {
		const char *name = ikev2_notify_name(in->notify[i].type);
		v2_log(sa, 2, "INFORMATIONAL: N(%s%s%u)", name ? name : "", name ? " " : "",
		       in->notify[i].type);
		error |= in->notify[i].type < 16384;
	}
	/* An error notify before the SA is up ends the negotiation (strongSwan
	 * sends N(AUTHENTICATION_FAILED) this way when it rejects our EAP). */
	if (error && sa->state != IKE_STATE_ESTABLISHED && sa->state != IKE_STATE_REKEYED) {
		v2_log(sa, 1, "peer aborted the negotiation with an error notify");
		c->close_reason = "Peer aborted";
		return V2_REPLY_CLOSE;
	}
	if (!in->n_delete && !in->n_notify)
		v2_log(sa, 4, "liveness check from the peer answered");
	return V2_REPLY;
}
