/* IKEv2 payload descriptor table (RFC 7296 §3, RFC 7383 §2.5).
 *
 * Every payload starts with the generic header (RFC 7296 §3.2):
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The diagrams below show what follows it.  min_len counts the generic
 * header.  Single-instance payloads repeated in one chain are rejected
 * (IKEV2_PARSE_DUPLICATE); multi-instance ones are kept up to `max`. */
#include "wire/ikev2_pl.h"

#define D(t, n, min, multi, max, fn)                                            \
	{ t, n, min, multi, max, ikev2_parse_##fn##_body, ikev2_emit_##fn, ikev2_dump_##fn }

static const struct ikev2_pl_desc pl_table[] = {
	/* SA (33), §3.3: a list of Proposal substructures
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * | Last Substruc |   RESERVED    |         Proposal Length       |
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * ~                        SPI (variable)                         ~
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * ~                        <Transforms>                           ~
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * each Transform (§3.3.2):
	 * | Last Substruc |   RESERVED    |        Transform Length       |
	 * |Transform Type |   RESERVED    |          Transform ID         |
	 * ~                      Transform Attributes                     ~
	 * each Attribute (§3.3.5), Key Length (14) in TV form (A=1):
	 * |A|       Attribute Type        |    AF=0  Attribute Length     |
	 * |                               |    AF=1  Attribute Value      |
	 * ~                   AF=0  Attribute Value                       ~ */
	D(IKEV2_PL_SA, "SA", 4 + 8, false, 1, sa),

	/* KE (34), §3.4
	 * |   Diffie-Hellman Group Num    |           RESERVED            |
	 * ~                       Key Exchange Data                       ~ */
	D(IKEV2_PL_KE, "KE", 4 + 4, false, 1, ke),

	/* IDi (35) / IDr (36), §3.5; the AUTH computation signs everything
	 * after the generic header (type, reserved, data): kept as `body`.
	 * |   ID Type     |                 RESERVED                      |
	 * ~                   Identification Data                         ~ */
	D(IKEV2_PL_IDI, "IDi", 4 + 4, false, 1, idi),
	D(IKEV2_PL_IDR, "IDr", 4 + 4, false, 1, idr),

	/* CERT (37), §3.6 / CERTREQ (38), §3.7 (data = SHA-1 hashes of CA keys)
	 * | Cert Encoding |                                               |
	 * +-+-+-+-+-+-+-+-+                                               |
	 * ~                       Certificate Data / Certification Authority
	 */
	D(IKEV2_PL_CERT, "CERT", 4 + 1, true, IKEV2_MAX_CERT, cert),
	D(IKEV2_PL_CERTREQ, "CERTREQ", 4 + 1, true, IKEV2_MAX_CERT, certreq),

	/* AUTH (39), §3.8
	 * | Auth Method   |                RESERVED                       |
	 * ~                      Authentication Data                      ~ */
	D(IKEV2_PL_AUTH, "AUTH", 4 + 4, false, 1, auth),

	/* Nonce (40), §3.9: 16..256 octets
	 * ~                            Nonce Data                         ~ */
	D(IKEV2_PL_NONCE, "N", 4 + 16, false, 1, nonce),

	/* Notify (41), §3.10
	 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
	 * ~                Security Parameter Index (SPI)                 ~
	 * ~                       Notification Data                       ~ */
	D(IKEV2_PL_NOTIFY, "NOTIFY", 4 + 4, true, IKEV2_MAX_NOTIFY, notify),

	/* Delete (42), §3.11
	 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
	 * ~               Security Parameter Index(es) (SPI)              ~ */
	D(IKEV2_PL_DELETE, "DELETE", 4 + 4, true, IKEV2_MAX_DELETE, delete),

	/* Vendor ID (43), §3.12
	 * ~                        Vendor ID (VID)                        ~ */
	D(IKEV2_PL_VENDOR, "VID", 4, true, IKEV2_MAX_VENDOR, vendor),

	/* TSi (44) / TSr (45), §3.13
	 * | Number of TSs |                 RESERVED                      |
	 * ~                       <Traffic Selectors>                     ~
	 * each selector (§3.13.1), addresses 4 (type 7) or 16 (type 8) octets:
	 * |   TS Type     |IP Protocol ID*|       Selector Length         |
	 * |           Start Port*         |           End Port*           |
	 * ~                         Starting Address*                     ~
	 * ~                         Ending Address*                       ~ */
	D(IKEV2_PL_TSI, "TSi", 4 + 4, false, 1, tsi),
	D(IKEV2_PL_TSR, "TSr", 4 + 4, false, 1, tsr),

	/* SK (46), §3.14: must be the last payload; its Next Payload names
	 * the first payload inside.
	 * |                     Initialization Vector                     |
	 * ~                    Encrypted IKE Payloads                     ~
	 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * |               |             Padding (0-255 octets)            |
	 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
	 * |                                               |  Pad Length   |
	 * ~                    Integrity Checksum Data                    ~ */
	D(IKEV2_PL_SK, "SK", 4, false, 1, sk),

	/* CP (47), §3.15
	 * |   CFG Type    |                    RESERVED                   |
	 * ~                   Configuration Attributes                    ~
	 * each attribute (§3.15.1), R is reserved and ignored:
	 * |R|         Attribute Type      |            Length             |
	 * ~                             Value                             ~ */
	D(IKEV2_PL_CP, "CFG", 4 + 4, false, 1, cp),

	/* EAP (48), §3.16: one whole EAP message (RFC 3748 §4)
	 * |     Code      | Identifier    |           Length              |
	 * |     Type      | Type_Data...  (Request/Response only)
	 * The EAP Length must equal the payload body length. */
	D(IKEV2_PL_EAP, "EAP", 4 + 4, false, 1, eap),

	/* SKF (53), RFC 7383 §2.5: must be the last payload
	 * |        Fragment Number        |        Total Fragments        |
	 * |                     Initialization Vector                     |
	 * ~                      Encrypted content                        ~
	 * ~                    Integrity Checksum Data                    ~ */
	D(IKEV2_PL_SKF, "SKF", 4 + 4, false, 1, skf),
};

const struct ikev2_pl_desc *ikev2_pl_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(pl_table) / sizeof(pl_table[0]); i++)
		if (pl_table[i].type == type)
			return &pl_table[i];
	return NULL;
}

const struct ikev2_pl_desc *ikev2_pl_table(size_t *n)
{
	*n = sizeof(pl_table) / sizeof(pl_table[0]);
	return pl_table;
}
