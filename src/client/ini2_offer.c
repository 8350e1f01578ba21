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
