/* IKEv2 message codec (RFC 7296 §3, RFC 7383 SKF).
 *
 * Parsing fills a struct ikev2_msg whose pointers borrow from the input
 * buffer (keep the buffer alive while the message is used).  Writing goes
 * through struct ikev2_wr, which chains "next payload" fields by offset into
 * a struct buf.  The SK payload is only laid out here; encryption and the
 * ICV are done by ike/core (wire/ knows nothing of SAs or keys).
 *
 * Internally each payload is described by a table entry (type, name,
 * minimum length, parse and emit functions, pretty-printer); the same table
 * drives the debug dump and the fuzz dictionary (STYLE.md rule 3). */
#ifndef RAVPN_WIRE_IKEV2_H
#define RAVPN_WIRE_IKEV2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define IKEV2_HDR_LEN 28
#define IKEV2_VERSION 0x20

enum ikev2_exchange {
	IKEV2_IKE_SA_INIT = 34,
	IKEV2_IKE_AUTH = 35,
	IKEV2_CREATE_CHILD_SA = 36,
	IKEV2_INFORMATIONAL = 37,
};

enum ikev2_flags {
	IKEV2_FLAG_INITIATOR = 0x08,
	IKEV2_FLAG_VERSION = 0x10,
	IKEV2_FLAG_RESPONSE = 0x20,
};

enum ikev2_payload_type {
	IKEV2_PL_NONE = 0,
	IKEV2_PL_SA = 33,
	IKEV2_PL_KE = 34,
	IKEV2_PL_IDI = 35,
	IKEV2_PL_IDR = 36,
	IKEV2_PL_CERT = 37,
	IKEV2_PL_CERTREQ = 38,
	IKEV2_PL_AUTH = 39,
	IKEV2_PL_NONCE = 40,
	IKEV2_PL_NOTIFY = 41,
	IKEV2_PL_DELETE = 42,
	IKEV2_PL_VENDOR = 43,
	IKEV2_PL_TSI = 44,
	IKEV2_PL_TSR = 45,
	IKEV2_PL_SK = 46,
	IKEV2_PL_CP = 47,
	IKEV2_PL_EAP = 48,
	IKEV2_PL_SKF = 53,
};

/* Bit for a payload type in ikev2_msg.present (types 33..53). */
#define IKEV2_BIT(t) (UINT32_C(1) << ((t) - 32))

enum ikev2_transform_type {
	IKEV2_TRANS_ENCR = 1,
	IKEV2_TRANS_PRF = 2,
	IKEV2_TRANS_INTEG = 3,
	IKEV2_TRANS_DH = 4,
	IKEV2_TRANS_ESN = 5,
};

enum ikev2_protocol { IKEV2_PROTO_IKE = 1, IKEV2_PROTO_AH = 2, IKEV2_PROTO_ESP = 3 };

enum ikev2_id_type {
	IKEV2_ID_IPV4_ADDR = 1,
	IKEV2_ID_FQDN = 2,
	IKEV2_ID_RFC822_ADDR = 3,
	IKEV2_ID_IPV6_ADDR = 5,
	IKEV2_ID_DER_ASN1_DN = 9,
	IKEV2_ID_DER_ASN1_GN = 10,
	IKEV2_ID_KEY_ID = 11,
	IKEV2_ID_CISCO_GROUP = 201,  /* AnyConnect "*$AnyConnectClient$*" (private use) */
};

enum ikev2_auth_method {
	IKEV2_AUTH_RSA = 1,
	IKEV2_AUTH_PSK = 2,
	IKEV2_AUTH_DSS = 3,
	IKEV2_AUTH_ECDSA_256 = 9,
	IKEV2_AUTH_ECDSA_384 = 10,
	IKEV2_AUTH_ECDSA_521 = 11,
	IKEV2_AUTH_NULL = 13,
	IKEV2_AUTH_DIGITAL_SIGNATURE = 14,
};

enum ikev2_cert_encoding { IKEV2_CERT_X509_SIG = 4 };

enum ikev2_notify_type {
	/* errors */
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKEV2_N_INVALID_IKE_SPI = 4,
	IKEV2_N_INVALID_MAJOR_VERSION = 5,
	IKEV2_N_INVALID_SYNTAX = 7,
	IKEV2_N_INVALID_MESSAGE_ID = 9,
	IKEV2_N_INVALID_SPI = 11,
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV2_N_INVALID_KE_PAYLOAD = 17,
	IKEV2_N_AUTHENTICATION_FAILED = 24,
	IKEV2_N_SINGLE_PAIR_REQUIRED = 34,
	IKEV2_N_NO_ADDITIONAL_SAS = 35,
	IKEV2_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKEV2_N_FAILED_CP_REQUIRED = 37,
	IKEV2_N_TS_UNACCEPTABLE = 38,
	IKEV2_N_INVALID_SELECTORS = 39,
	IKEV2_N_UNACCEPTABLE_ADDRESSES = 40,
	IKEV2_N_UNEXPECTED_NAT_DETECTED = 41,
	IKEV2_N_TEMPORARY_FAILURE = 43,
	IKEV2_N_CHILD_SA_NOT_FOUND = 44,
	/* status */
	IKEV2_N_INITIAL_CONTACT = 16384,
	IKEV2_N_SET_WINDOW_SIZE = 16385,
	IKEV2_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKEV2_N_IPCOMP_SUPPORTED = 16387,
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKEV2_N_COOKIE = 16390,
	IKEV2_N_USE_TRANSPORT_MODE = 16391,
	IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKEV2_N_REKEY_SA = 16393,
	IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKEV2_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKEV2_N_MOBIKE_SUPPORTED = 16396,
	IKEV2_N_ADDITIONAL_IP4_ADDRESS = 16397,
	IKEV2_N_ADDITIONAL_IP6_ADDRESS = 16398,
	IKEV2_N_NO_ADDITIONAL_ADDRESSES = 16399,
	IKEV2_N_UPDATE_SA_ADDRESSES = 16400,
	IKEV2_N_COOKIE2 = 16401,
	IKEV2_N_NO_NATS_ALLOWED = 16402,
	IKEV2_N_AUTH_LIFETIME = 16403,
	IKEV2_N_MULTIPLE_AUTH_SUPPORTED = 16404,
	IKEV2_N_ANOTHER_AUTH_FOLLOWS = 16405,
	IKEV2_N_REDIRECT_SUPPORTED = 16406,
	IKEV2_N_REDIRECT = 16407,
	IKEV2_N_REDIRECTED_FROM = 16408,
	IKEV2_N_EAP_ONLY_AUTHENTICATION = 16417,
	IKEV2_N_CHILDLESS_IKEV2_SUPPORTED = 16418,
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,
};

enum ikev2_cfg_type { IKEV2_CFG_REQUEST = 1, IKEV2_CFG_REPLY = 2, IKEV2_CFG_SET = 3, IKEV2_CFG_ACK = 4 };

enum ikev2_cfg_attr {
	IKEV2_CA_INTERNAL_IP4_ADDRESS = 1,
	IKEV2_CA_INTERNAL_IP4_NETMASK = 2,
	IKEV2_CA_INTERNAL_IP4_DNS = 3,
	IKEV2_CA_INTERNAL_IP4_NBNS = 4,
	IKEV2_CA_INTERNAL_IP4_DHCP = 6,
	IKEV2_CA_APPLICATION_VERSION = 7,
	IKEV2_CA_INTERNAL_IP6_ADDRESS = 8,
	IKEV2_CA_INTERNAL_IP6_DNS = 10,
	IKEV2_CA_INTERNAL_IP4_SUBNET = 13,
	IKEV2_CA_SUPPORTED_ATTRIBUTES = 14,
	IKEV2_CA_INTERNAL_IP6_SUBNET = 15,
	IKEV2_CA_INTERNAL_DNS_DOMAIN = 25,
};

enum ikev2_ts_type { IKEV2_TS_IPV4_ADDR_RANGE = 7, IKEV2_TS_IPV6_ADDR_RANGE = 8 };

/* ---- parsed forms ------------------------------------------------------ */
struct ikev2_hdr {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t version;           /* 0x20 */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;
};

#define IKEV2_MAX_TRANSFORMS 64
#define IKEV2_MAX_PROPOSALS 16
struct ikev2_transform {
	uint8_t type;
	uint16_t id;
	uint16_t key_bits;         /* Key Length attribute (14), 0 if absent */
	bool unknown_attr;         /* carried an attribute other than Key Length:
				    * RFC 7296 §3.3.6, the transform must not be chosen */
};
struct ikev2_proposal {
	uint8_t num;
	uint8_t protocol;          /* enum ikev2_protocol */
	uint8_t spi_size;          /* 0, 4 or 8 */
	uint8_t spi[8];
	uint8_t n_transforms;
	struct ikev2_transform t[IKEV2_MAX_TRANSFORMS];
};
struct ikev2_sa {
	uint8_t n;
	struct ikev2_proposal p[IKEV2_MAX_PROPOSALS];
};

struct ikev2_blob {
	const uint8_t *data;
	size_t len;
};

struct ikev2_ke {
	uint16_t group;
	struct ikev2_blob data;
};

struct ikev2_id {
	uint8_t type;
	struct ikev2_blob data;    /* identification data */
	struct ikev2_blob body;    /* ID type + 3 reserved + data: the AUTH input (RFC 7296 §2.15) */
};

struct ikev2_cert {
	uint8_t encoding;
	struct ikev2_blob data;
};

struct ikev2_auth {
	uint8_t method;
	struct ikev2_blob data;
};

struct ikev2_notify {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type;
	struct ikev2_blob spi;
	struct ikev2_blob data;
};

struct ikev2_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spi;
	struct ikev2_blob spis;    /* n_spi * spi_size bytes */
};

#define IKEV2_MAX_TS 16
struct ikev2_ts {
	uint8_t type;              /* enum ikev2_ts_type */
	uint8_t ip_proto;          /* 0 = any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];         /* 4 bytes used for IPv4 */
	uint8_t end[16];
};
struct ikev2_ts_list {
	uint8_t n;
	struct ikev2_ts ts[IKEV2_MAX_TS];
};

#define IKEV2_MAX_CP_ATTRS 48
struct ikev2_cp_attr {
	uint16_t type;             /* without the reserved bit */
	struct ikev2_blob value;   /* borrowed when parsed; set by caller when writing */
};
struct ikev2_cp {
	uint8_t type;              /* enum ikev2_cfg_type */
	uint8_t n;
	struct ikev2_cp_attr a[IKEV2_MAX_CP_ATTRS];
};

/* SK payload as received: the AAD is the message from its first byte to
 * the end of the SK generic header (RFC 5282 §5.1); for non-AEAD the ICV
 * covers the message from its first byte to the end of `ct`. */
struct ikev2_sk {
	uint8_t inner_first;       /* SK "next payload": the first inner payload */
	size_t hdr_off;            /* offset of the SK generic header in the message */
	struct ikev2_blob body;    /* IV || ciphertext || ICV */
};

struct ikev2_skf {
	uint8_t inner_first;       /* meaningful in fragment 1 only */
	uint16_t frag_num;         /* from 1 */
	uint16_t total;
	size_t hdr_off;            /* offset of the SKF generic header */
	struct ikev2_blob body;    /* IV || ciphertext || ICV */
};

#define IKEV2_MAX_NOTIFY 32
#define IKEV2_MAX_VENDOR 16
#define IKEV2_MAX_CERT 8
#define IKEV2_MAX_DELETE 8
#define IKEV2_MAX_PAYLOADS 64

/* One parsed payload chain (the outer message, or the decrypted SK). */
struct ikev2_msg {
	struct ikev2_hdr hdr;
	uint32_t present;          /* IKEV2_BIT() of every payload type seen */
	struct ikev2_sa sa;
	struct ikev2_ke ke;
	struct ikev2_id idi, idr;
	struct ikev2_auth auth;
	struct ikev2_blob nonce;
	struct ikev2_ts_list tsi, tsr;
	struct ikev2_cp cp;
	struct ikev2_blob eap;     /* the whole EAP packet */
	struct ikev2_sk sk;
	struct ikev2_skf skf;
	uint8_t n_notify, n_vendor, n_cert, n_certreq, n_delete;
	struct ikev2_notify notify[IKEV2_MAX_NOTIFY];
	struct ikev2_blob vendor[IKEV2_MAX_VENDOR];
	struct ikev2_cert cert[IKEV2_MAX_CERT];
	struct ikev2_cert certreq[IKEV2_MAX_CERT];   /* data = concatenated SHA-1 CA hashes */
	struct ikev2_delete del[IKEV2_MAX_DELETE];
	uint8_t order[IKEV2_MAX_PAYLOADS];  /* payload types in order of appearance
					     * (for the debug dump; unknown types too) */
	uint8_t n_order;
	uint16_t order_len[IKEV2_MAX_PAYLOADS];   /* payload length of each */
	uint8_t order_flags[IKEV2_MAX_PAYLOADS];  /* its critical/reserved byte */
};

/* Why a parse failed, so the caller can answer correctly. */
enum ikev2_parse_status {
	IKEV2_PARSE_OK = 0,
	IKEV2_PARSE_TRUNCATED,          /* lengths do not add up: INVALID_SYNTAX or drop */
	IKEV2_PARSE_BAD_VERSION,        /* major version != 2: INVALID_MAJOR_VERSION */
	IKEV2_PARSE_UNSUPPORTED_CRITICAL, /* unknown payload with critical bit */
	IKEV2_PARSE_DUPLICATE,          /* a single-instance payload repeated */
	IKEV2_PARSE_TOO_MANY,           /* more entries than we keep */
	IKEV2_PARSE_MALFORMED,          /* a payload's body is inconsistent */
};
struct ikev2_parse_err {
	enum ikev2_parse_status status;
	uint8_t payload;                /* type of the payload at fault */
	const char *why;                /* static text for the log line */
};

/* Parse the 28-byte header; does not look at payloads.  Fails with
 * TRUNCATED (fewer than 28 bytes, Length below 28) or BAD_VERSION (major
 * version not 2; h is still filled, for the INVALID_MAJOR_VERSION answer).
 * It does not compare Length with len: ikev2_parse_message() does, and
 * drops a datagram that disagrees with it (RFC 7296 §3.1). */
int ikev2_parse_header(const uint8_t *p, size_t len, struct ikev2_hdr *h,
		       struct ikev2_parse_err *err);
/* Parse a whole message (header + payload chain).  An SK/SKF payload ends
 * the chain (it must be last); its position is recorded in m->sk / m->skf.
 * m is cleared first.  Returns 0 or -1 with *err filled. */
int ikev2_parse_message(const uint8_t *p, size_t len, struct ikev2_msg *m,
			struct ikev2_parse_err *err);
/* Parse a decrypted inner chain starting with payload type `first` into m
 * (keeps m->hdr, resets the payload fields). */
int ikev2_parse_chain(uint8_t first, const uint8_t *p, size_t len, struct ikev2_msg *m,
		      struct ikev2_parse_err *err);

/* Find a notify by type; NULL if absent. */
const struct ikev2_notify *ikev2_msg_notify(const struct ikev2_msg *m, uint16_t type);

/* ---- writer ------------------------------------------------------------- */
struct ikev2_wr {
	struct buf *b;
	size_t start;              /* offset of the IKE header in b */
	size_t next_off;           /* offset of the "next payload" byte to patch */
};

void ikev2_w_begin(struct ikev2_wr *w, struct buf *b, const struct ikev2_hdr *h);
/* Patch the header length; returns false if the buffer ran out of memory. */
bool ikev2_w_finish(struct ikev2_wr *w);
/* A payload whose length does not fit its 16-bit field, or an SA/TS/CP with
 * more entries than its count field holds, also makes ikev2_w_finish()
 * return false (the buffer is marked failed, b->oom). */
/* Generic payload: returns the offset of its generic header; close with
 * ikev2_w_end() which patches the payload length. */
size_t ikev2_w_start(struct ikev2_wr *w, uint8_t type, bool critical);
void ikev2_w_end(struct ikev2_wr *w, size_t off);

void ikev2_w_sa(struct ikev2_wr *w, const struct ikev2_proposal *p, size_t n);
void ikev2_w_ke(struct ikev2_wr *w, uint16_t group, const uint8_t *data, size_t len);
void ikev2_w_nonce(struct ikev2_wr *w, const uint8_t *data, size_t len);
void ikev2_w_id(struct ikev2_wr *w, uint8_t payload /* IDI/IDR */, uint8_t id_type,
		const uint8_t *data, size_t len);
void ikev2_w_cert(struct ikev2_wr *w, uint8_t payload /* CERT/CERTREQ */, uint8_t encoding,
		  const uint8_t *data, size_t len);
void ikev2_w_auth(struct ikev2_wr *w, uint8_t method, const uint8_t *data, size_t len);
void ikev2_w_notify(struct ikev2_wr *w, uint8_t protocol, const uint8_t *spi, size_t spi_len,
		    uint16_t type, const uint8_t *data, size_t len);
void ikev2_w_delete(struct ikev2_wr *w, uint8_t protocol, uint8_t spi_size,
		    const uint8_t *spis, uint16_t n_spi);
void ikev2_w_vendor(struct ikev2_wr *w, const uint8_t *data, size_t len);
void ikev2_w_ts(struct ikev2_wr *w, uint8_t payload /* TSI/TSR */, const struct ikev2_ts_list *l);
void ikev2_w_cp(struct ikev2_wr *w, const struct ikev2_cp *cp);
void ikev2_w_eap(struct ikev2_wr *w, const uint8_t *data, size_t len);
/* SK: writes the SK generic header and reserves iv_len bytes of IV; the
 * inner payloads follow (their chain starts in the SK next-payload field).
 * ike/core pads, encrypts and appends the ICV, then patches the SK length
 * with ikev2_w_end(w, sk_off) and the header with ikev2_w_finish(). */
size_t ikev2_w_sk_begin(struct ikev2_wr *w, size_t iv_len);
/* SKF (RFC 7383 §2.5): writes the SKF generic header with next payload
 * `inner_first` (the first inner payload in fragment 1, 0 in the others),
 * Fragment Number and Total Fragments, and reserves iv_len bytes of IV.
 * The caller appends the encrypted fragment and ICV, then patches with
 * ikev2_w_end(w, off) and ikev2_w_finish().  Returns the SKF offset. */
size_t ikev2_w_skf_begin(struct ikev2_wr *w, uint8_t inner_first, uint16_t frag_num,
			 uint16_t total, size_t iv_len);
/* Re-emit every payload of a parsed chain in its order (unknown payloads,
 * which are not kept, are left out; SK/SKF are copied with their body).
 * Used by tests and the fuzzer to check parse/emit agree. */
void ikev2_w_chain(struct ikev2_wr *w, const struct ikev2_msg *m);

/* ---- names and debug ---------------------------------------------------- */
/* Name functions return "UNKNOWN" for a value without a name, except
 * ikev2_notify_name() which returns NULL. */
const char *ikev2_exchange_name(uint8_t x);
const char *ikev2_payload_name(uint8_t t);      /* "SA", "KE", "N", "SK" ... */
const char *ikev2_notify_name(uint16_t t);      /* "NAT_DETECTION_SOURCE_IP" or NULL */
const char *ikev2_transform_type_name(uint8_t t);
/* Cisco-style transform id name: "AES-CBC", "SHA96", "DH_GROUP_1024_MODP/Group 2" */
const char *ikev2_transform_name(uint8_t type, uint16_t id);
const char *ikev2_id_type_name(uint8_t t);
const char *ikev2_auth_method_name(uint8_t m);
/* Debug dump of a parsed chain, one line per call of `line` (ASA style:
 * "Next payload: SA, version: 2.0 Exchange type: IKE_SA_INIT, ..."),
 * proposals and transforms, notifies by name.  Never prints key material
 * beyond lengths (nonces and KE values are public but long: lengths only). */
void ikev2_msg_dump(const struct ikev2_msg *m, void (*line)(void *arg, const char *text), void *arg);
/* "SA KE N NOTIFY(NAT_DETECTION_SOURCE_IP) ..." summary into out. */
void ikev2_msg_summary(const struct ikev2_msg *m, char *out, size_t out_len);

#endif
