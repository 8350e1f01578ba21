/* IKEv2 initiator engine of ravpn-connect (RFC 7296 initiator side, RFC 7383
 * reassembly, RFC 3948 via the NAT-T port).  No sockets and no globals: the
 * program (or the load generator, thousands of them on one loop) gives each
 * engine a send hook and feeds it the IKE messages that arrive for it.
 *
 *   initiator (here)                                      gateway
 *   HDR, SAi1, KEi, Ni, N(NAT-D) x2, N(FRAG), N(SHA)  -->
 *                              <--  HDR, SAr1, KEr, Nr, N(NAT-D) x2, [N(FRAG)]
 *       (COOKIE / INVALID_KE_PAYLOAD: the same request again, adjusted)
 *   from here on port 4500 (non-ESP marker added by the transport)
 *   HDR, SK {IDi(KEY_ID group), [CERTREQ], [AUTH(PSK)], CP(REQUEST), SAi2, TSi, TSr} -->
 *     PSK:                      <--  HDR, SK {IDr, AUTH, CP(REPLY), SAr2, TSi, TSr}
 *     EAP:                      <--  HDR, SK {IDr, CERT, AUTH(sig), EAP(Request)}
 *   HDR, SK {EAP(Response)} --> ... <-- HDR, SK {EAP(Success)}
 *   HDR, SK {AUTH(MSK or SK_pi)} -->
 *                               <--  HDR, SK {AUTH(MSK), CP(REPLY), SAr2, TSi, TSr}
 *   later: INFORMATIONAL {} (DPD), INFORMATIONAL {D} (our DELETE on close),
 *          the gateway's INFORMATIONAL requests are answered.
 *   at ~90 % of a lifetime (ini2_rekey.c, RFC 7296 §2.8):
 *   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr} -->  <-- HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *   HDR, SK {D(ESP, old SPI)} -->                       <-- HDR, SK {D(ESP)}
 *   HDR, SK {SA(IKE, new SPIi), Ni, KEi} -->           <-- HDR, SK {SA(new SPIr), Nr, KEr}
 *   HDR(old SPIs), SK {D(IKE)} -->                      <-- HDR, SK {}
 *   the gateway's rekeys are answered (ini2_rekey.c): CHILD SA
 *   <-- HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  HDR, SK {SA, Nr, [KEr], TSi, TSr} -->
 *   and IKE SA (the gateway is then the new SA's initiator)
 *   <-- HDR, SK {SA(IKE), Ni, KEi}                      HDR, SK {SA, Nr, KEr} -->
 *
 * The NAT-D source hash we send is random, as strongSwan's libipsec does:
 * the gateway then always uses UDP encapsulation, which the user-space data
 * plane needs (no raw ESP without privileges on every host). */
#ifndef RAVPN_CLIENT_INI2_H
#define RAVPN_CLIENT_INI2_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct crypto_cert;
struct crypto_encr;
struct crypto_integ;
struct ikev2_sa;
struct ikev2_proposal;

enum ini2_auth { INI2_PSK, INI2_EAP_MSCHAPV2, INI2_EAP_MD5, INI2_EAP_GTC };

/* Why an engine went down; main() turns it into the exit code. */
enum ini2_result {
	INI2_OK = 0,             /* closed by us (DELETE answered or not) */
	INI2_ERR_AUTH,           /* AUTHENTICATION_FAILED, EAP failure, bad gateway AUTH */
	INI2_ERR_PROPOSAL,       /* NO_PROPOSAL_CHOSEN (IKE or ESP) */
	INI2_ERR_TIMEOUT,        /* no answer after every retransmission */
	INI2_ERR_CERT,           /* the gateway certificate is not trusted */
	INI2_ERR_ADDRESS,        /* no address assigned (pool empty, no CP) */
	INI2_ERR_PEER_DELETE,    /* the gateway deleted the IKE SA */
	INI2_ERR_PROTOCOL,       /* anything else the gateway did wrong */
};
const char *ini2_result_name(enum ini2_result r);

struct ini2_config {
	struct sockaddr_in local, gw;      /* for NAT-D (gw: its IKE port 500) */
	const char *group;                 /* IDi KEY_ID: the tunnel-group */
	const char *user;                  /* EAP identity */
	enum ini2_auth auth;
	const char *secret;                /* group PSK or the user's password (borrowed) */
	const struct crypto_cert *ca;      /* gateway certificate issuer ... */
	const struct crypto_cert *pin;     /* ... or the exact certificate */
	bool insecure;                     /* accept any gateway certificate */
	uint16_t dh_group;                 /* KE group tried first (0 = 14) */
	unsigned dpd_sec;                  /* idle seconds before a liveness check (0 = 30) */
	unsigned retrans_ms;               /* first retransmission (0 = 500, doubling) */
	unsigned retrans_tries;            /* sends before giving up (0 = 6) */
	/* Rekeying: we start it at about 90 % of these.  ravpnd sends no
	 * lifetime in IKEv2; its defaults are these, a strongSwan gateway
	 * rekeys earlier by itself. */
	unsigned child_lifetime;           /* seconds (0 = 28800) */
	unsigned ike_lifetime;             /* seconds (0 = 86400) */
	uint16_t child_pfs;                /* DH group for CHILD rekeys (0 = none unless the
					    * gateway refuses a rekey without) */
	unsigned lifetime_unit_ms;         /* tests only: the length of one lifetime
					    * "second" (0 = 1000), to rekey in milliseconds */
};

#define INI2_MAX_NETS 16
#define INI2_MAX_DNS 4
struct ini2_net {
	uint32_t addr, mask;               /* host order */
	uint8_t proto;
	uint16_t sport, dport;             /* 0 = any */
};

/* What the gateway assigned (CP reply) and what the CHILD SA carries (TSr). */
struct ini2_lease {
	uint32_t addr, netmask;            /* host order; netmask 0 if not sent */
	uint32_t dns[INI2_MAX_DNS];
	unsigned n_dns;
	uint32_t nbns[2];
	unsigned n_nbns;
	char domain[256];
	bool full_tunnel;                  /* TSr 0.0.0.0/0 */
	struct ini2_net split[INI2_MAX_NETS];
	unsigned n_split;
};

/* Keys of one CHILD SA for the data plane ("in": what we decrypt). */
struct ini2_child {
	uint32_t spi_in, spi_out;
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;  /* NULL for AEAD */
	bool esn;
	const uint8_t *encr_in, *integ_in, *encr_out, *integ_out;
};

struct ini2_hooks {
	/* Send one IKE message; natt: to the gateway's 4500 with the marker. */
	int (*send)(void *arg, bool natt, const uint8_t *data, size_t len);
	uint32_t (*spi_alloc)(void *arg);  /* our inbound SPI; NULL = random */
	int (*child_up)(void *arg, const struct ini2_child *c);
	void (*child_down)(void *arg, uint32_t spi_in);
	void (*up)(void *arg, const struct ini2_lease *l);
	/* The engine is down (after up, or failing before); it may be freed here. */
	void (*down)(void *arg, enum ini2_result r, const char *why);
	void *arg;
};

struct ini2;
struct ini2 *ini2_new(struct loop *l, const struct ini2_config *c, const struct ini2_hooks *h);
int ini2_start(struct ini2 *s) __attribute__((warn_unused_result));
/* One IKE message from the gateway (marker already removed). */
void ini2_input(struct ini2 *s, const uint8_t *data, size_t len);
/* Send DELETE and go down when it is answered (or after a few tries). */
void ini2_close(struct ini2 *s);
void ini2_free(struct ini2 *s);

/* Start a rekey now (the lifetime timers call these; tests too).  -1 when
 * not up, or while another of our requests is in flight (window 1). */
int ini2_rekey_child(struct ini2 *s) __attribute__((warn_unused_result));
int ini2_rekey_ike(struct ini2 *s) __attribute__((warn_unused_result));
/* Rekeys completed (CHILD, IKE), for the tests and the summary. */
unsigned ini2_rekeys(const struct ini2 *s, bool ike);

bool ini2_is_up(const struct ini2 *s);
uint64_t ini2_spi_i(const struct ini2 *s);
uint64_t ini2_spi_r(const struct ini2 *s);
/* "AES-CBC-192/HMAC-SHA1/HMAC-SHA1-96/MODP-1024" of the IKE SA. */
void ini2_suite(const struct ini2 *s, char *out, size_t len);

/* Pure pieces, tested on their own. */
/* Our IKE proposals (AES-CBC and AES-GCM) with the DH groups in preference order. */
void ini2_ike_offer(struct ikev2_sa *out);
void ini2_esp_offer(struct ikev2_sa *out, uint32_t spi);
/* The same for a CHILD rekey with PFS: DH `group` (the KEi) in every
 * proposal, and when `all` every other group we know after it (the gateway
 * then answers INVALID_KE_PAYLOAD with the one its `set pfs` names). */
void ini2_esp_offer_pfs(struct ikev2_sa *out, uint32_t spi, uint16_t group, bool all);
/* The gateway started the exchange (its rekey): the first of its proposals
 * (in its order) that one of `ours` covers, narrowed to one transform of each
 * type, DH = ke_group (0: no KE, so no DH or DH NONE).  0 with *out set
 * (SPI still the gateway's); a DH group for INVALID_KE_PAYLOAD when only
 * the KE group does not fit; -1 for NO_PROPOSAL_CHOSEN. */
int ini2_pick(const struct ikev2_sa *ours, const struct ikev2_sa *theirs, uint16_t ke_group,
	      struct ikev2_proposal *out);
/* Traffic selector range -> network (false when it is not a prefix). */
bool ini2_range_to_net(uint32_t start, uint32_t end, uint32_t *addr, uint32_t *mask);

#endif
