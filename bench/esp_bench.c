/* esp_bench: ESP encapsulation and decapsulation speed on one core, no I/O.
 *
 *   esp_bench [seconds-per-case] [packet-size...]
 *
 * For each algorithm (AES-GCM-128, AES-GCM-256, AES-CBC-128 + HMAC-SHA1-96,
 * AES-CBC-256 + HMAC-SHA2-256-128) and inner packet size (default 1400, 512,
 * 64 bytes): encap alone (as the TUN -> network path does it: sequence
 * number, padding, encryption, ICV), decap alone (replay check, ICV,
 * decryption, replay commit, trailer and inner checks), and the two
 * together.  Prints packets/s and Gbit/s of inner payload per core. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "esp/esp_int.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct alg {
	const char *name;
	uint16_t encr, bits, integ;
};

static const struct alg algs[] = {
	{ "AES-GCM-128", 20, 128, 0 },
	{ "AES-GCM-256", 20, 256, 0 },
	{ "AES-CBC-128/SHA1-96", 12, 128, 2 },
	{ "AES-CBC-256/SHA256-128", 12, 256, 12 },
};

static struct esp_sa *install(struct esp *e, const struct alg *a, uint32_t spi_in, uint32_t spi_out)
{
	static uint8_t ek[64], ik[64];
	for (int i = 0; i < 64; i++) {
		ek[i] = (uint8_t)(i * 3 + 1);
		ik[i] = (uint8_t)(i * 5 + 2);
	}
	struct esp_sa_params p;
	memset(&p, 0, sizeof(p));
	p.spi_in = spi_in;
	p.spi_out = spi_out;
	p.encr = crypto_encr_ikev2(a->encr, a->bits);
	p.integ = a->integ ? crypto_integ_ikev2(a->integ) : NULL;
	p.encr_key_in = p.encr_key_out = ek;
	p.integ_key_in = p.integ_key_out = ik;
	p.inner_addr.s_addr = htonl(0x0a0a0002);
	p.inner_prefix = 32;
	p.peer.sin_family = AF_INET;
	p.peer.sin_port = htons(4500);
	p.udp_encap = true;
	p.replay_window = 1024;
	if (esp_sa_install(e, &p) < 0) {
		fprintf(stderr, "install %s failed\n", a->name);
		exit(1);
	}
	return esp_sa_lookup_in(e, spi_in);
}

static void report(const char *alg, size_t size, const char *what, uint64_t n, double dt)
{
	double pps = (double)n / dt;
	printf("%-24s %5zu B  %-12s %10.0f pkt/s  %7.3f Gbit/s\n", alg, size, what, pps,
	       pps * (double)size * 8 / 1e9);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	size_t sizes[8] = { 1400, 512, 64 };
	int nsizes = 3;
	if (argc > 2) {
		nsizes = 0;
		for (int i = 2; i < argc && nsizes < 8; i++)
			sizes[nsizes++] = (size_t)atoi(argv[i]);
	}
	log_set_stderr(false);
	if (crypto_init() < 0)
		return 1;
	struct esp_config cfg = { .tun_name = "", .workers = 1, .udp_port = ESP_NO_UDP };
	static uint8_t buf[ESP_HEADROOM + 9000 + ESP_TAILROOM];
	static uint8_t pkts[256][ESP_HEADROOM + 9000 + ESP_TAILROOM];
	static size_t plen[256];
	static uint8_t inner[9000];
	static uint8_t iv[16] = { 1, 2, 3, 4 };

	for (size_t k = 0; k < sizeof(algs) / sizeof(algs[0]); k++) {
		for (int z = 0; z < nsizes; z++) {
			size_t size = sizes[z];
			if (size < 20 || size > 9000)
				continue;
			struct esp *tx = esp_new(&cfg, NULL, NULL, NULL);
			struct esp *rx = esp_new(&cfg, NULL, NULL, NULL);
			struct esp_sa *out = install(tx, &algs[k], 0x2000, 0x1000);
			struct esp_sa *in = install(rx, &algs[k], 0x1000, 0x2000);
			struct esp_slot *so = esp_slot_get(out, 0), *si = esp_slot_get(in, 0);
			memset(inner, 0x5a, size);
			inner[0] = 0x45;
			inner[2] = (uint8_t)(size >> 8);
			inner[3] = (uint8_t)size;
			inner[12] = 10, inner[13] = 10, inner[14] = 0, inner[15] = 2;
			const uint8_t *ivp = out->aead ? NULL : iv;

			/* encap: copy in (as from the TUN) and encrypt */
			uint64_t n = 0;
			double t0 = now_s(), t;
			do {
				for (int i = 0; i < 256; i++) {
					uint64_t seq;
					uint8_t *esp;
					size_t len;
					memcpy(buf + ESP_HEADROOM, inner, size);
					if (esp_seq_next(out, &seq) != ESP_V_OK ||
					    esp_encap(out, so, seq, ivp, 4, buf + ESP_HEADROOM, size, &esp,
						      &len) != ESP_V_OK)
						return 1;
				}
				n += 256;
			} while ((t = now_s()) - t0 < secs);
			report(algs[k].name, size, "encap", n, t - t0);

			/* decap: 256 distinct packets, re-made when the window passes them */
			n = 0;
			double busy = 0;
			while (busy < secs) {
				for (int i = 0; i < 256; i++) {
					uint64_t seq;
					uint8_t *esp;
					memcpy(buf + ESP_HEADROOM, inner, size);
					if (esp_seq_next(out, &seq) != ESP_V_OK ||
					    esp_encap(out, so, seq, ivp, 4, buf + ESP_HEADROOM, size, &esp,
						      &plen[i]) != ESP_V_OK)
						return 1;
					memcpy(pkts[i], esp, plen[i]);
				}
				t0 = now_s();
				for (int i = 0; i < 256; i++) {
					uint8_t *ip, nh;
					size_t il;
					uint64_t seq;
					if (esp_decap(in, si, pkts[i], plen[i], &ip, &il, &nh, &seq) !=
						    ESP_V_OK ||
					    esp_inner_check(in, nh, ip, &il) != ESP_V_OK)
						return 1;
				}
				busy += now_s() - t0;
				n += 256;
			}
			report(algs[k].name, size, "decap", n, busy);

			/* both, as one gateway core forwarding in both directions */
			n = 0;
			t0 = now_s();
			do {
				for (int i = 0; i < 256; i++) {
					uint64_t seq, rseq;
					uint8_t *esp, *ip, nh;
					size_t len, il;
					memcpy(buf + ESP_HEADROOM, inner, size);
					if (esp_seq_next(out, &seq) != ESP_V_OK ||
					    esp_encap(out, so, seq, ivp, 4, buf + ESP_HEADROOM, size, &esp,
						      &len) != ESP_V_OK ||
					    esp_decap(in, si, esp, len, &ip, &il, &nh, &rseq) != ESP_V_OK)
						return 1;
				}
				n += 256;
			} while ((t = now_s()) - t0 < secs);
			report(algs[k].name, size, "encap+decap", n, t - t0);
			esp_free(tx);
			esp_free(rx);
		}
	}
	return 0;
}
