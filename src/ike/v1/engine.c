/* The IKEv1 engine object: registration with the transport, data-plane
 * events (traffic as liveness, lifetime expiry), administrative deletes and
 * shutdown. */
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "ike/core/child.h"
#include "ike/v1/v1.h"

/* The data plane saw traffic on an IPsec SA: the peer is alive. */
static void on_activity(void *arg, uint64_t serial)
{
	(void)arg;
	struct ike_sa *sa = ike_sa_find_serial(serial);
	if (sa && sa->version == IKE_V1)
		sa->last_rx_ms = loop_now_ms();
}

/* The data plane's lifetime events (ike_child_expired). */
static void on_expiry(void *arg, uint64_t serial, uint32_t spi_in, bool hard)
{
	(void)arg;
	struct ike_sa *sa = ike_sa_find_serial(serial);
	struct child_sa *k = sa && sa->version == IKE_V1 ? ike_child_by_spi_in(sa, spi_in) : NULL;
	if (!k)
		return;
	if (!hard) {
		v1_log(sa, 2, "IPsec SA 0x%08x/0x%08x reached its soft lifetime in the data plane "
		       "(our Quick Mode rekey runs at %u %% of the time lifetime)", k->spi_in, k->spi_out, 90u);
		return;
	}
	v1_log(sa, 1, "IPsec SA 0x%08x/0x%08x expired in the data plane: deleting", k->spi_in,
	       k->spi_out);
	v1_send_delete_esp(sa, spi_in);
	ike_child_unlink(sa, k);
	ike_child_free(k);
	v1_sa_schedule(sa);
}

struct ikev1 *ikev1_new(struct loop *l, struct ike_io *io, const struct ikev1_env *env)
{
	struct ikev1 *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->loop = l;
	e->io = io;
	e->env = *env;
	if (crypto_random(&e->next_session_id, sizeof(e->next_session_id)) < 0)
		e->next_session_id = 0;
	e->next_session_id = (e->next_session_id & 0xffff) | 0x10000;   /* apart from IKEv2's */
	ike_io_set_handler(io, 1, v1_input, e);
	ike_set_activity_hook(IKE_V1, on_activity, e);
	ike_set_expiry_hook(IKE_V1, on_expiry, e);
	return e;
}

static struct ike_sa *first_v1(void)
{
	for (struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		if (sa->version == IKE_V1)
			return sa;
	return NULL;
}

void ikev1_free(struct ikev1 *e)
{
	if (!e)
		return;
	struct ike_sa *sa;
	while ((sa = first_v1()) != NULL)
		v1_sa_destroy(sa, "Administrator Shutdown", false);
	v1_frag_clear_all(e);
	ike_io_set_handler(e->io, 1, NULL, NULL);
	ike_set_activity_hook(IKE_V1, NULL, NULL);
	ike_set_expiry_hook(IKE_V1, NULL, NULL);
	free(e);
}

int ikev1_clear(struct ikev1 *e, unsigned tunnel_id, const char *reason)
{
	(void)e;
	int n = 0;
	struct ike_sa *sa = ike_sa_first();
	while (sa) {
		struct ike_sa *next = ike_sa_next(sa);
		if (sa->version == IKE_V1 &&
		    (tunnel_id == 0 || sa->tunnel_id == tunnel_id || sa->session_id == tunnel_id)) {
			v1_sa_delete(sa, reason ? reason : "Administrator Reset");
			n++;
		}
		sa = next;
	}
	return n;
}

void ikev1_shutdown(struct ikev1 *e)
{
	e->shutting_down = true;
	struct ike_sa *sa;
	while ((sa = first_v1()) != NULL)
		v1_sa_delete(sa, "Administrator Shutdown");
}

void ikev1_get_stats(const struct ikev1 *e, struct ikev1_stats *out)
{
	*out = e->st;
}
