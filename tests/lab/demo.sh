#!/bin/bash
# `make demo`: a gateway and a real IPsec client in a throw-away namespace lab.
#
#  1. builds the lab (tests/lab/lib.sh: client 10.0.0.2 -- gateway 10.0.0.1 |
#     10.1.0.1 -- server 10.1.0.10, the server reachable only through the tunnel)
#  2. starts ravpnd with examples/ravpn-demo.conf (or tests/lab/configs/demo.conf)
#  3. connects strongSwan the AnyConnect way: IKEv2, group in IDi, EAP-MSCHAPv2
#     with the first plaintext user of the config
#  4. prints `show crypto ikev2 sa detail` and `show vpn-sessiondb detail anyconnect`
#  5. pings the server through the tunnel and prints `show crypto ipsec sa`
#  6. disconnects
#  7. IKEv1: restarts the gateway with the PIX 6.3 config of seed 004
#     (tests/lab/configs/pix.conf), connects vpnc (the Cisco VPN Client clone:
#     Aggressive Mode, group vpn3000, XAUTH, Mode Config), prints `show crypto
#     isakmp sa` and `show vpn-sessiondb remote`, pings the server through
#     vpnc's TUN and disconnects (DEMO_IKEV1=0 leaves this part out).
#  then tears everything down.
#
# DEMO_CONF=FILE picks another config; LAB_GW=strongswan runs the same story
# against strongSwan as the gateway (to see what the lab looks like).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")/../.." && pwd)
LAB_QUIET=${LAB_QUIET:-1}     # the lab's own progress lines only with LAB_QUIET=0
. "$d/tests/lab/lib.sh"

conf=${DEMO_CONF:-}
if [ -z "$conf" ]; then
	conf=$d/examples/ravpn-demo.conf
	[ -f "$conf" ] || conf=$LAB_CONFIGS/demo.conf
fi

# What the client needs, read from the config: the first tunnel-group with
# EAP, its pool, and the first user with a plaintext password.
group=$(awk '$1 == "tunnel-group" && $3 == "ipsec-attributes" { tg = $2 }
	tg && $1 == "ikev2" && $2 == "remote-authentication" && $3 == "eap" { print tg; exit }' "$conf")
[ -n "$group" ] || group=ASA-IKEV2
pool=$(awk -v tg="$group" '$1 == "tunnel-group" { cur = $2 } cur == tg && $1 == "address-pool" { print $2; exit }' "$conf")
range=$(awk -v p="$pool" '$1 == "ip" && $2 == "local" && $3 == "pool" && $4 == p { print $5; exit }' "$conf")
first=${range%-*} last=${range#*-}
read -r user password < <(awk '$1 == "username" && $3 == "password" && $5 != "encrypted" && $5 != "nt-encrypted" { print $2, $4; exit }' "$conf") || true
[ -n "${user:-}" ] && [ -n "$first" ] ||
	{ echo "demo: $conf needs an EAP tunnel-group with a pool and a plaintext user" >&2; exit 1; }

say() { printf '    %s\n' "$@"; }
show() { # title, then a ravpnctl command, indented
	printf '\n  $ ravpnctl %s\n' "$*"
	lab_ctl "$@" 2>&1 | sed 's/^/    /'
}

lab_step "1. Building the lab (network namespaces, run $LAB_ID)"
lab_init
lab_add_client c1
say "client   10.0.0.2   (namespace $(lab_ns c1), strongSwan 5.9 charon, userspace ESP)" \
    "gateway  10.0.0.1 outside, 10.1.0.1 inside (namespace $(lab_ns gw))" \
    "server   10.1.0.10  (namespace $(lab_ns srv)) - reachable only through the tunnel"

if [ "$LAB_GW" = ravpnd ]; then
	lab_step "2. Starting ravpnd with ${conf#"$d"/}"
	lab_ravpnd_start "$conf"
	say "ravpnd pid $LAB_GW_PID, control socket $LAB_CTL_SOCK" \
	    "gateway certificate: $(openssl x509 -noout -subject -in "$LAB_GW_CERT" 2>/dev/null || echo '?')" \
	    "(the client pins it, as fetched with: ravpnctl show crypto ca certificates)"
else
	lab_step "2. Starting strongSwan as the gateway (LAB_GW=strongswan, mirror of eap.conf)"
	lab_gw_start eap eap-mschapv2
fi

lab_step "3. Connecting: IKEv2, IDi keyid:$group, EAP-MSCHAPv2 as user '$user'"
lab_client_start c1
lab_client_conn c1 demo auth=eap-mschapv2 group="$group" user="$user" password="$password" \
	ike="aes192-sha1-modp1024, aes256-sha256-modp2048, aes256gcm16-prfsha256-x25519, aes256-sha256-ecp256" \
	esp="aes256-sha1, aes128-sha1, aes256gcm16, aes128gcm16, aes256-sha256"
lab_initiate c1 demo || lab_fail "the client could not connect: $(tail -n 15 "$LAB_DIR/c1/initiate-demo.out")"
vip=$(lab_assert_sa_up c1 demo "$first" "$last")
say "connected: the client got $vip from pool $pool ($range). strongSwan's view:"
lab_client_sas c1 | sed 's/^/      /'

lab_step "4. The gateway's view of the tunnel"
if [ "$LAB_GW" = ravpnd ]; then
	say "IKE SA, its algorithms, NAT-T (the client's userspace ESP always looks NATed)," \
	    "the assigned address and the CHILD SA's selectors and SPIs:"
	show show crypto ikev2 sa detail
	say "" "The session as the ASA lists AnyConnect users: user, group, address, counters:"
	show show vpn-sessiondb detail anyconnect
else
	lab_swanctl gw --list-sas | sed 's/^/    /'
fi

lab_step "5. Traffic: ping the server 10.1.0.10 from the client, through the tunnel"
if lab_exec c1 ping -c 3 -i 0.3 -W 2 "$LAB_SERVER_ADDR" >"$LAB_DIR/c1/ping.out" 2>&1; then
	sed 's/^/    /' "$LAB_DIR/c1/ping.out"
	if [ "$LAB_GW" = ravpnd ]; then
		say "" "The ESP SAs with their packet counters (encaps/decaps grow with the pings):"
		show show crypto ipsec sa
	fi
else
	say "no answer: the gateway's ESP data plane is not there yet (IKE works, ESP comes next)."
fi

lab_step "6. Disconnecting and tearing the lab down"
lab_terminate c1 demo
sleep 1
if [ "$LAB_GW" = ravpnd ]; then
	show show vpn-sessiondb anyconnect
fi

# ---------------------------------------------------------------------------
# IKEv1: vpnc against the PIX 6.3 config of seed 004
DEMO_IKEV1=${DEMO_IKEV1:-1}
if [ "$DEMO_IKEV1" = 1 ]; then
	lab_step "7. IKEv1: a Cisco VPN Client (vpnc) against the PIX 6.3 config of seed 004"
	# one gateway at a time in the gw namespace: stop the IKEv2 one first
	lab_stop_pid "$LAB_GW_PID"
	if [ "$LAB_GW" = ravpnd ]; then
		LAB_RAVPND_STATUS=$LAB_STOP_STATUS
		lab_ravpnd_check_exit || lab_fail "ravpnd (IKEv2 part) did not end cleanly"
		mv "$LAB_DIR/ravpnd.log" "$LAB_DIR/ravpnd-ikev2.log"
		rm -f "$LAB_CTL_SOCK"
		lab_ravpnd_start "$LAB_CONFIGS/pix.conf"
		say "ravpnd restarted with tests/lab/configs/pix.conf (pid $LAB_GW_PID): vpngroup vpn3000," \
		    "isakmp policies 5 (AES-256/SHA) and 10/20 (the seed's DES/MD5), XAUTH against LOCAL"
	else
		lab_gw_start pix
		say "strongSwan restarted with the mirror of pix.conf"
	fi
	lab_add_client c2
	say "client   ${LAB_ADDR[c2]}   (namespace $(lab_ns c2), vpnc $(vpnc --version 2>&1 | sed -n 's/^vpnc version //p' | head -n 1))"
	lab_vpnc_start c2 group=vpn3000 secret=grouppass123 user=vpnuser1 password=Lab-v1-pass1 weak=1
	lab_vpnc_wait_up c2
	say "connected in $LAB_VPNC_CONNECT_MS ms: Aggressive Mode (group vpn3000), XAUTH vpnuser1, Mode Config" \
	    "vpnc got: address $LAB_VPNC_VIP, banner: $(lab_vpnc_env c2 CISCO_BANNER 2>/dev/null || echo '(none: the seed sets none)')," \
	    "          $(grep -E '^(IKE|IPSEC) SA selected' "$LAB_DIR/c2/vpnc.log" | tr '\n' ' ')"
	if [ "$LAB_GW" = ravpnd ]; then
		show show crypto isakmp sa
		show show vpn-sessiondb remote
	else
		lab_swanctl gw --list-sas | sed 's/^/    /'
	fi
	say "" "ping 10.1.0.10 through vpnc's TUN (vpnc0):"
	lab_ping_through_tunnel c2 - 3 | sed 's/^/    /'
	lab_vpnc_stop c2
	sleep 1
	say "" "vpnc disconnected (SIGTERM: it sends DELETE for its SAs):"
	if [ "$LAB_GW" = ravpnd ]; then
		show show crypto isakmp sa
	else
		lab_swanctl gw --list-sas | sed 's/^/    /'
	fi
else
	say "" "(IKEv1 part left out: DEMO_IKEV1=0)"
fi
say "done: namespaces, processes and files of this demo are removed on exit."
