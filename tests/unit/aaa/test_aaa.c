/* Local AAA: Cisco PIX/ASA "encrypted" hashes, NT hashes, and what each
 * stored password form answers for each method. */
#include "../t.h"

#include "aaa/aaa.h"
#include "base/log.h"
#include "crypto/crypto.h"

/* ---- captured log lines ---------------------------------------------------- */

static char captured[16][512];
static int n_captured;

static void capture(const char *line, void *arg)
{
	(void)arg;
	if (n_captured < 16)
		snprintf(captured[n_captured++], sizeof(captured[0]), "%s", line);
}

static bool captured_has(const char *needle)
{
	for (int i = 0; i < n_captured; i++)
		if (strstr(captured[i], needle))
			return true;
	return false;
}

/* ---- Cisco "encrypted" --------------------------------------------------------- */

struct cisco_vec {
	const char *pw, *user, *hash;
};

/* Published pairs: the PIX empty password and "cisco" (perlmonks, hsc.fr,
 * Cisco's PIX 5.0 command reference for the last two), and the pairs
 * passlib confirmed on an ASA 9.6 (user salt, 3-char user repeated, long
 * user truncated, 32-byte padding from 13+ bytes, no salt from 28 bytes). */
static const struct cisco_vec asa_vectors[] = {
	{ "", "", "8Ry2YjIyt7RRXU24" },
	{ "cisco", "", "2KFQnbNIdI.2KYOU" },
	{ "hsc", "", "YtT8/k6Np8F1yz2c" },
	{ "1234567890123456", "", "feCkwUGktTCAgIbD" },
	{ "watag00s1am", "", "jMorNbK0514fadBh" },
	{ "1234", "", "RLPMUQ26KL4blgFN" },
	{ "01234567", "user", "PNZ4ycbbZ0jp1.j1" },
	{ "01234567", "user1234", "PNZ4ycbbZ0jp1.j1" },
	{ "01234567", "adm", "dfWs2qiao6KD/P2L" },
	{ "01234567", "365", "8xPrWpNnBdD2DzdZ" },
	{ "0123456789ab", "user", "f.T4BKdzdNkjxQl7" },
	{ "0123456789abc", "user", "8Q/FZeam5ai1A47p" },
	{ "0123456789abc", "", "eacOpB7vE7ZDukSF" },
	{ "0123456789abcdef", "user", "IneB.wc9sfRzLPoh" },
	{ "0123456789abcdefq", "", "bKshl.EN.X3CVFRQ" },
	{ "0123456789abcdefq", "user", "/dwqyD7nGdwSrDwk" },
	{ "0123456789abcdefqwertyuiopa", "user", "zynfWw3UtszxLMgL" },
	{ "0123456789abcdefqwertyuiopas", "user", "W6nbOddI0SutTK7m" },
	{ "0123456789abcdefqwertyuiopasdfgh", "user", "5hPT/iC6DnoBxo6a" },
};

static void cisco_asa_hash_matches_published_pairs(void)
{
	for (size_t i = 0; i < sizeof(asa_vectors) / sizeof(asa_vectors[0]); i++) {
		char h[17];
		aaa_cisco_pix_hash(asa_vectors[i].pw, asa_vectors[i].user, h);
		if (strcmp(h, asa_vectors[i].hash) != 0)
			fprintf(stderr, "  vector %zu (\"%s\", \"%s\")\n", i, asa_vectors[i].pw,
				asa_vectors[i].user);
		T_EQ_STR(h, asa_vectors[i].hash);
	}
}

/* PIX 6 truncates password+user to 16 bytes where the ASA pads to 32 (the
 * pairs are passlib's PIX reference vectors). */
static void cisco_pix_legacy_hash_truncates_to_16_bytes(void)
{
	char h[17];
	aaa_cisco_pix_hash_legacy("0123456789abc", "user", h);
	T_EQ_STR(h, "f4/.SALxqDo59mfV");
	aaa_cisco_pix_hash_legacy("0123456789abcdef", "user", h);
	T_EQ_STR(h, ".7nfVBEIEu4KbF/1");
	aaa_cisco_pix_hash_legacy("cisco", "", h);
	T_EQ_STR(h, "2KFQnbNIdI.2KYOU");
	aaa_cisco_pix_hash_legacy("0123456789abcdefq", "", h);   /* too long for a PIX */
	T_EQ_STR(h, "");
	aaa_cisco_pix_hash("0123456789abcdefqwertyuiopasdfghX", "", h);   /* > 32 */
	T_EQ_STR(h, "");
}

static void cisco_hash_check_accepts_either_form_and_rejects_malformed(void)
{
	T_EQ_INT(aaa_cisco_hash_check("8Q/FZeam5ai1A47p", "user", "0123456789abc", 13), 1);
	T_EQ_INT(aaa_cisco_hash_check("f4/.SALxqDo59mfV", "user", "0123456789abc", 13), 1);
	T_EQ_INT(aaa_cisco_hash_check("f4/.SALxqDo59mfV", "user", "0123456789abd", 13), 0);
	T_EQ_INT(aaa_cisco_hash_check("f4/.SALxqDo59mfV", "other", "0123456789abc", 13), 0);
	T_EQ_INT(aaa_cisco_hash_check("2KFQnbNIdI.2KYO", "", "cisco", 5), -1);     /* 15 chars */
	T_EQ_INT(aaa_cisco_hash_check("2KFQnbNIdI.2KYO!", "", "cisco", 5), -1);    /* alphabet */
	T_EQ_INT(aaa_cisco_hash_check("$sha512$5000$abc", "", "cisco", 5), -1);
	T_EQ_INT(aaa_cisco_hash_check(NULL, "", "cisco", 5), -1);
}

/* ---- NT hash --------------------------------------------------------------------- */

static void nt_hash_matches_known_values(void)
{
	static const struct { const char *pw, *hex; } v[] = {
		{ "clientPass", "44EBBA8D5312B8D611474411F56989AE" },   /* RFC 2759 §9.2 */
		{ "password", "8846F7EAEE8FB117AD06BDD830B7586C" },
		{ "", "31D6CFE0D16AE931B73C59D7E0C089C0" },
		/* U+00E9 U+20AC U+1F600 (a surrogate pair in UTF-16) */
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "9f21919b93f3faad70dca0c86adf53dd" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t got[16], want[16];
		t_unhex(v[i].hex, want, sizeof(want));
		T_EQ_INT(aaa_nt_hash(v[i].pw, strlen(v[i].pw), got), 0);
		T_EQ_MEM(got, want, 16);
	}
}

static void nt_hash_refuses_invalid_utf8(void)
{
	static const char *bad[] = { "\xc3", "\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "\xff", "a\x80" };
	uint8_t out[16];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_EQ_INT(aaa_nt_hash(bad[i], strlen(bad[i]), out), -1);
}

/* ---- local users: each stored form against each method ---------------------------- */

static struct conf_user users[] = {
	{ .name = "alice", .password = "secret", .kind = PW_PLAIN },
	/* NT hash of "clientPass" */
	{ .name = "bob", .password = "44EBBA8D5312B8D611474411F56989AE", .kind = PW_NT_HASH },
	/* ASA hash of "0123456789ab" for user "user" (ASA 9.6) */
	{ .name = "user", .password = "f.T4BKdzdNkjxQl7", .kind = PW_CISCO_MD5 },
	{ .name = "dave", .password = NULL, .kind = PW_NONE },
	{ .name = "erin", .password = "not-hex", .kind = PW_NT_HASH },
	{ .name = "frank", .password = "$sha512$5000$xyz", .kind = PW_CISCO_MD5 },
};

static struct conf test_conf = { .users = users, .n_users = sizeof(users) / sizeof(users[0]) };

static const struct aaa_ctx local_ctx = { .conf = &test_conf, .server_group = NULL,
					  .tunnel_group = "RA", .peer = "192.0.2.7" };

struct verify_case {
	const char *user, *pw;
	enum aaa_result want;
};

static void local_verify_password_per_stored_form(void)
{
	static const struct verify_case c[] = {
		{ "alice", "secret", AAA_ACCEPT },
		{ "alice", "secreT", AAA_REJECT },
		{ "alice", "secret ", AAA_REJECT },
		{ "alice", "", AAA_REJECT },
		{ "bob", "clientPass", AAA_ACCEPT },     /* NT hash of the given password */
		{ "bob", "clientpass", AAA_REJECT },
		{ "user", "0123456789ab", AAA_ACCEPT },  /* hashed the Cisco way */
		{ "user", "0123456789aB", AAA_REJECT },
		{ "dave", "", AAA_UNSUPPORTED },         /* nopassword is never accepted */
		{ "dave", "anything", AAA_UNSUPPORTED },
		{ "erin", "x", AAA_ERROR },              /* broken stored NT hash */
		{ "frank", "x", AAA_UNSUPPORTED },       /* unknown hash form */
		{ "mallory", "secret", AAA_UNKNOWN_USER },
		{ "Alice", "secret", AAA_UNKNOWN_USER }, /* names are case-sensitive */
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const char *why = NULL;
		enum aaa_result r = aaa_verify_password(&local_ctx, c[i].user, c[i].pw,
							strlen(c[i].pw), &why);
		if (r != c[i].want)
			fprintf(stderr, "  case %zu: %s got %s (%s)\n", i, c[i].user,
				aaa_result_name(r), why ? why : "-");
		T_EQ_INT(r, c[i].want);
		T_CHECK(r == AAA_ACCEPT ? why == NULL : why != NULL && *why);
	}
}

static void local_cleartext_only_from_plain_passwords(void)
{
	static const struct { const char *user; enum aaa_result want; const char *form; } c[] = {
		{ "alice", AAA_ACCEPT, NULL },
		{ "bob", AAA_UNSUPPORTED, "nt-encrypted" },
		{ "user", AAA_UNSUPPORTED, "'encrypted'" },
		{ "dave", AAA_UNSUPPORTED, "nopassword" },
		{ "mallory", AAA_UNKNOWN_USER, NULL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char pw[64] = "";
		size_t len = 99;
		const char *why = NULL;
		enum aaa_result r = aaa_get_cleartext(&local_ctx, c[i].user, pw, sizeof(pw), &len, &why);
		T_EQ_INT(r, c[i].want);
		if (r == AAA_ACCEPT) {
			T_EQ_STR(pw, "secret");
			T_EQ_INT(len, 6);
		}
		if (c[i].form) {   /* the reason names the method and the stored form */
			T_CHECK(why && strstr(why, "EAP-MD5") && strstr(why, c[i].form));
		}
	}
	char tiny[4];
	size_t len;
	const char *why;
	T_EQ_INT(aaa_get_cleartext(&local_ctx, "alice", tiny, sizeof(tiny), &len, &why), AAA_ERROR);
}

static void local_nt_hash_from_plain_or_nt_encrypted(void)
{
	uint8_t want[16], got[16];
	const char *why;
	t_unhex("44EBBA8D5312B8D611474411F56989AE", want, 16);
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "bob", got, &why), AAA_ACCEPT);
	T_EQ_MEM(got, want, 16);
	uint8_t secret_nt[16];
	T_EQ_INT(aaa_nt_hash("secret", 6, secret_nt), 0);
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "alice", got, &why), AAA_ACCEPT);
	T_EQ_MEM(got, secret_nt, 16);
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "user", got, &why), AAA_UNSUPPORTED);
	T_CHECK(strstr(why, "EAP-MSCHAPv2") && strstr(why, "'encrypted'"));
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "dave", got, &why), AAA_UNSUPPORTED);
	T_CHECK(strstr(why, "nopassword") != NULL);
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "erin", got, &why), AAA_ERROR);
	T_EQ_INT(aaa_get_nt_hash(&local_ctx, "mallory", got, &why), AAA_UNKNOWN_USER);
}

static void non_local_server_group_is_refused_for_every_method(void)
{
	struct aaa_ctx ctx = local_ctx;
	ctx.server_group = "RADIUS-SRV";
	const char *why = NULL;
	char pw[32];
	size_t len;
	uint8_t nt[16];
	T_EQ_INT(aaa_verify_password(&ctx, "alice", "secret", 6, &why), AAA_ERROR);
	T_EQ_STR(why, "authentication server group RADIUS-SRV is not supported yet "
		      "(RADIUS/TACACS+ come with the AAA work)");
	T_EQ_INT(aaa_get_cleartext(&ctx, "alice", pw, sizeof(pw), &len, &why), AAA_ERROR);
	T_CHECK(strstr(why, "RADIUS-SRV") != NULL);
	T_EQ_INT(aaa_get_nt_hash(&ctx, "alice", nt, &why), AAA_ERROR);
	T_CHECK(strstr(why, "RADIUS-SRV") != NULL);
	ctx.server_group = "LOCAL";
	T_EQ_INT(aaa_verify_password(&ctx, "alice", "secret", 6, &why), AAA_ACCEPT);
	ctx.server_group = "local";
	T_EQ_INT(aaa_verify_password(&ctx, "alice", "secret", 6, &why), AAA_ACCEPT);
}

static void local_results_are_logged_as_asa_events_without_password(void)
{
	const char *why;
	n_captured = 0;
	log_set_sink(capture, NULL);
	T_EQ_INT(aaa_verify_password(&local_ctx, "alice", "secret", 6, &why), AAA_ACCEPT);
	T_EQ_INT(aaa_verify_password(&local_ctx, "alice", "wrongpw", 7, &why), AAA_REJECT);
	T_EQ_INT(aaa_verify_password(&local_ctx, "mallory", "wrongpw", 7, &why), AAA_UNKNOWN_USER);
	log_set_sink(NULL, NULL);
	T_CHECK(captured_has("%RAVPN-6-113012: AAA user authentication Successful : "
			     "local database : user = alice"));
	T_CHECK(captured_has("%RAVPN-6-113015: AAA user authentication Rejected : reason = "
			     "Invalid password : local database : user = alice : user IP = 192.0.2.7"));
	T_CHECK(captured_has("113015: AAA user authentication Rejected : reason = User was not "
			     "found : local database : user = mallory"));
	T_CHECK(!captured_has("secret"));
	T_CHECK(!captured_has("wrongpw"));
}

int main(void)
{
	log_set_stderr(false);
	if (crypto_init() != 0) {
		fprintf(stderr, "crypto_init failed\n");
		return 1;
	}
	T_RUN(cisco_asa_hash_matches_published_pairs);
	T_RUN(cisco_pix_legacy_hash_truncates_to_16_bytes);
	T_RUN(cisco_hash_check_accepts_either_form_and_rejects_malformed);
	T_RUN(nt_hash_matches_known_values);
	T_RUN(nt_hash_refuses_invalid_utf8);
	T_RUN(local_verify_password_per_stored_form);
	T_RUN(local_cleartext_only_from_plain_passwords);
	T_RUN(local_nt_hash_from_plain_or_nt_encrypted);
	T_RUN(non_local_server_group_is_refused_for_every_method);
	T_RUN(local_results_are_logged_as_asa_events_without_password);
	T_DONE();
}
