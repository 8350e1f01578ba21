/* What ravpn-connect offers (pure; tested in tests/unit/client).
 *
 * IKE: one AES-CBC proposal with SHA-2/SHA-1 integrity and one AES-GCM
 * proposal, both with the DH groups strongest first.  MODP-1024 (group 2)
 * is last but present: the ASA seed policy and many deployed headends use
 * it.  ESP: AES-GCM first, then AES-CBC with SHA-2/SHA-1. */
#include <string.h>

#include "client/ini2.h"
#include "wire/ikev2.h"

static const uint16_t dh_groups[] = { 31, 19, 20, 14, 15, 2 };

static void add(struct ikev2_proposal *p, uint8_t type, uint16_t id, uint16_t bits)
{
	p->t[p->n_transforms++] = (struct ikev2_transform){ type, id, bits, false };
}

static void add_groups(struct ikev2_proposal *p)
{
	for (size_t i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		add(p, IKEV2_TRANS_DH, dh_groups[i], 0);
}

void ini2_ike_offer(struct ikev2_sa *out)
{
	memset(out, 0, sizeof(*out));
	struct ikev2_proposal *cbc = &out->p[0], *gcm = &out->p[1];
	out->n = 2;
	cbc->num = 1;
	cbc->protocol = IKEV2_PROTO_IKE;
	add(cbc, IKEV2_TRANS_ENCR, 12, 256);
	add(cbc, IKEV2_TRANS_ENCR, 12, 192);
	add(cbc, IKEV2_TRANS_ENCR, 12, 128);
	add(cbc, IKEV2_TRANS_PRF, 5, 0);       /* HMAC-SHA2-256 */
	add(cbc, IKEV2_TRANS_PRF, 2, 0);       /* HMAC-SHA1 */
	add(cbc, IKEV2_TRANS_INTEG, 12, 0);    /* HMAC-SHA2-256-128 */
	add(cbc, IKEV2_TRANS_INTEG, 2, 0);     /* HMAC-SHA1-96 */
	add_groups(cbc);
	gcm->num = 2;
	gcm->protocol = IKEV2_PROTO_IKE;
	add(gcm, IKEV2_TRANS_ENCR, 20, 256);   /* AES-GCM-16 */
	add(gcm, IKEV2_TRANS_ENCR, 20, 128);
	add(gcm, IKEV2_TRANS_PRF, 5, 0);
	add(gcm, IKEV2_TRANS_PRF, 2, 0);
	add_groups(gcm);
}

void ini2_esp_offer(struct ikev2_sa *out, uint32_t spi)
{
	memset(out, 0, sizeof(*out));
	out->n = 2;
	for (int i = 0; i < 2; i++) {
		struct ikev2_proposal *p = &out->p[i];
		p->num = (uint8_t)(i + 1);
		p->protocol = IKEV2_PROTO_ESP;
		p->spi_size = 4;
		p->spi[0] = (uint8_t)(spi >> 24);
		p->spi[1] = (uint8_t)(spi >> 16);
		p->spi[2] = (uint8_t)(spi >> 8);
		p->spi[3] = (uint8_t)spi;
	}
	add(&out->p[0], IKEV2_TRANS_ENCR, 20, 256);
	add(&out->p[0], IKEV2_TRANS_ENCR, 20, 128);
	add(&out->p[0], IKEV2_TRANS_ESN, 0, 0);
	add(&out->p[1], IKEV2_TRANS_ENCR, 12, 256);
	add(&out->p[1], IKEV2_TRANS_ENCR, 12, 128);
	add(&out->p[1], IKEV2_TRANS_INTEG, 12, 0);
	add(&out->p[1], IKEV2_TRANS_INTEG, 2, 0);
	add(&out->p[1], IKEV2_TRANS_ESN, 0, 0);
}

void ini2_esp_offer_pfs(struct ikev2_sa *out, uint32_t spi, uint16_t group, bool all)
{
	ini2_esp_offer(out, spi);
	for (unsigned i = 0; i < out->n; i++) {
		add(&out->p[i], IKEV2_TRANS_DH, group, 0);
		for (size_t j = 0; all && j < sizeof(dh_groups) / sizeof(dh_groups[0]); j++)
			if (dh_groups[j] != group)
				add(&out->p[i], IKEV2_TRANS_DH, dh_groups[j], 0);
	}
}

bool ini2_range_to_net(uint32_t start, uint32_t end, uint32_t *addr, uint32_t *mask)
{
	uint32_t host = start ^ end;           /* must be 0...01...1 */
	if (start > end || (host & (host + 1)) != 0 || (start & host) != 0)
		return false;
	*addr = start;
	*mask = ~host;
	return true;
}

/* ---- choosing from the gateway's proposals (it started the exchange) ---- */

static bool ours_has(const struct ikev2_proposal *op, const struct ikev2_transform *t)
{
	if (t->unknown_attr)                   /* RFC 7296 §3.3.6: never chosen */
		return false;
	for (unsigned i = 0; i < op->n_transforms; i++)
		if (op->t[i].type == t->type && op->t[i].id == t->id &&
		    op->t[i].key_bits == t->key_bits)
			return true;
	return false;
}

static bool has_type(const struct ikev2_proposal *p, uint8_t type)
{
	for (unsigned i = 0; i < p->n_transforms; i++)
		if (p->t[i].type == type)
			return true;
	return false;
}

/* gp narrowed to one transform of each type it lists, every one also in
 * op.  DH must be the group of the KE payload (DH NONE when there is none).
 * 0; -1 when something has no match; -2 when only the DH group did not
 * match but *alt, a group of gp that op has, would. */
static int pick_one(const struct ikev2_proposal *op, const struct ikev2_proposal *gp,
		    uint16_t ke_group, struct ikev2_proposal *out, uint16_t *alt)
{
	static const uint8_t types[] = { IKEV2_TRANS_ENCR, IKEV2_TRANS_PRF, IKEV2_TRANS_INTEG,
					 IKEV2_TRANS_DH, IKEV2_TRANS_ESN };
	bool dh_missed = false;
	if (gp->protocol != op->protocol)
		return -1;
	*out = *gp;
	out->n_transforms = 0;
	for (size_t k = 0; k < sizeof(types); k++) {
		const struct ikev2_transform *pick = NULL;
		if (!has_type(gp, types[k])) {
			if (types[k] == IKEV2_TRANS_DH && ke_group)
				return -1;             /* a KE needs a DH transform */
			continue;
		}
		for (unsigned i = 0; i < gp->n_transforms && !pick; i++) {
			const struct ikev2_transform *t = &gp->t[i];
			if (t->type != types[k])
				continue;
			if (t->type == IKEV2_TRANS_DH && t->id == 0 && !ke_group && !t->unknown_attr)
				pick = t;              /* DH NONE: no PFS */
			else if (!ours_has(op, t))
				continue;
			else if (t->type == IKEV2_TRANS_DH && t->id != ke_group) {
				if (t->id && !*alt)
					*alt = t->id;
			} else
				pick = t;
		}
		if (!pick && types[k] == IKEV2_TRANS_DH)
			dh_missed = true;
		else if (!pick)
			return -1;
		else
			out->t[out->n_transforms++] = *pick;
	}
	return dh_missed ? -2 : 0;
}

int ini2_pick(const struct ikev2_sa *ours, const struct ikev2_sa *theirs, uint16_t ke_group,
	      struct ikev2_proposal *out)
{
	uint16_t alt = 0;
	for (unsigned g = 0; g < theirs->n; g++)           /* the gateway's order first */
		for (unsigned o = 0; o < ours->n; o++) {
			uint16_t a = 0;
			int rc = pick_one(&ours->p[o], &theirs->p[g], ke_group, out, &a);
			if (rc == 0)
				return 0;
			if (rc == -2 && a && !alt)
				alt = a;
		}
	return alt ? alt : -1;
}
