#!/bin/bash
# IKEv2 + EAP-MD5 (no MSK: both AUTH payloads use SK_p), IDi = keyid:ASA-IKEV2,
# EAP identity Anu, the seed's suite.  The gateway offers its EAP methods; the
# strongSwan client, configured for EAP-MD5 only, NAKs the others.
# Passes when strongSwan sees the IKE SA ESTABLISHED, the CHILD_SA INSTALLED
# with a virtual IP from webvpn1 and the gateway shows the session.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-md5
lab_add_client c1
lab_client_start c1
lab_client_conn c1 anu auth=eap-md5 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1 \
	ike=aes192-sha1-modp1024 esp=aes256-sha1
lab_initiate c1 anu || lab_fail "EAP-MD5 connect failed: $(cat "$LAB_DIR/c1/initiate-anu.out")"
vip=$(lab_assert_sa_up c1 anu 10.2.2.1 10.2.2.10)
lab_assert_log c1 "EAP method EAP_MD5 succeeded, no MSK established"
lab_gw_assert_session Anu "$vip"
if lab_dataplane; then lab_ping_through_tunnel c1 anu 3; fi
lab_pass "IKEv2 EAP-MD5: Anu got $vip"
