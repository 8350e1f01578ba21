/* MS-CHAPv2 primitives (RFC 2759 §8) and MPPE keys (RFC 3079 §3.4) as
 * EAP-MSCHAPv2 uses them for its MSK.
 *
 *   ChallengeHash   = SHA1(PeerChallenge || AuthChallenge || UserName)[0..8]
 *                     (UserName without a "DOMAIN\" prefix)
 *   NT-Response     = DES(K1, CH) || DES(K2, CH) || DES(K3, CH)
 *                     K1|K2|K3 = NT hash zero-padded to 21 bytes, 7 each
 *   Authenticator   = "S=" hex(SHA1(SHA1(MD4(NT hash) || NT-Response || Magic1)
 *                                   || ChallengeHash || Magic2))
 *   MasterKey       = SHA1(MD4(NT hash) || NT-Response || "This is the MPPE Master Key")[0..16]
 *   start keys      = SHA1(MasterKey || 40 x 00 || Magic || 40 x f2)[0..len]
 *                     Magic2 = client send = server receive, Magic3 the other way
 *   MSK             = MasterReceiveKey || MasterSendKey || 32 x 00
 *                     (authenticator's view: receive = Magic2, send = Magic3;
 *                     the layout strongSwan and hostapd use on both ends)
 *
 * MD4 and DES need the OpenSSL legacy provider, loaded on first use. */
#include <stdio.h>
#include <string.h>

#include "auth/eap.h"
#include "base/mem.h"
#include "crypto/crypto.h"

static const char ms_magic1[] = "Magic server to client signing constant";
static const char ms_magic2[] = "Pad to make it do more than one iteration";
static const char mppe_master[] = "This is the MPPE Master Key";
static const char mppe_magic2[] =
	"On the client side, this is the send key; on the server side, it is the receive key.";
static const char mppe_magic3[] =
	"On the client side, this is the receive key; on the server side, it is the send key.";

#define SHS_PAD_LEN 40

static int ms_legacy(void)
{
	return crypto_legacy_available() || crypto_enable_legacy() == 0 ? 0 : -1;
}

static const char *ms_strip_domain(const char *user)
{
	const char *bs = strchr(user, '\\');
	return bs ? bs + 1 : user;
}

int mschapv2_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
			    const char *user, uint8_t out[8])
{
	uint8_t d[20];
	const char *u = ms_strip_domain(user ? user : "");
	if (crypto_hash(HASH_SHA1, peer_challenge, 16, auth_challenge, 16, (const uint8_t *)u,
			strlen(u), d) != 0)
		return -1;
	memcpy(out, d, 8);
	return 0;
}

int mschapv2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
			 const char *user, const uint8_t nt_hash[16], uint8_t out[24])
{
	uint8_t ch[8], z[21];
	int rc = -1;
	memset(z, 0, sizeof(z));
	memcpy(z, nt_hash, 16);
	if (ms_legacy() != 0 || mschapv2_challenge_hash(peer_challenge, auth_challenge, user, ch))
		goto out;
	for (int i = 0; i < 3; i++)
		if (crypto_des_7(z + 7 * i, ch, out + 8 * i) != 0)
			goto out;
	rc = 0;
out:
	mem_wipe(z, sizeof(z));
	return rc;
}

static int ms_hash_hash(const uint8_t nt_hash[16], uint8_t out[16])
{
	if (ms_legacy() != 0)
		return -1;
	return crypto_hash(HASH_MD4, nt_hash, 16, NULL, 0, NULL, 0, out);
}

int mschapv2_authenticator_response(const uint8_t nt_hash[16], const uint8_t nt_response[24],
				    const uint8_t peer_challenge[16],
				    const uint8_t auth_challenge[16], const char *user,
				    char out[43])
{
	uint8_t hh[16], d[20], d2[20], ch[8];
	int rc = -1;
	out[0] = '\0';
	if (ms_hash_hash(nt_hash, hh) != 0 ||
	    crypto_hash(HASH_SHA1, hh, 16, nt_response, 24, (const uint8_t *)ms_magic1,
			sizeof(ms_magic1) - 1, d) != 0 ||
	    mschapv2_challenge_hash(peer_challenge, auth_challenge, user, ch) != 0 ||
	    crypto_hash(HASH_SHA1, d, 20, ch, 8, (const uint8_t *)ms_magic2,
			sizeof(ms_magic2) - 1, d2) != 0)
		goto out;
	out[0] = 'S';
	out[1] = '=';
	for (int i = 0; i < 20; i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", d2[i]);
	rc = 0;
out:
	mem_wipe(hh, sizeof(hh));
	mem_wipe(d, sizeof(d));
	mem_wipe(d2, sizeof(d2));
	return rc;
}

int mschapv2_master_key(const uint8_t nt_hash[16], const uint8_t nt_response[24], uint8_t out[16])
{
	uint8_t hh[16], d[20];
	int rc = -1;
	if (ms_hash_hash(nt_hash, hh) == 0 &&
	    crypto_hash(HASH_SHA1, hh, 16, nt_response, 24, (const uint8_t *)mppe_master,
			sizeof(mppe_master) - 1, d) == 0) {
		memcpy(out, d, 16);
		rc = 0;
	}
	mem_wipe(hh, sizeof(hh));
	mem_wipe(d, sizeof(d));
	return rc;
}

int mschapv2_asymmetric_key(const uint8_t master_key[16], uint8_t out[16], size_t key_len,
			    bool is_send, bool is_server)
{
	uint8_t head[16 + SHS_PAD_LEN], tail[SHS_PAD_LEN], d[20];
	int rc = -1;
	if (key_len > 16)
		return -1;
	/* GetAsymmetricStartKey: send on the server = receive on the client */
	const char *magic = is_send == is_server ? mppe_magic3 : mppe_magic2;
	memcpy(head, master_key, 16);
	memset(head + 16, 0x00, SHS_PAD_LEN);
	memset(tail, 0xf2, SHS_PAD_LEN);
	if (crypto_hash(HASH_SHA1, head, sizeof(head), (const uint8_t *)magic, strlen(magic), tail,
			sizeof(tail), d) == 0) {
		memcpy(out, d, key_len);
		rc = 0;
	}
	mem_wipe(head, sizeof(head));
	mem_wipe(d, sizeof(d));
	return rc;
}

int mschapv2_msk(const uint8_t nt_hash[16], const uint8_t nt_response[24], uint8_t msk[64])
{
	uint8_t mk[16];
	int rc = -1;
	memset(msk, 0, 64);
	if (mschapv2_master_key(nt_hash, nt_response, mk) == 0 &&
	    mschapv2_asymmetric_key(mk, msk, 16, false, true) == 0 &&      /* receive */
	    mschapv2_asymmetric_key(mk, msk + 16, 16, true, true) == 0)    /* send */
		rc = 0;
	if (rc)
		memset(msk, 0, 64);
	mem_wipe(mk, sizeof(mk));
	return rc;
}
