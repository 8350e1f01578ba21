/* libFuzzer target: the profile parsers of ravpn-connect on arbitrary bytes.
 *
 * Input:  byte 0   parser: 0 .pcf, 1 XML (first host), 2 XML (host "a"),
 *                  3 XML host listing, 4 enc_GroupPwd decryption
 *         rest     the file (for 4: the hex string)
 *
 * Beyond "never crashes": a successful parse must give NUL-terminated
 * fields, the protocol its format implies, and an error message that is
 * empty; a failed one must give a non-empty message and a wiped profile.
 * A decrypted enc_GroupPwd must survive encrypt + decrypt unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/profile.h"
#include "crypto/crypto.h"

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "fuzz_profile: %s failed\n", #c);     \
			abort();                                              \
		}                                                             \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	CHECK(crypto_init() == 0);
	return 0;
}

static void check_terminated(const char *s, size_t cap)
{
	CHECK(memchr(s, '\0', cap) != NULL);
}

static void check_profile(int rc, const struct client_profile *p, const char *err,
			  enum client_proto want)
{
	static const struct client_profile zero;
	if (rc < 0) {
		CHECK(err[0] != '\0');
		CHECK(memcmp(p, &zero, sizeof(*p)) == 0);
		return;
	}
	CHECK(rc == 0 && err[0] == '\0');
	CHECK(p->protocol == want);
	CHECK(p->host[0] != '\0' && p->address[0] != '\0');
	check_terminated(p->description, sizeof(p->description));
	check_terminated(p->host, sizeof(p->host));
	check_terminated(p->address, sizeof(p->address));
	check_terminated(p->group, sizeof(p->group));
	check_terminated(p->group_secret, sizeof(p->group_secret));
	check_terminated(p->user, sizeof(p->user));
	check_terminated(p->user_secret, sizeof(p->user_secret));
	check_terminated(p->eap_method, sizeof(p->eap_method));
	check_terminated(p->ike_identity, sizeof(p->ike_identity));
}

static void count_host(void *arg, const char *name, const char *address)
{
	CHECK(name[0] != '\0' && address[0] != '\0');
	(*(size_t *)arg)++;
}

static void fuzz_enc(const uint8_t *data, size_t size)
{
	static const unsigned char salt[20] = { 1, 2, 3 };
	char *hex = malloc(size + 1), plain[256], again[256], enc[1024];
	if (!hex)
		return;
	memcpy(hex, data, size);
	hex[size] = '\0';
	if (cisco_pwd_decrypt(hex, plain, sizeof(plain)) == 0) {
		CHECK(cisco_pwd_encrypt_salt(plain, salt, enc, sizeof(enc)) == 0);
		CHECK(cisco_pwd_decrypt(enc, again, sizeof(again)) == 0);
		CHECK(strcmp(plain, again) == 0);
	} else {
		CHECK(plain[0] == '\0');
	}
	free(hex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client_profile p;
	char err[256];
	size_t hosts = 0;
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	int rc;
	switch (data[0] % 5) {
	case 0:
		rc = profile_parse_pcf(text, len, &p, err, sizeof(err));
		check_profile(rc, &p, err, PROTO_IKEV1);
		break;
	case 1:
	case 2:
		rc = profile_parse_xml(text, len, data[0] % 5 == 2 ? "a" : NULL, &p, err, sizeof(err));
		check_profile(rc, &p, err, PROTO_IKEV2);
		break;
	case 3:
		rc = profile_xml_hosts(text, len, count_host, &hosts, err, sizeof(err));
		CHECK(rc == 0 || (rc == -1 && hosts == 0 && err[0]));
		break;
	default:
		fuzz_enc((const uint8_t *)text, len);
		break;
	}
	profile_wipe(&p);
	return 0;
}
