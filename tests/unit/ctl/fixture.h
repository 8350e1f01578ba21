/* Shared fixtures for the ctl tests: the session of the seed document
 * (user Anu, AnyConnect 3.0.1047 behind NAT, AES-192/SHA1 IKE SA, AES-256/
 * SHA1 ESP) as hand-built structs, and a text comparison that shows the
 * first differing line. */
#ifndef RAVPN_TESTS_CTL_FIXTURE_H
#define RAVPN_TESTS_CTL_FIXTURE_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../t.h"
#include "base/buf.h"
#include "ctl/fmt.h"
#include "ike/core/sa.h"

/* 22:06:24 UTC Mon Apr 22 2013, the seed's login time. */
#define SEED_LOGIN 1366668384

static inline struct sockaddr_in fx_addr(const char *ip, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static inline void fx_seed_child(struct child_sa *c)
{
	memset(c, 0, sizeof(*c));
	c->spi_in = 0x30b848a4;
	c->spi_out = 0x77ee5348;
	c->protocol = 3;
	c->encr_id = 12;
	c->encr_bits = 256;
	c->integ_id = 2;
	c->local_ts = (struct ike_ts){ 0, 0xffffffffu, 0, 65535, 0 };
	c->remote_ts = (struct ike_ts){ 0x0a020201, 0x0a020201, 0, 65535, 0 };
	c->lifetime_sec = 28800;
	c->lifetime_kb = 4608000;
	c->created = SEED_LOGIN;
	c->conn_id = 8192;
	c->dynmap = "dynmap";
	c->dynmap_seq = 1000;
}

static inline void fx_seed_sa(struct ike_sa *sa, struct child_sa *c)
{
	memset(sa, 0, sizeof(*sa));
	fx_seed_child(c);
	sa->serial = 1;
	sa->version = IKE_V2;
	sa->session_id = 2;
	sa->tunnel_id = 55182129;
	sa->spi_i = 0x58AFF71141BA436Bull;
	sa->spi_r = 0xFC696330E6B94D7Full;
	sa->state = IKE_STATE_ESTABLISHED;
	sa->local = fx_addr("10.0.0.1", 4500);
	sa->remote = fx_addr("192.168.1.1", 25171);
	sa->nat_remote = true;
	sa->ifname = "outside";
	sa->encr_id = 12;
	sa->encr_bits = 192;
	sa->prf_id = 2;
	sa->integ_id = 2;
	sa->dh_group = 1;
	sa->lifetime_sec = 86400;
	sa->remote_id = "*$AnyConnectClient$*";
	sa->local_id = "hostname=ASA-IKEV2";
	sa->tunnel_group = "ASA-IKEV2";
	sa->group_policy = "ASA-IKEV2";
	sa->username = "Anu";
	sa->auth_sign = IKE_AUTHK_RSA;
	sa->auth_verify = IKE_AUTHK_EAP;
	sa->assigned_addr = 0x0a020201;
	sa->dpd_interval = 10;
	sa->dpd_retry = 2;
	sa->client_version = "3.0.1047";
	sa->peer_next_id = 9;
	sa->created = SEED_LOGIN;
	sa->created_ms = 1000000;
	sa->last_rx_ms = 1000000;
	sa->children = c;
}

/* IKEv1 fixtures: "alice", a Cisco VPN Client in Aggressive Mode with
 * XAUTH (AES-256/SHA1/group 2, one AES-256/SHA1 child with PFS group 2, no
 * NAT), and a Main Mode PSK peer still waiting for message 3 (3DES/MD5).
 * Both were created 290 s before FX_V1_NOW. */
#define FX_V1_NOW (SEED_LOGIN + 290)

static inline void fx_v1_child(struct child_sa *c)
{
	fx_seed_child(c);
	c->spi_in = 0xc1a55e01;
	c->spi_out = 0x5eed0002;
	c->pfs_group = 2;
	c->remote_ts = (struct ike_ts){ 0xc0a86401, 0xc0a86401, 0, 65535, 0 };
	c->conn_id = 4096;
	c->bytes_in = 4096;
	c->bytes_out = 2048;
	c->pkts_in = 40;
	c->pkts_out = 20;
}

static inline void fx_v1_am_sa(struct ike_sa *sa, struct child_sa *c)
{
	memset(sa, 0, sizeof(*sa));
	fx_v1_child(c);
	sa->serial = 11;
	sa->version = IKE_V1;
	sa->session_id = 7;
	sa->spi_i = 0x1122334455667788ull;
	sa->spi_r = 0x99aabbccddeeff00ull;
	sa->state = IKE_STATE_ESTABLISHED;
	sa->local = fx_addr("198.51.100.1", 500);
	sa->remote = fx_addr("10.0.0.2", 500);
	sa->ifname = "outside";
	sa->encr_id = 12;
	sa->encr_bits = 256;
	sa->prf_id = 2;
	sa->integ_id = 2;
	sa->dh_group = 2;
	sa->lifetime_sec = 86400;
	sa->remote_id = "VPNGROUP";
	sa->tunnel_group = "VPNGROUP";
	sa->group_policy = "VPNGP";
	sa->username = "alice";
	sa->assigned_addr = 0xc0a86401;
	sa->created = SEED_LOGIN;
	sa->created_ms = 1000000;
	sa->last_rx_ms = 1000000;
	sa->children = c;
	sa->v1_mode = 4;
	sa->v1_auth = 65001;
	sa->v1_state = "AM_ACTIVE";
	sa->xauth_done = true;
	sa->xauth_time = SEED_LOGIN + 5;
}

static inline void fx_v1_mm_sa(struct ike_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->serial = 12;
	sa->version = IKE_V1;
	sa->session_id = 8;
	sa->state = IKE_STATE_INIT_DONE;
	sa->local = fx_addr("198.51.100.1", 500);
	sa->remote = fx_addr("203.0.113.9", 500);
	sa->encr_id = 3;
	sa->prf_id = 1;
	sa->integ_id = 1;
	sa->dh_group = 2;
	sa->lifetime_sec = 28800;
	sa->created = SEED_LOGIN;
	sa->v1_mode = 2;
	sa->v1_auth = 1;
	sa->v1_state = "MM_WAIT_MSG3";
}

/* NUL-terminated view of a buffer (the buffer keeps ownership). */
static inline const char *fx_str(struct buf *b)
{
	buf_put_u8(b, '\0');
	b->len--;
	return (const char *)b->data;
}

static inline void fx_first_diff(const char *got, const char *want)
{
	int line = 1;
	const char *g = got, *w = want;
	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	const char *gl = g, *wl = w;
	while (gl > got && gl[-1] != '\n')
		gl--;
	while (wl > want && wl[-1] != '\n')
		wl--;
	fprintf(stderr, "  first difference in line %d:\n    got:  \"%.*s\"\n    want: \"%.*s\"\n",
		line, (int)strcspn(gl, "\n"), gl, (int)strcspn(wl, "\n"), wl);
}

#define T_EQ_TEXT(got, want)                                                          \
	do {                                                                          \
		const char *t_g_ = (got), *t_w_ = (want);                              \
		if (strcmp(t_g_, t_w_) != 0) {                                        \
			fprintf(stderr, "  %s:%d: text differs\n", __FILE__, __LINE__); \
			fx_first_diff(t_g_, t_w_);                                     \
			t_failed_checks++;                                            \
		}                                                                     \
	} while (0)

#endif
