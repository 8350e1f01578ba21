/* libFuzzer target for the IKEv1 responder engine (ike/v1) behind the codec:
 * what a datagram can make ravpnd do before any key is known — phase-1
 * policy selection, key lookup by group or address, vendor IDs, NAT-D,
 * Diffie-Hellman with the peer's KE, fragment reassembly, notifies in the
 * clear, retransmission detection — and then the same for a second
 * datagram carrying the cookies the first one produced (the responder's
 * cookie is taken from what ravpnd sent, so the fuzzer can reach the SA).
 *
 * Input: [1 byte: port selector] [2 bytes: length L of message 1]
 * [message 1 (L bytes)] [message 2 (rest)].  The engine is created once;
 * SAs are cleared after each input so state does not accumulate. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/pool.h"
#include "base/buf.h"
#include "base/loop.h"
#include "conf/conf.h"
#include "crypto/crypto.h"
#include "ike/core/ike.h"
#include "ike/v1/ikev1.h"

static const char config[] =
	"hostname gw\n"
	"interface Ethernet0/1\n nameif outside\n ip address 10.0.0.1 255.255.255.0\n"
	"ip local pool v1pool 10.3.3.1-10.3.3.20 mask 255.255.255.0\n"
	"crypto ipsec ikev1 transform-set AES256SHA esp-aes-256 esp-sha-hmac\n"
	"crypto ipsec ikev1 transform-set DESMD5 esp-des esp-md5-hmac\n"
	"crypto dynamic-map dynmap 10 set ikev1 transform-set AES256SHA DESMD5\n"
	"crypto map crymap 10000 ipsec-isakmp dynamic dynmap\n"
	"crypto map crymap interface outside\n"
	"crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash sha\n"
	" group 2\n"
	"crypto ikev1 policy 20\n authentication pre-share\n encryption des\n hash md5\n group 1\n"
	"crypto ikev1 enable outside\n"
	"isakmp key wildcard-key address 0.0.0.0 netmask 0.0.0.0\n"
	"group-policy GP internal\n"
	"group-policy GP attributes\n vpn-tunnel-protocol ikev1\n"
	"username alice password alice-pass privilege 0\n"
	"tunnel-group VPNC type remote-access\n"
	"tunnel-group VPNC general-attributes\n address-pool v1pool\n default-group-policy GP\n"
	"tunnel-group VPNC ipsec-attributes\n ikev1 pre-shared-key group-secret\n";

static struct {
	struct loop *loop;
	struct conf *conf;
	struct pool_set *pools;
	struct ike_io *io;
	struct ikev1 *v1;
	uint64_t last_cky_r;            /* responder cookie of the last message we sent */
} F;

static int capture(void *arg, const struct sockaddr_in *from, const struct sockaddr_in *to,
		   const uint8_t *data, size_t len)
{
	(void)arg;
	(void)from;
	(void)to;
	if (len >= 16) {
		uint64_t c = 0;
		for (int i = 8; i < 16; i++)
			c = c << 8 | data[i];
		F.last_cky_r = c;
	}
	return 0;
}

static struct conf *env_conf(void *a) { (void)a; return F.conf; }
static struct pool_set *env_pools(void *a) { (void)a; return F.pools; }

static int setup(void)
{
	if (crypto_init() < 0)
		return -1;
	(void)crypto_enable_legacy();        /* DES and group 1 policies */
	struct conf_diags d = { 0 };
	F.conf = conf_parse(config, strlen(config), "fuzz.conf", &d);
	conf_diags_free(&d);
	F.loop = loop_new();
	F.pools = F.conf ? pool_set_new(F.conf) : NULL;
	struct ike_io_opts o = { .no_sockets = true };
	F.io = F.conf ? ike_io_new(F.loop, F.conf, &o) : NULL;
	if (!F.loop || !F.pools || !F.io)
		return -1;
	ike_io_set_send_hook(F.io, capture, NULL);
	struct ikev1_env env = { env_conf, env_pools, NULL };
	F.v1 = ikev1_new(F.loop, F.io, &env);
	return F.v1 ? 0 : -1;
}

/* Put the responder cookie ravpnd chose into message 2, so it reaches the SA. */
static void aim(uint8_t *msg, size_t len)
{
	if (len < 16 || !F.last_cky_r)
		return;
	for (int i = 0; i < 8; i++)
		msg[8 + i] = (uint8_t)(F.last_cky_r >> (56 - 8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (setup() < 0)
			abort();
		ready = 1;
	}
	if (size < 3)
		return 0;
	bool natt = data[0] & 1;
	size_t l1 = (size_t)data[1] << 8 | data[2];
	data += 3;
	size -= 3;
	if (l1 > size)
		l1 = size;
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(500) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(500) };
	from.sin_addr.s_addr = htonl(0x0a000002u);
	to.sin_addr.s_addr = htonl(0x0a000001u);
	F.last_cky_r = 0;
	ike_io_input(F.io, data, l1, &from, &to);
	if (size > l1) {
		uint8_t *m2 = malloc(size - l1 + 4);
		if (!m2)
			return 0;
		size_t off = 0;
		if (natt) {                      /* the same over the NAT-T port */
			memset(m2, 0, 4);
			off = 4;
			from.sin_port = to.sin_port = htons(4500);
		}
		memcpy(m2 + off, data + l1, size - l1);
		aim(m2 + off, size - l1);
		ike_io_input(F.io, m2, size - l1 + off, &from, &to);
		free(m2);
	}
	ikev1_clear(F.v1, 0, "fuzz");
	return 0;
}
