/* IKEv1 / ISAKMP message codec (RFC 2408 §3, RFC 2407 §4.5-4.6, RFC 3947,
 * draft-ietf-ipsec-isakmp-xauth/mode-cfg, Cisco fragmentation payload 132).
 *
 * Same shape as wire/ikev2.h: parsing fills a struct ikev1_msg whose
 * pointers borrow from the input; writing goes through struct ikev1_wr which
 * chains "next payload" fields by offset into a struct buf.  Encryption
 * (CBC over everything after the header) and the HASH payloads' values are
 * the IKE layer's business: wire/ only records where things are so that the
 * IKE layer can hash the right bytes:
 *   - sa.body     SA payload body without the generic header (SAi_b, the
 *                 HASH_I/HASH_R input)
 *   - id.body     ID payload body without the generic header (IDii_b/IDir_b)
 *   - after_hash  the bytes of every payload that follows the first HASH
 *                 payload, up to the end of the last payload (padding of an
 *                 encrypted message excluded): the HASH(1)/HASH(2) input
 *
 * Transforms are decoded by the protocol of their proposal: ISAKMP (1)
 * carries Oakley attributes (RFC 2409 App. A), ESP/AH carry IPsec DOI
 * attributes (RFC 2407 §4.5).  Life type/duration pairs may repeat (one for
 * seconds, one for kilobytes).  An attribute we do not know marks the
 * transform unknown_attr (it must not be chosen). */
#ifndef RAVPN_WIRE_IKEV1_H
#define RAVPN_WIRE_IKEV1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define IKEV1_HDR_LEN 28
#define IKEV1_VERSION 0x10

enum ikev1_exchange {
	IKEV1_X_BASE = 1,
	IKEV1_X_MAIN = 2,          /* identity protection */
	IKEV1_X_AUTH_ONLY = 3,
	IKEV1_X_AGGRESSIVE = 4,
	IKEV1_X_INFO = 5,
	IKEV1_X_TRANSACTION = 6,   /* Mode Config / XAUTH */
	IKEV1_X_QUICK = 32,
	IKEV1_X_NEW_GROUP = 33,
};

enum ikev1_flags { IKEV1_FLAG_ENC = 0x01, IKEV1_FLAG_COMMIT = 0x02, IKEV1_FLAG_AUTH_ONLY = 0x04 };

enum ikev1_payload_type {
	IKEV1_PL_NONE = 0,
	IKEV1_PL_SA = 1,
	IKEV1_PL_P = 2,
	IKEV1_PL_T = 3,
	IKEV1_PL_KE = 4,
	IKEV1_PL_ID = 5,
	IKEV1_PL_CERT = 6,
	IKEV1_PL_CR = 7,
	IKEV1_PL_HASH = 8,
	IKEV1_PL_SIG = 9,
	IKEV1_PL_NONCE = 10,
	IKEV1_PL_N = 11,
	IKEV1_PL_D = 12,
	IKEV1_PL_VID = 13,
	IKEV1_PL_ATTR = 14,
	IKEV1_PL_NATD = 20,        /* RFC 3947 */
	IKEV1_PL_NATOA = 21,
	IKEV1_PL_NATD_DRAFT = 130, /* draft-ietf-ipsec-nat-t-ike-00..03 */
	IKEV1_PL_NATOA_DRAFT = 131,
	IKEV1_PL_FRAG = 132,       /* Cisco/Microsoft IKE fragment */
};

enum ikev1_protocol { IKEV1_PROTO_ISAKMP = 1, IKEV1_PROTO_AH = 2, IKEV1_PROTO_ESP = 3,
		      IKEV1_PROTO_IPCOMP = 4 };
#define IKEV1_DOI_IPSEC 1
#define IKEV1_SIT_IDENTITY_ONLY 1
#define IKEV1_KEY_IKE 1            /* the phase-1 transform ID */

/* Oakley (phase 1) attribute classes. */
enum ikev1_p1_attr {
	IKEV1_A_ENCR = 1, IKEV1_A_HASH = 2, IKEV1_A_AUTH = 3, IKEV1_A_GROUP = 4,
	IKEV1_A_GROUP_TYPE = 5, IKEV1_A_LIFE_TYPE = 11, IKEV1_A_LIFE_DURATION = 12,
	IKEV1_A_PRF = 13, IKEV1_A_KEY_LENGTH = 14, IKEV1_A_FIELD_SIZE = 15,
};
enum ikev1_encr { IKEV1_ENCR_DES = 1, IKEV1_ENCR_3DES = 5, IKEV1_ENCR_AES = 7 };
enum ikev1_hash { IKEV1_HASH_MD5 = 1, IKEV1_HASH_SHA1 = 2, IKEV1_HASH_SHA256 = 4,
		  IKEV1_HASH_SHA384 = 5, IKEV1_HASH_SHA512 = 6 };
enum ikev1_auth {
	IKEV1_AUTH_PSK = 1, IKEV1_AUTH_DSS = 2, IKEV1_AUTH_RSA_SIG = 3,
	IKEV1_AUTH_HYBRID_INIT_RSA = 64221,
	IKEV1_AUTH_XAUTH_INIT_PSK = 65001, IKEV1_AUTH_XAUTH_RESP_PSK = 65002,
	IKEV1_AUTH_XAUTH_INIT_RSA = 65005,
};
enum ikev1_life_type { IKEV1_LIFE_SECONDS = 1, IKEV1_LIFE_KILOBYTES = 2 };

/* IPsec DOI (phase 2) attribute classes. */
enum ikev1_p2_attr {
	IKEV1_A2_LIFE_TYPE = 1, IKEV1_A2_LIFE_DURATION = 2, IKEV1_A2_GROUP = 3,
	IKEV1_A2_ENCAP = 4, IKEV1_A2_AUTH = 5, IKEV1_A2_KEY_LENGTH = 6,
	IKEV1_A2_KEY_ROUNDS = 7, IKEV1_A2_COMP_DICT = 8, IKEV1_A2_COMP_ALG = 9,
};
enum ikev1_encap {
	IKEV1_ENCAP_TUNNEL = 1, IKEV1_ENCAP_TRANSPORT = 2,
	IKEV1_ENCAP_UDP_TUNNEL = 3, IKEV1_ENCAP_UDP_TRANSPORT = 4,           /* RFC 3947 */
	IKEV1_ENCAP_UDP_TUNNEL_DRAFT = 61443, IKEV1_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};
enum ikev1_esp_id { IKEV1_ESP_DES = 2, IKEV1_ESP_3DES = 3, IKEV1_ESP_NULL = 11,
		    IKEV1_ESP_AES = 12 };
enum ikev1_esp_auth { IKEV1_AUTH_HMAC_MD5 = 1, IKEV1_AUTH_HMAC_SHA1 = 2,
		      IKEV1_AUTH_HMAC_SHA256 = 5, IKEV1_AUTH_HMAC_SHA384 = 6,
		      IKEV1_AUTH_HMAC_SHA512 = 7 };

enum ikev1_id_type {
	IKEV1_ID_IPV4_ADDR = 1, IKEV1_ID_FQDN = 2, IKEV1_ID_USER_FQDN = 3,
	IKEV1_ID_IPV4_ADDR_SUBNET = 4, IKEV1_ID_IPV6_ADDR = 5, IKEV1_ID_IPV6_ADDR_SUBNET = 6,
	IKEV1_ID_IPV4_ADDR_RANGE = 7, IKEV1_ID_IPV6_ADDR_RANGE = 8,
	IKEV1_ID_DER_ASN1_DN = 9, IKEV1_ID_DER_ASN1_GN = 10, IKEV1_ID_KEY_ID = 11,
};

enum ikev1_notify_type {
	IKEV1_N_INVALID_PAYLOAD_TYPE = 1,
	IKEV1_N_DOI_NOT_SUPPORTED = 2,
	IKEV1_N_SITUATION_NOT_SUPPORTED = 3,
	IKEV1_N_INVALID_COOKIE = 4,
	IKEV1_N_INVALID_MAJOR_VERSION = 5,
	IKEV1_N_INVALID_EXCHANGE_TYPE = 7,
	IKEV1_N_INVALID_FLAGS = 8,
	IKEV1_N_INVALID_MESSAGE_ID = 9,
	IKEV1_N_INVALID_PROTOCOL_ID = 10,
	IKEV1_N_INVALID_SPI = 11,
	IKEV1_N_INVALID_TRANSFORM_ID = 12,
	IKEV1_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	IKEV1_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV1_N_BAD_PROPOSAL_SYNTAX = 15,
	IKEV1_N_PAYLOAD_MALFORMED = 16,
	IKEV1_N_INVALID_KEY_INFORMATION = 17,
	IKEV1_N_INVALID_ID_INFORMATION = 18,
	IKEV1_N_INVALID_HASH_INFORMATION = 23,
	IKEV1_N_AUTHENTICATION_FAILED = 24,
	IKEV1_N_INVALID_SIGNATURE = 25,
	IKEV1_N_CONNECTED = 16384,
	IKEV1_N_RESPONDER_LIFETIME = 24576,
	IKEV1_N_REPLAY_STATUS = 24577,
	IKEV1_N_INITIAL_CONTACT = 24578,
	IKEV1_N_R_U_THERE = 36136,
	IKEV1_N_R_U_THERE_ACK = 36137,
	IKEV1_N_CISCO_LOAD_BALANCE = 40501,
};

/* Mode Config / XAUTH. */
enum ikev1_cfg_type { IKEV1_CFG_REQUEST = 1, IKEV1_CFG_REPLY = 2, IKEV1_CFG_SET = 3,
		      IKEV1_CFG_ACK = 4 };
enum ikev1_cfg_attr {
	IKEV1_CA_INTERNAL_IP4_ADDRESS = 1,
	IKEV1_CA_INTERNAL_IP4_NETMASK = 2,
	IKEV1_CA_INTERNAL_IP4_DNS = 3,
	IKEV1_CA_INTERNAL_IP4_NBNS = 4,
	IKEV1_CA_INTERNAL_ADDRESS_EXPIRY = 5,
	IKEV1_CA_INTERNAL_IP4_DHCP = 6,
	IKEV1_CA_APPLICATION_VERSION = 7,
	IKEV1_CA_INTERNAL_IP4_SUBNET = 13,
	IKEV1_CA_SUPPORTED_ATTRIBUTES = 14,
	IKEV1_CA_XAUTH_TYPE = 16520,
	IKEV1_CA_XAUTH_USER_NAME = 16521,
	IKEV1_CA_XAUTH_USER_PASSWORD = 16522,
	IKEV1_CA_XAUTH_PASSCODE = 16523,
	IKEV1_CA_XAUTH_MESSAGE = 16524,
	IKEV1_CA_XAUTH_CHALLENGE = 16525,
	IKEV1_CA_XAUTH_DOMAIN = 16526,
	IKEV1_CA_XAUTH_STATUS = 16527,
	IKEV1_CA_XAUTH_NEXT_PIN = 16528,
	IKEV1_CA_XAUTH_ANSWER = 16529,
	IKEV1_CA_UNITY_BANNER = 28672,
	IKEV1_CA_UNITY_SAVE_PASSWD = 28673,
	IKEV1_CA_UNITY_DEF_DOMAIN = 28674,
	IKEV1_CA_UNITY_SPLITDNS_NAME = 28675,
	IKEV1_CA_UNITY_SPLIT_INCLUDE = 28676,
	IKEV1_CA_UNITY_NATT_PORT = 28677,
	IKEV1_CA_UNITY_LOCAL_LAN = 28678,
	IKEV1_CA_UNITY_PFS = 28679,
	IKEV1_CA_UNITY_FW_TYPE = 28680,
	IKEV1_CA_UNITY_BACKUP_SERVERS = 28681,
	IKEV1_CA_UNITY_DDNS_HOSTNAME = 28682,
};

/* ---- parsed forms ------------------------------------------------------ */
struct ikev1_blob {
	const uint8_t *data;
	size_t len;
};

struct ikev1_hdr {
	uint64_t spi_i;            /* initiator cookie (CKY-I) */
	uint64_t spi_r;            /* responder cookie (CKY-R) */
	uint8_t next_payload;
	uint8_t version;           /* 0x10 */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;
};

/* A transform with its attributes decoded.  0 = attribute absent. */
struct ikev1_transform {
	uint8_t num;
	uint8_t id;                /* KEY_IKE (phase 1) or ESP transform ID */
	uint16_t key_bits;         /* key length attribute (14 in phase 1, 6 in phase 2) */
	/* phase 1 */
	uint16_t encr, hash, auth, group;
	/* phase 2 */
	uint16_t encap, auth_alg, pfs_group;
	/* both: last life pair of each type; 0 = not given */
	uint32_t life_sec;
	uint32_t life_kb;
	bool unknown_attr;         /* an attribute we do not know, or a TLV where TV is
				    * required: do not choose this transform */
	uint16_t unknown_type;     /* the first such attribute (for the log) */
	struct ikev1_blob attrs;   /* raw attribute bytes (debug dump) */
};

#define IKEV1_MAX_PROPOSALS 32
#define IKEV1_MAX_TRANSFORMS 64    /* in the whole SA payload */
struct ikev1_proposal {
	uint8_t num;
	uint8_t protocol;          /* enum ikev1_protocol */
	uint8_t spi_size;          /* 0..16 */
	uint8_t spi[16];
	uint8_t n_transforms;
	uint8_t first;             /* index of its first transform in ikev1_sa.t[] */
};
struct ikev1_sa {
	uint32_t doi;
	uint32_t situation;
	uint8_t n;                 /* proposals */
	struct ikev1_proposal p[IKEV1_MAX_PROPOSALS];
	uint8_t n_t;               /* transforms in all proposals */
	struct ikev1_transform t[IKEV1_MAX_TRANSFORMS];
	struct ikev1_blob body;    /* SA payload body (DOI onwards) */
};

struct ikev1_id {
	uint8_t type;
	uint8_t proto;             /* protocol ID (17 = UDP), 0 = any */
	uint16_t port;
	struct ikev1_blob data;
	struct ikev1_blob body;    /* type .. data: the HASH input */
};

struct ikev1_cert {
	uint8_t encoding;
	struct ikev1_blob data;
};

struct ikev1_notify {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type;
	struct ikev1_blob spi;
	struct ikev1_blob data;
};

struct ikev1_delete {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spi;
	struct ikev1_blob spis;    /* n_spi * spi_size bytes */
};

/* One data attribute (Mode Config / XAUTH, also used by the writer). */
struct ikev1_attr {
	uint16_t type;             /* without the AF bit */
	bool tv;                   /* basic (TV) format */
	uint16_t tv_value;         /* when tv */
	struct ikev1_blob value;   /* when !tv (may be empty) */
};
#define IKEV1_MAX_CFG_ATTRS 48
struct ikev1_cfg {
	uint8_t type;              /* enum ikev1_cfg_type */
	uint16_t identifier;
	uint8_t n;
	struct ikev1_attr a[IKEV1_MAX_CFG_ATTRS];
};

struct ikev1_frag {
	uint16_t id;
	uint8_t num;               /* from 1 */
	bool last;                 /* flags & 0x01 */
	struct ikev1_blob data;
};

#define IKEV1_MAX_NOTIFY 16
#define IKEV1_MAX_VENDOR 24
#define IKEV1_MAX_CERT 4
#define IKEV1_MAX_DELETE 8
#define IKEV1_MAX_NATD 8
#define IKEV1_MAX_ID 2             /* Quick Mode: IDci, IDcr */
#define IKEV1_MAX_PAYLOADS 64

/* One parsed payload chain (the clear message, or the decrypted body). */
struct ikev1_msg {
	struct ikev1_hdr hdr;
	uint64_t present;          /* bit n: payload type n seen (n < 64) */
	bool have_natd_draft;      /* NAT-D came as payload 130 */
	struct ikev1_sa sa;
	struct ikev1_blob ke;
	struct ikev1_blob nonce;
	struct ikev1_blob hash;    /* the first HASH payload */
	struct ikev1_blob after_hash;   /* see the file comment */
	struct ikev1_blob sig;
	uint8_t n_id;
	struct ikev1_id id[IKEV1_MAX_ID];
	struct ikev1_cfg cfg;
	struct ikev1_frag frag;
	uint8_t n_notify, n_vendor, n_cert, n_cr, n_delete, n_natd, n_natoa;
	struct ikev1_notify notify[IKEV1_MAX_NOTIFY];
	struct ikev1_blob vendor[IKEV1_MAX_VENDOR];
	struct ikev1_cert cert[IKEV1_MAX_CERT];
	struct ikev1_cert cr[IKEV1_MAX_CERT];
	struct ikev1_delete del[IKEV1_MAX_DELETE];
	struct ikev1_blob natd[IKEV1_MAX_NATD];      /* 20 or 130, in order */
	struct ikev1_blob natoa[2];                  /* 21 or 131 (body after the 4-byte header) */
	uint8_t order[IKEV1_MAX_PAYLOADS];           /* payload types in order (unknown too) */
	uint16_t order_len[IKEV1_MAX_PAYLOADS];
	uint8_t n_order;
	size_t chain_len;          /* bytes of the payload chain (padding excluded) */
};
#define IKEV1_HAS(m, t) (((m)->present >> ((t) < 64 ? (t) : 63)) & 1)
/* Payloads 130..132 are recorded in `present` as bits 60..62. */
#define IKEV1_BIT(t) ((t) == IKEV1_PL_NATD_DRAFT ? 60 : (t) == IKEV1_PL_NATOA_DRAFT ? 61 : \
		      (t) == IKEV1_PL_FRAG ? 62 : (t))
#define IKEV1_PRESENT(m, t) ((((m)->present) >> IKEV1_BIT(t)) & 1)

enum ikev1_parse_status {
	IKEV1_PARSE_OK = 0,
	IKEV1_PARSE_TRUNCATED,          /* lengths do not add up: PAYLOAD_MALFORMED or drop */
	IKEV1_PARSE_BAD_VERSION,        /* major version != 1 */
	IKEV1_PARSE_BAD_PAYLOAD,        /* unknown payload type: INVALID_PAYLOAD_TYPE */
	IKEV1_PARSE_DUPLICATE,          /* a single-instance payload repeated */
	IKEV1_PARSE_TOO_MANY,           /* more entries than we keep */
	IKEV1_PARSE_MALFORMED,          /* a payload's body is inconsistent */
};
struct ikev1_parse_err {
	enum ikev1_parse_status status;
	uint8_t payload;                /* type of the payload at fault */
	const char *why;                /* static text for the log line */
};

/* Parser rules (RFC 2408 §3.2, §5.1):
 *   - a payload length below 4 or running past the end: TRUNCATED;
 *   - an unknown payload type below 128 (Proposal and Transform included,
 *     they only occur inside SA): BAD_PAYLOAD with err->payload = the type
 *     (answer INVALID-PAYLOAD-TYPE); an unknown private-use type 128..255
 *     (other than 130/131/132) is skipped and only recorded in order[] /
 *     order_len[] (ikev1_w_chain leaves it out);
 *   - SA, KE, HASH, SIG, NONCE, ATTR and FRAG are single-instance
 *     (DUPLICATE); ID, CERT, CR, N, D, VID, NAT-D and NAT-OA keep up to their
 *     array size (TOO_MANY beyond);
 *   - NONCE must be 8..256 bytes (RFC 2409 §5), NAT-OA must carry an IPv4
 *     (type 1, 4 bytes) or IPv6 (type 5, 16 bytes) address, a FRAG number
 *     starts at 1, a Delete's SPIs must add up: else MALFORMED;
 *   - SA: proposals are only parsed for DOI 1 with situation
 *     SIT_IDENTITY_ONLY; any other DOI/situation leaves sa.n = 0 (body
 *     still set) so the engine answers DOI-NOT-SUPPORTED /
 *     SITUATION-NOT-SUPPORTED.  A proposal without transforms, bad
 *     next-payload markers (2/3 then 0) or more than IKEV1_MAX_PROPOSALS /
 *     IKEV1_MAX_TRANSFORMS: MALFORMED / TOO_MANY.
 * chain_len counts the bytes of the payload chain (not the header), from
 * the first payload to the end of the last one. */

/* The 28-byte header only.  TRUNCATED when fewer than 28 bytes or Length
 * below 28; BAD_VERSION when the major version is not 1 (h still filled). */
int ikev1_parse_header(const uint8_t *p, size_t len, struct ikev1_hdr *h,
		       struct ikev1_parse_err *err);
/* A whole clear message (header + chain).  With the ENC flag set, only the
 * header is parsed (the caller decrypts p+28 and calls ikev1_parse_chain).
 * A header Length above len is TRUNCATED; bytes beyond Length are ignored;
 * bytes after the last payload are allowed (padding).  m is cleared first. */
int ikev1_parse_message(const uint8_t *p, size_t len, struct ikev1_msg *m,
			struct ikev1_parse_err *err);
/* A (decrypted) chain starting with payload type `first`; keeps m->hdr,
 * resets the payload fields.  Trailing bytes after the last payload (CBC
 * padding) are allowed and excluded from chain_len/after_hash. */
int ikev1_parse_chain(uint8_t first, const uint8_t *p, size_t len, struct ikev1_msg *m,
		      struct ikev1_parse_err *err);

const struct ikev1_notify *ikev1_msg_notify(const struct ikev1_msg *m, uint16_t type);
/* A vendor ID payload equal to (or, for prefix = true, starting with) v. */
bool ikev1_msg_has_vendor(const struct ikev1_msg *m, const uint8_t *v, size_t len, bool prefix);
/* A Mode Config attribute by type; NULL if absent. */
const struct ikev1_attr *ikev1_cfg_attr(const struct ikev1_cfg *c, uint16_t type);
/* The transforms of proposal i. */
static inline const struct ikev1_transform *ikev1_proposal_transforms(const struct ikev1_sa *sa,
								      size_t i)
{
	return &sa->t[sa->p[i].first];
}

/* ---- writer ------------------------------------------------------------- */
struct ikev1_wr {
	struct buf *b;
	size_t start;              /* offset of the ISAKMP header in b */
	size_t next_off;           /* offset of the "next payload" byte to patch */
};

void ikev1_w_begin(struct ikev1_wr *w, struct buf *b, const struct ikev1_hdr *h);
/* Patch the header length; false if the buffer ran out of memory or a
 * payload overflowed its length field. */
bool ikev1_w_finish(struct ikev1_wr *w);
/* Generic payload: returns the offset of its generic header; close with
 * ikev1_w_end() which patches the payload length. */
size_t ikev1_w_start(struct ikev1_wr *w, uint8_t type);
void ikev1_w_end(struct ikev1_wr *w, size_t off);

/* SA with proposals and transforms.  Transform attributes are emitted from
 * the decoded fields (non-zero ones), in the order vpnc and the ASA use:
 * phase 1: key length, encr, hash, group, auth, life type/duration pairs
 * (seconds first, then kilobytes; durations as 4-byte TLV when > 0xffff,
 * else TV); phase 2: key length, encap, auth, group, life pairs.
 * The transforms of proposal i are t[p[i].first .. + n_transforms). */
void ikev1_w_sa(struct ikev1_wr *w, const struct ikev1_sa *sa);
void ikev1_w_ke(struct ikev1_wr *w, const uint8_t *data, size_t len);
void ikev1_w_nonce(struct ikev1_wr *w, const uint8_t *data, size_t len);
void ikev1_w_id(struct ikev1_wr *w, uint8_t id_type, uint8_t proto, uint16_t port,
		const uint8_t *data, size_t len);
void ikev1_w_cert(struct ikev1_wr *w, uint8_t payload /* CERT/CR */, uint8_t encoding,
		  const uint8_t *data, size_t len);
/* HASH (or SIG) payload of `len` bytes, zero-filled; returns the offset of
 * its data in w->b so the caller can fill it once the rest is written. */
size_t ikev1_w_hash(struct ikev1_wr *w, uint8_t payload /* HASH/SIG */, size_t len);
void ikev1_w_notify(struct ikev1_wr *w, uint32_t doi, uint8_t protocol, const uint8_t *spi,
		    size_t spi_len, uint16_t type, const uint8_t *data, size_t len);
void ikev1_w_delete(struct ikev1_wr *w, uint32_t doi, uint8_t protocol, uint8_t spi_size,
		    const uint8_t *spis, uint16_t n_spi);
void ikev1_w_vendor(struct ikev1_wr *w, const uint8_t *data, size_t len);
/* Mode Config: attributes with tv set are written in basic format. */
void ikev1_w_cfg(struct ikev1_wr *w, const struct ikev1_cfg *c);
/* NAT-D as payload 20, or 130 when draft is true. */
void ikev1_w_natd(struct ikev1_wr *w, bool draft, const uint8_t *hash, size_t len);
/* NAT-OA (RFC 3947 §5.2) as payload 21, or 131 when draft is true; addr is
 * 4 (IPv4) or 16 (IPv6) bytes, any other length fails the message. */
void ikev1_w_natoa(struct ikev1_wr *w, bool draft, const uint8_t *addr, size_t len);
void ikev1_w_frag(struct ikev1_wr *w, uint16_t id, uint8_t num, bool last,
		  const uint8_t *data, size_t len);
/* Re-emit every payload of a parsed chain in its order (tests, fuzzer).
 * Unlike ikev1_w_sa, the SA's transform attributes are copied as received
 * (so a parsed chain re-emits byte for byte, reserved fields aside), and an
 * SA of another DOI/situation is copied whole. */
void ikev1_w_chain(struct ikev1_wr *w, const struct ikev1_msg *m);

/* ---- names and debug ---------------------------------------------------- */
/* "UNKNOWN" for a value without a name, except ikev1_notify_name (NULL). */
const char *ikev1_exchange_name(uint8_t x);      /* "Aggressive", "Quick Mode" ... */
const char *ikev1_payload_name(uint8_t t);       /* "SA", "KE", "HASH", "VENDOR", "ATTR" ... */
const char *ikev1_notify_name(uint16_t t);       /* "INITIAL-CONTACT" or NULL */
const char *ikev1_encr_name(uint16_t v);         /* Oakley: "DES", "3DES", "AES" */
const char *ikev1_hash_name(uint16_t v);         /* "MD5", "SHA1", "SHA2-256" */
const char *ikev1_auth_name(uint16_t v);         /* "Preshared key", "XAUTHInitPreShared" */
const char *ikev1_esp_name(uint16_t v);          /* "ESP_DES", "ESP_3DES", "ESP_AES" */
const char *ikev1_esp_auth_name(uint16_t v);     /* "MD5", "SHA", "SHA256" ... */
const char *ikev1_encap_name(uint16_t v);        /* "Tunnel", "UDP-Encapsulated-Tunnel" */
const char *ikev1_id_type_name(uint8_t t);       /* "ID_IPV4_ADDR", "ID_KEY_ID" */
const char *ikev1_cfg_attr_name(uint16_t t);     /* "INTERNAL_IP4_ADDRESS", "XAUTH_USER_NAME" */
/* Debug dump in the seed's spirit (PIX "debug crypto isakmp"), one line per
 * call of `line`: header, each payload, proposals and transforms with their
 * attributes, notifies and vendor IDs by name (Unity, XAUTH, DPD, NAT-T
 * versions, fragmentation).  XAUTH_USER_PASSWORD and PASSCODE values are
 * printed as "<hidden>" (never the secret), nonce/KE/hash as lengths. */
void ikev1_msg_dump(const struct ikev1_msg *m, void (*line)(void *arg, const char *text),
		    void *arg);
/* "SA KE NONCE ID VID(Unity) VID(XAUTH) ..." summary. */
void ikev1_msg_summary(const struct ikev1_msg *m, char *out, size_t out_len);

/* ---- vendor IDs (protocol.md §1.5) ------------------------------------- */
enum ikev1_vid {
	IKEV1_VID_XAUTH, IKEV1_VID_DPD, IKEV1_VID_UNITY, IKEV1_VID_NATT_RFC,
	IKEV1_VID_NATT_03, IKEV1_VID_NATT_02N, IKEV1_VID_NATT_02, IKEV1_VID_NATT_01,
	IKEV1_VID_NATT_00, IKEV1_VID_FRAG, IKEV1_VID_CISCO_CONCENTRATOR,
	IKEV1_VID_CISCO_VPN3000_CLIENT, IKEV1_VID_DWR, IKEV1_VID_COUNT,
};
/* The bytes of a known vendor ID (FRAG without its 4 capability bytes,
 * CISCO_CONCENTRATOR its 14-byte prefix) and its printable name. */
const uint8_t *ikev1_vid_bytes(enum ikev1_vid v, size_t *len);
const char *ikev1_vid_name(enum ikev1_vid v);
/* Which known vendor ID a payload is (prefix match where the table says
 * so); IKEV1_VID_COUNT if none. */
enum ikev1_vid ikev1_vid_match(const uint8_t *data, size_t len);

#endif
