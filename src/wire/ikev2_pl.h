/* IKEv2 payload descriptors (internal to wire/).
 *
 * One entry per payload type: the chain walker (ikev2_parse.c), the
 * re-emitter (ikev2_write.c), the debug dump (ikev2_dump.c) and the fuzz
 * dictionary all read the same table, defined with the RFC diagrams in
 * ikev2_desc.c (STYLE.md rule 3). */
#ifndef RAVPN_WIRE_IKEV2_PL_H
#define RAVPN_WIRE_IKEV2_PL_H

#include "base/rd.h"
#include "wire/ikev2.h"

/* A body parser reads the payload body (after the 4-byte generic header)
 * into m; on error it fills err->status / err->why and returns -1. */
typedef int (*ikev2_parse_fn)(struct rd *body, struct ikev2_msg *m, struct ikev2_parse_err *err);
/* Re-emit the idx-th instance of this payload type held in m. */
typedef void (*ikev2_emit_fn)(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
/* Print the body of the idx-th instance, one line per call of out(). */
struct ikev2_dump_out {
	void (*line)(void *arg, const char *text);
	void *arg;
};
typedef void (*ikev2_dump_fn)(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);

struct ikev2_pl_desc {
	uint8_t type;
	const char *name;          /* Cisco debug name: "SA", "N", "NOTIFY", "VID" ... */
	uint16_t min_len;          /* including the 4-byte generic header */
	bool multi;                /* may appear more than once in one chain */
	uint8_t max;               /* multi: size of the array in ikev2_msg */
	ikev2_parse_fn parse;
	ikev2_emit_fn emit;
	ikev2_dump_fn dump;
};

/* NULL for a payload type this codec does not know. */
const struct ikev2_pl_desc *ikev2_pl_find(uint8_t type);
/* The whole table, for the fuzz dictionary and the tests. */
const struct ikev2_pl_desc *ikev2_pl_table(size_t *n);

/* Body parsers (ikev2_parse.c). */
int ikev2_parse_sa_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_ke_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_idi_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_idr_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_cert_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_certreq_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_auth_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_nonce_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_notify_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_delete_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_vendor_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_tsi_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_tsr_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_sk_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_cp_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_eap_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);
int ikev2_parse_skf_body(struct rd *r, struct ikev2_msg *m, struct ikev2_parse_err *err);

/* Re-emitters (ikev2_write.c). */
void ikev2_emit_sa(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_ke(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_idi(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_idr(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_cert(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_certreq(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_auth(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_nonce(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_notify(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_delete(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_vendor(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_tsi(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_tsr(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_sk(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_cp(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_eap(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);
void ikev2_emit_skf(struct ikev2_wr *w, const struct ikev2_msg *m, unsigned idx);

/* Pretty-printers (ikev2_dump.c). */
void ikev2_dump_sa(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_ke(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_idi(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_idr(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_cert(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_certreq(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_auth(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_nonce(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_notify(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_delete(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_vendor(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_tsi(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_tsr(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_sk(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_cp(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_eap(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);
void ikev2_dump_skf(const struct ikev2_msg *m, unsigned idx, const struct ikev2_dump_out *o);

/* Code point names (ikev2_names.c).  ikev2_name_find() returns NULL for a
 * value without a name; the public ikev2_*_name() functions fall back to
 * "UNKNOWN", the dump prints the number instead. */
enum ikev2_names_kind {
	IKEV2_NAMES_EXCHANGE,
	IKEV2_NAMES_NOTIFY,
	IKEV2_NAMES_TRANSFORM_TYPE,
	IKEV2_NAMES_ENCR,
	IKEV2_NAMES_PRF,
	IKEV2_NAMES_INTEG,
	IKEV2_NAMES_DH,
	IKEV2_NAMES_ESN,
	IKEV2_NAMES_ID,
	IKEV2_NAMES_AUTH,
	IKEV2_NAMES_PROTOCOL,
	IKEV2_NAMES_CFG_TYPE,
	IKEV2_NAMES_CFG_ATTR,
	IKEV2_NAMES_TS,
	IKEV2_NAMES_CERT,
	IKEV2_NAMES_KIND_MAX
};
const char *ikev2_name_find(enum ikev2_names_kind kind, unsigned value);
/* The id table of a transform type (IKEV2_NAMES_KIND_MAX if none). */
enum ikev2_names_kind ikev2_transform_names_kind(uint8_t type);

#endif
