#include "ike/core/child.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"

static ike_child_install_fn install_hook;
static ike_child_uninstall_fn uninstall_hook;
static void *hook_arg;
/* Per IKE version (index 1 and 2): each engine hears about its own SAs. */
static void (*activity_fn[3])(void *arg, uint64_t serial);
static void *activity_arg[3];
static ike_child_peer_fn peer_hook;
static void (*expiry_fn[3])(void *arg, uint64_t serial, uint32_t spi_in, bool hard);
static void *expiry_arg[3];

static int version_of(uint64_t serial)
{
	const struct ike_sa *sa = serial ? ike_sa_find_serial(serial) : NULL;
	return sa && (sa->version == IKE_V1 || sa->version == IKE_V2) ? (int)sa->version : 0;
}

void ike_set_child_peer_hook(ike_child_peer_fn fn)
{
	peer_hook = fn;
}

uint64_t ike_session_owner(const struct ike_sa *sa)
{
	/* The session id survives IKE SA rekeys (the new SA inherits it). */
	return (uint64_t)sa->version << 32 | sa->session_id;
}

void ike_child_peer_moved(const struct ike_sa *sa)
{
	if (peer_hook && sa->children)
		peer_hook(hook_arg, ike_session_owner(sa), &sa->remote,
			  sa->nat_remote || sa->nat_local);
}

void ike_set_expiry_hook(enum ike_version v,
			 void (*fn)(void *arg, uint64_t ike_serial, uint32_t spi_in, bool hard),
			 void *arg)
{
	expiry_fn[v] = fn;
	expiry_arg[v] = arg;
}

void ike_child_expired(uint32_t spi_in, bool hard)
{
	uint64_t serial = ike_child_spi_owner(spi_in);
	int v = version_of(serial);
	if (v && expiry_fn[v])
		expiry_fn[v](expiry_arg[v], serial, spi_in, hard);
}

void ike_set_child_hooks(ike_child_install_fn install, ike_child_uninstall_fn uninstall,
			 void *arg)
{
	install_hook = install;
	uninstall_hook = uninstall;
	hook_arg = arg;
}

void ike_set_activity_hook(enum ike_version v, void (*fn)(void *arg, uint64_t ike_serial),
			   void *arg)
{
	activity_fn[v] = fn;
	activity_arg[v] = arg;
}

void ike_note_esp_rx(uint32_t spi_in)
{
	uint64_t serial = ike_child_spi_owner(spi_in);
	int v = version_of(serial);
	if (v && activity_fn[v])
		activity_fn[v](activity_arg[v], serial);
}

int ike_child_install(struct ike_sa *sa, struct child_sa *c, const struct ike_child_keys *k,
		      const struct crypto_encr *encr, const struct crypto_integ *integ,
		      unsigned replay_window)
{
	struct ike_child_keys *copy = malloc(sizeof(*copy));
	if (!copy)
		return -1;
	*copy = *k;
	c->priv = copy;
	c->ike_serial = sa->serial;
	/* We are the responder: the initiator->responder keys protect what we
	 * receive (our SPI), the responder->initiator keys what we send. */
	struct ike_child_params p = {
		.ike_serial = sa->serial,
		.owner = ike_session_owner(sa),
		.encr = encr,
		.integ = encr->aead ? NULL : integ,
		.esn = c->esn,
		.in = { c->spi_in, copy->encr_i, integ && !encr->aead ? copy->integ_i : NULL },
		.out = { c->spi_out, copy->encr_r, integ && !encr->aead ? copy->integ_r : NULL },
		.local_ts = c->local_ts,
		.remote_ts = c->remote_ts,
		.lifetime_sec = c->lifetime_sec,
		.lifetime_kb = c->lifetime_kb,
		.udp_encap = c->udp_encap,
		.local = sa->local,
		.remote = sa->remote,
		.replay_window = replay_window,
		.assigned_addr = sa->assigned_addr,
	};
	if (sa->initiator) {
		p.in.encr_key = copy->encr_r;
		p.in.integ_key = p.in.integ_key ? copy->integ_r : NULL;
		p.out.encr_key = copy->encr_i;
		p.out.integ_key = p.out.integ_key ? copy->integ_i : NULL;
	}
	if (install_hook && install_hook(hook_arg, &p) < 0) {
		mem_free_secret(copy, sizeof(*copy));
		c->priv = NULL;
		return -1;
	}
	c->installed = true;
	return 0;
}

void ike_child_uninstall(struct child_sa *c)
{
	if (!c)
		return;
	if (c->installed && uninstall_hook)
		uninstall_hook(hook_arg, c->spi_in, c->spi_out);
	c->installed = false;
	mem_free_secret(c->priv, sizeof(struct ike_child_keys));
	c->priv = NULL;
}

void ike_child_free(struct child_sa *c)
{
	if (!c)
		return;
	ike_child_uninstall(c);
	if (c->spi_in)
		ike_child_spi_remove(c->spi_in);
	free(c);
}
