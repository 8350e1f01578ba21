/* The one narrow call through which a CHILD SA's keys leave the IKE layer
 * for the data plane (DESIGN.md "CHILD_SA ready").
 *
 * ike_child_install() is called when a CHILD SA is negotiated (IKE_AUTH or
 * CREATE_CHILD_SA) with everything the ESP engine needs, split by
 * direction: `in` is what we decrypt (peer -> us, our SPI), `out` what we
 * encrypt (us -> peer, the peer's SPI).  Until a data plane registers with
 * ike_set_child_hooks(), the keys stay in the child's private state
 * (child->priv, wiped on delete) and the SA is shown but carries no
 * traffic.  ike_child_uninstall() is called when the CHILD SA is deleted
 * (DELETE, rekey completion, IKE SA teardown). */
#ifndef RAVPN_IKE_CORE_CHILD_H
#define RAVPN_IKE_CORE_CHILD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "ike/core/keys.h"
#include "ike/core/sa.h"

struct ike_child_dir {
	uint32_t spi;                       /* host order */
	const uint8_t *encr_key;            /* encr->key_len bytes (incl. GCM salt) */
	const uint8_t *integ_key;           /* integ->key_len bytes, NULL for AEAD */
};

struct ike_child_params {
	uint64_t ike_serial;                /* owning IKE SA now (changes on an IKE rekey) */
	uint64_t owner;                     /* stable per session (survives IKE rekeys):
					     * the data plane's owner handle */
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;   /* NULL for AEAD */
	bool esn;
	struct ike_child_dir in, out;
	struct ike_ts local_ts, remote_ts;  /* ours (protected networks), peer's (assigned /32) */
	uint32_t lifetime_sec;
	uint64_t lifetime_kb;
	bool udp_encap;                     /* NAT-T: ESP in UDP */
	struct sockaddr_in local, remote;   /* outer addresses and ports */
	unsigned replay_window;
	uint32_t assigned_addr;             /* host order */
};

typedef int (*ike_child_install_fn)(void *arg, const struct ike_child_params *p);
typedef void (*ike_child_uninstall_fn)(void *arg, uint32_t spi_in, uint32_t spi_out);
/* The peer's outer address changed (NAT rebinding, float to 4500): every
 * CHILD SA of the session must send to `peer` from now on. */
typedef void (*ike_child_peer_fn)(void *arg, uint64_t owner, const struct sockaddr_in *peer,
				  bool udp_encap);
void ike_set_child_hooks(ike_child_install_fn install, ike_child_uninstall_fn uninstall,
			 void *arg);
void ike_set_child_peer_hook(ike_child_peer_fn fn);
/* Called by the IKE engine when it sees the peer at a new address. */
void ike_child_peer_moved(const struct ike_sa *sa);
/* Stable owner handle of an IKE SA's session (what install passes). */
uint64_t ike_session_owner(const struct ike_sa *sa);

/* The data plane reports a lifetime event for an inbound SPI:
 *   hard: the SA is gone from the data plane; IKE deletes the CHILD SA and
 *         tells the peer (INFORMATIONAL DELETE);
 *   soft: the peer should rekey soon; logged (the initiator rekeys). */
void ike_child_expired(uint32_t spi_in, bool hard);
/* Set by each IKE engine for the SAs of its version. */
void ike_set_expiry_hook(enum ike_version v,
			 void (*fn)(void *arg, uint64_t ike_serial, uint32_t spi_in, bool hard),
			 void *arg);

/* Install: keeps a copy of the keys in child->priv and calls the hook. */
int ike_child_install(struct ike_sa *sa, struct child_sa *c, const struct ike_child_keys *k,
		      const struct crypto_encr *encr, const struct crypto_integ *integ,
		      unsigned replay_window) __attribute__((warn_unused_result));
/* Uninstall and wipe; safe on a child that was never installed. */
void ike_child_uninstall(struct child_sa *c);
/* Free a child (uninstalls first, releases its SPI). */
void ike_child_free(struct child_sa *c);

/* The data plane reports traffic on an inbound SPI (liveness for DPD). */
void ike_note_esp_rx(uint32_t spi_in);
/* Set by the IKE engine: called with the owning serial by ike_note_esp_rx. */
void ike_set_activity_hook(enum ike_version v, void (*fn)(void *arg, uint64_t ike_serial),
			   void *arg);

#endif
