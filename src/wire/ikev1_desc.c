/* IKEv1 / ISAKMP payload descriptor table (RFC 2408 §3, RFC 2407 §4.6,
 * RFC 3947 §3-5, draft-ietf-ipsec-isakmp-mode-cfg, Cisco fragment 132).
 *
 * Every payload starts with the generic header (RFC 2408 §3.2):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The diagrams below show what follows it.  min_len counts the generic
 * header.  A payload of a slot with max 1 repeated in one chain is
 * IKEV1_PARSE_DUPLICATE; more instances than `max` is IKEV1_PARSE_TOO_MANY.
 * Proposal (2) and Transform (3) only occur inside SA: at top level they
 * are unknown types like any other. */
#include "wire/ikev1_pl.h"

#define D(t, n, min, slot, max, fn)                                                   \
	{ t, n, min, IKEV1_SLOT_##slot, max, ikev1_parse_##fn##_body, ikev1_emit_##fn, \
	  ikev1_dump_##fn }

static const struct ikev1_pl_desc pl_table[] = {
	/* SA (1), RFC 2408 §3.4 and RFC 2407 §4.6.1 (IPsec DOI situation)
	 * !                 Domain of Interpretation  (DOI)               !
	 * !                           Situation                           !
	 * ~                 Proposal payloads (RFC 2408 §3.5):            ~
	 * ! Next Payload  !   RESERVED    !         Payload Length        !
	 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
	 * ~                        SPI (variable)                         ~
	 * ~                 Transform payloads (§3.6):                    ~
	 * ! Next Payload  !   RESERVED    !         Payload Length        !
	 * !  Transform #  !  Transform-Id !           RESERVED2           !
	 * ~                        SA Attributes (§3.3)                   ~
	 * Next Payload is 2 (more proposals) / 3 (more transforms), 0 last. */
	D(IKEV1_PL_SA, "SA", 4 + 8, SA, 1, sa),

	/* KE (4), §3.7
	 * ~                       Key Exchange Data                       ~ */
	D(IKEV1_PL_KE, "KE", 4 + 1, KE, 1, ke),

	/* ID (5), RFC 2407 §4.6.2; HASH_I/HASH_R cover the whole body
	 * !   ID Type     !  Protocol ID  !             Port              !
	 * ~                     Identification Data                       ~ */
	D(IKEV1_PL_ID, "ID", 4 + 4, ID, IKEV1_MAX_ID, id),

	/* CERT (6), §3.9 / CR (7), §3.10 (data = certificate authority)
	 * ! Cert Encoding !                                               !
	 * ~                 Certificate Data / Certificate Authority      ~ */
	D(IKEV1_PL_CERT, "CERT", 4 + 1, CERT, IKEV1_MAX_CERT, cert),
	D(IKEV1_PL_CR, "CR", 4 + 1, CR, IKEV1_MAX_CERT, cr),

	/* HASH (8), §3.11 / SIG (9), §3.12
	 * ~                    Hash Data / Signature Data                 ~ */
	D(IKEV1_PL_HASH, "HASH", 4 + 1, HASH, 1, hash),
	D(IKEV1_PL_SIG, "SIG", 4 + 1, SIG, 1, sig),

	/* NONCE (10), §3.13; RFC 2409 §5: 8..256 bytes
	 * ~                            Nonce Data                         ~ */
	D(IKEV1_PL_NONCE, "NONCE", 4 + 8, NONCE, 1, nonce),

	/* Notification (11), §3.14
	 * !              Domain of Interpretation  (DOI)                  !
	 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
	 * ~                Security Parameter Index (SPI)                 ~
	 * ~                       Notification Data                       ~ */
	D(IKEV1_PL_N, "N", 4 + 8, N, IKEV1_MAX_NOTIFY, n),

	/* Delete (12), §3.15
	 * !              Domain of Interpretation  (DOI)                  !
	 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
	 * ~               Security Parameter Index(es) (SPI)              ~ */
	D(IKEV1_PL_D, "D", 4 + 8, D, IKEV1_MAX_DELETE, d),

	/* Vendor ID (13), §3.16
	 * ~                        Vendor ID (VID)                        ~ */
	D(IKEV1_PL_VID, "VID", 4, VID, IKEV1_MAX_VENDOR, vid),

	/* Attribute (14), draft-ietf-ipsec-isakmp-mode-cfg-05 §3.2
	 * !     Type      !   RESERVED    !           Identifier          !
	 * ~                           Attributes                          ~
	 * each attribute, AF=1 basic (TV), AF=0 variable (TLV):
	 * !A!       Attribute Type        !    AF=0  Attribute Length     !
	 * !F!                             !    AF=1  Attribute Value      !
	 * ~                   AF=0  Attribute Value                       ~ */
	D(IKEV1_PL_ATTR, "ATTR", 4 + 4, ATTR, 1, attr),

	/* NAT-D (20, RFC 3947 §3.2; 130 in drafts 00-03)
	 * ~               HASH of the address and port                    ~ */
	D(IKEV1_PL_NATD, "NAT-D", 4 + 1, NATD, IKEV1_MAX_NATD, natd),
	D(IKEV1_PL_NATD_DRAFT, "NAT-D", 4 + 1, NATD, IKEV1_MAX_NATD, natd),

	/* NAT-OA (21, RFC 3947 §5.2; 131 in drafts 00-03)
	 * !    ID Type    !   RESERVED    !            RESERVED           !
	 * ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~ */
	D(IKEV1_PL_NATOA, "NAT-OA", 4 + 8, NATOA, 2, natoa),
	D(IKEV1_PL_NATOA_DRAFT, "NAT-OA", 4 + 8, NATOA, 2, natoa),

	/* Cisco/Microsoft IKE fragment (132), protocol.md §1.13
	 * !          Fragment ID          !  Fragment #   !     Flags     !
	 * ~                         Fragment Data                         ~
	 * Fragment # starts at 1; flag 0x01 marks the last fragment. */
	D(IKEV1_PL_FRAG, "FRAG", 4 + 4, FRAG, 1, frag),
};

const struct ikev1_pl_desc *ikev1_pl_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(pl_table) / sizeof(pl_table[0]); i++)
		if (pl_table[i].type == type)
			return &pl_table[i];
	return NULL;
}

const struct ikev1_pl_desc *ikev1_pl_table(size_t *n)
{
	*n = sizeof(pl_table) / sizeof(pl_table[0]);
	return pl_table;
}
