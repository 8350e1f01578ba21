/* Internals shared by the EAP server (eap_server.c) and its methods.
 *
 * eap_server.c owns the framing (RFC 3748 §4):
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Code      |  Identifier   |            Length             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |  Type-Data ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * the identifier, the Identity round, NAK and the final Success/Failure.
 * A method only sees the Type-Data of Responses of its own type and writes
 * its Requests between eap_req_begin() and eap_req_end(). */
#ifndef RAVPN_AUTH_EAP_INT_H
#define RAVPN_AUTH_EAP_INT_H

#include "auth/eap.h"
#include "base/rd.h"

#define EAP_MAX_METHODS 8
#define EAP_MAX_ROUNDS 16        /* Responses processed before giving up */
#define EAP_MAX_IGNORED 4        /* stale Responses tolerated */
#define EAP_IDENTITY_MAX 255
#define EAP_MSK_LEN 64

struct eap_method {
	enum eap_type type;
	const char *name;        /* "MD5", "GTC", "MSCHAPv2": log lines say EAP-<name> */
	/* Append the Type-Data of the method's first Request; 0 or -1. */
	int (*start)(struct eap_server *s, struct buf *out);
	/* Handle the Type-Data of a Response of this type. */
	enum eap_step (*process)(struct eap_server *s, struct rd *data, size_t eap_len,
				 struct buf *out);
};

extern const struct eap_method eap_method_md5;
extern const struct eap_method eap_method_gtc;
extern const struct eap_method eap_method_mschapv2;

enum eap_phase { EAP_PH_NEW, EAP_PH_IDENTITY, EAP_PH_METHOD, EAP_PH_DONE };

enum eap_ms_state { MS_CHALLENGE_SENT, MS_SUCCESS_SENT, MS_FAILURE_SENT };

struct eap_md5_state {
	uint8_t challenge[16];
};

struct eap_mschapv2_state {
	enum eap_ms_state state;
	uint8_t ms_id;
	uint8_t auth_challenge[16];
	uint8_t msk[EAP_MSK_LEN];        /* kept until the peer's Success-Response */
	enum aaa_result failed_with;     /* after a Failure-Request */
	char failed_why[160];
};

struct eap_server {
	enum eap_type methods[EAP_MAX_METHODS];
	size_t n_methods;
	unsigned tried;                  /* bit i: methods[i] was proposed */
	const struct eap_method *m;      /* the current method */
	bool nak_allowed;                /* until the peer answers the method itself */
	struct aaa_ctx aaa;
	char identity[EAP_IDENTITY_MAX + 1];
	bool identity_from_eap;          /* learnt in the Identity round */
	enum eap_phase phase;
	uint8_t id;                      /* identifier of the outstanding Request */
	struct buf last;                 /* the outstanding Request (resent on stale Responses) */
	unsigned rounds, ignored;
	bool success;
	enum aaa_result aaa_result;
	char reason[192];
	uint8_t msk[EAP_MSK_LEN];
	bool have_msk;
	union {
		struct eap_md5_state md5;
		struct eap_mschapv2_state ms;
	} u;
};

/* Start a Request of `type` with a fresh identifier. */
void eap_req_begin(struct eap_server *s, struct buf *out, enum eap_type type);
/* Patch its Length, keep a copy for resending; EAP_STEP_SEND (or FAILURE
 * when the buffer ran out of memory). */
enum eap_step eap_req_end(struct eap_server *s, struct buf *out);
/* End the conversation: EAP-Success / EAP-Failure into out.  fail() keeps
 * `r` and the formatted reason for eap_server_reason(); it logs a
 * rate-limited line (never a secret: callers pass no password). */
enum eap_step eap_succeed(struct eap_server *s, struct buf *out);
enum eap_step eap_fail(struct eap_server *s, struct buf *out, enum aaa_result r,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Debug line with the session context (debug crypto ikev2 protocol N). */
void eap_debug(const struct eap_server *s, unsigned level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The name the server calls itself in MD5/MSCHAPv2 challenges. */
const char *eap_server_name(const struct eap_server *s);
/* A peer-given name (identity, MSCHAPv2 Name): 1..255 bytes, no control
 * characters.  NULL when acceptable, else the reason. */
const char *eap_check_name(const uint8_t *p, size_t n);
/* Identity round (eap_identity.c). */
int eap_identity_start(struct eap_server *s, struct buf *out);
enum eap_step eap_identity_process(struct eap_server *s, struct rd *data, struct buf *out);
/* Propose methods[i] (eap_server.c): its first Request into out. */
enum eap_step eap_method_propose(struct eap_server *s, size_t i, struct buf *out);

#endif
