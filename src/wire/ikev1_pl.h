/* IKEv1 payload descriptors (internal to wire/).
 *
 * One entry per payload type: the chain walker (ikev1_parse.c), the
 * re-emitter (ikev1_write.c), the debug dump and summary (ikev1_dump.c) all
 * read the same table, defined with the RFC diagrams in ikev1_desc.c
 * (STYLE.md rule 3).  The SA payload (proposals, transforms, attributes)
 * has its own file, ikev1_sa.c. */
#ifndef RAVPN_WIRE_IKEV1_PL_H
#define RAVPN_WIRE_IKEV1_PL_H

#include "base/rd.h"
#include "wire/ikev1.h"

#define IKEV1_GENERIC_HDR_LEN 4
#define IKEV1_ATTR_TV_BIT 0x8000
#define IKEV1_ATTR_TYPE_MASK 0x7fff

/* Which array of struct ikev1_msg an instance goes to.  NAT-D 20 and 130
 * share natd[], NAT-OA 21 and 131 share natoa[]: the index of an instance
 * counts both types, so slots, not types, number the instances. */
enum ikev1_slot {
	IKEV1_SLOT_SA, IKEV1_SLOT_KE, IKEV1_SLOT_ID, IKEV1_SLOT_CERT, IKEV1_SLOT_CR,
	IKEV1_SLOT_HASH, IKEV1_SLOT_SIG, IKEV1_SLOT_NONCE, IKEV1_SLOT_N, IKEV1_SLOT_D,
	IKEV1_SLOT_VID, IKEV1_SLOT_ATTR, IKEV1_SLOT_NATD, IKEV1_SLOT_NATOA, IKEV1_SLOT_FRAG,
	IKEV1_SLOT_COUNT
};

/* A body parser reads the payload body (after the generic header) into m,
 * as the instance number `idx` of its slot; on error it fills err->status
 * and err->why and returns -1. */
typedef int (*ikev1_parse_fn)(struct rd *body, uint8_t type, unsigned idx, struct ikev1_msg *m,
			      struct ikev1_parse_err *err);
/* Re-emit instance idx of this slot held in m, as payload `type`. */
typedef void (*ikev1_emit_fn)(struct ikev1_wr *w, const struct ikev1_msg *m, uint8_t type,
			      unsigned idx);
struct ikev1_dump_out {
	void (*line)(void *arg, const char *text);
	void *arg;
};
/* Print the body of instance idx, one line per call of o->line. */
typedef void (*ikev1_dump_fn)(const struct ikev1_msg *m, unsigned idx,
			      const struct ikev1_dump_out *o);

struct ikev1_pl_desc {
	uint8_t type;
	const char *name;          /* short name for the summary: "SA", "N", "VID" ... */
	uint16_t min_len;          /* including the 4-byte generic header */
	enum ikev1_slot slot;
	uint8_t max;               /* instances kept in one chain (1 = single-instance) */
	ikev1_parse_fn parse;
	ikev1_emit_fn emit;
	ikev1_dump_fn dump;
};

/* NULL for a payload type this codec does not know. */
const struct ikev1_pl_desc *ikev1_pl_find(uint8_t type);
/* The whole table (tests, fuzz dictionary). */
const struct ikev1_pl_desc *ikev1_pl_table(size_t *n);

/* Body parsers (ikev1_parse.c; SA in ikev1_sa.c). */
#define IKEV1_PARSE_FN(x) int ikev1_parse_##x##_body(struct rd *r, uint8_t type, unsigned idx, \
						     struct ikev1_msg *m, struct ikev1_parse_err *err)
IKEV1_PARSE_FN(sa);
IKEV1_PARSE_FN(ke);
IKEV1_PARSE_FN(id);
IKEV1_PARSE_FN(cert);
IKEV1_PARSE_FN(cr);
IKEV1_PARSE_FN(hash);
IKEV1_PARSE_FN(sig);
IKEV1_PARSE_FN(nonce);
IKEV1_PARSE_FN(n);
IKEV1_PARSE_FN(d);
IKEV1_PARSE_FN(vid);
IKEV1_PARSE_FN(attr);
IKEV1_PARSE_FN(natd);
IKEV1_PARSE_FN(natoa);
IKEV1_PARSE_FN(frag);

/* Re-emitters (ikev1_write.c; SA in ikev1_sa.c). */
#define IKEV1_EMIT_FN(x) void ikev1_emit_##x(struct ikev1_wr *w, const struct ikev1_msg *m, \
					     uint8_t type, unsigned idx)
IKEV1_EMIT_FN(sa);
IKEV1_EMIT_FN(ke);
IKEV1_EMIT_FN(id);
IKEV1_EMIT_FN(cert);
IKEV1_EMIT_FN(cr);
IKEV1_EMIT_FN(hash);
IKEV1_EMIT_FN(sig);
IKEV1_EMIT_FN(nonce);
IKEV1_EMIT_FN(n);
IKEV1_EMIT_FN(d);
IKEV1_EMIT_FN(vid);
IKEV1_EMIT_FN(attr);
IKEV1_EMIT_FN(natd);
IKEV1_EMIT_FN(natoa);
IKEV1_EMIT_FN(frag);

/* Pretty-printers (ikev1_dump.c). */
#define IKEV1_DUMP_FN(x) void ikev1_dump_##x(const struct ikev1_msg *m, unsigned idx, \
					     const struct ikev1_dump_out *o)
IKEV1_DUMP_FN(sa);
IKEV1_DUMP_FN(ke);
IKEV1_DUMP_FN(id);
IKEV1_DUMP_FN(cert);
IKEV1_DUMP_FN(cr);
IKEV1_DUMP_FN(hash);
IKEV1_DUMP_FN(sig);
IKEV1_DUMP_FN(nonce);
IKEV1_DUMP_FN(n);
IKEV1_DUMP_FN(d);
IKEV1_DUMP_FN(vid);
IKEV1_DUMP_FN(attr);
IKEV1_DUMP_FN(natd);
IKEV1_DUMP_FN(natoa);
IKEV1_DUMP_FN(frag);

/* Shared by the parsers: fill err and return -1. */
static inline int ikev1_fail(struct ikev1_parse_err *err, enum ikev1_parse_status st,
			     const char *why)
{
	err->status = st;
	err->why = why;
	return -1;
}

/* The rest of a reader as a blob (empty blobs point at the end). */
static inline struct ikev1_blob ikev1_rd_rest(struct rd *r)
{
	struct ikev1_blob b = { .data = r->p, .len = r->left };
	rd_skip(r, r->left);
	return b;
}

#endif
