#!/bin/bash
# vpnc --dh dh5 --pfs dh2 against tunnel-group RA-IKEV1: phase 1 with DH group
# 5 (MODP-1536, isakmp policy 20), Quick Mode with PFS group 2 (a KE payload
# in QM, MODP-1024).  vpnc's own debug output names both groups; the gateway
# reports them (ravpnd: show vpn-sessiondb detail remote "D/H Group: 5" and
# "PFS Group: 2"; strongSwan: the IKE SA's MODP_1536 and the CHILD_SA's
# MODP_1024); a ping crosses the tunnel.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=Lab-v1-pass1 \
	dh=dh5 pfs=dh2 debug=3
lab_vpnc_wait_up c1
vip=$LAB_VPNC_VIP
# vpnc --debug 3 decodes every payload: the group attribute of the transform
# the gateway chose, in its AM reply (S4.4) and in its QM reply (S7.3)
chosen() { # FIRST-SECTION END-SECTION ATTRIBUTE-NAME: first value in the section
	awk -v s="$1" -v e="$2" -v t="($3)" '
		index($0, s) == 1 { on = 1 } on && index($0, e) == 1 { exit }
		on && f { print $2; exit } on && index($0, t) { f = 1 }' "$LAB_DIR/c1/vpnc.log"
}
g1=$(chosen "S4.4 AM_packet2" "S4.5" IKE_ATTRIB_GROUP_DESC)
[ "$g1" = 0005 ] || lab_fail "phase 1: the gateway chose DH group '$g1', expected 0005 (MODP-1536)"
g2=$(chosen "S7.3 QM_packet2" "S7.5" ISAKMP_IPSEC_ATTRIB_GROUP_DESC)
[ "$g2" = 0002 ] || lab_fail "Quick Mode: the gateway's PFS group is '$g2', expected 0002 (MODP-1024)"
lab_log "vpnc: phase 1 DH group $g1, Quick Mode PFS group $g2"
lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
if [ "$LAB_GW" = ravpnd ]; then
	lab_ctl_expect "D/H Group *: *5" show vpn-sessiondb detail remote
	lab_ctl_expect "PFS Group *: *2" show vpn-sessiondb detail remote
else
	out=$(lab_swanctl gw --list-sas 2>&1)
	echo "$out" | grep -Eq "^  AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536\$" ||
		lab_fail "gateway: IKE SA is not AES-256/SHA-1/MODP-1536: $out"
	echo "$out" | grep -Eq "INSTALLED, TUNNEL[-a-zA-Z]*, ESP:AES_CBC-256/HMAC_SHA1_96/MODP_1024\$" ||
		lab_fail "gateway: CHILD_SA has no PFS MODP-1024: $out"
fi
if lab_dataplane; then lab_ping_through_tunnel c1 - 3; fi
lab_pass "vpnc --dh dh5 --pfs dh2: IKE group 5, QM PFS group 2, $vip, up in ${LAB_VPNC_CONNECT_MS} ms"
lab_vpnc_stop c1
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 v1pool
