/* ike/v1 keys1: IKEv1 key derivation (RFC 2409 §5, App. B), phase-1 and
 * Quick Mode hashes, KEYMAT, IVs, CBC protection and NAT-D (RFC 3947). */
#include "../t.h"

#include "crypto/crypto.h"
#include "ike/v1/keys1.h"

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

/* A phase-1 SA over hash attribute `hash_attr` and Oakley cipher `encr`
 * keyed from fixed inputs (PSK, nonces, g^xy, cookies). */
static int setup_keys(struct v1_keys *k, uint16_t hash_attr, uint16_t encr, uint16_t bits)
{
	uint8_t ni[20], nr[24], gxy[128];
	static const uint8_t psk[] = "cisco123";
	memset(k, 0, sizeof(*k));
	fill(ni, sizeof(ni), 1);
	fill(nr, sizeof(nr), 2);
	fill(gxy, sizeof(gxy), 3);
	k->prf = crypto_prf_ikev1(hash_attr);
	k->encr = crypto_encr_ikev1(encr, bits);
	if (!k->prf || !k->encr || v1_hash_from_attr(hash_attr, &k->hash) < 0)
		return -1;
	if (v1_skeyid_psk(k->prf, psk, sizeof(psk) - 1, ni, sizeof(ni), nr, sizeof(nr), k->skeyid) < 0)
		return -1;
	return v1_keys_derive(k, gxy, sizeof(gxy), 0x0102030405060708ull, 0x1112131415161718ull);
}

static void test_encrypt_decrypt_round_trip_restores_the_message(void)
{
	struct v1_keys k;
	T_CHECK(setup_keys(&k, 2, 7, 256) == 0);
	uint8_t gxi[128], gxr[128];
	fill(gxi, sizeof(gxi), 9);
	fill(gxr, sizeof(gxr), 10);
	T_CHECK(v1_iv_phase1(&k, gxi, sizeof(gxi), gxr, sizeof(gxr)) == 0);
	uint8_t msg[64], plain[64], iv_e[16], iv_d[16];
	fill(plain, sizeof(plain), 42);
	memcpy(msg, plain, sizeof(msg));
	memcpy(iv_e, k.iv, 16);
	memcpy(iv_d, k.iv, 16);
	T_CHECK(v1_encrypt(&k, iv_e, msg, sizeof(msg)) == 0);
	T_CHECK(memcmp(msg, plain, sizeof(msg)) != 0);
	T_CHECK(v1_decrypt(&k, iv_d, msg, sizeof(msg)) == 0);
	T_EQ_MEM(msg, plain, sizeof(msg));
	T_EQ_MEM(iv_e, iv_d, 16);
	v1_keys_wipe(&k);
}

int main(void)
{
	if (crypto_init() < 0)
		return 1;
	T_RUN(test_encrypt_decrypt_round_trip_restores_the_message);
	T_DONE();
}
