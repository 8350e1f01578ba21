/* Diffie-Hellman: RFC 5903 and RFC 7748 known answers, MODP agreement and
 * refusal of bad peer values. */
#include "../t.h"

#include "crypto/crypto.h"

#define HEX(s, b) t_unhex((s), (b), sizeof(b))

/* RFC 3526 §3, the 2048-bit MODP group (IKE group 14). */
static const char modp2048_p[] =
	"FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
	"29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
	"EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
	"E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
	"EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
	"C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
	"83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D"
	"670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B"
	"E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9"
	"DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
	"15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

/* RFC 5903 §8.1, 256-bit random ECP group. */
static const char p256_i[] = "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433";
static const char p256_gi[] =
	"DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
	"5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3";
static const char p256_r[] = "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53";
static const char p256_gr[] =
	"D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
	"56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB";
static const char p256_girx[] = "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE";

static void ecp256_matches_rfc5903(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(19);
	uint8_t i[32], r[32], gi[64], gr[64], girx[32], pub[64], z[32];
	size_t zl = 0;
	HEX(p256_i, i);
	HEX(p256_r, r);
	HEX(p256_gi, gi);
	HEX(p256_gr, gr);
	HEX(p256_girx, girx);
	T_CHECK(g && g->pub_len == 64 && g->shared_len == 32);
	struct crypto_dh *a = crypto_dh_new_from_private(g, i, 32);
	struct crypto_dh *b = crypto_dh_new_from_private(g, r, 32);
	T_CHECK(a && b);
	if (!a || !b)
		goto out;
	T_EQ_INT(crypto_dh_public(a, pub), 0);
	T_EQ_MEM(pub, gi, 64);
	T_EQ_INT(crypto_dh_public(b, pub), 0);
	T_EQ_MEM(pub, gr, 64);
	T_EQ_INT(crypto_dh_shared(a, gr, 64, z, &zl), 0);
	T_EQ_INT(zl, 32);
	T_EQ_MEM(z, girx, 32);
	memset(z, 0, sizeof(z));
	T_EQ_INT(crypto_dh_shared(b, gi, 64, z, &zl), 0);
	T_EQ_MEM(z, girx, 32);
out:
	crypto_dh_free(a);
	crypto_dh_free(b);
}

static void ecp_refuses_points_off_the_curve_and_bad_lengths(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(19);
	uint8_t i[32], gr[65] = { 0 }, z[32], zero[64] = { 0 };
	size_t zl = 0;
	HEX(p256_i, i);
	HEX(p256_gr, gr);
	struct crypto_dh *a = crypto_dh_new_from_private(g, i, 32);
	T_CHECK(a != NULL);
	if (!a)
		return;
	gr[63] ^= 1;                                      /* y no longer on the curve */
	T_EQ_INT(crypto_dh_shared(a, gr, 64, z, &zl), -1);
	gr[63] ^= 1;
	T_EQ_INT(crypto_dh_shared(a, gr, 63, z, &zl), -1);
	T_EQ_INT(crypto_dh_shared(a, gr, 65, z, &zl), -1);
	T_EQ_INT(crypto_dh_shared(a, zero, 64, z, &zl), -1);
	T_EQ_INT(crypto_dh_shared(a, gr, 64, z, &zl), 0);  /* the good value still works */
	crypto_dh_free(a);
}

/* RFC 7748 §6.1 */
static void x25519_matches_rfc7748(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(31);
	uint8_t a_priv[32], a_pub[32], b_priv[32], b_pub[32], k[32], pub[32], z[32];
	size_t zl = 0;
	HEX("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a_priv);
	HEX("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", a_pub);
	HEX("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b_priv);
	HEX("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pub);
	HEX("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", k);
	T_CHECK(g && g->pub_len == 32 && g->shared_len == 32);
	struct crypto_dh *a = crypto_dh_new_from_private(g, a_priv, 32);
	struct crypto_dh *b = crypto_dh_new_from_private(g, b_priv, 32);
	T_CHECK(a && b);
	if (!a || !b)
		goto out;
	T_EQ_INT(crypto_dh_public(a, pub), 0);
	T_EQ_MEM(pub, a_pub, 32);
	T_EQ_INT(crypto_dh_public(b, pub), 0);
	T_EQ_MEM(pub, b_pub, 32);
	T_EQ_INT(crypto_dh_shared(a, b_pub, 32, z, &zl), 0);
	T_EQ_INT(zl, 32);
	T_EQ_MEM(z, k, 32);
	T_EQ_INT(crypto_dh_shared(b, a_pub, 32, z, &zl), 0);
	T_EQ_MEM(z, k, 32);
out:
	crypto_dh_free(a);
	crypto_dh_free(b);
}

/* RFC 8031 §2.3: a low-order peer point gives an all-zero secret, which
 * must be refused. */
static void x25519_refuses_low_order_points(void)
{
	struct crypto_dh *a = crypto_dh_new(crypto_dh_group(31));
	uint8_t u[32] = { 0 }, z[32];
	size_t zl = 0;
	T_CHECK(a != NULL);
	if (!a)
		return;
	T_EQ_INT(crypto_dh_shared(a, u, 32, z, &zl), -1);    /* u = 0 */
	u[0] = 1;
	T_EQ_INT(crypto_dh_shared(a, u, 32, z, &zl), -1);    /* u = 1 */
	T_EQ_INT(crypto_dh_shared(a, u, 31, z, &zl), -1);
	crypto_dh_free(a);
}

static void modp2048_two_parties_agree(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(14);
	static uint8_t pa[256], pb[256], za[256], zb[256];
	size_t la = 0, lb = 0;
	T_CHECK(g && g->pub_len == 256 && g->shared_len == 256 && !g->legacy_weak);
	struct crypto_dh *a = crypto_dh_new(g), *b = crypto_dh_new(g);
	T_CHECK(a && b);
	if (!a || !b)
		goto out;
	T_EQ_INT(crypto_dh_public(a, pa), 0);
	T_EQ_INT(crypto_dh_public(b, pb), 0);
	T_CHECK(memcmp(pa, pb, 256) != 0);
	T_EQ_INT(crypto_dh_shared(a, pb, 256, za, &la), 0);
	T_EQ_INT(crypto_dh_shared(b, pa, 256, zb, &lb), 0);
	T_EQ_INT(la, 256);
	T_EQ_INT(lb, 256);
	T_EQ_MEM(za, zb, 256);
	T_CHECK(memcmp(za, pa, 256) != 0);
out:
	crypto_dh_free(a);
	crypto_dh_free(b);
}

/* g^2 = 4 and (g^3)^2 = 2^6 = 64: the encoding is the zero-padded
 * big-endian value of the prime's length. */
static void modp_encodes_values_padded_to_prime_length(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(14);
	static uint8_t pub[256], peer[256], z[256], want[256];
	size_t zl = 0;
	uint8_t two = 2;
	struct crypto_dh *a = crypto_dh_new_from_private(g, &two, 1);
	T_CHECK(a != NULL);
	if (!a)
		return;
	T_EQ_INT(crypto_dh_public(a, pub), 0);
	memset(want, 0, sizeof(want));
	want[255] = 4;
	T_EQ_MEM(pub, want, 256);
	memset(peer, 0, sizeof(peer));
	peer[255] = 8;
	T_EQ_INT(crypto_dh_shared(a, peer, 256, z, &zl), 0);
	want[255] = 64;
	T_EQ_MEM(z, want, 256);
	crypto_dh_free(a);
	uint8_t one = 1;
	T_CHECK(crypto_dh_new_from_private(g, &one, 1) == NULL);
}

static void modp_refuses_0_1_p_minus_1_p_and_bad_lengths(void)
{
	const struct crypto_dh_group *g = crypto_dh_group(14);
	static uint8_t p[257], v[257], z[256];
	size_t zl = 0;
	T_EQ_INT(HEX(modp2048_p, p), 256);
	struct crypto_dh *a = crypto_dh_new(g);
	T_CHECK(a != NULL);
	if (!a)
		return;
	memset(v, 0, sizeof(v));
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), -1);      /* 0 */
	v[255] = 1;
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), -1);      /* 1 */
	memcpy(v, p, 256);
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), -1);      /* p */
	v[255] = 0xfe;
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), -1);      /* p - 1 */
	memset(v, 0xff, sizeof(v));
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), -1);      /* > p */
	v[0] = 0;
	v[255] = 5;
	T_EQ_INT(crypto_dh_shared(a, v + 1, 255, z, &zl), -1);  /* short */
	memset(v, 0, sizeof(v));
	v[256] = 5;
	T_EQ_INT(crypto_dh_shared(a, v, 257, z, &zl), -1);      /* long */
	memcpy(v, p, 256);
	v[255] = 0xfd;
	T_EQ_INT(crypto_dh_shared(a, v, 256, z, &zl), 0);       /* p - 2 is allowed */
	crypto_dh_free(a);
}

/* Every group: key pair, public value of the KE length, agreement. */
static void every_group_agrees_with_itself(void)
{
	static uint8_t pa[1024], pb[1024], za[1024], zb[1024];
	size_t n = 0;
	for (const struct crypto_dh_group *g; (g = crypto_dh_group_at(n)); n++) {
		size_t la = 0, lb = 0;
		T_CHECK(g->pub_len <= CRYPTO_MAX_DH_PUB);
		T_CHECK(crypto_dh_group(g->id) == g);
		struct crypto_dh *a = crypto_dh_new(g), *b = crypto_dh_new(g);
		T_CHECK(a && b);
		if (a && b) {
			T_EQ_INT(crypto_dh_public(a, pa), 0);
			T_EQ_INT(crypto_dh_public(b, pb), 0);
			T_EQ_INT(crypto_dh_shared(a, pb, g->pub_len, za, &la), 0);
			T_EQ_INT(crypto_dh_shared(b, pa, g->pub_len, zb, &lb), 0);
			T_EQ_INT(la, g->shared_len);
			T_EQ_INT(lb, g->shared_len);
			T_EQ_MEM(za, zb, g->shared_len);
		}
		crypto_dh_free(a);
		crypto_dh_free(b);
	}
	T_EQ_INT(n, 12);
	T_CHECK(crypto_dh_group(2) && crypto_dh_group(2)->legacy_weak);
	T_CHECK(crypto_dh_group(21) && crypto_dh_group(21)->pub_len == 132);
	T_CHECK(crypto_dh_group(99) == NULL);
	crypto_dh_free(NULL);
}

int main(void)
{
	if (crypto_init() != 0) {
		printf("FAIL crypto_init\n");
		return 1;
	}
	T_RUN(ecp256_matches_rfc5903);
	T_RUN(ecp_refuses_points_off_the_curve_and_bad_lengths);
	T_RUN(x25519_matches_rfc7748);
	T_RUN(x25519_refuses_low_order_points);
	T_RUN(modp2048_two_parties_agree);
	T_RUN(modp_encodes_values_padded_to_prime_length);
	T_RUN(modp_refuses_0_1_p_minus_1_p_and_bad_lengths);
	T_RUN(every_group_agrees_with_itself);
	T_DONE();
}
