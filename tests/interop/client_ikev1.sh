#!/bin/bash
# ravpn-connect --ikev1 (the Cisco VPN Client dialect) in a client namespace:
#  1. against ravpnd with configs/asa-ikev1.conf (tunnel-group RA-IKEV1, group
#     key, XAUTH vpnuser1): connected with an address from v1pool, the banner
#     printed, the --script hook gets the group-policy (netmask, DNS, domain,
#     banner, split include 10.1.0.0/24) and sets the split route itself; the
#     gateway lists an AM_ACTIVE session; ping and a short iperf3 to the server
#     10.1.0.10 through the tunnel; SIGTERM: DELETE, exit 0, hook "disconnect",
#     no SA and no lease left on the gateway; no password in the hook's
#     environment or in the log;
#  2. a wrong group password: exit 3 (authentication), no session, no lease;
#  3. a wrong XAUTH password: exit 3, no session, no lease;
#  4. a Cisco .pcf profile (Host, GroupName, GroupPwd, Username) selects IKEv1
#     by itself; the XAUTH password through --password-fd: connected, ping;
#  4b. --dh 5 --pfs 5 (IKE policy 20, PFS in Quick Mode), no hook: the
#     client sets the split route itself; its own --ping answers;
#  5. against ravpnd with configs/pix.conf (PIX 6.3: vpngroup vpn3000, its
#     password as the group key, Mode Config pushed by the gateway, no split
#     list: a full tunnel): connected from VPNpool, ping;
#  6. against a strongSwan IKEv1 XAUTH responder (configs/strongswan/
#     asa-ikev1.swanctl.conf: a peer we did not write): connected, banner,
#     domain and split include from its unity plugin, ping, iperf3, SIGTERM
#     leaves no SA.
# Prints connect times and iperf3 throughput.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

RAVPN_CONNECT=${RAVPN_CONNECT:-$LAB_TOP/build/src/client/ravpn-connect}
[ -x "$RAVPN_CONNECT" ] || { echo "SKIP: no $RAVPN_CONNECT (make first)"; exit 77; }
command -v iperf3 >/dev/null || { echo "SKIP: no iperf3"; exit 77; }

SECRETS="Lab-v1-pass1|Lab-v1-group-key|grouppass123|not-the-group-key|not-the-password"
BANNER="Authorized ravpn lab users only"
RVC_PID=""

# rvc_hook NAME: a vpnc-script stand-in that records the environment of each
# call (env-REASON: the variables a vpnc-script reads; envall-REASON:
# everything, to look for secrets) and, on connect, routes the split networks
# (or 0/1 + 128/1) into the TUN as vpnc-script does.
rvc_hook() {
	local f=$LAB_DIR/$1/hook.sh
	mkdir -p "$LAB_DIR/$1"
	cat >"$f" <<-'EOF'
	#!/bin/sh
	d=$(dirname "$0")
	env | grep -E '^(reason|TUNDEV|VPNGATEWAY|INTERNAL_IP4_|CISCO_)' | sort >"$d/env-$reason"
	env >"$d/envall-$reason"
	echo "$reason" >>"$d/reasons"
	[ "$reason" = connect ] || exit 0
	if [ -z "${CISCO_SPLIT_INC:-}" ]; then
		ip route replace 0.0.0.0/1 dev "$TUNDEV"
		ip route replace 128.0.0.0/1 dev "$TUNDEV"
		exit 0
	fi
	i=0
	while [ "$i" -lt "$CISCO_SPLIT_INC" ]; do
		eval "a=\$CISCO_SPLIT_INC_${i}_ADDR m=\$CISCO_SPLIT_INC_${i}_MASKLEN"
		ip route replace "$a/$m" dev "$TUNDEV"
		i=$((i + 1))
	done
	EOF
	chmod 755 "$f"
	rm -f "$LAB_DIR/$1/reasons" "$LAB_DIR/$1"/env-* "$LAB_DIR/$1"/envall-*
	echo "$f"
}

# rvc_start NAME TAG "VAR=value ..." ARGS...: ravpn-connect in namespace NAME,
# passwords in the environment (never on the command line).
rvc_start() {
	local n=$1 tag=$2 envs=$3
	mkdir -p "$LAB_DIR/$n"
	shift 3
	# shellcheck disable=SC2086
	lab_spawn "rvc-$tag" "$LAB_DIR/$n/rvc-$tag.log" \
		ip netns exec "$(lab_ns "$n")" env $envs "$RAVPN_CONNECT" "$@"
	RVC_PID=$LAB_LAST_PID
}

# rvc_wait_connected NAME TAG: wait for the "connected:" line; prints the
# address; sets RVC_MS (the client's own connect time) in the caller's file.
rvc_wait_connected() {
	local n=$1 tag=$2 log i
	log=$LAB_DIR/$n/rvc-$tag.log
	for i in $(seq 300); do
		grep -q '^connected:' "$log" 2>/dev/null && break
		lab_alive "$RVC_PID" || lab_fail "ravpn-connect ($tag) exited: $(cat "$log")"
		sleep 0.1
	done
	grep -q '^connected:' "$log" || lab_fail "ravpn-connect ($tag) did not connect: $(cat "$log")"
	sed -n 's/^connected: address \([0-9.]*\)\/.*/\1/p' "$log" | head -n 1
}

rvc_ms() { sed -n 's/^connected: .* in \([0-9]*\) ms$/\1/p' "$LAB_DIR/$1/rvc-$2.log" | head -n 1; }

rvc_check_log() { # NAME TAG: no sanitizer report, no password in the log or the hook's env
	local log=$LAB_DIR/$1/rvc-$2.log f
	if grep -Eq "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log"; then
		lab_fail "ravpn-connect ($2) sanitizer report: $(cat "$log")"
	fi
	for f in "$log" "$LAB_DIR/$1"/envall-*; do
		[ -f "$f" ] || continue
		if grep -Eq "$SECRETS" "$f"; then
			lab_fail "ravpn-connect ($2): a password in $(basename "$f")"
		fi
	done
}

rvc_stop() { # NAME TAG: SIGTERM, exit status 0
	lab_stop_pid "$RVC_PID"
	[ "$LAB_STOP_STATUS" = 0 ] || lab_fail "ravpn-connect ($2) exited with $LAB_STOP_STATUS: $(tail -n 20 "$LAB_DIR/$1/rvc-$2.log")"
	rvc_check_log "$1" "$2"
}

rvc_wait_exit() { # NAME TAG EXPECTED-STATUS: ravpn-connect ends by itself
	local st=0
	wait "$RVC_PID" || st=$?
	[ "$st" = "$3" ] || lab_fail "ravpn-connect ($2): exit $st, expected $3: $(cat "$LAB_DIR/$1/rvc-$2.log")"
	rvc_check_log "$1" "$2"
}

rvc_expect_env() { # NAME VAR VALUE: what the hook got on connect
	local got
	got=$(sed -n "s/^$2=//p" "$LAB_DIR/$1/env-connect" 2>/dev/null)
	[ "$got" = "$3" ] || lab_fail "$1: hook got $2='$got', expected '$3' (all: $(cat "$LAB_DIR/$1/env-connect" 2>/dev/null | tr '\n' ' '))"
}

rvc_ping() { # NAME
	lab_exec "$1" ping -c 3 -i 0.2 -W 2 "$LAB_SERVER_ADDR" >"$LAB_DIR/$1/ping.out" 2>&1 ||
		lab_fail "$1: ping $LAB_SERVER_ADDR through ravpn-connect failed: $(cat "$LAB_DIR/$1/ping.out")"
}

in_range() { # ADDR FIRST LAST
	local v
	v=$(ip2int "$1")
	[ "$v" -ge "$(ip2int "$2")" ] && [ "$v" -le "$(ip2int "$3")" ]
}

V1_ENV="RAVPN_GROUP_PASSWORD=Lab-v1-group-key RAVPN_PASSWORD=Lab-v1-pass1"

lab_init
if [ "$LAB_GW" = ravpnd ]; then
	# ---- 1. ravpnd, ASA 8.4 tunnel-group RA-IKEV1 ------------------------------------
	lab_gw_start asa-ikev1
	lab_add_client c1
	hook=$(rvc_hook c1)
	rvc_start c1 v1 "$V1_ENV" --gateway "$LAB_GW_ADDR" --ikev1 --group RA-IKEV1 \
		--user vpnuser1 --script "$hook"
	vip=$(rvc_wait_connected c1 v1)
	ms=$(rvc_ms c1 v1)
	grep -E '^(banner|connected):' "$LAB_DIR/c1/rvc-v1.log"
	in_range "$vip" 10.3.3.1 10.3.3.20 || lab_fail "address $vip is not from v1pool"
	grep -qx "banner: $BANNER" "$LAB_DIR/c1/rvc-v1.log" || lab_fail "the banner was not printed"
	rvc_expect_env c1 INTERNAL_IP4_ADDRESS "$vip"
	rvc_expect_env c1 INTERNAL_IP4_NETMASK 255.255.255.0
	rvc_expect_env c1 INTERNAL_IP4_DNS 10.1.0.53
	rvc_expect_env c1 CISCO_DEF_DOMAIN lab.example
	rvc_expect_env c1 CISCO_BANNER "$BANNER"
	rvc_expect_env c1 CISCO_SPLIT_INC 1
	rvc_expect_env c1 CISCO_SPLIT_INC_0_ADDR 10.1.0.0
	rvc_expect_env c1 CISCO_SPLIT_INC_0_MASKLEN 24
	lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
	rvc_ping c1
	lab_iperf c1 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] || lab_fail "only $LAB_IPERF_BYTES bytes crossed the tunnel"
	lab_pass "ravpn-connect --ikev1 -> ravpnd (ASA): $vip in $ms ms, banner, split 10.1.0.0/24, AM_ACTIVE, ping ok, iperf3 $LAB_IPERF_MBPS Mbit/s"
	rvc_stop c1 v1
	grep -qx disconnect "$LAB_DIR/c1/reasons" || lab_fail "the hook did not run with reason=disconnect"
	lab_gw_assert_no_v1_sa 10
	lab_assert_no_lease_v1 v1pool
	lab_pass "SIGTERM: DELETE sent, exit 0, hook disconnect, no SA, lease back"

	# ---- 2. wrong group password -------------------------------------------------------
	rvc_start c1 badgroup "RAVPN_GROUP_PASSWORD=not-the-group-key RAVPN_PASSWORD=Lab-v1-pass1" \
		--gateway "$LAB_GW_ADDR" --ikev1 --group RA-IKEV1 --user vpnuser1 --no-tun
	rvc_wait_exit c1 badgroup 3
	lab_assert_no_lease_v1 v1pool
	lab_pass "wrong group password: exit 3 ($(grep -o 'HASH_R[^)]*' "$LAB_DIR/c1/rvc-badgroup.log" | head -n 1)), no session"

	# ---- 3. wrong XAUTH password -------------------------------------------------------
	rvc_start c1 badpw "RAVPN_GROUP_PASSWORD=Lab-v1-group-key RAVPN_PASSWORD=not-the-password" \
		--gateway "$LAB_GW_ADDR" --ikev1 --group RA-IKEV1 --user vpnuser1 --no-tun
	rvc_wait_exit c1 badpw 3
	lab_gw_assert_no_v1_sa 10
	lab_assert_no_lease_v1 v1pool
	lab_pass "wrong XAUTH password: exit 3, no SA, no lease"

	# ---- 4. a .pcf profile, the password on a descriptor --------------------------------
	pcf=$LAB_DIR/c1/lab.pcf
	printf '[main]\r\nDescription=ravpn lab\r\nHost=%s\r\nAuthType=1\r\nGroupName=RA-IKEV1\r\nGroupPwd=Lab-v1-group-key\r\nUsername=vpnuser2\r\nEnableNat=1\r\n' \
		"$LAB_GW_ADDR" >"$pcf"
	printf 'Lab-v1-pass2\n' >"$LAB_DIR/c1/pw"
	lab_spawn rvc-pcf "$LAB_DIR/c1/rvc-pcf.log" ip netns exec "$(lab_ns c1)" \
		sh -c 'f=$1; shift; exec "$@" 3<"$f"' sh "$LAB_DIR/c1/pw" "$RAVPN_CONNECT" \
		--profile "$pcf" --password-fd 3 --ping "$LAB_SERVER_ADDR"
	RVC_PID=$LAB_LAST_PID
	vip=$(rvc_wait_connected c1 pcf)
	for i in $(seq 50); do grep -q '^ping ' "$LAB_DIR/c1/rvc-pcf.log" && break; sleep 0.1; done
	grep -qx "ping $LAB_SERVER_ADDR: answered" "$LAB_DIR/c1/rvc-pcf.log" ||
		lab_fail ".pcf: no ping answer through the tunnel: $(cat "$LAB_DIR/c1/rvc-pcf.log")"
	lab_gw_assert_v1_session vpnuser2 "$vip" "${LAB_PUBLIC[c1]}" AM
	rvc_stop c1 pcf
	lab_gw_assert_no_v1_sa 10
	lab_assert_no_lease_v1 v1pool
	lab_pass ".pcf profile (group, group password, user) -> IKEv1, password on fd 3: $vip, ping ok"

	# ---- 4b. DH group 5 and PFS group 5, routes by the client ----------------------------
	rvc_start c1 pfs "$V1_ENV" --gateway "$LAB_GW_ADDR" --ikev1 --group RA-IKEV1 \
		--user vpnuser1 --dh 5 --pfs 5 --ping "$LAB_SERVER_ADDR"
	vip=$(rvc_wait_connected c1 pfs)
	grep -q '^connected: .*MODP-1536' "$LAB_DIR/c1/rvc-pfs.log" ||
		lab_fail "--dh 5: not MODP-1536: $(cat "$LAB_DIR/c1/rvc-pfs.log")"
	for i in $(seq 50); do grep -q '^ping ' "$LAB_DIR/c1/rvc-pfs.log" && break; sleep 0.1; done
	grep -qx "ping $LAB_SERVER_ADDR: answered" "$LAB_DIR/c1/rvc-pfs.log" ||
		lab_fail "--pfs 5: no ping answer through the tunnel: $(cat "$LAB_DIR/c1/rvc-pfs.log")"
	lab_exec c1 ip route show dev rvc0 | grep -q '^10\.1\.0\.0/24' ||
		lab_fail "no split route 10.1.0.0/24 on rvc0: $(lab_exec c1 ip route show dev rvc0)"
	lab_ctl_expect "PFS Group *: *5" show vpn-sessiondb detail remote
	rvc_stop c1 pfs
	lab_gw_assert_no_v1_sa 10
	lab_pass "--dh 5 --pfs 5: $vip in $(rvc_ms c1 pfs) ms, MODP-1536, split route set by the client, ping ok"
	lab_stop_pid "$LAB_GW_PID"
	LAB_RAVPND_STATUS=$LAB_STOP_STATUS
	lab_ravpnd_check_exit || lab_fail "ravpnd did not end cleanly"
	LAB_GW_PID=""

	# ---- 5. ravpnd, PIX 6.3 vpngroup vpn3000 ---------------------------------------------
	lab_gw_start pix
	hook=$(rvc_hook c1)
	rvc_start c1 pix "RAVPN_GROUP_PASSWORD=grouppass123 RAVPN_PASSWORD=Lab-v1-pass1" \
		--gateway "$LAB_GW_ADDR" --ikev1 --group vpn3000 --user vpnuser1 --script "$hook"
	vip=$(rvc_wait_connected c1 pix)
	ms=$(rvc_ms c1 pix)
	grep '^connected:' "$LAB_DIR/c1/rvc-pix.log"
	in_range "$vip" 10.89.129.200 10.89.129.204 || lab_fail "address $vip is not from VPNpool"
	[ ! -s "$LAB_DIR/c1/env-connect" ] || ! grep -q '^CISCO_SPLIT_INC=' "$LAB_DIR/c1/env-connect" ||
		lab_fail "PIX: a split list, expected a full tunnel"
	lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
	rvc_ping c1
	rvc_stop c1 pix
	lab_gw_assert_no_v1_sa 10
	lab_assert_no_lease_v1 VPNpool
	lab_pass "ravpn-connect --ikev1 -> ravpnd (PIX 6.3 vpngroup): $vip in $ms ms, full tunnel, ping ok, clean exit"
	lab_stop_pid "$LAB_GW_PID"
	LAB_RAVPND_STATUS=$LAB_STOP_STATUS
	lab_ravpnd_check_exit || lab_fail "ravpnd did not end cleanly"
	LAB_GW_PID=""
fi

# ---- 6. strongSwan as the IKEv1 XAUTH gateway --------------------------------------------
if [ -x "$CHARON" ]; then
	LAB_GW=strongswan
	lab_add_client c2
	lab_sswan_gw_start asa-ikev1 eap-mschapv2
	hook=$(rvc_hook c2)
	rvc_start c2 sswan "$V1_ENV" --gateway "$LAB_GW_ADDR" --ikev1 --group RA-IKEV1 \
		--user vpnuser1 --script "$hook"
	vip=$(rvc_wait_connected c2 sswan)
	ms=$(rvc_ms c2 sswan)
	grep -E '^(banner|connected):' "$LAB_DIR/c2/rvc-sswan.log"
	in_range "$vip" 10.3.3.1 10.3.3.20 || lab_fail "strongSwan: address $vip is not from v1pool"
	rvc_expect_env c2 CISCO_BANNER "$BANNER"
	rvc_expect_env c2 CISCO_DEF_DOMAIN lab.example
	rvc_expect_env c2 CISCO_SPLIT_INC_0_ADDR 10.1.0.0
	rvc_expect_env c2 CISCO_SPLIT_INC_0_MASKLEN 24
	lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c2]}" AM
	rvc_ping c2
	lab_iperf c2 3
	[ "$LAB_IPERF_BYTES" -gt 1000000 ] || lab_fail "only $LAB_IPERF_BYTES bytes crossed the tunnel"
	lab_pass "ravpn-connect --ikev1 -> strongSwan (XAUTH PSK, Aggressive Mode): $vip in $ms ms, banner/domain/split, ping ok, iperf3 $LAB_IPERF_MBPS Mbit/s"
	rvc_stop c2 sswan
	lab_gw_assert_no_v1_sa 10
	lab_assert_no_lease v1pool
	lab_pass "strongSwan: SIGTERM -> DELETE, exit 0, no SA, no lease"
fi
