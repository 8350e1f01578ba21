#!/bin/bash
# The PIX 6.3 configuration of seed 004 (configs/pix.conf, lab-adapted) serving
# the clients it was written for:
#  1. vpnc as a Cisco VPN Client 3.x/4.x with the weak switches on
#     (--enable-weak-encryption --enable-weak-authentication --enable-1des):
#     group vpn3000 / grouppass123 in Aggressive Mode, XAUTH vpnuser1 against
#     LOCAL, an address from VPNpool (10.89.129.200-204); the seed has no split
#     tunnel, so vpnc gets no split-include and routes everything to the TUN.
#  2. a strongSwan IKEv1 client that offers only the seed's suites, IKE
#     DES/MD5/group 2 (isakmp policy 10) and ESP DES/MD5 (transform set myset):
#     the PIX config must still serve them, with exactly that suite.
# Both reach the inside server through the tunnel; the gateway lists both.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

in_pool() { # ADDR: in VPNpool 10.89.129.200-204
	local v
	v=$(ip2int "$1")
	[ "$v" -ge "$(ip2int 10.89.129.200)" ] && [ "$v" -le "$(ip2int 10.89.129.204)" ]
}

lab_init
lab_gw_start pix
lab_add_client c1
lab_vpnc_start c1 group=vpn3000 secret=grouppass123 user=vpnuser1 password=Lab-v1-pass1 weak=1
lab_vpnc_wait_up c1
vip1=$LAB_VPNC_VIP
in_pool "$vip1" || lab_fail "vpnc got $vip1, not an address of VPNpool"
if n=$(lab_vpnc_env c1 CISCO_SPLIT_INC) && [ "$n" != 0 ]; then
	lab_fail "the seed has no split tunnel, but vpnc got CISCO_SPLIT_INC=$n"
fi
lab_exec c1 ip route show dev vpnc0 | grep -q '^0.0.0.0/1' ||
	lab_fail "tunnel-all: no 0.0.0.0/1 route through vpnc0"
lab_gw_assert_v1_session vpnuser1 "$vip1" "${LAB_PUBLIC[c1]}" AM
if lab_dataplane; then lab_ping_through_tunnel c1 - 3; fi
lab_pass "PIX seed: vpnc (weak switches on), group vpn3000, XAUTH vpnuser1: $vip1 in ${LAB_VPNC_CONNECT_MS} ms"

lab_add_client c2
lab_client_start c2
lab_client_conn_v1 c2 des aggressive=yes group=vpn3000 psk=grouppass123 user=vpnuser2 \
	password=Lab-v1-pass2 ike=des-md5-modp1024 esp=des-md5
lab_initiate c2 des || lab_fail "a DES/MD5-only IKEv1 client does not connect to the PIX config"
vip2=$(lab_assert_sa_up c2 des 10.89.129.200 10.89.129.204 IKEv1)
lab_assert_suite c2 des DES_CBC/HMAC_MD5_96/PRF_HMAC_MD5/MODP_1024 DES_CBC/HMAC_MD5_96
lab_gw_assert_v1_session vpnuser2 "$vip2" "${LAB_PUBLIC[c2]}" AM
if [ "$LAB_GW" = ravpnd ]; then
	lab_ctl_expect "Total IKE SA: *2" show crypto isakmp sa
fi
if lab_dataplane; then lab_ping_through_tunnel c2 des 3; fi
lab_pass "PIX seed: isakmp policy 10 (DES/MD5/group 2) + transform set myset (esp-des esp-md5-hmac): $vip2"

lab_vpnc_stop c1
lab_terminate c2 des
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 VPNpool
lab_pass "PIX seed: both clients gone, no SA and no lease left"
