/* Profile parsers of ravpn-connect: Cisco VPN Client .pcf files, the
 * Cisco enc_GroupPwd obfuscation, and AnyConnect XML profiles.
 *
 * All input is untrusted (profiles are mailed around), so every parser
 * works on (pointer, length), checks each byte it reads against the end,
 * bounds sizes and nesting, and reports "line N: what" instead of
 * aborting.  Secrets (group and user passwords) never appear in error
 * messages, and every buffer that held one is wiped. */
#include "client/profile.h"

#include "base/mem.h"
#include "crypto/crypto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- common helpers ---------------------------------------------------- */

/* "line N: message" (no prefix for N = 0).  Values quoted from the file
 * may hold control bytes; they become '?' so an error cannot rewrite the
 * user's terminal. */
__attribute__((format(printf, 4, 5)))
static void err_set(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	size_t n = 0;
	if (line) {
		int k = snprintf(err, errlen, "line %u: ", line);
		n = k < 0 ? 0 : ((size_t)k < errlen ? (size_t)k : errlen - 1);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **p, size_t *n)
{
	while (*n && is_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_space((*p)[*n - 1]))
		(*n)--;
}

/* Copy n bytes as a C string; -1 if they do not fit in cap. */
static int put_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* Notepad can save as UTF-16; say so rather than "control character". */
static bool is_utf16(const char *text, size_t len)
{
	return len >= 2 && ((text[0] == '\xff' && text[1] == '\xfe') ||
			    (text[0] == '\xfe' && text[1] == '\xff'));
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- Cisco VPN Client password obfuscation ------------------------------
 *
 * The Cisco VPN Client stores enc_GroupPwd / enc_UserPassword as hex of
 *
 *     salt (20 random bytes) | SHA-1(ciphertext) (20) | ciphertext (8k)
 *
 *     key        = SHA-1(salt with salt[19] + 1) | SHA-1(salt with salt[19] + 3)[0..4)
 *     ciphertext = 3DES-CBC(key, iv = salt[0..8), password | PKCS#5 padding)
 *
 * It is obfuscation, not protection: the key comes from the file itself.
 * We decrypt it because users have such files; the 3DES key parity bits
 * are left as they come (DES ignores them). */

#define CPWD_SALT 20
#define CPWD_HDR 40                       /* salt + checksum */
#define CPWD_MAX_PLAIN 255                /* fits struct client_profile */
#define CPWD_MAX_ENC (CPWD_MAX_PLAIN + 1) /* padded to 256: multiple of 8 */
#define CPWD_BLOCK 8

static int cpwd_key(const uint8_t salt[CPWD_SALT], uint8_t key[24])
{
	uint8_t t[CPWD_SALT], h2[20], h3[20];
	int rc = -1;
	memcpy(t, salt, sizeof(t));
	t[19] = (uint8_t)(t[19] + 1);
	if (crypto_hash(HASH_SHA1, t, sizeof(t), NULL, 0, NULL, 0, h2) < 0)
		goto out;
	t[19] = (uint8_t)(t[19] + 2);
	if (crypto_hash(HASH_SHA1, t, sizeof(t), NULL, 0, NULL, 0, h3) < 0)
		goto out;
	memcpy(key, h2, 20);
	memcpy(key + 20, h3, 4);
	rc = 0;
out:
	mem_wipe(h2, sizeof(h2));
	mem_wipe(h3, sizeof(h3));
	return rc;
}

static int cpwd_3des(const uint8_t salt[CPWD_SALT], const uint8_t *in, uint8_t *out,
		     size_t len, bool encrypt)
{
	uint8_t key[24];
	int rc = -1;
	if (crypto_init() < 0 || cpwd_key(salt, key) < 0)
		goto out;
	/* 3DES is in OpenSSL's default provider: no legacy provider needed. */
	const struct crypto_encr *e = crypto_encr_by_name("3DES", 0);
	struct crypto_cipher *c = e ? crypto_cipher_new(e, key, sizeof(key), encrypt) : NULL;
	if (!c)
		goto out;
	rc = crypto_cipher_cbc(c, salt, in, out, len);   /* iv = salt[0..8) */
	crypto_cipher_free(c);
out:
	mem_wipe(key, sizeof(key));
	return rc;
}

/* Decode the hex blob; returns why it is unusable, NULL when it is fine. */
static const char *cpwd_unhex(const char *hex, size_t hexlen, uint8_t *blob, size_t *n)
{
	if (hexlen % 2)
		return "odd number of hex digits";
	if (hexlen / 2 < CPWD_HDR + CPWD_BLOCK || (hexlen / 2 - CPWD_HDR) % CPWD_BLOCK)
		return "wrong length";
	if (hexlen / 2 > CPWD_HDR + CPWD_MAX_ENC)
		return "too long";
	for (size_t i = 0; i < hexlen; i += 2) {
		int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0)
			return "not hex";
		blob[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*n = hexlen / 2;
	return NULL;
}

/* Strict PKCS#5 padding (what the Cisco client writes: 1..8 bytes, each
 * equal to the count).  Returns the password length or -1. */
static long cpwd_unpad(const uint8_t *p, size_t n)
{
	uint8_t pad = p[n - 1];
	if (pad < 1 || pad > CPWD_BLOCK || pad > n)
		return -1;
	for (size_t i = n - pad; i < n; i++)
		if (p[i] != pad)
			return -1;
	return (long)(n - pad);
}

static const char *cpwd_decrypt(const char *hex, size_t hexlen, char *out, size_t outlen)
{
	uint8_t blob[CPWD_HDR + CPWD_MAX_ENC], plain[CPWD_MAX_ENC], sum[20];
	size_t n = 0;
	const char *why = cpwd_unhex(hex, hexlen, blob, &n);
	if (why)
		goto out;
	size_t enc_len = n - CPWD_HDR;
	why = "checksum mismatch";
	if (crypto_hash(HASH_SHA1, blob + CPWD_HDR, enc_len, NULL, 0, NULL, 0, sum) < 0 ||
	    mem_cmp_ct(sum, blob + CPWD_SALT, sizeof(sum)) != 0)
		goto out;
	why = "decryption failed";
	if (cpwd_3des(blob, blob + CPWD_HDR, plain, enc_len, false) < 0)
		goto out;
	long len = cpwd_unpad(plain, enc_len);
	why = "bad padding";
	if (len < 0)
		goto out;
	why = "NUL byte in the password";
	if (memchr(plain, 0, (size_t)len))
		goto out;
	why = "password too long";
	if (put_str(out, outlen, (const char *)plain, (size_t)len) < 0)
		goto out;
	why = NULL;
out:
	mem_wipe(blob, sizeof(blob));
	mem_wipe(plain, sizeof(plain));
	return why;
}

int cisco_pwd_decrypt(const char *hex, char *out, size_t outlen)
{
	if (!out || !outlen)
		return -1;
	out[0] = '\0';
	if (!hex || cpwd_decrypt(hex, strlen(hex), out, outlen)) {
		mem_wipe(out, outlen);
		return -1;
	}
	return 0;
}

int cisco_pwd_encrypt_salt(const char *plain, const unsigned char salt[20], char *hexout,
			   size_t outlen)
{
	static const char digits[] = "0123456789ABCDEF";
	uint8_t blob[CPWD_HDR + CPWD_MAX_ENC];
	size_t len = plain ? strlen(plain) : 0;
	size_t pad = CPWD_BLOCK - len % CPWD_BLOCK;
	size_t enc_len = len + pad, n = CPWD_HDR + enc_len;
	int rc = -1;
	if (!plain || !salt || !hexout || len > CPWD_MAX_PLAIN || outlen < 2 * n + 1)
		return -1;
	uint8_t *enc = blob + CPWD_HDR;
	memcpy(blob, salt, CPWD_SALT);
	memcpy(enc, plain, len);
	memset(enc + len, (int)pad, pad);
	if (cpwd_3des(blob, enc, enc, enc_len, true) < 0 ||
	    crypto_hash(HASH_SHA1, enc, enc_len, NULL, 0, NULL, 0, blob + CPWD_SALT) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		hexout[2 * i] = digits[blob[i] >> 4];
		hexout[2 * i + 1] = digits[blob[i] & 15];
	}
	hexout[2 * n] = '\0';
	rc = 0;
out:
	mem_wipe(blob, sizeof(blob));
	return rc;
}

int cisco_pwd_encrypt(const char *plain, char *hexout, size_t outlen)
{
	uint8_t salt[CPWD_SALT];
	if (crypto_init() < 0 || crypto_random(salt, sizeof(salt)) < 0)
		return -1;
	return cisco_pwd_encrypt_salt(plain, salt, hexout, outlen);
}

/* ---- .pcf (Cisco VPN Client) -------------------------------------------
 *
 *     [main]\r\n
 *     Description=Office\r\n
 *     !Host=vpn.example.com\r\n          '!' = locked in the Cisco GUI
 *     AuthType=1\r\n
 *     GroupName=staff\r\n
 *     GroupPwd=\r\n
 *     enc_GroupPwd=F99223...\r\n
 *
 * Read the way Windows' GetPrivateProfileString() reads it, since that is
 * what the Cisco client used: keys are case-insensitive, blanks around key
 * and value are dropped, one pair of matching quotes around a value is
 * removed, the first occurrence of a key wins, other sections are
 * ignored.  Stricter than Windows: a [main] line that is not key=value, a
 * control byte, or a value we cannot use is an error naming its line. */

enum pcf_key {
	K_DESCRIPTION, K_HOST, K_AUTHTYPE, K_GROUPNAME, K_GROUPPWD, K_ENC_GROUPPWD,
	K_USERNAME, K_USERPASSWORD, K_ENC_USERPASSWORD, K_SAVEUSERPASSWORD,
	K_ENABLENAT, K_TUNNELINGMODE, K_TCPTUNNELINGPORT, K_DHGROUP, K_ENABLELOCALLAN,
	K_COUNT
};

static const char *const pcf_key_names[K_COUNT] = {
	[K_DESCRIPTION] = "Description", [K_HOST] = "Host", [K_AUTHTYPE] = "AuthType",
	[K_GROUPNAME] = "GroupName", [K_GROUPPWD] = "GroupPwd",
	[K_ENC_GROUPPWD] = "enc_GroupPwd", [K_USERNAME] = "Username",
	[K_USERPASSWORD] = "UserPassword", [K_ENC_USERPASSWORD] = "enc_UserPassword",
	[K_SAVEUSERPASSWORD] = "SaveUserPassword", [K_ENABLENAT] = "EnableNat",
	[K_TUNNELINGMODE] = "TunnelingMode", [K_TCPTUNNELINGPORT] = "TcpTunnelingPort",
	[K_DHGROUP] = "DHGroup", [K_ENABLELOCALLAN] = "EnableLocalLAN",
};

/* The raw [main] values, borrowed from the input text. */
struct pcf_vals {
	const char *v[K_COUNT];
	size_t n[K_COUNT];
	unsigned line[K_COUNT];     /* 0 = key absent */
	unsigned main_line;         /* line of "[main]", 0 = none */
	bool utf8;                  /* the file is valid UTF-8 (else Windows-1252) */
};

struct pcf_ctx {
	struct pcf_vals *vals;
	struct client_profile *out;
	char *err;
	size_t errlen;
};

static bool utf8_valid(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = p[i];
		size_t k = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
			 : (c & 0xf8) == 0xf0 ? 3 : 9;
		if (k == 9 || (k == 1 && c < 0xc2) || i + k >= n + (k == 0))
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

static size_t utf8_put(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Windows-1252 0x80..0x9f; the five unassigned bytes become U+FFFD. */
static const uint16_t cp1252_80[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

/* Description is for display, so it is converted to UTF-8.  Identities and
 * passwords keep their bytes: the Cisco client sent them as they are in
 * the file, and the gateway compares bytes. */
static int put_cp1252(char *dst, size_t cap, const char *src, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)src[i];
		uint32_t cp = c < 0x80 ? c : c < 0xa0 ? cp1252_80[c - 0x80] : c;
		char tmp[4];
		size_t k = utf8_put(cp, tmp);
		if (o + k >= cap)
			return -1;
		memcpy(dst + o, tmp, k);
		o += k;
	}
	dst[o] = '\0';
	return 0;
}

static int pcf_fail(struct pcf_ctx *c, unsigned line, const char *what)
{
	err_set(c->err, c->errlen, line, "%s", what);
	return -1;
}

static bool pcf_has(const struct pcf_vals *v, enum pcf_key k)
{
	return v->line[k] && v->n[k];
}

static int pcf_str(struct pcf_ctx *c, enum pcf_key k, char *dst, size_t cap)
{
	const struct pcf_vals *v = c->vals;
	if (!v->line[k] || put_str(dst, cap, v->v[k], v->n[k]) == 0)
		return 0;
	err_set(c->err, c->errlen, v->line[k], "%s is too long (at most %zu bytes)",
		pcf_key_names[k], cap - 1);
	return -1;
}

/* A decimal value in [lo, hi]; *out = def when the key is absent or empty. */
static int pcf_uint(struct pcf_ctx *c, enum pcf_key k, unsigned lo, unsigned hi, unsigned def,
		    unsigned *out)
{
	const struct pcf_vals *v = c->vals;
	unsigned long x = 0;
	*out = def;
	if (!pcf_has(v, k))
		return 0;
	for (size_t i = 0; i < v->n[k]; i++) {
		char d = v->v[k][i];
		if (d < '0' || d > '9' || i >= 6)
			goto bad;
		x = x * 10 + (unsigned long)(d - '0');
	}
	if (x < lo || x > hi)
		goto bad;
	*out = (unsigned)x;
	return 0;
bad:
	err_set(c->err, c->errlen, v->line[k], "%s must be a number from %u to %u",
		pcf_key_names[k], lo, hi);
	return -1;
}

static int pcf_bool(struct pcf_ctx *c, enum pcf_key k, bool def, bool *out)
{
	unsigned x;
	if (pcf_uint(c, k, 0, 1, def, &x) < 0)
		return -1;
	*out = x == 1;
	return 0;
}

/* A password from its clear key, else from its enc_ key.  The Cisco
 * client behaves the same way: an administrator may hand out a profile
 * with a clear GroupPwd, which the client uses (and obfuscates when it
 * next saves the file, leaving GroupPwd empty); an empty GroupPwd means
 * "look at enc_GroupPwd". */
static int pcf_secret(struct pcf_ctx *c, enum pcf_key clear, enum pcf_key enc, char *dst,
		      size_t cap, bool *set)
{
	const struct pcf_vals *v = c->vals;
	if (pcf_has(v, clear)) {
		if (pcf_str(c, clear, dst, cap) < 0)
			return -1;
		*set = true;
		return 0;
	}
	if (!pcf_has(v, enc))
		return 0;
	const char *why = cpwd_decrypt(v->v[enc], v->n[enc], dst, cap);
	if (why) {
		mem_wipe(dst, cap);
		err_set(c->err, c->errlen, v->line[enc],
			"%s is not a Cisco-obfuscated password (%s)", pcf_key_names[enc], why);
		return -1;
	}
	*set = true;
	return 0;
}

static int pcf_apply_identity(struct pcf_ctx *c)
{
	struct pcf_vals *v = c->vals;
	struct client_profile *p = c->out;
	if (!v->main_line)
		return pcf_fail(c, 0, "no [main] section: not a Cisco VPN Client profile");
	if (!v->line[K_HOST])
		return pcf_fail(c, v->main_line, "[main] has no Host");
	if (!v->n[K_HOST])
		return pcf_fail(c, v->line[K_HOST], "Host is empty");
	if (pcf_str(c, K_HOST, p->host, sizeof(p->host)) < 0 ||
	    pcf_str(c, K_HOST, p->address, sizeof(p->address)) < 0 ||
	    pcf_str(c, K_GROUPNAME, p->group, sizeof(p->group)) < 0 ||
	    pcf_str(c, K_USERNAME, p->user, sizeof(p->user)) < 0)
		return -1;
	if (v->line[K_DESCRIPTION]) {
		int rc = v->utf8 ? put_str(p->description, sizeof(p->description),
					   v->v[K_DESCRIPTION], v->n[K_DESCRIPTION])
				 : put_cp1252(p->description, sizeof(p->description),
					      v->v[K_DESCRIPTION], v->n[K_DESCRIPTION]);
		if (rc < 0)
			return pcf_fail(c, v->line[K_DESCRIPTION], "Description is too long");
	}
	return 0;
}

static int pcf_apply_auth(struct pcf_ctx *c)
{
	struct pcf_vals *v = c->vals;
	struct client_profile *p = c->out;
	bool save_user = false;
	if (pcf_uint(c, K_AUTHTYPE, 1, 5, PCF_AUTH_GROUP, &p->auth_type) < 0)
		return -1;
	if (p->auth_type != PCF_AUTH_GROUP && p->auth_type != PCF_AUTH_CERT &&
	    p->auth_type != PCF_AUTH_HYBRID)
		return pcf_fail(c, v->line[K_AUTHTYPE],
				"AuthType must be 1 (group), 3 (certificate) or 5 (hybrid)");
	if (p->auth_type != PCF_AUTH_CERT && !p->group[0])
		return pcf_fail(c, v->line[K_GROUPNAME] ? v->line[K_GROUPNAME] : v->main_line,
				"group authentication needs a GroupName");
	if (pcf_secret(c, K_GROUPPWD, K_ENC_GROUPPWD, p->group_secret, sizeof(p->group_secret),
		       &p->group_secret_set) < 0)
		return -1;
	/* The Cisco client ignores a stored user password unless the
	 * profile says to use it. */
	if (pcf_bool(c, K_SAVEUSERPASSWORD, false, &save_user) < 0)
		return -1;
	if (save_user && pcf_secret(c, K_USERPASSWORD, K_ENC_USERPASSWORD, p->user_secret,
				    sizeof(p->user_secret), &p->user_secret_set) < 0)
		return -1;
	return 0;
}

static int pcf_apply_transport(struct pcf_ctx *c)
{
	struct client_profile *p = c->out;
	bool nat = true;
	unsigned mode = 0;
	/* Cisco client defaults: transparent tunneling on, over UDP (NAT-T);
	 * IPsec over TCP on port 10000; DH group 2. */
	if (pcf_bool(c, K_ENABLENAT, true, &nat) < 0 ||
	    pcf_uint(c, K_TUNNELINGMODE, 0, 1, 0, &mode) < 0 ||
	    pcf_uint(c, K_TCPTUNNELINGPORT, 1, 65535, 10000, &p->tcp_port) < 0 ||
	    pcf_uint(c, K_DHGROUP, 0, 65535, 2, &p->dh_group) < 0 ||
	    pcf_bool(c, K_ENABLELOCALLAN, false, &p->local_lan) < 0)
		return -1;
	/* The Cisco VPN Client offers groups 1, 2 and 5 only. */
	if (p->dh_group != 1 && p->dh_group != 2 && p->dh_group != 5)
		return pcf_fail(c, c->vals->line[K_DHGROUP], "DHGroup must be 1, 2 or 5");
	p->nat_t = nat && mode == 0;
	p->tcp_tunnel = nat && mode == 1;
	return 0;
}

/* One line of [main]: "[!]key = value". */
static int pcf_line_kv(struct pcf_ctx *c, const char *s, size_t n, unsigned line)
{
	struct pcf_vals *v = c->vals;
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return pcf_fail(c, line, "expected key=value in [main]");
	const char *key = s, *val = eq + 1;
	size_t kn = (size_t)(eq - s), vn = n - kn - 1;
	trim(&key, &kn);
	trim(&val, &vn);
	if (kn && key[0] == '!') {        /* locked: read like any other value */
		key++;
		kn--;
		trim(&key, &kn);
	}
	if (vn >= 2 && (val[0] == '"' || val[0] == '\'') && val[vn - 1] == val[0]) {
		val++;
		vn -= 2;
	}
	for (int k = 0; k < K_COUNT; k++) {
		if (strlen(pcf_key_names[k]) != kn || strncasecmp(pcf_key_names[k], key, kn) != 0)
			continue;
		if (!v->line[k]) {        /* the first occurrence wins */
			v->v[k] = val;
			v->n[k] = vn;
			v->line[k] = line;
		}
		break;
	}
	return 0;
}

static int pcf_line(struct pcf_ctx *c, const char *s, size_t n, unsigned line, bool *in_main)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return pcf_fail(c, line, "control character (binary file?)");
	}
	trim(&s, &n);
	if (!n || s[0] == ';')
		return 0;
	if (s[0] == '[') {
		if (s[n - 1] != ']')
			return pcf_fail(c, line, "section header without ']'");
		const char *name = s + 1;
		size_t nn = n - 2;
		trim(&name, &nn);
		*in_main = nn == 4 && strncasecmp(name, "main", 4) == 0;
		if (*in_main && c->vals->main_line)
			return pcf_fail(c, line, "second [main] section");
		if (*in_main)
			c->vals->main_line = line;
		return 0;
	}
	return *in_main ? pcf_line_kv(c, s, n, line) : 0;
}

static int pcf_scan(struct pcf_ctx *c, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	bool in_main = false;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;                   /* UTF-8 byte order mark */
	c->vals->utf8 = utf8_valid((const uint8_t *)p, (size_t)(end - p));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);
		if (n && p[n - 1] == '\r')   /* CRLF */
			n--;
		if (pcf_line(c, p, n, ++line, &in_main) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int profile_parse_pcf(const char *text, size_t len, struct client_profile *out, char *err,
		      size_t errlen)
{
	struct pcf_vals vals;
	struct pcf_ctx c = { .vals = &vals, .out = out, .err = err, .errlen = errlen };
	if (!out)
		return -1;
	memset(&vals, 0, sizeof(vals));
	profile_wipe(out);
	if (err && errlen)
		err[0] = '\0';
	if (!text || len > PROFILE_MAX_BYTES) {
		err_set(err, errlen, 0, "no profile, or larger than %d bytes", PROFILE_MAX_BYTES);
		return -1;
	}
	if (is_utf16(text, len)) {
		err_set(err, errlen, 0, "the file is UTF-16: save it as ANSI or UTF-8");
		return -1;
	}
	out->protocol = PROTO_IKEV1;
	if (pcf_scan(&c, text, len) < 0 || pcf_apply_identity(&c) < 0 ||
	    pcf_apply_auth(&c) < 0 || pcf_apply_transport(&c) < 0) {
		profile_wipe(out);
		return -1;
	}
	return 0;
}

/* ---- XML reader ---------------------------------------------------------
 *
 * Why not libxml2: AnyConnect profiles use a tiny subset of XML, and
 * libxml2 would be the client's only dependency besides libcrypto (and a
 * large parser to expose to mailed-around files).  This reader accepts:
 * elements, attributes (checked, then ignored), text and mixed content,
 * the five predefined entities and numeric character references, comments,
 * processing instructions (the <?xml ?> declaration), CDATA sections, and
 * namespace prefixes (matched by local name).  It rejects DOCTYPE (no
 * entity definitions, so no entity expansion), mismatched or unclosed
 * tags, a second root element, text outside the root, control bytes, and
 * nesting deeper than PROFILE_XML_MAX_DEPTH.  Bytes >= 0x80 pass through.
 *
 * The reader keeps one frame per open element with its name and up to
 * XML_TEXT_MAX bytes of direct text (longer text is cut and flagged, so a
 * long element we do not use cannot reject the file); the profile layer
 * sees the open elements in on_start/on_end. */

#define XML_NAME_MAX 127
#define XML_TEXT_MAX 511

struct xml_frame {
	char name[XML_NAME_MAX + 1];
	char text[XML_TEXT_MAX + 1];
	size_t local;               /* offset of the name after any "prefix:" */
	size_t text_len;
	bool text_over;             /* more text than XML_TEXT_MAX */
	unsigned line;
};

struct xml {
	const char *p, *end;
	unsigned line;
	int depth;                  /* open elements: f[0..depth) */
	bool root_seen, root_done;
	struct xml_frame f[PROFILE_XML_MAX_DEPTH];
	int (*on_start)(void *arg, struct xml *x);
	int (*on_end)(void *arg, struct xml *x);  /* f[depth - 1] is closing */
	void *arg;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int xml_fail(struct xml *x, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(x->err, x->errlen, x->line, "%s", msg);
	return -1;
}

static const char *xml_local(const struct xml_frame *f)
{
	return f->name + f->local;
}

static bool xml_starts(const struct xml *x, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(x->end - x->p) >= n && memcmp(x->p, s, n) == 0;
}

/* Advance n bytes, counting lines. */
static void xml_skip(struct xml *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x->p[i] == '\n')
			x->line++;
	x->p += n;
}

static void xml_skip_space(struct xml *x)
{
	while (x->p < x->end && is_space(*x->p))
		xml_skip(x, 1);
}

/* XML 1.0 Char: no control bytes but tab, CR, LF. */
static bool xml_char_ok(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

/* Skip past the terminator of a construct that started at open_line. */
static int xml_skip_until(struct xml *x, const char *term, const char *what)
{
	unsigned start = x->line;
	size_t tn = strlen(term);
	for (const char *q = x->p; (size_t)(x->end - q) >= tn; q++) {
		if (!xml_char_ok((unsigned char)*q)) {
			xml_skip(x, (size_t)(q - x->p));
			return xml_fail(x, "control character in %s", what);
		}
		if (memcmp(q, term, tn) == 0) {
			xml_skip(x, (size_t)(q - x->p) + tn);
			return 0;
		}
	}
	x->line = start;
	return xml_fail(x, "unterminated %s", what);
}

static bool xml_name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' ||
	       c >= 0x80;
}

static bool xml_name_char(unsigned char c)
{
	return xml_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Read a name into out (XML_NAME_MAX + 1 bytes). */
static int xml_name(struct xml *x, char *out)
{
	size_t n = 0;
	if (x->p >= x->end || !xml_name_start((unsigned char)*x->p))
		return xml_fail(x, "expected a name");
	while (x->p < x->end && xml_name_char((unsigned char)*x->p)) {
		if (n == XML_NAME_MAX)
			return xml_fail(x, "name longer than %d bytes", XML_NAME_MAX);
		out[n++] = *x->p++;
	}
	out[n] = '\0';
	return 0;
}

static void xml_text_add(struct xml *x, const char *s, size_t n)
{
	if (x->depth == 0)
		return;
	struct xml_frame *f = &x->f[x->depth - 1];
	size_t room = XML_TEXT_MAX - f->text_len;
	if (n > room) {
		f->text_over = true;
		n = room;
	}
	memcpy(f->text + f->text_len, s, n);
	f->text_len += n;
	f->text[f->text_len] = '\0';
}

static bool xml_cp_ok(unsigned long cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* "&#65;" / "&#x41;" (x->p after "&#"); UTF-8 into out. */
static int xml_charref(struct xml *x, const char *semi, char out[4], size_t *n)
{
	int base = 10;
	unsigned long cp = 0;
	const char *q = x->p;
	if (q < semi && *q == 'x') {
		base = 16;
		q++;
	}
	if (q == semi)
		return xml_fail(x, "empty character reference");
	for (; q < semi; q++) {
		int d = base == 16 ? hex_digit(*q) : (*q >= '0' && *q <= '9' ? *q - '0' : -1);
		if (d < 0 || cp > 0x10ffff)
			return xml_fail(x, "bad character reference");
		cp = cp * (unsigned long)base + (unsigned long)d;
	}
	if (!xml_cp_ok(cp))
		return xml_fail(x, "character reference to an invalid character");
	*n = utf8_put((uint32_t)cp, out);
	return 0;
}

/* An entity at x->p ('&'); its value goes to out. */
static int xml_entity(struct xml *x, char out[4], size_t *n)
{
	static const struct { const char *name; char c; } named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	};
	size_t avail = (size_t)(x->end - x->p);
	const char *semi = memchr(x->p, ';', avail < 16 ? avail : 16);
	if (!semi)
		return xml_fail(x, "'&' that starts no entity (write &amp;)");
	x->p++;
	size_t len = (size_t)(semi - x->p);
	int rc = 0;
	if (len && *x->p == '#') {
		x->p++;
		rc = xml_charref(x, semi, out, n);
	} else {
		rc = -1;
		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if (strlen(named[i].name) == len && memcmp(named[i].name, x->p, len) == 0) {
				out[0] = named[i].c;
				*n = 1;
				rc = 0;
			}
		if (rc < 0)
			xml_fail(x, "unknown entity &%.*s;", (int)len, x->p);
	}
	x->p = semi + 1;
	return rc;
}

/* Character data up to the next '<'. */
static int xml_text(struct xml *x)
{
	while (x->p < x->end && *x->p != '<') {
		unsigned char c = (unsigned char)*x->p;
		char buf[4];
		size_t n = 1;
		if (!xml_char_ok(c))
			return xml_fail(x, "control character 0x%02x", c);
		if (x->depth == 0 && !is_space((char)c))
			return xml_fail(x, x->root_done ? "text after the root element"
						       : "text before the root element");
		if (c == '&') {
			if (xml_entity(x, buf, &n) < 0)
				return -1;
		} else {
			buf[0] = (char)c;
			xml_skip(x, 1);
		}
		xml_text_add(x, buf, n);
	}
	return 0;
}

/* name = "value" (or 'value'); the value is checked and dropped. */
static int xml_attribute(struct xml *x)
{
	char name[XML_NAME_MAX + 1];
	if (xml_name(x, name) < 0)
		return -1;
	xml_skip_space(x);
	if (x->p >= x->end || *x->p != '=')
		return xml_fail(x, "attribute %s without '='", name);
	x->p++;
	xml_skip_space(x);
	if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
		return xml_fail(x, "attribute %s: value not quoted", name);
	char q = *x->p++;
	while (x->p < x->end && *x->p != q) {
		char buf[4];
		size_t n;
		if (*x->p == '<' || !xml_char_ok((unsigned char)*x->p))
			return xml_fail(x, "attribute %s: '<' or control character in value", name);
		if (*x->p == '&') {
			if (xml_entity(x, buf, &n) < 0)
				return -1;
		} else {
			xml_skip(x, 1);
		}
	}
	if (x->p >= x->end)
		return xml_fail(x, "attribute %s: unterminated value", name);
	x->p++;
	return 0;
}

static int xml_open(struct xml *x)
{
	if (x->root_done)
		return xml_fail(x, "second root element");
	if (x->depth == PROFILE_XML_MAX_DEPTH)
		return xml_fail(x, "elements nested deeper than %d", PROFILE_XML_MAX_DEPTH);
	struct xml_frame *f = &x->f[x->depth];
	memset(f, 0, sizeof(*f));
	f->line = x->line;
	if (xml_name(x, f->name) < 0)
		return -1;
	const char *colon = strrchr(f->name, ':');
	f->local = colon ? (size_t)(colon - f->name) + 1 : 0;
	x->depth++;
	x->root_seen = true;
	return 0;
}

static int xml_close_top(struct xml *x)
{
	if (x->on_end && x->on_end(x->arg, x) < 0)
		return -1;
	if (--x->depth == 0)
		x->root_done = true;
	return 0;
}

/* "<name attr='v' ...>" or ".../>" (x->p after '<'). */
static int xml_start_tag(struct xml *x)
{
	if (xml_open(x) < 0)
		return -1;
	for (;;) {
		const char *before = x->p;
		xml_skip_space(x);
		if (x->p >= x->end)
			return xml_fail(x, "unterminated tag <%s>", x->f[x->depth - 1].name);
		if (*x->p == '>' || xml_starts(x, "/>")) {
			bool empty = *x->p == '/';
			x->p += empty ? 2 : 1;
			if (x->on_start && x->on_start(x->arg, x) < 0)
				return -1;
			return empty ? xml_close_top(x) : 0;
		}
		if (before == x->p)
			return xml_fail(x, "expected whitespace, '>' or '/>' in <%s>",
					x->f[x->depth - 1].name);
		if (xml_attribute(x) < 0)
			return -1;
	}
}

/* "</name>" (x->p after "</"). */
static int xml_end_tag(struct xml *x)
{
	char name[XML_NAME_MAX + 1];
	if (xml_name(x, name) < 0)
		return -1;
	xml_skip_space(x);
	if (x->p >= x->end || *x->p != '>')
		return xml_fail(x, "expected '>' after </%s", name);
	x->p++;
	if (x->depth == 0)
		return xml_fail(x, "</%s> without a start tag", name);
	const struct xml_frame *f = &x->f[x->depth - 1];
	if (strcmp(name, f->name) != 0)
		return xml_fail(x, "</%s> does not close <%s> (line %u)", name, f->name, f->line);
	return xml_close_top(x);
}

static int xml_markup(struct xml *x)
{
	if (xml_starts(x, "<!--")) {
		x->p += 4;
		return xml_skip_until(x, "-->", "comment");
	}
	if (xml_starts(x, "<![CDATA[")) {
		if (x->depth == 0)
			return xml_fail(x, "CDATA outside the root element");
		x->p += 9;
		const char *start = x->p;
		if (xml_skip_until(x, "]]>", "CDATA section") < 0)
			return -1;
		xml_text_add(x, start, (size_t)(x->p - 3 - start));
		return 0;
	}
	if (xml_starts(x, "<!"))
		return xml_fail(x, "<!DOCTYPE> and other declarations are not accepted");
	if (xml_starts(x, "<?")) {
		x->p += 2;
		return xml_skip_until(x, "?>", "processing instruction");
	}
	if (xml_starts(x, "</")) {
		x->p += 2;
		return xml_end_tag(x);
	}
	x->p++;
	return xml_start_tag(x);
}

static int xml_parse(struct xml *x)
{
	if (xml_starts(x, "\xef\xbb\xbf"))
		x->p += 3;
	while (x->p < x->end) {
		int rc = *x->p == '<' ? xml_markup(x) : xml_text(x);
		if (rc < 0)
			return -1;
	}
	if (x->depth)
		return xml_fail(x, "end of file inside <%s> (line %u)", x->f[x->depth - 1].name,
				x->f[x->depth - 1].line);
	if (!x->root_seen)
		return xml_fail(x, "no root element");
	return 0;
}

/* ---- AnyConnect profile from the XML ----------------------------------- */

struct host_entry {
	unsigned line;
	char name[256], address[256], group[128], proto[16], std_auth[16];
	char method[32], identity[128];
	bool have_address, have_proto;
};

struct xml_pick {
	const char *want;           /* NULL: first entry */
	void (*fn)(void *arg, const char *host_name, const char *address);
	void *fn_arg;
	int entry;                  /* frame index of the open HostEntry, -1 if none */
	struct host_entry cur, hit;
	bool found;
};

/* The frame path from the HostEntry down to f[depth - 1]. */
static bool xml_is_at(const struct xml *x, int base, const char *const *names, int n)
{
	if (x->depth - 1 != base + n)
		return false;
	for (int i = 0; i < n; i++)
		if (strcmp(xml_local(&x->f[base + 1 + i]), names[i]) != 0)
			return false;
	return true;
}

static bool xml_is_host_entry(const struct xml *x)
{
	int d = x->depth - 1;
	return d >= 1 && strcmp(xml_local(&x->f[d]), "HostEntry") == 0 &&
	       strcmp(xml_local(&x->f[d - 1]), "ServerList") == 0;
}

static int pick_start(void *arg, struct xml *x)
{
	struct xml_pick *k = arg;
	if (!xml_is_host_entry(x))
		return 0;
	if (k->entry >= 0)
		return xml_fail(x, "HostEntry inside a HostEntry");
	k->entry = x->depth - 1;
	memset(&k->cur, 0, sizeof(k->cur));
	k->cur.line = x->line;
	return 0;
}

/* One field of the HostEntry: the trimmed text of the closing element. */
struct entry_field {
	const char *path[3];
	int depth;
	size_t off, cap;
	size_t flag;                /* offset of a "have" bool, or SIZE_MAX */
};

#define HE_FIELD(m) offsetof(struct host_entry, m), sizeof(((struct host_entry *)0)->m)
static const struct entry_field entry_fields[] = {
	{ { "HostName" }, 1, HE_FIELD(name), SIZE_MAX },
	{ { "HostAddress" }, 1, HE_FIELD(address), offsetof(struct host_entry, have_address) },
	{ { "UserGroup" }, 1, HE_FIELD(group), SIZE_MAX },
	{ { "PrimaryProtocol" }, 1, HE_FIELD(proto), offsetof(struct host_entry, have_proto) },
	{ { "PrimaryProtocol", "StandardAuthenticationOnly" }, 2, HE_FIELD(std_auth), SIZE_MAX },
	{ { "PrimaryProtocol", "StandardAuthenticationOnly", "AuthMethodDuringIKENegotiation" },
	  3, HE_FIELD(method), SIZE_MAX },
	{ { "PrimaryProtocol", "StandardAuthenticationOnly", "IKEIdentity" },
	  3, HE_FIELD(identity), SIZE_MAX },
};

static int pick_field(struct xml_pick *k, struct xml *x)
{
	for (size_t i = 0; i < sizeof(entry_fields) / sizeof(entry_fields[0]); i++) {
		const struct entry_field *ef = &entry_fields[i];
		if (!xml_is_at(x, k->entry, ef->path, ef->depth))
			continue;
		const struct xml_frame *f = &x->f[x->depth - 1];
		const char *t = f->text;
		size_t n = f->text_len;
		char *dst = (char *)&k->cur + ef->off;
		trim(&t, &n);
		if (f->text_over || put_str(dst, ef->cap, t, n) < 0)
			return xml_fail(x, "<%s> is longer than %zu bytes", f->name, ef->cap - 1);
		if (ef->flag != SIZE_MAX)
			*((bool *)((char *)&k->cur + ef->flag)) = true;
		return 0;
	}
	return 0;
}

static bool pick_matches(const struct xml_pick *k)
{
	return !k->want || strcasecmp(k->want, k->cur.name) == 0 ||
	       (k->cur.have_address && strcasecmp(k->want, k->cur.address) == 0);
}

static int pick_end(void *arg, struct xml *x)
{
	struct xml_pick *k = arg;
	if (k->entry < 0)
		return 0;
	if (x->depth - 1 > k->entry)
		return pick_field(k, x);
	k->entry = -1;                 /* the HostEntry closes */
	if (!k->cur.name[0]) {
		x->line = k->cur.line;
		return xml_fail(x, "HostEntry without HostName");
	}
	if (!k->cur.have_address)
		memcpy(k->cur.address, k->cur.name, sizeof(k->cur.address));
	if (k->fn)
		k->fn(k->fn_arg, k->cur.name, k->cur.address);
	if (!k->found && pick_matches(k)) {
		k->hit = k->cur;
		k->found = true;
	}
	return 0;
}

static int xml_run(const char *text, size_t len, struct xml_pick *k, char *err, size_t errlen)
{
	if (!text || len > PROFILE_MAX_BYTES) {
		err_set(err, errlen, 0, "no profile, or larger than %d bytes", PROFILE_MAX_BYTES);
		return -1;
	}
	if (is_utf16(text, len)) {
		err_set(err, errlen, 0, "the file is UTF-16: save it as UTF-8");
		return -1;
	}
	/* About 20 KiB of frames: on the heap, not the stack. */
	struct xml *x = calloc(1, sizeof(*x));
	if (!x) {
		err_set(err, errlen, 0, "out of memory");
		return -1;
	}
	x->p = text;
	x->end = text + len;
	x->line = 1;
	x->on_start = pick_start;
	x->on_end = pick_end;
	x->arg = k;
	x->err = err;
	x->errlen = errlen;
	k->entry = -1;
	int rc = xml_parse(x);
	mem_wipe(x, sizeof(*x));
	free(x);
	return rc;
}

/* Canonical spellings of AuthMethodDuringIKENegotiation (AnyConnect
 * profile schema). */
static const char *const xml_auth_methods[] = {
	"EAP-AnyConnect", "EAP-MD5", "EAP-MSCHAPv2", "EAP-GTC", "IKE-RSA", "IKE-ECDSA",
};

static int entry_auth(const struct host_entry *e, struct client_profile *out, char *err,
		      size_t errlen)
{
	const char *m = e->method[0] ? e->method : "EAP-AnyConnect";
	if (strcasecmp(e->std_auth, "true") == 0)
		out->standard_auth_only = true;
	else if (e->std_auth[0] && strcasecmp(e->std_auth, "false") != 0) {
		err_set(err, errlen, e->line, "host %s: StandardAuthenticationOnly must be true or false",
			e->name);
		return -1;
	}
	/* Without StandardAuthenticationOnly the client uses Cisco's own
	 * EAP-AnyConnect (aggregate auth) whatever the method says. */
	if (!out->standard_auth_only)
		m = "EAP-AnyConnect";
	for (size_t i = 0; i < sizeof(xml_auth_methods) / sizeof(xml_auth_methods[0]); i++)
		if (strcasecmp(m, xml_auth_methods[i]) == 0) {
			snprintf(out->eap_method, sizeof(out->eap_method), "%s", xml_auth_methods[i]);
			return 0;
		}
	err_set(err, errlen, e->line, "host %s: unknown AuthMethodDuringIKENegotiation %s", e->name,
		m);
	return -1;
}

static int entry_to_profile(const struct host_entry *e, struct client_profile *out, char *err,
			    size_t errlen)
{
	if (!e->have_proto || strcasecmp(e->proto, "SSL") == 0) {
		err_set(err, errlen, e->line,
			"host %s: %s; ravpn-connect speaks IPsec (IKEv2) only: "
			"set <PrimaryProtocol>IPsec</PrimaryProtocol>", e->name,
			e->have_proto ? "PrimaryProtocol is SSL"
				      : "no PrimaryProtocol, so AnyConnect would use SSL");
		return -1;
	}
	if (strcasecmp(e->proto, "IPsec") != 0) {
		err_set(err, errlen, e->line, "host %s: unknown PrimaryProtocol %s", e->name, e->proto);
		return -1;
	}
	out->protocol = PROTO_IKEV2;
	memcpy(out->host, e->name, sizeof(out->host));
	memcpy(out->address, e->address, sizeof(out->address));
	memcpy(out->group, e->group, sizeof(out->group));
	memcpy(out->ike_identity, e->identity, sizeof(out->ike_identity));
	return entry_auth(e, out, err, errlen);
}

int profile_parse_xml(const char *text, size_t len, const char *host, struct client_profile *out,
		      char *err, size_t errlen)
{
	struct xml_pick k = { .want = host };
	if (!out)
		return -1;
	profile_wipe(out);
	if (err && errlen)
		err[0] = '\0';
	if (xml_run(text, len, &k, err, errlen) < 0)
		return -1;
	if (!k.found) {
		if (host)
			err_set(err, errlen, 0, "no HostEntry named %s (see --list-hosts)", host);
		else
			err_set(err, errlen, 0, "no HostEntry in <ServerList>");
		return -1;
	}
	if (entry_to_profile(&k.hit, out, err, errlen) < 0) {
		profile_wipe(out);
		return -1;
	}
	return 0;
}

int profile_xml_hosts(const char *text, size_t len,
		      void (*fn)(void *arg, const char *host_name, const char *address), void *arg,
		      char *err, size_t errlen)
{
	struct xml_pick check = { 0 }, list = { .fn = fn, .fn_arg = arg };
	if (err && errlen)
		err[0] = '\0';
	/* Check the whole document first, so a truncated file lists nothing. */
	if (xml_run(text, len, &check, err, errlen) < 0)
		return -1;
	return xml_run(text, len, &list, err, errlen);
}

/* ---- files ------------------------------------------------------------- */

/* The whole file, NUL-terminated (for the caller's convenience; the
 * parsers use the length).  Wipe with mem_free_secret(buf, len + 1). */
static char *file_read(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	if (!f) {
		err_set(err, errlen, 0, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > PROFILE_MAX_BYTES) {
		err_set(err, errlen, 0, "%s: not a regular file of at most %d bytes", path,
			PROFILE_MAX_BYTES);
		goto out;
	}
	*len = (size_t)st.st_size;
	buf = malloc(*len + 1);
	if (!buf || fread(buf, 1, *len, f) != *len) {
		err_set(err, errlen, 0, "%s: read failed", path);
		mem_free_secret(buf, *len + 1);
		buf = NULL;
		goto out;
	}
	buf[*len] = '\0';
out:
	fclose(f);
	return buf;
}

/* Prefix the parser's message with the file name. */
static void err_prefix(char *err, size_t errlen, const char *path)
{
	char msg[512];
	if (!err || !errlen)
		return;
	snprintf(msg, sizeof(msg), "%s", err);
	snprintf(err, errlen, "%s: %s", path, msg);
}

int profile_load_pcf(const char *path, struct client_profile *out, char *err, size_t errlen)
{
	size_t len = 0;
	profile_wipe(out);                /* defined even when the file is unreadable */
	char *buf = file_read(path, &len, err, errlen);
	if (!buf)
		return -1;
	int rc = profile_parse_pcf(buf, len, out, err, errlen);
	mem_free_secret(buf, len + 1);
	if (rc < 0)
		err_prefix(err, errlen, path);
	return rc;
}

int profile_load_xml(const char *path, const char *host, struct client_profile *out, char *err,
		     size_t errlen)
{
	size_t len = 0;
	profile_wipe(out);                /* defined even when the file is unreadable */
	char *buf = file_read(path, &len, err, errlen);
	if (!buf)
		return -1;
	int rc = profile_parse_xml(buf, len, host, out, err, errlen);
	mem_free_secret(buf, len + 1);
	if (rc < 0)
		err_prefix(err, errlen, path);
	return rc;
}

int profile_load(const char *path, const char *host, struct client_profile *out, char *err,
		 size_t errlen)
{
	size_t len = 0;
	profile_wipe(out);                /* defined even when the file is unreadable */
	char *buf = file_read(path, &len, err, errlen);
	if (!buf)
		return -1;
	size_t i = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < len && is_space(buf[i]))
		i++;
	int rc = i < len && buf[i] == '<'
			 ? profile_parse_xml(buf, len, host, out, err, errlen)
			 : profile_parse_pcf(buf, len, out, err, errlen);
	mem_free_secret(buf, len + 1);
	if (rc < 0)
		err_prefix(err, errlen, path);
	return rc;
}

void profile_wipe(struct client_profile *p)
{
	if (p)
		mem_wipe(p, sizeof(*p));
}
