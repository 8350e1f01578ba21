/* Cisco password hashes: the PIX/ASA "encrypted" MD5 form and the NT hash.
 *
 * PIX/ASA "encrypted" (username U password P encrypted):
 *   1. s = P; for a user account, append the first 4 bytes of the user name
 *      (a shorter name is repeated to 4 bytes: "adm" -> "adma").  ASA skips
 *      this when P is 28 bytes or longer.
 *   2. zero-pad (or truncate) s to 16 bytes; ASA pads to 32 bytes instead
 *      when s is longer than 16 bytes.  PIX passwords are at most 16 bytes,
 *      ASA passwords at most 32.
 *   3. d = MD5(s); drop every 4th byte (d[3], d[7], d[11], d[15]).
 *   4. encode the 12 bytes in 3-byte little-endian groups, 6 bits at a time
 *      from the least significant, with the crypt(3) alphabet
 *      "./0-9A-Za-z": 16 characters.
 * The two forms agree whenever s stays within 16 bytes; they differ for
 * user accounts whose password is 13 to 16 bytes long.  Published pairs
 * (empty password -> 8Ry2YjIyt7RRXU24, "cisco" -> 2KFQnbNIdI.2KYOU, and
 * user-salted pairs confirmed on ASA 9.6) are in tests/unit/aaa. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aaa/aaa.h"
#include "base/mem.h"
#include "crypto/crypto.h"

static const char cisco_itoa64[] =
	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#define CISCO_PIX_MAX 16
#define CISCO_ASA_MAX 32

static void cisco_encode(const uint8_t d[16], char out[17])
{
	char *o = out;
	for (int g = 0; g < 4; g++) {
		const uint8_t *b = d + 4 * g;          /* b[3] is dropped */
		uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16;
		for (int k = 0; k < 4; k++, v >>= 6)
			*o++ = cisco_itoa64[v & 0x3f];
	}
	*o = '\0';
}

/* The hash of one variant; out = "" when the password is too long for it
 * or MD5 failed (no 16-character hash ever equals ""). */
static void cisco_hash(const uint8_t *pw, size_t pw_len, const char *user, bool asa,
		       char out[17])
{
	uint8_t s[CISCO_ASA_MAX + 4];
	uint8_t d[16];
	size_t len = pw_len;
	out[0] = '\0';
	if (pw_len > (asa ? CISCO_ASA_MAX : CISCO_PIX_MAX))
		return;
	memset(s, 0, sizeof(s));
	memcpy(s, pw, pw_len);
	size_t ulen = user ? strlen(user) : 0;
	if (ulen && (!asa || pw_len < 28)) {
		for (size_t i = 0; i < 4; i++)
			s[len + i] = (uint8_t)user[i % ulen];
		len += 4;
	}
	size_t pad = asa && len > 16 ? 32 : 16;
	if (crypto_hash(HASH_MD5, s, pad, NULL, 0, NULL, 0, d) == 0)
		cisco_encode(d, out);
	mem_wipe(s, sizeof(s));
	mem_wipe(d, sizeof(d));
}

void aaa_cisco_pix_hash(const char *password, const char *username, char out[17])
{
	const char *pw = password ? password : "";
	cisco_hash((const uint8_t *)pw, strlen(pw), username, true, out);
}

void aaa_cisco_pix_hash_legacy(const char *password, const char *username, char out[17])
{
	const char *pw = password ? password : "";
	cisco_hash((const uint8_t *)pw, strlen(pw), username, false, out);
}

static bool cisco_hash_well_formed(const char *stored)
{
	if (!stored || strlen(stored) != 16)
		return false;
	for (const char *p = stored; *p; p++)
		if (!strchr(cisco_itoa64, *p))
			return false;
	return true;
}

int aaa_cisco_hash_check(const char *stored, const char *user, const char *pw, size_t pw_len)
{
	char h[17];
	int ok = 0;
	if (!cisco_hash_well_formed(stored))
		return -1;
	if (!pw && pw_len)
		return 0;
	const uint8_t *p = (const uint8_t *)(pw ? pw : "");
	cisco_hash(p, pw_len, user, true, h);
	if (h[0] && mem_cmp_ct(h, stored, 16) == 0)
		ok = 1;
	cisco_hash(p, pw_len, user, false, h);
	if (h[0] && mem_cmp_ct(h, stored, 16) == 0)
		ok = 1;
	mem_wipe(h, sizeof(h));
	return ok;
}

/* UTF-8 to UTF-16LE; returns the byte length or -1 for invalid UTF-8.
 * out holds at least 2 * len bytes (a 4-byte sequence becomes a pair). */
static long cisco_utf16le(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = in[i];
		size_t n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
			 : (c & 0xf8) == 0xf0 ? 3 : 4;
		if (n == 4 || n >= len - i)   /* bad lead byte, or truncated */
			return -1;
		if (n)
			c &= 0x3f >> n;
		for (size_t k = 1; k <= n; k++) {
			if ((in[i + k] & 0xc0) != 0x80)
				return -1;
			c = c << 6 | (in[i + k] & 0x3f);
		}
		static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
		if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return -1;   /* overlong, out of range, surrogate */
		i += n + 1;
		if (c >= 0x10000) {
			c -= 0x10000;
			uint32_t hi = 0xd800 | c >> 10, lo = 0xdc00 | (c & 0x3ff);
			out[o++] = hi & 0xff;
			out[o++] = (uint8_t)(hi >> 8);
			out[o++] = lo & 0xff;
			out[o++] = (uint8_t)(lo >> 8);
		} else {
			out[o++] = c & 0xff;
			out[o++] = (uint8_t)(c >> 8);
		}
	}
	return (long)o;
}

int aaa_nt_hash(const char *password, size_t len, uint8_t out[16])
{
	int rc = -1;
	if (!password && len)
		return -1;
	uint8_t *u = malloc(2 * len + 2);
	if (!u)
		return -1;
	long n = cisco_utf16le((const uint8_t *)(password ? password : ""), len, u);
	if (n < 0)
		goto out;
	if (!crypto_legacy_available() && crypto_enable_legacy() != 0)
		goto out;
	rc = crypto_hash(HASH_MD4, u, (size_t)n, NULL, 0, NULL, 0, out);
out:
	mem_free_secret(u, 2 * len + 2);
	return rc;
}
