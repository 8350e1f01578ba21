/* esp_peer: one ravpn ESP endpoint with fixed keys, for the namespace test
 * of the data plane (tests/lab/esp_raw/run.sh) and tunnel benchmarks.
 *
 *   esp_peer --tun NAME --tun-addr A/LEN --local IP --peer IP --spi-in X --spi-out Y
 *            [--mode udp|raw] [--alg gcm128|gcm256|cbc128-sha1|cbc256-sha256]
 *            [--inner A/LEN] [--route P/LEN]... [--workers N] [--esn]
 *            [--no-offload] [--port N] [--peer-port N] [-v]
 *
 * Keys are derived from the SPI of each direction, so two peers started with
 * swapped SPIs agree without exchanging anything (no IKE here).  Runs until
 * SIGINT/SIGTERM, then prints its counters as "key value" lines and exits
 * 0.  Never for production: the keys are public. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "crypto/crypto.h"
#include "esp/esp.h"

#define MAX_ROUTES 8

static int parse_prefix(const char *s, struct in_addr *a, uint8_t *len)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	unsigned l = 32;
	if (slash) {
		*slash = '\0';
		l = (unsigned)atoi(slash + 1);
	}
	if (inet_pton(AF_INET, buf, a) != 1 || l > 32)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

static void derive(uint32_t spi, uint8_t tag, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)((spi >> (8 * (i % 4))) ^ (i * 37) ^ tag);
}

static void usage(void)
{
	fprintf(stderr, "usage: esp_peer --tun NAME --tun-addr A/LEN --local IP --peer IP "
			"--spi-in X --spi-out Y [--mode udp|raw] [--alg ALG] [--inner A/LEN] "
			"[--route P/LEN]... [--workers N] [--esn] [--no-offload] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct esp_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	struct esp_sa_params p;
	memset(&p, 0, sizeof(p));
	p.peer.sin_family = AF_INET;
	p.local.sin_family = AF_INET;
	p.udp_encap = true;
	p.inner_prefix = 0;
	p.allow_weak = true;
	const char *alg = "gcm128";
	struct in_addr routes[MAX_ROUTES];
	uint8_t route_len[MAX_ROUTES];
	int nroutes = 0;
	uint16_t peer_port = 4500;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-v")) {
			log_set_debug(LOG_IPSEC, 3);
			continue;
		}
		if (!strcmp(o, "--esn")) {
			p.esn = true;
			continue;
		}
		if (!strcmp(o, "--no-offload")) {
			cfg.no_offload = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(o, "--tun"))
			cfg.tun_name = v;
		else if (!strcmp(o, "--tun-addr")) {
			if (parse_prefix(v, &cfg.tun_addr, &cfg.tun_prefix) < 0)
				usage();
		} else if (!strcmp(o, "--local")) {
			if (inet_pton(AF_INET, v, &p.local.sin_addr) != 1)
				usage();
		} else if (!strcmp(o, "--peer")) {
			if (inet_pton(AF_INET, v, &p.peer.sin_addr) != 1)
				usage();
		} else if (!strcmp(o, "--spi-in"))
			p.spi_in = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(o, "--spi-out"))
			p.spi_out = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(o, "--mode")) {
			if (!strcmp(v, "raw"))
				p.udp_encap = false;
			else if (strcmp(v, "udp"))
				usage();
		} else if (!strcmp(o, "--alg"))
			alg = v;
		else if (!strcmp(o, "--inner")) {
			if (parse_prefix(v, &p.inner_addr, &p.inner_prefix) < 0)
				usage();
		} else if (!strcmp(o, "--route")) {
			if (nroutes == MAX_ROUTES ||
			    parse_prefix(v, &routes[nroutes], &route_len[nroutes]) < 0)
				usage();
			nroutes++;
		} else if (!strcmp(o, "--workers"))
			cfg.workers = (unsigned)atoi(v);
		else if (!strcmp(o, "--port"))
			cfg.udp_port = (uint16_t)atoi(v);
		else if (!strcmp(o, "--peer-port"))
			peer_port = (uint16_t)atoi(v);
		else
			usage();
	}
	if (!cfg.tun_name || !p.spi_in || !p.spi_out || !p.peer.sin_addr.s_addr)
		usage();
	p.peer.sin_port = htons(peer_port);
	cfg.raw_esp = !p.udp_encap;
	if (crypto_init() < 0) {
		fprintf(stderr, "esp_peer: crypto_init failed\n");
		return 1;
	}
	if (!strcmp(alg, "gcm128") || !strcmp(alg, "gcm256")) {
		p.encr = crypto_encr_ikev2(20, !strcmp(alg, "gcm128") ? 128 : 256);
	} else if (!strcmp(alg, "cbc128-sha1")) {
		p.encr = crypto_encr_ikev2(12, 128);
		p.integ = crypto_integ_ikev2(2);
	} else if (!strcmp(alg, "cbc256-sha256")) {
		p.encr = crypto_encr_ikev2(12, 256);
		p.integ = crypto_integ_ikev2(12);
	} else {
		usage();
	}
	uint8_t ek_in[64], ek_out[64], ik_in[64], ik_out[64];
	derive(p.spi_in, 0x5e, ek_in, sizeof(ek_in));
	derive(p.spi_out, 0x5e, ek_out, sizeof(ek_out));
	derive(p.spi_in, 0xa1, ik_in, sizeof(ik_in));
	derive(p.spi_out, 0xa1, ik_out, sizeof(ik_out));
	p.encr_key_in = ek_in;
	p.encr_key_out = ek_out;
	p.integ_key_in = ik_in;
	p.integ_key_out = ik_out;

	/* Signals are taken synchronously; the workers inherit the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct esp *e = esp_new(&cfg, NULL, NULL, NULL);
	if (!e) {
		fprintf(stderr, "esp_peer: esp_new failed\n");
		return 1;
	}
	int rc = esp_start(e);
	if (rc < 0) {
		fprintf(stderr, "esp_peer: esp_start: %s\n", strerror(-rc));
		esp_free(e);
		return 1;
	}
	rc = esp_sa_install(e, &p);
	if (rc < 0) {
		fprintf(stderr, "esp_peer: esp_sa_install: %s\n", strerror(-rc));
		esp_free(e);
		return 1;
	}
	for (int i = 0; i < nroutes; i++)
		if (esp_route_add(e, routes[i], route_len[i]) < 0) {
			esp_free(e);
			return 1;
		}
	printf("ready %s workers %u\n", esp_get_tun_name(e), esp_get_workers(e));
	fflush(stdout);

	int sig = 0;
	sigwait(&set, &sig);

	struct esp_sa_stats s;
	struct esp_stats g;
	if (esp_sa_stats(e, p.spi_in, &s) == 0)
		printf("pkts_encaps %llu\npkts_decaps %llu\nbytes_out %llu\nbytes_in %llu\n"
		       "verify_fail %llu\nreplay %llu\nbad_pad %llu\nbad_inner %llu\nspoofed %llu\n"
		       "send_errors %llu\nrecv_errors %llu\n",
		       (unsigned long long)s.pkts_encaps, (unsigned long long)s.pkts_decaps,
		       (unsigned long long)s.bytes_out, (unsigned long long)s.bytes_in,
		       (unsigned long long)s.verify_fail, (unsigned long long)s.replay,
		       (unsigned long long)s.bad_pad, (unsigned long long)s.bad_inner,
		       (unsigned long long)s.spoofed, (unsigned long long)s.send_errors,
		       (unsigned long long)s.recv_errors);
	esp_stats(e, &g);
	printf("unknown_spi %llu\nno_sa_dst %llu\ntun_ipv6 %llu\ntun_rx %llu\ntun_tx %llu\n"
	       "tun_gso %llu\ntun_gro %llu\nrx_pkts %llu\ntx_pkts %llu\ntun_errors %llu\nsend_errors_all %llu\n",
	       (unsigned long long)g.unknown_spi, (unsigned long long)g.no_sa_dst,
	       (unsigned long long)g.tun_ipv6, (unsigned long long)g.tun_rx,
	       (unsigned long long)g.tun_tx, (unsigned long long)g.tun_gso,
	       (unsigned long long)g.tun_gro,
	       (unsigned long long)g.rx_pkts, (unsigned long long)g.tx_pkts,
	       (unsigned long long)g.tun_errors, (unsigned long long)g.send_errors);
	fflush(stdout);
	esp_free(e);
	return 0;
}
