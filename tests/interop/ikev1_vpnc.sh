#!/bin/bash
# vpnc with its defaults against tunnel-group RA-IKEV1 (configs/asa-ikev1.conf):
# Aggressive Mode with the group name as ID_KEY_ID and the group key, XAUTH
# (vpnuser1), then vpnc pulls Mode Config.  What vpnc hands its script must be
# the group-policy: an address from v1pool (10.3.3.1-20), netmask
# 255.255.255.0, DNS 10.1.0.53, domain lab.example, the banner, and one
# split-include network 10.1.0.0/24 (so the only tunnel route is that one).
# The gateway lists the session (user, address, peer), a ping and a short
# iperf3 reach the inside server 10.1.0.10 through the TUN, and SIGTERM makes
# vpnc delete its SAs: the gateway then holds no SA and no lease.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=Lab-v1-pass1
lab_vpnc_wait_up c1
vip=$LAB_VPNC_VIP
v=$(ip2int "$vip")
[ "$v" -ge "$(ip2int 10.3.3.1)" ] && [ "$v" -le "$(ip2int 10.3.3.20)" ] ||
	lab_fail "vpnc got $vip, not an address of v1pool 10.3.3.1-10.3.3.20"
lab_vpnc_expect_env c1 INTERNAL_IP4_NETMASK 255.255.255.0
lab_vpnc_expect_env c1 INTERNAL_IP4_DNS 10.1.0.53
lab_vpnc_expect_env c1 CISCO_DEF_DOMAIN lab.example
lab_vpnc_expect_env c1 CISCO_BANNER "Authorized ravpn lab users only"
lab_vpnc_expect_env c1 CISCO_SPLIT_INC 1
lab_vpnc_expect_env c1 CISCO_SPLIT_INC_0_ADDR 10.1.0.0
lab_vpnc_expect_env c1 CISCO_SPLIT_INC_0_MASK 255.255.255.0
lab_vpnc_expect_env c1 CISCO_SPLIT_INC_0_MASKLEN 24
routes=$(lab_exec c1 ip route show dev vpnc0)
[ "$(echo "$routes" | awk '{ print $1 }')" = 10.1.0.0/24 ] ||
	lab_fail "split tunnel: the routes through vpnc0 are not just 10.1.0.0/24: $routes"
lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
lab_pass "vpnc defaults: Aggressive Mode + XAUTH vpnuser1, $vip, DNS/domain/banner/split-include, up in ${LAB_VPNC_CONNECT_MS} ms"

if lab_dataplane; then
	lab_ping_through_tunnel c1 - 3
	lab_iperf c1 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] || lab_fail "only $LAB_IPERF_BYTES bytes crossed the tunnel"
	lab_pass "ping and iperf3 through vpnc: $LAB_IPERF_MBPS Mbit/s"
fi

lab_vpnc_stop c1
[ "$LAB_VPNC_STATUS" = 0 ] || lab_fail "vpnc exited with $LAB_VPNC_STATUS on SIGTERM"
grep -qx disconnect "$LAB_DIR/c1/vpnc-reasons" || lab_fail "vpnc did not run its script with reason=disconnect"
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 v1pool
lab_pass "vpnc SIGTERM: DELETE sent, gateway holds no SA and no lease"
