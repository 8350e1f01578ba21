#!/bin/bash
# strongSwan as an IKEv1 client in Main Mode with XAUTH PSK against the PIX
# config (configs/pix.conf): in Main Mode the client's ID travels encrypted,
# after the key is in use, so the gateway must pick the key by the peer's
# address: the seed's wildcard "isakmp key cisco1234 address 0.0.0.0 netmask
# 0.0.0.0" with "isakmp identity address".  The client's ID is its IPv4
# address; XAUTH vpnuser2 against LOCAL; Mode Config address from VPNpool.
# Checks: strongSwan's view (ESTABLISHED IKEv1, Main Mode, suite AES-256/SHA-1/
# group 2 from isakmp policy 5), the gateway's (MM_ACTIVE, the user, the
# address), a ping to the inside server; then a wrong wildcard key fails.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start pix
lab_add_client c1
lab_client_start c1
t0=$(date +%s%N)
lab_client_conn_v1 c1 mm aggressive=no psk=cisco1234 user=vpnuser2 password=Lab-v1-pass2 \
	ike=aes256-sha1-modp1024 esp=aes256-sha1
lab_initiate c1 mm || lab_fail "Main Mode XAUTH PSK does not connect: $(cat "$LAB_DIR/c1/initiate-mm.out")"
ms=$((($(date +%s%N) - t0) / 1000000))
vip=$(lab_assert_sa_up c1 mm 10.89.129.200 10.89.129.204 IKEv1)
lab_assert_suite c1 mm AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024 AES_CBC-256/HMAC_SHA1_96
lab_assert_log c1 "generating ID_PROT request 0 \\[ SA V V V V V \\]|generating ID_PROT request 0"
lab_assert_log c1 "XAuth authentication of 'vpnuser2' \\(myself\\) successful"
lab_gw_assert_v1_session vpnuser2 "$vip" "${LAB_PUBLIC[c1]}" MM
if lab_dataplane; then lab_ping_through_tunnel c1 mm 3; fi
lab_pass "Main Mode + XAUTH vpnuser2 with the wildcard key: $vip (${ms} ms)"
lab_terminate c1 mm
lab_client_forget c1 mm
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 VPNpool

: >"$LAB_DIR/c1/charon.log"
lab_client_conn_v1 c1 mmbad aggressive=no psk=not-cisco1234 user=vpnuser2 password=Lab-v1-pass2
if lab_initiate c1 mmbad 20; then
	lab_fail "Main Mode with a wrong wildcard key connected"
fi
lab_assert_no_ike c1 mmbad
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 VPNpool
lab_pass "Main Mode with a wrong key: no SA, no lease"
