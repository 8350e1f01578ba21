/* MS-CHAPv2 primitives against RFC 2759 §9.2 and RFC 3079 §3.5.3. */
#include "../t.h"

#include "aaa/aaa.h"
#include "auth/eap.h"
#include "base/log.h"
#include "crypto/crypto.h"

/* RFC 2759 §9.2 (the RFC 3079 §3.5 samples reuse them) */
static const char *const user = "User";
static const char *const password = "clientPass";
static uint8_t auth_ch[16], peer_ch[16], nt_hash[16], nt_resp[24];

static void load_vectors(void)
{
	t_unhex("5B5D7C7D7B3F2F3E3C2C602132262628", auth_ch, 16);
	t_unhex("21402324255E262A28295F2B3A337C7E", peer_ch, 16);
	t_unhex("44EBBA8D5312B8D611474411F56989AE", nt_hash, 16);
	t_unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt_resp, 24);
}

static void rfc2759_challenge_hash(void)
{
	uint8_t got[8], want[8];
	t_unhex("D02E4386BCE91226", want, 8);
	T_EQ_INT(mschapv2_challenge_hash(peer_ch, auth_ch, user, got), 0);
	T_EQ_MEM(got, want, 8);
}

static void rfc2759_challenge_hash_skips_domain_prefix(void)
{
	uint8_t got[8], want[8];
	t_unhex("D02E4386BCE91226", want, 8);
	T_EQ_INT(mschapv2_challenge_hash(peer_ch, auth_ch, "EXAMPLE\\User", got), 0);
	T_EQ_MEM(got, want, 8);
}

static void rfc2759_nt_password_hash(void)
{
	uint8_t got[16];
	T_EQ_INT(aaa_nt_hash(password, strlen(password), got), 0);
	T_EQ_MEM(got, nt_hash, 16);
}

static void rfc2759_nt_response(void)
{
	uint8_t got[24];
	T_EQ_INT(mschapv2_nt_response(auth_ch, peer_ch, user, nt_hash, got), 0);
	T_EQ_MEM(got, nt_resp, 24);
}

static void rfc2759_authenticator_response(void)
{
	char got[43];
	T_EQ_INT(mschapv2_authenticator_response(nt_hash, nt_resp, peer_ch, auth_ch, user, got), 0);
	T_EQ_STR(got, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

static void rfc3079_master_key(void)
{
	uint8_t got[16], want[16];
	t_unhex("FDECE3717A8C838CB388E527AE3CDD31", want, 16);
	T_EQ_INT(mschapv2_master_key(nt_hash, nt_resp, got), 0);
	T_EQ_MEM(got, want, 16);
}

/* §3.5.3 SendStartKey128 is derived with IsSend and IsServer (Magic3): the
 * server's send key, which is the client's receive key. */
static void rfc3079_send_and_receive_start_keys(void)
{
	uint8_t mk[16], send[16], c_recv[16], recv[16], c_send[16], want[16], k8[16];
	t_unhex("FDECE3717A8C838CB388E527AE3CDD31", mk, 16);
	t_unhex("8B7CDC149B993A1BA118CB153F56DCCB", want, 16);
	T_EQ_INT(mschapv2_asymmetric_key(mk, send, 16, true, true), 0);
	T_EQ_MEM(send, want, 16);
	T_EQ_INT(mschapv2_asymmetric_key(mk, c_recv, 16, false, false), 0);
	T_EQ_MEM(c_recv, want, 16);
	T_EQ_INT(mschapv2_asymmetric_key(mk, recv, 16, false, true), 0);
	T_EQ_INT(mschapv2_asymmetric_key(mk, c_send, 16, true, false), 0);
	T_EQ_MEM(recv, c_send, 16);
	T_CHECK(memcmp(recv, send, 16) != 0);
	/* 40/56-bit start keys are the first 8 bytes (RFC 3079 §3.5.1/3.5.2) */
	T_EQ_INT(mschapv2_asymmetric_key(mk, k8, 8, true, true), 0);
	T_EQ_MEM(k8, want, 8);
	T_EQ_INT(mschapv2_asymmetric_key(mk, send, 17, true, true), -1);
}

/* MSK = MasterReceiveKey || MasterSendKey || 32 zero bytes, server view.
 * The receive key (Magic2) is not printed in RFC 3079; the value below was
 * computed separately from the §3.4 definition with Python's hashlib. */
static void eap_mschapv2_msk_layout(void)
{
	uint8_t msk[64], recv[16], send[16], zero[32] = { 0 };
	t_unhex("D5F0E9521E3EA9589645E86051C82226", recv, 16);
	t_unhex("8B7CDC149B993A1BA118CB153F56DCCB", send, 16);
	T_EQ_INT(mschapv2_msk(nt_hash, nt_resp, msk), 0);
	T_EQ_MEM(msk, recv, 16);
	T_EQ_MEM(msk + 16, send, 16);
	T_EQ_MEM(msk + 32, zero, 32);
}

int main(void)
{
	log_set_stderr(false);
	if (crypto_init() != 0) {
		fprintf(stderr, "crypto_init failed\n");
		return 1;
	}
	load_vectors();
	T_RUN(rfc2759_challenge_hash);
	T_RUN(rfc2759_challenge_hash_skips_domain_prefix);
	T_RUN(rfc2759_nt_password_hash);
	T_RUN(rfc2759_nt_response);
	T_RUN(rfc2759_authenticator_response);
	T_RUN(rfc3079_master_key);
	T_RUN(rfc3079_send_and_receive_start_keys);
	T_RUN(eap_mschapv2_msk_layout);
	T_DONE();
}
