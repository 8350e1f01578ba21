/* The IKEv2 engine object: registration with the transport, housekeeping
 * (cookie secret rotation), administrative deletes and shutdown. */
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "ike/core/child.h"
#include "ike/v2/v2.h"

#define HOUSEKEEPING_MS 10000u

static void housekeeping(void *arg)
{
	struct ikev2 *e = arg;
	e->housekeeping = NULL;
	if (ike_cookie_rotate(&e->cookies, loop_now_ms(), false) < 0)
		log_msg(SEV_ERR, "IKEv2: cannot rotate the cookie secret");
	e->housekeeping = loop_timer_add(e->loop, HOUSEKEEPING_MS, housekeeping, e);
}

/* The data plane saw traffic on a CHILD SA: the peer is alive. */
static void on_activity(void *arg, uint64_t serial)
{
	(void)arg;
	struct ike_sa *sa = ike_sa_find_serial(serial);
	if (sa && sa->version == IKE_V2)
		sa->last_rx_ms = loop_now_ms();
}

static void fill_delete_child(struct ikev2_wr *w, void *arg)
{
	uint32_t spi = *(const uint32_t *)arg;
	uint8_t b[4] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8),
			 (uint8_t)spi };
	ikev2_w_delete(w, IKEV2_PROTO_ESP, 4, b, 1);
}

/* The data plane's lifetime events (ike_child_expired). */
static void on_expiry(void *arg, uint64_t serial, uint32_t spi_in, bool hard)
{
	(void)arg;
	struct ike_sa *sa = ike_sa_find_serial(serial);
	struct child_sa *k = sa && sa->version == IKE_V2 ? ike_child_by_spi_in(sa, spi_in) : NULL;
	if (!k)
		return;
	if (!hard) {
		v2_log(sa, 2, "CHILD SA 0x%08x/0x%08x reached its soft lifetime: waiting for the "
		       "initiator's rekey", k->spi_in, k->spi_out);
		return;
	}
	v2_log(sa, 1, "CHILD SA 0x%08x/0x%08x expired in the data plane: deleting", k->spi_in,
	       k->spi_out);
	ike_child_unlink(sa, k);
	ike_child_free(k);
	if (sa->state == IKE_STATE_ESTABLISHED &&
	    v2_send_request(sa, V2_REQ_DELETE_CHILD, fill_delete_child, &spi_in) == 0)
		v2_of(sa)->req_child_spi = spi_in;
	v2_sa_schedule(sa);
}

struct ikev2 *ikev2_new(struct loop *l, struct ike_io *io, const struct ikev2_env *env)
{
	struct ikev2 *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->loop = l;
	e->io = io;
	e->env = *env;
	if (ike_cookie_init(&e->cookies, loop_now_ms()) < 0) {
		free(e);
		return NULL;
	}
	if (crypto_random(&e->next_session_id, sizeof(e->next_session_id)) < 0)
		e->next_session_id = 0;
	e->next_session_id &= 0xffff;      /* small, readable session numbers */
	ike_io_set_handler(io, 2, v2_input, e);
	ike_set_activity_hook(IKE_V2, on_activity, e);
	ike_set_expiry_hook(IKE_V2, on_expiry, e);
	if (l)
		e->housekeeping = loop_timer_add(l, HOUSEKEEPING_MS, housekeeping, e);
	return e;
}

static struct ike_sa *first_v2(void)
{
	for (struct ike_sa *sa = ike_sa_first(); sa; sa = ike_sa_next(sa))
		if (sa->version == IKE_V2)
			return sa;
	return NULL;
}

int ikev2_set_workers(struct ikev2 *e, unsigned workers)
{
	ike_jobs_free(e->jobs);
	e->jobs = ike_jobs_new(e->loop, workers);
	return e->jobs && ike_jobs_async(e->jobs) == (workers > 0) ? 0 : -1;
}

void ikev2_drain(struct ikev2 *e)
{
	ike_jobs_drain(e->jobs);
}

void ikev2_free(struct ikev2 *e)
{
	if (!e)
		return;
	ike_jobs_free(e->jobs);      /* pending results find their SAs (or not) first */
	e->jobs = NULL;
	struct ike_sa *sa;
	while ((sa = first_v2()) != NULL)
		v2_sa_destroy(sa, "Administrator Shutdown", false);
	if (e->housekeeping)
		loop_timer_cancel(e->loop, e->housekeeping);
	ike_io_set_handler(e->io, 2, NULL, NULL);
	ike_set_activity_hook(IKE_V2, NULL, NULL);
	ike_set_expiry_hook(IKE_V2, NULL, NULL);
	ike_cookie_wipe(&e->cookies);
	free(e);
}

int ikev2_clear(struct ikev2 *e, unsigned tunnel_id, const char *reason)
{
	int n = 0;
	struct ike_sa *sa = ike_sa_first();
	while (sa) {
		struct ike_sa *next = ike_sa_next(sa);
		if (sa->version == IKE_V2 && sa->state != IKE_STATE_DELETING &&
		    (tunnel_id == 0 || sa->tunnel_id == tunnel_id || sa->session_id == tunnel_id)) {
			v2_sa_delete(sa, reason ? reason : "Administrator Reset");
			n++;
		}
		sa = next;
	}
	(void)e;
	return n;
}

static void fill_delete_ike(struct ikev2_wr *w, void *arg)
{
	(void)arg;
	ikev2_w_delete(w, IKEV2_PROTO_IKE, 0, NULL, 0);
}

void ikev2_shutdown(struct ikev2 *e)
{
	e->shutting_down = true;
	struct ike_sa *sa;
	while ((sa = first_v2()) != NULL) {
		struct v2_sa *v = v2_of(sa);
		if ((sa->state == IKE_STATE_ESTABLISHED || sa->state == IKE_STATE_REKEYED) &&
		    v->keys_ready) {
			v->req_pending = false;
			if (v2_send_request(sa, V2_REQ_DELETE_IKE, fill_delete_ike, NULL) == 0)
				v2_log(sa, 1, "shutdown: sent DELETE for the IKE SA");
		}
		v2_sa_destroy(sa, "Administrator Shutdown", true);
	}
}

void ikev2_get_stats(const struct ikev2 *e, struct ikev2_stats *out)
{
	*out = e->st;
}

size_t ikev2_half_open(const struct ikev2 *e)
{
	return e->half_open;
}
