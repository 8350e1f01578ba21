#!/bin/bash
# tests/lab/esp_raw/run.sh — the ravpn ESP data plane between two network
# namespaces, with fixed keys (no IKE): two esp_peer processes, each with
# its own TUN, ping and TCP across, raw ESP (protocol 50) and UDP 4500
# encapsulation (RFC 3948), AES-GCM and AES-CBC + HMAC-SHA1.
#
#   namespace A ("gateway")                    namespace B ("client")
#  +------------------------------+          +------------------------------+
#  | esp_peer  TUN rvA 10.99.1.1  |          | esp_peer  TUN rvB 10.99.2.1  |
#  |   SA: remote 10.99.2.1/32    |          |   SA: remote 0.0.0.0/0       |
#  |   route 10.99.2.0/24 -> rvA  |          |   route 10.99.1.0/24 -> rvB  |
#  |   va 192.0.2.1/24 -----------+-- ESP ---+-- vb 192.0.2.2/24           |
#  +------------------------------+          +------------------------------+
#
# Checks per mode and algorithm: ping B -> A (also at full TUN MTU), TCP
# (iperf3, TSO super-packets cut by the workers), a spoofed inner source
# from B dropped and counted by A, an inner destination without SA dropped
# and counted by A, and no ICV/replay failures.
#
# Usage: sudo tests/lab/esp_raw/run.sh   (from the top of the tree; needs
# root, ip, ping, iperf3).  ESP_PEER=path overrides the binary (default
# build/tests/unit/esp/esp_peer).  Prints "ok"/"FAIL" lines and a final
# "N passed, N failed"; exit 0 only if all passed, 77 if it cannot run.
set -u
cd "$(dirname "$0")/../../.."
PEER=${ESP_PEER:-build/tests/unit/esp/esp_peer}
ID=rvesp$$
NSA=${ID}a
NSB=${ID}b
DIR=$(mktemp -d /tmp/${ID}.XXXXXX)
PIDS=""
passed=0
failed=0

cleanup() {
	local p
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	[ "${KEEP:-0}" = 1 ] && echo "logs kept in $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (network namespaces)"; exit 77; fi
for t in ip ping iperf3; do
	command -v $t >/dev/null || { echo "SKIP: missing $t"; exit 77; }
done
[ -x "$PEER" ] || { echo "SKIP: $PEER not built (ninja -C build)"; exit 77; }

check() { # name, command...
	local name=$1; shift
	if "$@" >>"$DIR/checks.log" 2>&1; then
		passed=$((passed + 1)); echo "ok   esp_raw/$name"
	else
		failed=$((failed + 1)); echo "FAIL esp_raw/$name"
	fi
}

ip netns add "$NSA" && ip netns add "$NSB" || { echo "FAIL: netns"; exit 1; }
ip link add va netns "$NSA" type veth peer name vb netns "$NSB"
ip -n "$NSA" addr add 192.0.2.1/24 dev va
ip -n "$NSB" addr add 192.0.2.2/24 dev vb
for n in "$NSA" "$NSB"; do ip -n "$n" link set lo up; done
ip -n "$NSA" link set va up
ip -n "$NSB" link set vb up

start_peer() { # ns name args...
	local ns=$1 name=$2; shift 2
	ip netns exec "$ns" "$PEER" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" &
	local pid=$!
	PIDS="$PIDS $pid"
	eval "PID_$name=$pid"
	local i
	for i in $(seq 1 50); do
		grep -q '^ready' "$DIR/$name.out" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "esp_peer $name did not start:"; cat "$DIR/$name.err"
	return 1
}

stop_peer() { # name
	local pid
	eval "pid=\$PID_$1"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	PIDS=$(echo "$PIDS" | sed "s/ $pid\b//")
}

counter() { # name key
	awk -v k="$2" '$1 == k { print $2 }' "$DIR/$1.out"
}

xfer_check() { # recv-ns recv-addr send-ns send-addr
	ip netns exec "$1" python3 tests/lab/esp_raw/xfer.py recv "$2" 5001 >"$DIR/xfer-r" 2>&1 &
	local rpid=$! i
	PIDS="$PIDS $rpid"
	# wait for the listener (a fixed sleep loses the race on a loaded machine)
	for i in $(seq 100); do
		ip netns exec "$1" ss -ltnH "sport = :5001" 2>/dev/null | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$3" python3 tests/lab/esp_raw/xfer.py send "$2" 5001 "$4" 16 >"$DIR/xfer-s" 2>&1
	wait "$rpid"
	PIDS=$(echo "$PIDS" | sed "s/ $rpid\b//")
	echo "sent $(cat "$DIR/xfer-s") received $(cat "$DIR/xfer-r")"
	[ -s "$DIR/xfer-s" ] && cmp -s "$DIR/xfer-s" "$DIR/xfer-r"
}

# The receiving kernels verify TCP checksums of packets that were not
# merged (CHECKSUM_NONE): our TSO segmentation must produce valid ones.
csum_clean() {
	local n
	for n in "$NSA" "$NSB"; do
		ip netns exec "$n" nstat -az TcpInCsumErrors | awk '/TcpInCsumErrors/ { exit $2 != 0 }' || return 1
	done
}

run_case() { # mode alg [extra esp_peer options for B]
	local mode=$1 alg=$2 tag="$1-$2${4:-}" extra_b=${3:-}
	start_peer "$NSA" A --tun rvA --tun-addr 10.99.1.1/32 --local 192.0.2.1 --peer 192.0.2.2 \
		--spi-in 0xa0000001 --spi-out 0xb0000001 --mode "$mode" --alg "$alg" \
		--inner 10.99.2.1/32 --route 10.99.2.0/24 --workers 2 || { failed=$((failed + 1)); return; }
	start_peer "$NSB" B --tun rvB --tun-addr 10.99.2.1/32 --local 192.0.2.2 --peer 192.0.2.1 \
		--spi-in 0xb0000001 --spi-out 0xa0000001 --mode "$mode" --alg "$alg" \
		--inner 0.0.0.0/0 --route 10.99.1.0/24 --workers 2 $extra_b || { failed=$((failed + 1)); return; }
	ip -n "$NSB" addr add 10.99.2.9/32 dev rvB

	check "$tag/ping" ip netns exec "$NSB" ping -c 5 -i 0.2 -W 2 -I 10.99.2.1 10.99.1.1
	check "$tag/ping-full-mtu" ip netns exec "$NSB" ping -c 3 -i 0.2 -W 2 -M do -s 1372 \
		-I 10.99.2.1 10.99.1.1
	check "$tag/ping-from-gateway" ip netns exec "$NSA" ping -c 3 -i 0.2 -W 2 -I 10.99.1.1 10.99.2.1

	ip netns exec "$NSA" iperf3 -s -1 -B 10.99.1.1 >"$DIR/iperf-s.log" 2>&1 &
	local spid=$!
	PIDS="$PIDS $spid"
	sleep 0.3
	check "$tag/tcp" ip netns exec "$NSB" iperf3 -c 10.99.1.1 -B 10.99.2.1 -t 2 -f m \
		--logfile "$DIR/iperf-$tag.log"
	wait "$spid" 2>/dev/null
	PIDS=$(echo "$PIDS" | sed "s/ $spid\b//")
	grep -E 'receiver' "$DIR/iperf-$tag.log" | sed "s/^/  $tag: /"

	# content through TSO segmentation and GRO merging, both directions
	check "$tag/data-intact-b-to-a" xfer_check "$NSA" 10.99.1.1 "$NSB" 10.99.2.1
	check "$tag/data-intact-a-to-b" xfer_check "$NSB" 10.99.2.1 "$NSA" 10.99.1.1
	check "$tag/no-tcp-checksum-errors" csum_clean

	# a spoofed inner source: B's SA allows it, A's must refuse it
	check "$tag/spoofed-source-not-answered" \
		bash -c "! ip netns exec $NSB ping -c 2 -i 0.2 -W 1 -I 10.99.2.9 10.99.1.1"
	# an inner destination in the routed pool without an SA
	check "$tag/unknown-destination-not-sent" \
		bash -c "! ip netns exec $NSA ping -c 1 -W 1 -I 10.99.1.1 10.99.2.77"

	stop_peer B
	stop_peer A
	check "$tag/gateway-decapsulated" test "$(counter A pkts_decaps)" -ge 10
	check "$tag/client-decapsulated" test "$(counter B pkts_decaps)" -ge 10
	check "$tag/no-icv-or-replay-failures" test "$(counter A verify_fail)$(counter A replay)$(counter B verify_fail)$(counter B replay)" = 0000
	check "$tag/spoofed-counted" test "$(counter A spoofed)" -ge 2
	check "$tag/no-sa-counted" test "$(counter A no_sa_dst)" -ge 1
	cp "$DIR/A.out" "$DIR/A-$tag.out"
	cp "$DIR/B.out" "$DIR/B-$tag.out"
}

for mode in udp raw; do
	for alg in gcm128 cbc128-sha1; do
		run_case "$mode" "$alg"
	done
done
# B without offloads: every segment A cuts from a TSO super-packet reaches
# B's kernel on its own, checksum verified.
run_case udp gcm256 --no-offload -plain

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
