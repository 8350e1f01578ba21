/* IKE and CHILD SA state shared by ike/v2 (and later ike/v1) and read by
 * ctl/ for `show`.  Owned by the control-plane thread; ctl/ reads it on the
 * same thread, so no locking.  SAs are found by SPI or by serial (a handle
 * that jobs and timers use instead of raw pointers).
 *
 * Fields marked (ctl) are what `show crypto ikev2 sa [detail]` and
 * `show vpn-sessiondb` print. */
#ifndef RAVPN_IKE_CORE_SA_H
#define RAVPN_IKE_CORE_SA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/model.h"

struct loop_timer;
struct crypto_dh;
struct eap_server;

enum ike_version { IKE_V1 = 1, IKE_V2 = 2 };

enum ike_state {
	IKE_STATE_INIT_DONE,         /* IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_STATE_AUTH_EAP,          /* EAP round trips in progress */
	IKE_STATE_AUTH_FINAL,        /* EAP done, waiting for the final AUTH */
	IKE_STATE_ESTABLISHED,       /* READY */
	IKE_STATE_REKEYED,           /* replaced by a new IKE SA, waiting for DELETE */
	IKE_STATE_DELETING,
	IKE_STATE_DEAD,
};

enum ike_auth_kind { IKE_AUTHK_NONE, IKE_AUTHK_RSA, IKE_AUTHK_PSK, IKE_AUTHK_EAP, IKE_AUTHK_ECDSA, IKE_AUTHK_CERT };

/* A traffic selector as an address/port range (IPv4, host order). */
struct ike_ts {
	uint32_t start, end;
	uint16_t port_start, port_end;
	uint8_t proto;
};

struct child_sa {
	uint32_t spi_in, spi_out;    /* (ctl) host order */
	uint8_t protocol;            /* ESP = 3 */
	uint16_t encr_id, encr_bits; /* (ctl) IKEv2 ENCR transform */
	uint16_t integ_id;           /* (ctl) 0 for AEAD */
	uint16_t pfs_group;
	bool esn;
	struct ike_ts local_ts, remote_ts;   /* (ctl) */
	uint32_t lifetime_sec;       /* (ctl) */
	uint64_t lifetime_kb;        /* (ctl) */
	time_t created;
	uint32_t conn_id;            /* (ctl) */
	const char *dynmap;          /* crypto map tag and seq that supplied the proposal (ctl) */
	unsigned dynmap_seq;
	bool rekeyed;                /* superseded by a rekey, kept until deleted */
	/* Counters: filled by esp/ events (0 until the data plane exists). */
	uint64_t pkts_in, pkts_out, bytes_in, bytes_out;
	uint64_t pkts_decrypt_fail, pkts_replay, send_errors, recv_errors;
	/* Newest 64 bits of the inbound anti-replay window (MSW first, LSB of
	 * the second word = the highest sequence number seen), from esp/. */
	uint32_t replay_bitmap[2];
	bool replay_bitmap_valid;
	struct child_sa *next;
	/* Added for the IKEv2 engine (ike/): */
	bool udp_encap;              /* ESP in UDP 4500 (NAT-T) */
	bool installed;              /* handed to the data plane (or kept, see ike/core/child.h) */
	uint64_t ike_serial;         /* owning IKE SA (handle) */
	void *priv;                  /* key material (struct ike_child_keys), see ike/core/child.h */
};

struct ike_sa {
	uint64_t serial;             /* handle, never reused */
	enum ike_version version;
	uint32_t session_id;         /* (ctl) Session-id / Index */
	uint32_t tunnel_id;          /* (ctl) Tunnel-id */
	uint64_t spi_i, spi_r;       /* (ctl) */
	enum ike_state state;
	bool initiator;              /* our role (responder for the gateway) */
	struct sockaddr_in local, remote;    /* (ctl) current addresses */
	bool nat_remote;             /* peer behind NAT (ctl "NAT-T is detected outside") */
	bool nat_local;              /* we are behind NAT */
	const char *ifname;          /* (ctl) the nameif IKE arrived on */

	/* negotiated IKE transforms (IKEv2 IDs) (ctl) */
	uint16_t encr_id, encr_bits, prf_id, integ_id, dh_group;
	uint32_t lifetime_sec;       /* (ctl) from the crypto ikev2 policy */
	unsigned policy_priority;    /* which policy matched (explain) */

	/* identities and policy (ctl) */
	char *remote_id;             /* printable IDi */
	char *local_id;              /* printable IDr */
	char *tunnel_group;
	char *group_policy;
	char *username;
	enum ike_auth_kind auth_sign;    /* how we authenticated ourselves */
	enum ike_auth_kind auth_verify;  /* how the peer authenticated */
	uint32_t assigned_addr;      /* (ctl) host order, 0 = none */
	const char *pool_name;
	unsigned dpd_interval, dpd_retry;    /* (ctl) */
	char *client_version;        /* APPLICATION_VERSION from CP, if any */

	/* message IDs (ctl detail) */
	uint32_t peer_next_id;       /* next request ID expected from the peer */
	uint32_t our_next_id;        /* next request ID we send */
	uint32_t our_pending_id;     /* request of ours awaiting a reply, if any */
	bool our_request_pending;

	time_t created;              /* (ctl) Login Time */
	uint64_t created_ms, last_rx_ms;

	struct child_sa *children;   /* (ctl) */
	struct conf *conf;           /* the model this SA was built with (ref) */

	/* Added for the IKEv2 engine (ike/): */
	bool peer_fragmentation;     /* (ctl detail) RFC 7383 negotiated */
	bool lease_held;             /* assigned_addr is leased by this SA (moves on IKE rekey) */
	uint64_t rekeyed_to;         /* serial of the IKE SA that replaced this one, 0 = none */
	const char *disconnect_reason;   /* set when the SA goes down (113019 Reason) */
	uint64_t bytes_in, bytes_out;    /* totals of children already deleted */
	unsigned rekeys;             /* CREATE_CHILD_SA exchanges answered */

	/* IKEv1 only (ike/v1).  For IKEv1 SAs encr_id/encr_bits hold the
	 * IKEv2-numbered equivalent of the Oakley cipher (DES 2, 3DES 3,
	 * AES-CBC 12), prf_id and integ_id the IKEv2 PRF number of the Oakley
	 * hash (MD5 1, SHA1 2, SHA2-256 5, -384 6, -512 7), dh_group the group,
	 * so the same name tables print them. */
	uint8_t v1_mode;             /* (ctl) 2 Main Mode, 4 Aggressive Mode */
	uint16_t v1_auth;            /* (ctl) Oakley auth method: 1 PSK, 65001 XAUTHInitPreShared */
	const char *v1_state;        /* (ctl) ASA state name: "MM_ACTIVE", "AM_ACTIVE",
				      * "MM_WAIT_MSG3", "AM_TM_INIT_XAUTH", ... (static) */
	bool xauth_done;             /* (ctl show uauth) user authenticated by XAUTH */
	time_t xauth_time;           /* when */
	bool v1_natt_draft;          /* NAT-T by a draft (payload 130, encap 61443) */

	/* Everything else (keys, nonces, retransmit buffers, EAP state, timers)
	 * lives in the version-specific part. */
	void *priv;
	uint64_t user_key;           /* hash of username in the by-user index, 0 = not in it */
	struct ike_sa *next_all;     /* list of all SAs (for show, in creation order) */
	struct ike_sa *prev_all;     /* (doubly linked: removal is O(1) at 100k SAs) */
};

/* The SA table: one per process, owned by the control-plane thread.
 * Lookups by SPI pair and serial are hashed; iteration is in creation order
 * (what `show` prints). */
void ike_sa_table_add(struct ike_sa *sa);
void ike_sa_table_remove(struct ike_sa *sa);
/* Find by the initiator SPI and peer address (for IKE_SA_INIT
 * retransmissions, where our SPI is not known yet). */
struct ike_sa *ike_sa_find_init(uint64_t spi_i, const struct sockaddr_in *peer);
/* Find by our (responder) SPI, the normal case. */
struct ike_sa *ike_sa_find_local(uint64_t local_spi);
struct ike_sa *ike_sa_find_serial(uint64_t serial);
uint64_t ike_sa_next_serial(void);
/* Inbound CHILD SPIs in use (by any IKE SA): allocation avoids collisions,
 * the data plane reports activity by SPI. */
int ike_child_spi_add(uint32_t spi_in, uint64_t ike_serial);
void ike_child_spi_remove(uint32_t spi_in);
/* Serial of the IKE SA owning an inbound SPI, 0 if unknown. */
uint64_t ike_child_spi_owner(uint32_t spi_in);
/* The by-user index (INITIAL_CONTACT looks for a user's older sessions
 * without walking the whole table): add sa under its username once the
 * user is authenticated (again after a change: the old entry goes); it
 * leaves the index with ike_sa_table_remove. */
void ike_sa_index_user(struct ike_sa *sa);
/* Up to max SAs indexed under this username (any group), newest first. */
size_t ike_sa_by_user(const char *username, struct ike_sa **out, size_t max);
/* Iteration for show commands (creation order). */
struct ike_sa *ike_sa_first(void);
struct ike_sa *ike_sa_next(const struct ike_sa *sa);
size_t ike_sa_count(enum ike_version v);

#endif
