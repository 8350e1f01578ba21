#include "ike/core/frag.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define IKE_HDR_LEN 28
#define PL_SKF 53

void ike_frag_rx_clear(struct ike_frag_rx *r)
{
	for (size_t i = 0; i <= IKE_FRAG_MAX; i++) {
		mem_free_secret(r->part[i], r->part_len[i]);
		r->part[i] = NULL;
		r->part_len[i] = 0;
	}
	r->active = false;
	r->have = r->total = 0;
	r->bytes = 0;
	r->first_inner = 0;
}

bool ike_frag_rx_expired(const struct ike_frag_rx *r, uint64_t now_ms)
{
	return r->active && now_ms - r->started_ms > IKE_FRAG_TIMEOUT_MS;
}

static void start(struct ike_frag_rx *r, uint32_t msg_id, uint16_t total, uint64_t now_ms)
{
	ike_frag_rx_clear(r);
	r->active = true;
	r->msg_id = msg_id;
	r->total = total;
	r->started_ms = now_ms;
}

enum ike_frag_result ike_frag_add(struct ike_frag_rx *r, uint32_t msg_id, uint16_t num,
				  uint16_t total, uint8_t next_payload, const uint8_t *plain,
				  size_t len, uint64_t now_ms, struct buf *out, uint8_t *first)
{
	if (num == 0 || total == 0 || num > total || total > IKE_FRAG_MAX)
		return IKE_FRAG_DROP;
	if (ike_frag_rx_expired(r, now_ms))
		ike_frag_rx_clear(r);
	if (!r->active || r->msg_id != msg_id || total > r->total)
		start(r, msg_id, total, now_ms);       /* §2.6.2: larger total restarts */
	else if (total < r->total)
		return IKE_FRAG_DROP;
	if (r->part[num])
		return IKE_FRAG_INCOMPLETE;            /* duplicate */
	if (len > IKE_FRAG_MAX_BYTES - r->bytes) {
		ike_frag_rx_clear(r);
		return IKE_FRAG_DROP;
	}
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return IKE_FRAG_DROP;
	memcpy(copy, plain, len);
	r->part[num] = copy;
	r->part_len[num] = len;
	r->bytes += len;
	r->have++;
	if (num == 1)
		r->first_inner = next_payload;
	if (r->have < r->total)
		return IKE_FRAG_INCOMPLETE;
	for (uint16_t i = 1; i <= r->total; i++)
		buf_put(out, r->part[i], r->part_len[i]);
	*first = r->first_inner;
	ike_frag_rx_clear(r);
	return out->oom ? IKE_FRAG_DROP : IKE_FRAG_COMPLETE;
}

int ike_frag_build(struct ike_sk *s, const uint8_t hdr28[28], uint8_t first_inner,
		   const uint8_t *plain, size_t len, size_t datagram, size_t marker,
		   struct buf *out, size_t max_out)
{
	const size_t ip_udp = 20 + 8;
	size_t fixed = ip_udp + marker + IKE_HDR_LEN + ike_sk_overhead(s, IKE_SKF_HDR, 0);
	size_t bl = s->encr->block_len ? s->encr->block_len : 1;
	if (datagram <= fixed + bl)
		return -1;
	/* Largest chunk whose padded ciphertext still fits: overhead grows by
	 * at most one block with padding, so subtract a block. */
	size_t chunk = datagram - fixed - bl;
	size_t n = (len + chunk - 1) / chunk;
	if (n == 0)
		n = 1;
	if (n > max_out || n > IKE_FRAG_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct buf *b = &out[i];
		size_t off = i * chunk;
		size_t this_len = len - off < chunk ? len - off : chunk;
		buf_reset(b);
		buf_put(b, hdr28, IKE_HDR_LEN);
		buf_patch_u8(b, 16, PL_SKF);
		buf_put_u8(b, i == 0 ? first_inner : 0);   /* §2.5: only fragment 1 */
		buf_put_u8(b, 0);
		buf_put_u16(b, 0);                          /* length: patched by seal */
		buf_put_u16(b, (uint16_t)(i + 1));
		buf_put_u16(b, (uint16_t)n);
		buf_skip(b, s->encr->iv_len);
		buf_put(b, plain + off, this_len);
		if (b->oom || ike_sk_seal(s, b, 0, IKE_HDR_LEN, IKE_SKF_HDR) < 0)
			return -1;
	}
	return (int)n;
}
