/* show crypto ipsec sa — one entry per CHILD SA, grouped by the interface
 * IKE arrived on, in the layout of the seed and protocol.md §3.3:
 *
 *   interface: outside
 *       Crypto map tag: dynmap, seq num: 1000, local addr: 10.0.0.1
 *
 *         local ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
 *         ...
 *       inbound esp sas:
 *         spi: 0x30B848A4 (817383588)
 *            transform: esp-aes-256 esp-sha-hmac no compression
 *            in use settings ={RA, Tunnel, NAT-T-Encaps, }
 *
 * Counters: esp/ counts pkts_in for packets that decrypted and passed the
 * replay check, and the failures apart; "#pkts decaps" is their sum and
 * "#recv errors" the failures (seed: 163 decaps = 108 decrypt + 55 errors).
 * The anti-replay bitmap of an inbound SA is the newest 64 bits of esp/'s
 * window as the data plane last reported it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/names.h"
#include "ctl/show.h"

#define MEDIA_MTU 1500

struct ipsec_counts {
	uint64_t encaps, decaps, decrypt, send_errors, recv_errors;
};

static struct ipsec_counts ipsec_counts(const struct child_sa *c)
{
	uint64_t fail = c->pkts_decrypt_fail + c->pkts_replay;
	return (struct ipsec_counts){
		.encaps = c->pkts_out,
		.decaps = c->pkts_in + fail,
		.decrypt = c->pkts_in,
		.send_errors = c->send_errors,
		.recv_errors = c->recv_errors + fail,
	};
}

static bool natt(const struct ike_sa *sa)
{
	return sa->nat_remote || sa->nat_local;
}

/* Outer IPv4 header, UDP header when NAT-T, ESP header, IV, the largest
 * padding plus pad length and next header, ICV: the ASA's "ipsec overhead"
 * (82 for AES-256-CBC with HMAC-SHA1 over NAT-T in the seed). */
static unsigned ipsec_overhead(const struct ike_sa *sa, const struct child_sa *c)
{
	const struct ctl_encr_name *e = ctl_name_encr(c->encr_id, c->encr_bits);
	unsigned icv = e->icv_len ? e->icv_len : ctl_name_integ(c->integ_id)->icv_len;
	return 20u + (natt(sa) ? 8u : 0u) + 8u + e->iv_len + e->pad_block + 2u + icv;
}

static const char *iface(const struct ike_sa *sa)
{
	return sa->ifname ? sa->ifname : "unknown";
}

/* Interfaces in order of first appearance; returns how many (<= l->n). */
static size_t interfaces(const struct ctl_sa_list *l, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (sa->state == IKE_STATE_DEAD || !sa->children)
			continue;
		size_t k = 0;
		while (k < n && strcmp(out[k], iface(sa)) != 0)
			k++;
		if (k == n)
			out[n++] = iface(sa);
	}
	return n;
}

static uint64_t secs_left(const struct child_sa *c, const struct ctl_clock *now)
{
	uint64_t e = fmt_elapsed(c->created, now->wall);
	return e >= c->lifetime_sec ? 0 : c->lifetime_sec - e;
}

static uint64_t kb_left(const struct child_sa *c)
{
	uint64_t used = (c->bytes_in + c->bytes_out) / 1024u;
	return used >= c->lifetime_kb ? 0 : c->lifetime_kb - used;
}

static void transform(char *out, size_t len, const struct child_sa *c)
{
	snprintf(out, len, "%s %s", ctl_name_encr(c->encr_id, c->encr_bits)->esp,
		 ctl_name_integ(c->integ_id)->esp);
}

static void endpoint(char *out, size_t len, const struct sockaddr_in *a)
{
	char ip[FMT_IP_LEN];
	snprintf(out, len, "%s/%u", fmt_ip(ntohl(a->sin_addr.s_addr), ip), ntohs(a->sin_port));
}

/* ---- text -------------------------------------------------------------- */

static void text_esp_sa(struct buf *b, const struct ike_sa *sa, const struct child_sa *c,
			uint32_t spi, const struct ctl_clock *now)
{
	char t[64];
	transform(t, sizeof(t), c);
	buf_printf(b, "      spi: 0x%08" PRIX32 " (%" PRIu32 ")\n", spi, spi);
	buf_printf(b, "         transform: %s no compression\n", t);
	buf_printf(b, "         in use settings ={RA, Tunnel, %s%s}\n",
		   natt(sa) ? "NAT-T-Encaps, " : "", sa->version == IKE_V1 ? "IKEv1, " : "");
	buf_printf(b, "         slot: 0, conn_id: %" PRIu32 ", crypto-map: %s\n", c->conn_id,
		   c->dynmap ? c->dynmap : "none");
	if (sa->version == IKE_V1 && c->lifetime_kb)
		buf_printf(b, "         sa timing: remaining key lifetime (kB/sec): (%" PRIu64
			      "/%" PRIu64 ")\n", kb_left(c), secs_left(c, now));
	else
		buf_printf(b, "         sa timing: remaining key lifetime (sec): %" PRIu64 "\n",
			   secs_left(c, now));
	buf_printf(b, "         IV size: %u bytes\n", ctl_name_encr(c->encr_id, c->encr_bits)->iv_len);
	buf_printf(b, "         replay detection support: Y\n");
	if (spi == c->spi_in && c->replay_bitmap_valid)
		buf_printf(b, "         Anti replay bitmap:\n          0x%08" PRIX32 " 0x%08" PRIX32 "\n",
			   c->replay_bitmap[0], c->replay_bitmap[1]);
}

static void text_counters(struct buf *b, const struct child_sa *c)
{
	struct ipsec_counts k = ipsec_counts(c);
	buf_printf(b, "      #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64
		      ", #pkts digest: %" PRIu64 "\n", k.encaps, k.encaps, k.encaps);
	buf_printf(b, "      #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64
		      ", #pkts verify: %" PRIu64 "\n", k.decaps, k.decrypt, k.decrypt);
	buf_printf(b, "      #pkts compressed: 0, #pkts decompressed: 0\n");
	buf_printf(b, "      #pkts not compressed: %" PRIu64
		      ", #pkts comp failed: 0, #pkts decomp failed: 0\n", k.encaps);
	buf_printf(b, "      #pre-frag successes: 0, #pre-frag failures: 0, #fragments created: 0\n");
	buf_printf(b, "      #PMTUs sent: 0, #PMTUs rcvd: 0, "
		      "#decapsulated frgs needing reassembly: 0\n");
	buf_printf(b, "      #send errors: %" PRIu64 ", #recv errors: %" PRIu64 "\n",
		   k.send_errors, k.recv_errors);
}

static void text_child(struct buf *b, const struct ike_sa *sa, const struct child_sa *c,
		       const struct ctl_clock *now)
{
	char s[64], z[64], user[128];
	buf_printf(b, "    Crypto map tag: %s, seq num: %u, local addr: %s\n\n",
		   c->dynmap ? c->dynmap : "none", c->dynmap_seq,
		   fmt_ip(ntohl(sa->local.sin_addr.s_addr), s));
	show_ident(s, sizeof(s), &c->local_ts);
	buf_printf(b, "      local ident (addr/mask/prot/port): (%s)\n", s);
	show_ident(s, sizeof(s), &c->remote_ts);
	buf_printf(b, "      remote ident (addr/mask/prot/port): (%s)\n", s);
	buf_printf(b, "      current_peer: %s", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), s));
	if (sa->username) {
		fmt_clean(user, sizeof(user), sa->username);
		buf_printf(b, ", username: %s", user);
	}
	buf_put_u8(b, '\n');
	if (sa->assigned_addr)
		buf_printf(b, "      dynamic allocated peer ip: %s\n", fmt_ip(sa->assigned_addr, s));
	buf_put_u8(b, '\n');
	text_counters(b, c);
	endpoint(s, sizeof(s), &sa->local);
	endpoint(z, sizeof(z), &sa->remote);
	buf_printf(b, "\n      local crypto endpt.: %s, remote crypto endpt.: %s\n", s, z);
	buf_printf(b, "      path mtu %u, ipsec overhead %u, media mtu %u\n", MEDIA_MTU,
		   ipsec_overhead(sa, c), MEDIA_MTU);
	buf_printf(b, "      current outbound spi: %08" PRIX32 "\n", c->spi_out);
	buf_printf(b, "      current inbound spi : %08" PRIX32 "\n\n", c->spi_in);
	buf_printf(b, "    inbound esp sas:\n");
	text_esp_sa(b, sa, c, c->spi_in, now);
	buf_printf(b, "    outbound esp sas:\n");
	text_esp_sa(b, sa, c, c->spi_out, now);
}

static void text_interface(struct buf *b, const struct ctl_sa_list *l, const char *name,
			   const struct ctl_clock *now)
{
	buf_printf(b, "interface: %s\n", name);
	bool first = true;
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (sa->state == IKE_STATE_DEAD || strcmp(iface(sa), name) != 0)
			continue;
		for (const struct child_sa *c = sa->children; c; c = c->next) {
			if (!first)
				buf_put_u8(b, '\n');
			first = false;
			text_child(b, sa, c, now);
		}
	}
}

void show_ipsec_sa_text(struct buf *b, const struct ctl_sa_list *l, const struct ctl_clock *now)
{
	const char **ifs = calloc(l->n ? l->n : 1, sizeof(*ifs));
	if (!ifs) {
		b->oom = true;
		return;
	}
	size_t n = interfaces(l, ifs);
	if (n == 0)
		buf_printf(b, "There are no ipsec sas\n");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_put_u8(b, '\n');
		text_interface(b, l, ifs[i], now);
	}
	free(ifs);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_esp_sa(struct json *j, const char *key, const struct ike_sa *sa,
			const struct child_sa *c, uint32_t spi, const struct ctl_clock *now)
{
	char s[64];
	json_obj_open(j, key);
	snprintf(s, sizeof(s), "0x%08" PRIX32, spi);
	json_str(j, "spi", s);
	json_u64(j, "spi_decimal", spi);
	transform(s, sizeof(s), c);
	json_str(j, "transform", s);
	json_arr_open(j, "in_use_settings");
	json_str(j, NULL, "RA");
	json_str(j, NULL, "Tunnel");
	if (natt(sa))
		json_str(j, NULL, "NAT-T-Encaps");
	if (sa->version == IKE_V1)
		json_str(j, NULL, "IKEv1");
	json_arr_close(j);
	json_u64(j, "slot", 0);
	json_u64(j, "conn_id", c->conn_id);
	json_str(j, "crypto_map", c->dynmap ? c->dynmap : "none");
	json_u64(j, "remaining_key_lifetime_sec", secs_left(c, now));
	if (sa->version == IKE_V1 && c->lifetime_kb)
		json_u64(j, "remaining_key_lifetime_kb", kb_left(c));
	json_u64(j, "iv_size", ctl_name_encr(c->encr_id, c->encr_bits)->iv_len);
	json_bool(j, "replay_detection_support", true);
	if (spi == c->spi_in && c->replay_bitmap_valid) {
		char bm[24];
		snprintf(bm, sizeof(bm), "0x%08" PRIX32 " 0x%08" PRIX32, c->replay_bitmap[0],
			 c->replay_bitmap[1]);
		json_str(j, "anti_replay_bitmap", bm);
	}
	json_obj_close(j);
}

static void json_counters(struct json *j, const struct child_sa *c)
{
	struct ipsec_counts k = ipsec_counts(c);
	json_u64(j, "pkts_encaps", k.encaps);
	json_u64(j, "pkts_encrypt", k.encaps);
	json_u64(j, "pkts_digest", k.encaps);
	json_u64(j, "pkts_decaps", k.decaps);
	json_u64(j, "pkts_decrypt", k.decrypt);
	json_u64(j, "pkts_verify", k.decrypt);
	json_u64(j, "pkts_not_compressed", k.encaps);
	json_u64(j, "send_errors", k.send_errors);
	json_u64(j, "recv_errors", k.recv_errors);
}

static void json_child(struct json *j, const struct ike_sa *sa, const struct child_sa *c,
		       const struct ctl_clock *now)
{
	char s[64];
	json_obj_open(j, NULL);
	json_str(j, "crypto_map_tag", c->dynmap ? c->dynmap : "none");
	json_u64(j, "seq_num", c->dynmap_seq);
	json_str(j, "local_addr", fmt_ip(ntohl(sa->local.sin_addr.s_addr), s));
	show_ident(s, sizeof(s), &c->local_ts);
	json_str(j, "local_ident", s);
	show_ident(s, sizeof(s), &c->remote_ts);
	json_str(j, "remote_ident", s);
	json_str(j, "current_peer", fmt_ip(ntohl(sa->remote.sin_addr.s_addr), s));
	json_str(j, "username", sa->username);
	json_str(j, "dynamic_allocated_peer_ip", sa->assigned_addr ? fmt_ip(sa->assigned_addr, s) : NULL);
	json_counters(j, c);
	endpoint(s, sizeof(s), &sa->local);
	json_str(j, "local_crypto_endpt", s);
	endpoint(s, sizeof(s), &sa->remote);
	json_str(j, "remote_crypto_endpt", s);
	json_u64(j, "path_mtu", MEDIA_MTU);
	json_u64(j, "ipsec_overhead", ipsec_overhead(sa, c));
	json_u64(j, "media_mtu", MEDIA_MTU);
	snprintf(s, sizeof(s), "%08" PRIX32, c->spi_out);
	json_str(j, "current_outbound_spi", s);
	snprintf(s, sizeof(s), "%08" PRIX32, c->spi_in);
	json_str(j, "current_inbound_spi", s);
	json_esp_sa(j, "inbound_esp_sa", sa, c, c->spi_in, now);
	json_esp_sa(j, "outbound_esp_sa", sa, c, c->spi_out, now);
	json_obj_close(j);
}

static void json_interface(struct json *j, const struct ctl_sa_list *l, const char *name,
			   const struct ctl_clock *now)
{
	json_obj_open(j, NULL);
	json_str(j, "interface", name);
	json_arr_open(j, "sas");
	for (size_t i = 0; i < l->n; i++) {
		const struct ike_sa *sa = l->sa[i];
		if (sa->state == IKE_STATE_DEAD || strcmp(iface(sa), name) != 0)
			continue;
		for (const struct child_sa *c = sa->children; c; c = c->next)
			json_child(j, sa, c, now);
	}
	json_arr_close(j);
	json_obj_close(j);
}

void show_ipsec_sa_json(struct json *j, const struct ctl_sa_list *l, const struct ctl_clock *now)
{
	const char **ifs = calloc(l->n ? l->n : 1, sizeof(*ifs));
	if (!ifs) {
		j->b->oom = true;
		return;
	}
	size_t n = interfaces(l, ifs);
	json_obj_open(j, NULL);
	json_arr_open(j, "interfaces");
	for (size_t i = 0; i < n; i++)
		json_interface(j, l, ifs[i], now);
	json_arr_close(j);
	json_obj_close(j);
	free(ifs);
}
