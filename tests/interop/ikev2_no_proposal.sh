#!/bin/bash
# Proposals the gateway does not accept.
#  1. IKE: the client offers only AES-256/SHA-512/ECP-384 (the gateway has
#     policy 10 AES-192/SHA-1/group 2): NO_PROPOSAL_CHOSEN in IKE_SA_INIT,
#     no IKE SA.
#  2. ESP: IKE matches but the client offers only AES-GCM-128 for ESP (the
#     ipsec-proposal is AES-256/AES/3DES with SHA-1): NO_PROPOSAL_CHOSEN for
#     the CHILD_SA, no CHILD_SA installed; once the client closes the IKE SA
#     the gateway holds no lease.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-mschapv2
lab_add_client c1
lab_client_start c1

lab_client_conn c1 badike auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1 \
	ike=aes256-sha512-ecp384 esp=aes256-sha1
if lab_initiate c1 badike 20; then
	lab_fail "an unacceptable IKE proposal connected"
fi
lab_assert_log c1 "received NO_PROPOSAL_CHOSEN notify error"
lab_assert_no_ike c1 badike
lab_assert_no_lease webvpn1
lab_pass "IKE proposal mismatch: NO_PROPOSAL_CHOSEN, no SA"

: >"$LAB_DIR/c1/charon.log"
lab_client_conn c1 badesp auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1 \
	ike=aes192-sha1-modp1024 esp=aes128gcm16
if lab_initiate c1 badesp 20; then
	lab_fail "an unacceptable ESP proposal gave a CHILD_SA"
fi
lab_assert_log c1 "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"
lab_assert_no_child c1 badesp
lab_terminate c1 badesp
sleep 1
lab_assert_no_ike c1 badesp
lab_assert_no_lease webvpn1
lab_pass "ESP proposal mismatch: NO_PROPOSAL_CHOSEN, no CHILD_SA, no lease after close"
