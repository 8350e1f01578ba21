#!/bin/bash
# bench/esp_tunnel.sh — TCP throughput through the ravpn ESP data plane in
# network namespaces, the lab's shape without IKE (fixed keys, esp_peer on
# both ends), so the data plane can be measured and tuned on its own.
#
#   client ns                   gateway ns                      server ns
#  +---------------------+     +---------------------------+   +----------------+
#  | iperf3 -c           |     | esp_peer TUN rvg          |   | iperf3 -s      |
#  | esp_peer TUN rvc    |     |  SA remote 10.99.2.1/32   |   | 10.1.0.10/24   |
#  |  10.99.2.1, SA 0/0  |     |  route 10.99.2.1 -> rvg   |   | default via gw |
#  |  c0 10.0.0.2 -------+-ESP-+- g0 10.0.0.1   g1 10.1.0.1+---+- s0            |
#  +---------------------+     +---------------------------+   +----------------+
#
# Usage: sudo bench/esp_tunnel.sh   (from the top of the tree)
#   ESP_PEER   binary (default build-esp-rel/tests/unit/esp/esp_peer, else build/...)
#   ALGS       "gcm128 gcm256 cbc128-sha1"    MODES "udp raw"
#   TIME       seconds per run (10)           WORKERS per esp_peer (0 = one per CPU)
#   EXTRA      extra esp_peer options, e.g. --no-offload
#   CLIENT_EXTRA, CLIENT_WORKERS   the same for the client end only
# Prints one line per algorithm, mode and direction with the iperf3 receiver
# rate.  Every namespace and process is removed on exit.
set -u
cd "$(dirname "$0")/.."
PEER=${ESP_PEER:-}
if [ -z "$PEER" ]; then
	for p in build-esp-rel/tests/unit/esp/esp_peer build/tests/unit/esp/esp_peer; do
		[ -x "$p" ] && { PEER=$p; break; }
	done
fi
[ -n "$PEER" ] && [ -x "$PEER" ] || { echo "esp_peer not built"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
ALGS=${ALGS:-"gcm128 gcm256 cbc128-sha1"}
MODES=${MODES:-"udp raw"}
TIME=${TIME:-10}
WORKERS=${WORKERS:-0}
EXTRA=${EXTRA:-}
# Options for the client end only: CLIENT_EXTRA=--no-offload CLIENT_WORKERS=1
# models a plain userspace client (one thread, a packet per system call,
# like strongSwan's libipsec) against the gateway with all its offloads.
CLIENT_EXTRA=${CLIENT_EXTRA:-}
ID=rvbt$$
C=${ID}c
G=${ID}g
S=${ID}s
DIR=$(mktemp -d /tmp/${ID}.XXXXXX)
PIDS=""

cleanup() {
	local p
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for n in "$C" "$G" "$S"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in "$C" "$G" "$S"; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add c0 netns "$C" type veth peer name g0 netns "$G"
ip link add g1 netns "$G" type veth peer name s0 netns "$S"
ip -n "$C" addr add 10.0.0.2/24 dev c0
ip -n "$G" addr add 10.0.0.1/24 dev g0
ip -n "$G" addr add 10.1.0.1/24 dev g1
ip -n "$S" addr add 10.1.0.10/24 dev s0
for l in "$C c0" "$G g0" "$G g1" "$S s0"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n "$S" route add default via 10.1.0.1
ip netns exec "$G" sysctl -qw net.ipv4.ip_forward=1

start() { # ns name args
	local ns=$1 name=$2; shift 2
	ip netns exec "$ns" "$PEER" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" &
	local pid=$!
	PIDS="$PIDS $pid"
	eval "PID_$name=$pid"
	for i in $(seq 1 50); do
		grep -q '^ready' "$DIR/$name.out" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$DIR/$name.err"
	return 1
}

stop() {
	local pid
	eval "pid=\$PID_$1"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	PIDS=$(echo "$PIDS" | sed "s/ $pid\b//")
}

HZ=$(getconf CLK_TCK)
cpu() { # utime + stime of all threads, in ticks
	awk '{ print $14 + $15 }' /proc/"$1"/stat 2>/dev/null || echo 0
}

ip netns exec "$S" iperf3 -s -D -I "$DIR/iperf.pid" >/dev/null 2>&1
sleep 0.3
PIDS="$PIDS $(cat "$DIR/iperf.pid")"

echo "esp_peer: $PEER, $(nproc) CPUs, ${TIME}s per run, workers ${WORKERS:-auto} $EXTRA"
for alg in $ALGS; do
	for mode in $MODES; do
		start "$G" gw --tun rvg --local 10.0.0.1 --peer 10.0.0.2 --spi-in 0xa0000001 \
			--spi-out 0xb0000001 --mode "$mode" --alg "$alg" --inner 10.99.2.1/32 \
			--route 10.99.2.1/32 --workers "$WORKERS" $EXTRA || exit 1
		start "$C" cl --tun rvc --tun-addr 10.99.2.1/32 --local 10.0.0.2 --peer 10.0.0.1 \
			--spi-in 0xb0000001 --spi-out 0xa0000001 --mode "$mode" --alg "$alg" \
			--inner 0.0.0.0/0 --route 10.1.0.0/24 --workers "${CLIENT_WORKERS:-$WORKERS}" \
			$EXTRA $CLIENT_EXTRA || exit 1
		for dir in up down; do
			r=""
			[ $dir = down ] && r=-R
			c0=$(cpu "$PID_gw")
			ip netns exec "$C" iperf3 -c 10.1.0.10 -B 10.99.2.1 -t "$TIME" -f m $r \
				>"$DIR/iperf.log" 2>&1
			c1=$(cpu "$PID_gw")
			rate=$(awk '/receiver/ { print $(NF-2) }' "$DIR/iperf.log")
			gb=$(awk '/receiver/ { v = $(NF-4); u = $(NF-3);
				if (u == "GBytes") v *= 1; else if (u == "MBytes") v /= 1000; else v = 0;
				print v }' "$DIR/iperf.log")
			cps=$(awk -v a="$c0" -v b="$c1" -v g="$gb" -v hz="$HZ" \
				'BEGIN { if (g > 0) printf "%.2f", (b - a) / hz / g; else print "-" }')
			printf '%-12s %-4s %-5s %6s Mbit/s   gateway %s CPU s/GB\n' "$alg" "$mode" "$dir" \
				"${rate:-FAILED}" "$cps"
		done
		stop cl
		stop gw
	done
done
