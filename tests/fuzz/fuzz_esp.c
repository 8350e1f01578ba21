/* libFuzzer target for the ESP receive path (esp_input_udp: SPI lookup,
 * replay check, ICV, decryption, trailer, inner IPv4 checks).
 *
 * The first input byte picks how the rest is used:
 *   0: a raw UDP-encapsulated datagram (SPI onwards), as from the network;
 *      three SAs exist (AES-GCM-128, AES-CBC-256 + HMAC-SHA2-256 with ESN,
 *      ESP-NULL + HMAC-SHA1 without replay check), so only forged ICVs and
 *      malformed framing are reachable this way.
 *   1: [SA index][next header][inner packet]: encapsulated by the peer SA
 *      with a valid ICV, to reach the checks behind the ICV.
 *   2: [seq 4][payload with trailer]: an ESP-NULL packet whose ICV the
 *      harness computes, so padding, pad length and next header are all
 *      under the fuzzer's control.
 * Nothing may crash, leak or read out of bounds; every drop is counted. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "esp/esp_int.h"

#define NSA 3

static struct esp *gw, *cl;
static uint8_t null_ik[20];

static void install(const struct crypto_encr *x, const struct crypto_integ *in, uint32_t spi,
		    bool esn, bool replay_off)
{
	uint8_t ek[64], ik[64];
	for (int i = 0; i < 64; i++) {
		ek[i] = (uint8_t)(spi * 31 + i);
		ik[i] = (uint8_t)(spi * 17 + i);
	}
	if (spi == 0x3000)
		memcpy(null_ik, ik, sizeof(null_ik));
	struct esp_sa_params p;
	memset(&p, 0, sizeof(p));
	p.encr = x;
	p.integ = in;
	p.encr_key_in = p.encr_key_out = ek;
	p.integ_key_in = p.integ_key_out = ik;
	p.esn = esn;
	p.replay_off = replay_off;
	p.allow_weak = true;
	p.inner_addr.s_addr = htonl(0x0a0a0002);
	p.inner_prefix = 32;
	p.peer.sin_family = AF_INET;
	p.peer.sin_port = htons(4500);
	p.udp_encap = true;
	p.spi_in = p.spi_out = spi;
	if (esp_sa_install(gw, &p) < 0)
		abort();
	p.inner_prefix = 0;
	if (esp_sa_install(cl, &p) < 0)
		abort();
}

static void setup(void)
{
	log_set_stderr(false);
	if (crypto_init() < 0)
		abort();
	struct esp_config cfg = { .tun_name = "", .workers = 1, .udp_port = ESP_NO_UDP };
	gw = esp_new(&cfg, NULL, NULL, NULL);
	cl = esp_new(&cfg, NULL, NULL, NULL);
	if (!gw || !cl)
		abort();
	install(crypto_encr_ikev2(20, 128), NULL, 0x1000, false, false);
	install(crypto_encr_ikev2(12, 256), crypto_integ_ikev2(12), 0x2000, true, false);
	install(crypto_encr_ikev2(11, 0), crypto_integ_ikev2(2), 0x3000, false, true);
}

static const uint32_t spis[NSA] = { 0x1000, 0x2000, 0x3000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[ESP_HEADROOM + 4096 + ESP_TAILROOM];
	static uint8_t pkt[4096 + 128];
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(4500) };
	if (!gw)
		setup();
	if (size < 1)
		return 0;
	uint8_t mode = data[0] % 3;
	data++;
	size--;
	if (size > 4096)
		return 0;
	if (mode == 0) {
		(void)esp_input_udp(gw, data, size, &from);
	} else if (mode == 1) {
		if (size < 2)
			return 0;
		struct esp_sa *sa = esp_sa_lookup_in(cl, spis[data[0] % NSA]);
		uint8_t nh = data[1];
		size -= 2;
		memcpy(buf + ESP_HEADROOM, data + 2, size);
		uint64_t seq;
		uint8_t *esp;
		size_t len;
		uint8_t iv[16] = { 1, 2, 3 };
		if (esp_seq_next(sa, &seq) != ESP_V_OK ||
		    esp_encap(sa, esp_slot_get(sa, 1), seq, sa->aead ? NULL : iv, nh,
			      buf + ESP_HEADROOM, size, &esp, &len) != ESP_V_OK)
			return 0;
		(void)esp_input_udp(gw, esp, len, &from);
	} else {
		if (size < 4)
			return 0;
		uint8_t hdr[8] = { 0, 0, 0x30, 0x00 };
		memcpy(hdr + 4, data, 4);
		memcpy(pkt, hdr, 8);
		memcpy(pkt + 8, data + 4, size - 4);
		size_t n = 8 + size - 4;
		uint8_t full[64];
		if (crypto_hmac(HASH_SHA1, null_ik, sizeof(null_ik), pkt, n, full) < 0)
			return 0;
		memcpy(pkt + n, full, 12);
		(void)esp_input_udp(gw, pkt, n + 12, &from);
	}
	return 0;
}
