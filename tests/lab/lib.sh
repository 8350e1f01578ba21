#!/bin/bash
# tests/lab/lib.sh — network-namespace lab for ravpn interop tests, the demo
# and the benchmarks.  Source it from a bash script; every test builds its own
# lab and tears it down on exit (also on failure and on Ctrl-C).
#
#   client namespace(s)                gw namespace                   server namespace
#  +--------------------+      +------------------------------+      +------------------+
#  | cN                 |      | gw                           |      | srv              |
#  |  eth0 10.0.0.N/24 -+------+- oN                          |      |                  |
#  |  charon (libipsec) |      |   \                          |      |                  |
#  |  ipsec0 = VIP      |      |   bridge "outside" 10.0.0.1  |      |                  |
#  +--------------------+      |   ravpnd | charon | wg-go    |      |                  |
#                              |   inside 10.1.0.1/24 --------+------+- eth0 10.1.0.10  |
#  with lab_add_client NAME nat:  +----------------------------+      |  default via gw  |
#  +-------------------+   +-----------------------+                  +------------------+
#  | cN                |   | cNnat (nftables       |
#  |  eth0 192.168.1.2-+---+- lan 192.168.1.1      |
#  |  default via .1   |   |  masquerade)          |
#  +-------------------+   |  wan 10.0.0.N -------+---> gw bridge "outside"
#                          +-----------------------+
#
# The server is reachable only through the tunnel: direct clients have no route
# to 10.1.0.0/24, and the gateway's forward hook drops everything that enters
# or leaves through "outside" (nftables table "lab"), so only decrypted traffic
# (from ravpnd's TUN, charon's ipsec0, wireguard's wg0) reaches the server.
#
# Namespace names carry a per-run prefix (rv<PID>-), so runs never collide.
#
# The gateway under test is chosen with LAB_GW:
#   LAB_GW=ravpnd     (default) build/src/daemon/ravpnd with tests/lab/configs/<profile>.conf
#   LAB_GW=strongswan charon as a responder with the same suites, groups, users and
#                     pool (tests/lab/configs/strongswan/<profile>.swanctl.conf); it
#                     proves the lab and the client side, and is the benchmark baseline.
#
# Other knobs: RAVPND, RAVPNCTL (binaries), LAB_KEEP=1 (keep the lab directory
# with all logs), LAB_VERBOSE=1 (log every command), LAB_QUIET=1 (no progress
# lines), LAB_TIMEOUT (swanctl --initiate timeout, default 30 s),
# LAB_DATAPLANE=0|1 (scenarios skip/run their ping through the tunnel; the
# default is lab_dataplane's, see below), LAB_CHARON_EXTRA (strongswan.conf
# lines added at the end of charon's section, e.g. bench/handshake's tuning).
#
# Typical use (see tests/lab/pending/*.sh):
#   lab_init
#   lab_gw_start eap                        # ravpnd with configs/eap.conf (or its strongSwan mirror)
#   lab_add_client c1                       # or: lab_add_client c1 nat
#   lab_client_start c1
#   lab_client_conn c1 home auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=...
#   lab_initiate c1 home || lab_fail "connect failed"
#   lab_assert_sa_up c1 home 10.2.2.1 10.2.2.10
#   lab_pass "EAP-MSCHAPv2 connects"

# ---------------------------------------------------------------------------
# globals

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_CONFIGS=$LAB_TOP/tests/lab/configs
RAVPND=${RAVPND:-$LAB_TOP/build/src/daemon/ravpnd}
RAVPNCTL=${RAVPNCTL:-$LAB_TOP/build/src/tools/ravpnctl}
CHARON=${CHARON:-/usr/lib/ipsec/charon}
LAB_GW=${LAB_GW:-ravpnd}
LAB_TIMEOUT=${LAB_TIMEOUT:-30}
LAB_ID=rv$$
LAB_DIR=""
LAB_PIDS=""             # "pid:name pid:name ..." — only processes this lab started
LAB_NETNS=""            # namespaces this lab created
LAB_OUT_NEXT=2          # next host number on the 10.0.0.0/24 "outside" bridge
LAB_GW_PID=""           # the gateway process (ravpnd, charon or wireguard-go)
LAB_GW_CERT=""          # PEM of the gateway certificate (pinned by clients)
LAB_CTL_SOCK=""         # ravpnd control socket
LAB_GW_ADDR=10.0.0.1
LAB_SERVER_ADDR=10.1.0.10
LAB_FAILED=0
declare -A LAB_ADDR     # client name -> its own address (10.0.0.N or 192.168.1.2)
declare -A LAB_PUBLIC   # client name -> address the gateway sees (10.0.0.N)
declare -A LAB_VICI     # namespace short name -> vici URI of its charon
declare -A LAB_VPNC_PID # client name -> PID of its vpnc (lab_vpnc_start)
declare -A LAB_VPNC_TUN # client name -> vpnc's TUN device

# ---------------------------------------------------------------------------
# messages

lab_log() { [ "${LAB_QUIET:-0}" = 1 ] || printf '%s [lab] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
lab_step() { printf '\n==> %s\n' "$*"; }
lab_pass() { printf 'PASS: %s\n' "$*"; }

# lab_fail MESSAGE: print the message and the interesting logs, then exit 1.
lab_fail() {
	LAB_FAILED=1
	printf 'FAIL: %s\n' "$*" >&2
	lab_dump_logs >&2
	exit 1
}

lab_dump_logs() {
	[ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ] || return 0
	local f
	for f in "$LAB_DIR"/*.log "$LAB_DIR"/*/*.log; do
		[ -f "$f" ] || continue
		printf -- '----- %s (last 60 lines) -----\n' "${f#"$LAB_DIR"/}"
		tail -n 60 "$f"
	done
}

lab_run() { # run and log a command (LAB_VERBOSE=1)
	[ "${LAB_VERBOSE:-0}" = 1 ] && lab_log "+ $*"
	"$@"
}

# ---------------------------------------------------------------------------
# prerequisites

# lab_require: the lab needs root (namespaces) and the tools of scripts/deps.sh.
# Without root, or where namespaces cannot be made, it exits 77 ("skipped"),
# which tests/run-all.sh reports as skip.  A missing tool is a failure.
lab_require() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: the namespace lab needs root" >&2
		exit 77
	fi
	if ! unshare --net --mount true 2>/dev/null; then
		echo "SKIP: cannot create network/mount namespaces here (container without CAP_SYS_ADMIN?)" >&2
		exit 77
	fi
	local t
	for t in ip nft swanctl pki iperf3 ping ss "$CHARON"; do
		command -v "$t" >/dev/null 2>&1 || lab_fail "missing tool $t (run: sh scripts/deps.sh check)"
	done
}

lab_need_ravpnd() {
	[ -x "$RAVPND" ] || lab_fail "$RAVPND not built (run: ninja -C build)"
	[ -x "$RAVPNCTL" ] || lab_fail "$RAVPNCTL not built (run: ninja -C build)"
}

# ---------------------------------------------------------------------------
# namespaces and links

lab_ns() { echo "$LAB_ID-$1"; }          # short name -> namespace name
lab_exec() { local n=$1; shift; ip netns exec "$(lab_ns "$n")" "$@"; }

lab_ns_add() { # NAME
	local ns
	ns=$(lab_ns "$1")
	lab_run ip netns add "$ns"
	LAB_NETNS="$LAB_NETNS $ns"
	ip -n "$ns" link set lo up
}

# lab_init: the lab directory, the cleanup trap, gw and srv namespaces.
lab_init() {
	lab_require
	LAB_DIR=$(mktemp -d "/tmp/ravpn-lab.$$.XXXXXX")
	# every way out runs lab_cleanup: normal exit, failure, Ctrl-C, kill,
	# hang-up, and a closed output pipe (`demo.sh | head` would otherwise
	# die of SIGPIPE without running the EXIT trap)
	trap lab_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exec >/dev/null 2>&1; exit 141' PIPE
	lab_log "lab $LAB_ID in $LAB_DIR (gateway: $LAB_GW)"

	lab_ns_add gw
	lab_ns_add srv
	local gw srv
	gw=$(lab_ns gw); srv=$(lab_ns srv)
	# outside: a bridge, so several clients can sit on 10.0.0.0/24
	ip -n "$gw" link add outside type bridge
	ip -n "$gw" addr add "$LAB_GW_ADDR/24" dev outside
	ip -n "$gw" link set outside up
	# inside: gw 10.1.0.1 <-> server 10.1.0.10
	ip -n "$gw" link add inside type veth peer name eth0 netns "$srv"
	ip -n "$gw" addr add 10.1.0.1/24 dev inside
	ip -n "$gw" link set inside up
	ip -n "$srv" addr add "$LAB_SERVER_ADDR/24" dev eth0
	ip -n "$srv" link set eth0 up
	ip -n "$srv" route add default via 10.1.0.1
	lab_exec gw sysctl -qw net.ipv4.ip_forward=1
	lab_exec gw sysctl -qw net.ipv4.conf.all.rp_filter=0
	lab_exec gw sysctl -qw net.ipv4.conf.default.rp_filter=0
	# Plain traffic between "outside" and anything else is never forwarded:
	# the server can only be reached through a tunnel.
	lab_exec gw nft -f - <<-'EOF'
	table inet lab {
		chain forward {
			type filter hook forward priority 0; policy accept;
			iifname "outside" drop
			oifname "outside" drop
		}
	}
	EOF
}

# lab_add_client NAME [nat]: a client namespace on the outside bridge, or
# behind its own NAT namespace (NAMEnat) when "nat" is given.
lab_add_client() {
	local name=$1 mode=${2:-direct} gw cns host
	gw=$(lab_ns gw)
	host=$LAB_OUT_NEXT
	LAB_OUT_NEXT=$((LAB_OUT_NEXT + 1))
	lab_ns_add "$name"
	cns=$(lab_ns "$name")
	if [ "$mode" = nat ]; then
		local nns
		lab_ns_add "${name}nat"
		nns=$(lab_ns "${name}nat")
		ip -n "$gw" link add "o$host" type veth peer name wan netns "$nns"
		ip -n "$gw" link set "o$host" master outside up
		ip -n "$nns" addr add "10.0.0.$host/24" dev wan
		ip -n "$nns" link set wan up
		ip -n "$nns" link add lan type veth peer name eth0 netns "$cns"
		ip -n "$nns" addr add 192.168.1.1/24 dev lan
		ip -n "$nns" link set lan up
		ip -n "$cns" addr add 192.168.1.2/24 dev eth0
		ip -n "$cns" link set eth0 up
		ip -n "$cns" route add default via 192.168.1.1
		lab_exec "${name}nat" sysctl -qw net.ipv4.ip_forward=1
		lab_exec "${name}nat" nft -f - <<-'EOF'
		table ip nat {
			chain postrouting {
				type nat hook postrouting priority 100; policy accept;
				oifname "wan" masquerade random
			}
		}
		EOF
		LAB_ADDR[$name]=192.168.1.2
	else
		ip -n "$gw" link add "o$host" type veth peer name eth0 netns "$cns"
		ip -n "$gw" link set "o$host" master outside up
		ip -n "$cns" addr add "10.0.0.$host/24" dev eth0
		ip -n "$cns" link set eth0 up
		LAB_ADDR[$name]=10.0.0.$host
	fi
	LAB_PUBLIC[$name]=10.0.0.$host
	lab_exec "$name" ping -q -c 1 -W 3 "$LAB_GW_ADDR" >/dev/null ||
		lab_fail "client $name cannot reach the gateway $LAB_GW_ADDR"
	lab_log "client $name: ${LAB_ADDR[$name]} (seen by the gateway as ${LAB_PUBLIC[$name]}, $mode)"
}

# ---------------------------------------------------------------------------
# processes (tracked by PID; nothing is ever killed by name)

# lab_spawn TAG LOGFILE CMD...: start CMD (a program, not a shell function:
# the PID must be the program's own) in the background, log to LOGFILE.
# Sets LAB_LAST_PID.
lab_spawn() {
	local tag=$1 log=$2
	shift 2
	[ "${LAB_VERBOSE:-0}" = 1 ] && lab_log "+ $* (&)"
	"$@" >"$log" 2>&1 </dev/null &
	LAB_LAST_PID=$!
	LAB_PIDS="$LAB_PIDS $LAB_LAST_PID:$tag"
}

# lab_spawn_run TAG LOGFILE NAME CMD...: lab_spawn in namespace NAME with its
# private /run (see lab_exec_run); the tracked PID is CMD's own (exec chain).
lab_spawn_run() {
	local tag=$1 log=$2 n=$3
	shift 3
	mkdir -p "$LAB_DIR/$n/run"
	lab_spawn "$tag" "$log" ip netns exec "$(lab_ns "$n")" \
		sh -c 'mount --bind "$0" /run && exec "$@"' "$LAB_DIR/$n/run" "$@"
}

lab_alive() { kill -0 "$1" 2>/dev/null; }

# lab_stop_pid PID: TERM, wait up to 10 s, then KILL.  Sets LAB_STOP_STATUS
# to the exit status (when PID is a child of this shell).
lab_stop_pid() {
	local pid=$1 i
	LAB_STOP_STATUS=0
	if lab_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 100); do
			lab_alive "$pid" || break
			sleep 0.1
		done
		lab_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null || LAB_STOP_STATUS=$?
}

# lab_ravpnd_check_exit: ravpnd must end cleanly on SIGTERM, and its log must
# hold no sanitizer report (the CI build has ASan + UBSan).  Returns 1 if not.
lab_ravpnd_check_exit() {
	local log=$LAB_DIR/ravpnd.log bad=0
	[ -f "$log" ] || return 0
	if grep -Eq "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log"; then
		echo "FAIL: ravpnd sanitizer report:" >&2
		grep -E -A 30 "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log" | head -n 60 >&2
		bad=1
	fi
	if [ "$LAB_RAVPND_STATUS" != 0 ]; then
		echo "FAIL: ravpnd exited with status $LAB_RAVPND_STATUS after SIGTERM" >&2
		tail -n 20 "$log" >&2
		bad=1
	fi
	return $bad
}

lab_cleanup() {
	local rc=$? e pid ns
	trap - EXIT INT TERM HUP PIPE
	set +e
	[ "$rc" != 0 ] && [ "$LAB_FAILED" = 0 ] && [ "$rc" != 77 ] && {
		echo "FAIL: exit status $rc" >&2
		lab_dump_logs >&2
	}
	LAB_RAVPND_STATUS=0
	for e in $LAB_PIDS; do
		pid=${e%%:*}
		lab_stop_pid "$pid"
		[ "${e#*:}" = ravpnd ] && LAB_RAVPND_STATUS=$LAB_STOP_STATUS
	done
	if [ "$LAB_GW" = ravpnd ] && ! lab_ravpnd_check_exit; then
		[ "$rc" = 0 ] && rc=1
	fi
	# safety net: anything still running inside this run's own namespaces was
	# started by this lab (and escaped PID tracking): report it, end it by PID
	for ns in $LAB_NETNS; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			echo "lab: process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) left in $ns, stopping it" >&2
			lab_stop_pid "$pid"
		done
	done
	for ns in $LAB_NETNS; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
		if [ "${LAB_KEEP:-0}" = 1 ]; then
			echo "lab directory kept: $LAB_DIR" >&2
		else
			rm -rf "$LAB_DIR"
		fi
	fi
	exit "$rc"
}

# lab_exec_run NAME CMD...: run CMD in namespace NAME with a private /run
# ($LAB_DIR/NAME/run bind-mounted; every call gets a fresh mount namespace,
# the folder keeps pid files and UAPI sockets of that namespace's daemons).
lab_exec_run() {
	local n=$1
	shift
	mkdir -p "$LAB_DIR/$n/run"
	ip netns exec "$(lab_ns "$n")" sh -c 'mount --bind "$0" /run && exec "$@"' "$LAB_DIR/$n/run" "$@"
}

# lab_cpu_ticks PID: utime+stime of the whole process (all threads), in ticks.
lab_cpu_ticks() {
	local s
	s=$(cat "/proc/$1/stat") || return 1
	s=${s##*) }
	echo "$s" | awk '{ print $12 + $13 }'
}

# ---------------------------------------------------------------------------
# strongSwan charon (client or gateway) in a namespace

# lab_charon_start NS ROLE: start charon in namespace NS with a private /run,
# its own strongswan.conf and vici socket.  ROLE is "client" or "gateway".
lab_charon_start() {
	local n=$1 role=$2 d
	d=$LAB_DIR/$n
	mkdir -p "$d/run" "$d/swanctl/conf.d"
	(cd "$d/swanctl" && mkdir -p x509 x509ca x509ocsp x509aa x509ac x509crl private rsa ecdsa bliss pkcs8 pkcs12 pubkey)
	LAB_VICI[$n]="unix://$d/charon.vici"
	local gtc_backend=""
	[ "$role" = gateway ] && gtc_backend="eap-gtc { backend = generic }"
	cat >"$d/strongswan.conf" <<-EOF
	# charon for the ravpn lab ($role in namespace $(lab_ns "$n"))
	charon {
		load_modular = no
		load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints sha1 sha2 md5 hmac gcm aes kdf eap-identity eap-md5 eap-mschapv2 eap-gtc xauth-generic unity attr kernel-libipsec kernel-netlink socket-default vici
		threads = 64
		# IKEv1 only (no effect on IKEv2): announce Cisco Unity (the gateway's
		# unity plugin then sends UNITY_SPLIT_INCLUDE, the client narrows its
		# CHILD_SA to it), and allow Aggressive Mode with PSK as a responder
		cisco_unity = yes
		i_dont_care_about_security_and_use_aggressive_mode_psk = yes
		retransmit_tries = 3
		retransmit_timeout = 2
		install_virtual_ip = yes
		plugins {
			vici {
				socket = ${LAB_VICI[$n]}
			}
			$gtc_backend
		}
		filelog {
			lab {
				path = $d/charon.log
				time_format = %H:%M:%S
				default = 1
				ike = 2
				cfg = 2
				flush_line = yes
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
		# LAB_CHARON_EXTRA: more charon settings (bench/handshake), last so they win
		${LAB_CHARON_EXTRA:-}
	}
	swanctl {
		load = random openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints
	}
	pki {
		load = random openssl pem pkcs1 pkcs8 x509 pubkey
	}
	EOF
	cat >"$d/swanctl/swanctl.conf" <<-EOF
	include conf.d/*.conf
	EOF
	STRONGSWAN_CONF=$d/strongswan.conf lab_spawn_run "charon-$n" "$d/charon-stderr.log" "$n" "$CHARON"
	local pid=$LAB_LAST_PID i
	for i in $(seq 100); do
		lab_alive "$pid" || lab_fail "charon in $n exited at start"
		lab_swanctl "$n" --stats >/dev/null 2>&1 && break
		sleep 0.1
	done
	lab_swanctl "$n" --stats >/dev/null 2>&1 || lab_fail "charon in $n: vici does not answer"
	echo "$pid" >"$d/charon.pid"
	lab_log "charon ($role) in $n: pid $pid"
	[ "$role" = gateway ] && LAB_GW_PID=$pid
	return 0
}

lab_swanctl() { # NS ARGS...: swanctl against the charon of namespace NS
	local n=$1
	shift
	STRONGSWAN_CONF=$LAB_DIR/$n/strongswan.conf SWANCTL_DIR=$LAB_DIR/$n/swanctl \
		swanctl "$@" --uri "${LAB_VICI[$n]}"
}

lab_swanctl_load() { # NS
	lab_swanctl "$1" --load-all --file "$LAB_DIR/$1/swanctl/swanctl.conf" \
		>"$LAB_DIR/$1/load.out" 2>&1 || {
		cat "$LAB_DIR/$1/load.out" >&2
		lab_fail "swanctl --load-all failed in $1"
	}
}

# lab_client_start NAME: charon as the client in namespace NAME.
lab_client_start() { lab_charon_start "$1" client; }

# lab_client_conn NAME CONN key=value...: write and load one connection.
#   auth=eap-mschapv2|eap-md5|eap-gtc|psk   (default eap-mschapv2)
#   group=ASA-IKEV2  (IDi = keyid:GROUP, the AnyConnect way)
#   user=Anu password=SECRET                (EAP)
#   psk=SECRET                              (auth=psk)
#   ike=aes192-sha1-modp1024  esp=aes256-sha1 (the seed's suite)
#   remote_ts=0.0.0.0/0  gw=10.0.0.1
#   vip=yes|no      (no: send no CP(CFG_REQUEST), TSi = the client's own address)
#   server_auth=pubkey|psk  (default: pubkey for EAP, psk for psk; pubkey pins
#                            the gateway certificate fetched by lab_gw_start)
lab_client_conn() {
	local n=$1 conn=$2
	shift 2
	local auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password="" psk="" \
		ike=aes192-sha1-modp1024 esp=aes256-sha1 remote_ts=0.0.0.0/0 gw=$LAB_GW_ADDR \
		server_auth="" vip=yes kv
	for kv in "$@"; do
		case $kv in
		auth=* | group=* | user=* | password=* | psk=* | ike=* | esp=* | remote_ts=* | gw=* | server_auth=* | vip=*)
			local "${kv%%=*}=${kv#*=}" ;;
		*) lab_fail "lab_client_conn: unknown parameter $kv" ;;
		esac
	done
	[ -n "$server_auth" ] || { [ "$auth" = psk ] && server_auth=psk || server_auth=pubkey; }
	local d=$LAB_DIR/$n/swanctl remote local_extra="" secret vips=""
	[ "$vip" = no ] || vips="vips = 0.0.0.0"
	if [ "$server_auth" = pubkey ]; then
		[ -n "$LAB_GW_CERT" ] || lab_fail "no gateway certificate to pin (lab_gw_start first)"
		cp "$LAB_GW_CERT" "$d/x509/gw.pem"
		remote="auth = pubkey
			id = %any
			certs = $d/x509/gw.pem"
	else
		remote="auth = psk
			id = %any"
	fi
	if [ "$auth" = psk ]; then
		secret="ike-$conn {
			id = keyid:$group
			secret = \"$psk\"
		}"
	else
		local_extra="eap_id = $user"
		secret="eap-$conn {
			id = $user
			secret = \"$password\"
		}"
	fi
	cat >"$d/conf.d/$conn.conf" <<-EOF
	connections {
		$conn {
			version = 2
			remote_addrs = $gw
			$vips
			proposals = $ike
			fragmentation = yes
			local {
				auth = $auth
				id = "keyid:$group"
				$local_extra
			}
			remote {
				$remote
			}
			children {
				$conn {
					remote_ts = $remote_ts
					esp_proposals = $esp
					start_action = none
				}
			}
		}
	}
	secrets {
		$secret
	}
	EOF
	lab_swanctl_load "$n"
}

# lab_client_forget NAME CONN: unload a connection and its secret (two
# secrets for the same identity would make charon pick either).
lab_client_forget() {
	rm -f "$LAB_DIR/$1/swanctl/conf.d/$2.conf"
	lab_swanctl_load "$1"
}

# lab_initiate NAME CONN [TIMEOUT]: returns swanctl's status; the output goes
# to $LAB_DIR/NAME/initiate-CONN.out.
lab_initiate() {
	local n=$1 conn=$2 t=${3:-$LAB_TIMEOUT} rc=0
	lab_log "$n: swanctl --initiate --child $conn"
	lab_swanctl "$n" --initiate --child "$conn" --timeout "$t" \
		>"$LAB_DIR/$n/initiate-$conn.out" 2>&1 || rc=$?
	lab_log "$n: initiate $conn -> status $rc"
	return $rc
}

lab_terminate() { # NAME CONN
	lab_swanctl "$1" --terminate --ike "$2" --timeout 10 >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------
# the gateway under test

# lab_gw_start PROFILE [EAP-METHOD]: ravpnd with configs/PROFILE.conf, or
# (LAB_GW=strongswan) charon with configs/strongswan/PROFILE.swanctl.conf.
# The EAP method only matters for strongSwan (one method per connection);
# ravpnd offers its methods and the client NAKs to the one it wants.
lab_gw_start() {
	case $LAB_GW in
	ravpnd) lab_ravpnd_start "$LAB_CONFIGS/$1.conf" ;;
	strongswan) lab_sswan_gw_start "$1" "${2:-eap-mschapv2}" ;;
	*) lab_fail "LAB_GW=$LAB_GW: use ravpnd or strongswan" ;;
	esac
}

# lab_ravpnd_start CONFIG: start ravpnd in gw, wait for its control socket,
# fetch the gateway certificate with `show crypto ca certificates`.
lab_ravpnd_start() {
	local conf=$1 i
	lab_need_ravpnd
	[ -f "$conf" ] || lab_fail "no config $conf"
	"$RAVPND" --check -c "$conf" >"$LAB_DIR/ravpnd-check.log" 2>&1 ||
		lab_fail "ravpnd --check -c $conf rejects the config: $(cat "$LAB_DIR/ravpnd-check.log")"
	LAB_CTL_SOCK=$LAB_DIR/ravpnd.sock
	mkdir -p "$LAB_DIR/gw-state"
	lab_spawn ravpnd "$LAB_DIR/ravpnd.log" \
		ip netns exec "$(lab_ns gw)" "$RAVPND" -c "$conf" -s "$LAB_CTL_SOCK" --state-dir "$LAB_DIR/gw-state"
	LAB_GW_PID=$LAB_LAST_PID
	for i in $(seq 150); do
		lab_alive "$LAB_GW_PID" || lab_fail "ravpnd exited at start"
		[ -S "$LAB_CTL_SOCK" ] && "$RAVPNCTL" -s "$LAB_CTL_SOCK" show crypto ikev2 sa >/dev/null 2>&1 && break
		sleep 0.1
	done
	"$RAVPNCTL" -s "$LAB_CTL_SOCK" show crypto ikev2 sa >/dev/null 2>&1 ||
		lab_fail "ravpnd control socket $LAB_CTL_SOCK does not answer"
	lab_log "ravpnd: pid $LAB_GW_PID, config $conf"
	# the gateway certificate, as an operator would fetch it
	LAB_GW_CERT=$LAB_DIR/gw-cert.pem
	lab_ctl show crypto ca certificates 2>/dev/null |
		sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' |
		sed '/-----END CERTIFICATE-----/q' >"$LAB_GW_CERT" || true
	if ! grep -q 'END CERTIFICATE' "$LAB_GW_CERT"; then
		local f
		f=$(ls "$LAB_DIR"/gw-state/trustpoints/*.crt 2>/dev/null | head -n 1)
		if [ -n "$f" ]; then
			lab_log "show crypto ca certificates gave no PEM; using $f"
			cp "$f" "$LAB_GW_CERT"
		else
			lab_log "no gateway certificate found (fine for PSK-only configs)"
			LAB_GW_CERT=""
		fi
	fi
}

# lab_ctl ARGS...: ravpnctl against the lab's ravpnd.
lab_ctl() { "$RAVPNCTL" -s "$LAB_CTL_SOCK" "$@"; }

# lab_sswan_gw_start PROFILE EAP-METHOD: strongSwan as the gateway.
lab_sswan_gw_start() {
	local profile=$1 eap=$2 tpl d
	tpl=$LAB_CONFIGS/strongswan/$profile.swanctl.conf
	[ -f "$tpl" ] || lab_fail "no strongSwan mirror $tpl"
	lab_charon_start gw gateway
	LAB_SSWAN_PROFILE=$tpl
	d=$LAB_DIR/gw/swanctl
	# a self-signed RSA-2048 certificate, like ravpnd's "enrollment self"
	export STRONGSWAN_CONF=$LAB_DIR/gw/strongswan.conf
	pki --gen --type rsa --size 2048 --outform pem >"$d/private/gw.key"
	pki --self --in "$d/private/gw.key" --dn "CN=ravpn-lab-gw" --san "$LAB_GW_ADDR" \
		--lifetime 30 --outform pem >"$d/x509/gw.pem"
	unset STRONGSWAN_CONF
	LAB_GW_CERT=$d/x509/gw.pem
	lab_gw_eap "$eap"
}

# lab_gw_eap METHOD: the EAP method the strongSwan gateway asks for (it runs
# one method per connection); a no-op for ravpnd, which offers its methods and
# lets the client NAK.
lab_gw_eap() {
	[ "$LAB_GW" = strongswan ] || return 0
	local d=$LAB_DIR/gw/swanctl
	sed -e "s|@EAP@|$1|g" -e "s|@CERT@|$d/x509/gw.pem|g" "$LAB_SSWAN_PROFILE" >"$d/conf.d/gw.conf"
	lab_swanctl_load gw
	lab_log "strongSwan gateway: $(basename "$LAB_SSWAN_PROFILE"), remote auth $1"
}

# ---------------------------------------------------------------------------
# assertions

# lab_client_sas NAME: swanctl --list-sas of the client (kept in a file too).
lab_client_sas() {
	lab_swanctl "$1" --list-sas 2>&1 | tee "$LAB_DIR/$1/list-sas.out"
}

ip2int() { local IFS=.; set -- $1; echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 )); }

# lab_assert_sa_up NAME CONN POOL_FIRST POOL_LAST [IKEv1]: charon's own view: the
# IKE SA is ESTABLISHED, the CHILD_SA INSTALLED, and the virtual IP comes from
# the pool.  Prints the virtual IP.
# An optional fifth argument IKEv1 checks an IKEv1 SA (default IKEv2).
lab_assert_sa_up() {
	local n=$1 conn=$2 first=$3 last=$4 ver=${5:-IKEv2} sas vip
	sas=$(lab_client_sas "$n")
	echo "$sas" | grep -Eq "^$conn: #[0-9]+, ESTABLISHED, $ver" ||
		lab_fail "$n/$conn: no ESTABLISHED IKE SA:
$sas
$(cat "$LAB_DIR/$n/initiate-$conn.out" 2>/dev/null)"
	echo "$sas" | grep -Eq "^  $conn: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL" ||
		lab_fail "$n/$conn: no INSTALLED CHILD_SA:
$sas"
	vip=$(echo "$sas" | sed -n "/^$conn: /,/^[^ ]/{s/^  local .*\[\([0-9.]*\)\]\$/\1/p}" | head -n 1)
	[ -n "$vip" ] || lab_fail "$n/$conn: no virtual IP:
$sas"
	local v f l
	v=$(ip2int "$vip"); f=$(ip2int "$first"); l=$(ip2int "$last")
	[ "$v" -ge "$f" ] && [ "$v" -le "$l" ] ||
		lab_fail "$n/$conn: virtual IP $vip outside the pool $first-$last"
	echo "$vip"
}

# lab_assert_no_child NAME CONN: no CHILD_SA installed for CONN.
lab_assert_no_child() {
	local n=$1 conn=$2 sas
	sas=$(lab_client_sas "$n")
	if echo "$sas" | grep -Eq "^  $conn: #[0-9]+, reqid [0-9]+, INSTALLED"; then
		lab_fail "$n/$conn: a CHILD_SA is installed, expected none:
$sas"
	fi
	return 0
}

lab_assert_no_ike() { # NAME CONN: no IKE SA at all for CONN
	local sas
	sas=$(lab_client_sas "$1")
	if echo "$sas" | grep -Eq "^$2: #[0-9]+, ESTABLISHED"; then
		lab_fail "$1/$2: an IKE SA is ESTABLISHED, expected none:
$sas"
	fi
	return 0
}

# lab_assert_log NAME REGEX: charon's log in namespace NAME has a line matching REGEX.
lab_assert_log() {
	grep -Eq "$2" "$LAB_DIR/$1/charon.log" ||
		lab_fail "$1: charon log has no line matching /$2/"
	grep -E "$2" "$LAB_DIR/$1/charon.log" | head -n 3 | sed 's/^/    charon: /'
}

# lab_assert_notify NAME NOTIFY: charon received the notify NOTIFY (the exact
# name: AUTHENTICATION_FAILED, NO_PROPOSAL_CHOSEN, FAILED_CP_REQUIRED ...).
lab_assert_notify() {
	lab_assert_log "$1" "received $2 notify"
}

# lab_assert_auth_failed NAME: the gateway refused the credentials, as
# charon logged it:
#  - "received AUTHENTICATION_FAILED notify error": the gateway sent the notify
#    (RFC 7296 2.21.2), alone or with EAP-Failure (charon reads notifies first);
#  - EAP-MSCHAPv2 only: an MSCHAPv2 Failure request with E=691 (RFC 2759),
#    after which strongSwan gives up and sends N(AUTH_FAILED) itself;
#  - LAB_GW=strongswan only: a bare EAP-Failure, which is what strongSwan as a
#    gateway sends for EAP-MD5/GTC.  ravpnd must send the notify.
lab_assert_auth_failed() {
	local log=$LAB_DIR/$1/charon.log
	if grep -Eq "received AUTHENTICATION_FAILED notify error" "$log"; then
		lab_assert_notify "$1" AUTHENTICATION_FAILED
	elif grep -Eq "EAP-MS-CHAPv2 failed with error ERROR_AUTHENTICATION_FAILURE" "$log"; then
		lab_assert_log "$1" "EAP-MS-CHAPv2 failed with error ERROR_AUTHENTICATION_FAILURE"
		lab_assert_log "$1" "generating INFORMATIONAL request [0-9]+ \\[ N\\(AUTH_FAILED\\) \\]"
	elif [ "$LAB_GW" = strongswan ] && grep -Eq "received EAP_FAILURE, EAP authentication failed" "$log"; then
		lab_assert_log "$1" "received EAP_FAILURE, EAP authentication failed"
	else
		lab_fail "$1: no AUTHENTICATION_FAILED notify (nor an MSCHAPv2 E=691 failure) in charon's log"
	fi
}

# lab_ctl_expect REGEX CMD...: ravpnctl CMD output matches REGEX (ravpnd only).
lab_ctl_expect() {
	local re=$1 out
	shift
	out=$(lab_ctl "$@" 2>&1) || lab_fail "ravpnctl $* failed: $out"
	echo "$out" | grep -Eq "$re" || lab_fail "ravpnctl $*: no match for /$re/ in:
$out"
}

lab_ctl_reject() { # REGEX CMD...: output must NOT match
	local re=$1 out
	shift
	out=$(lab_ctl "$@" 2>&1) || lab_fail "ravpnctl $* failed: $out"
	if echo "$out" | grep -Eq "$re"; then
		lab_fail "ravpnctl $*: unexpected /$re/ in:
$out"
	fi
	return 0
}

# lab_assert_no_lease POOL FIRST: the gateway holds no address of POOL.
#   ravpnd:     `show ip local pool POOL` In-use column is 0 and
#               `show vpn-sessiondb anyconnect` lists no session
#   strongSwan: `swanctl --list-pools --leases` shows 0 online leases
lab_assert_no_lease() {
	local pool=$1 out used
	if [ "$LAB_GW" = ravpnd ]; then
		out=$(lab_ctl show ip local pool "$pool" 2>&1) || lab_fail "show ip local pool $pool: $out"
		used=$(echo "$out" | awk '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ { print $NF; exit }')
		[ "$used" = 0 ] || lab_fail "pool $pool: In use = '$used', expected 0:
$out"
		lab_ctl_reject "Username" show vpn-sessiondb anyconnect
	else
		out=$(lab_swanctl gw --list-pools --leases 2>&1)
		echo "$out" | grep -Eq "^$pool +[0-9.]+ +0 / " ||
			lab_fail "strongSwan pool $pool has online leases:
$out"
	fi
}

# lab_gw_assert_session USER VIP: the gateway's own view of the session
# (USER empty for PSK-only sessions).
lab_gw_assert_session() {
	local user=$1 vip=$2
	if [ "$LAB_GW" = ravpnd ]; then
		lab_ctl_expect "Status:UP-ACTIVE" show crypto ikev2 sa detail
		lab_ctl_expect "Assigned host addr: *$vip" show crypto ikev2 sa detail
		lab_ctl_expect "Assigned IP *: *$vip" show vpn-sessiondb detail anyconnect
		[ -z "$user" ] || lab_ctl_expect "Username *: *$user" show vpn-sessiondb detail anyconnect
	else
		local out
		out=$(lab_swanctl gw --list-sas 2>&1)
		echo "$out" | grep -Eq "ESTABLISHED, IKEv2" || lab_fail "gateway: no ESTABLISHED SA:
$out"
		if [ -n "$user" ]; then
			echo "$out" | grep -Eq "^  remote .* EAP: '$user' \[$vip\]" ||
				lab_fail "gateway: no SA of EAP user $user with $vip:
$out"
		else
			echo "$out" | grep -Eq "^  remote .* \[$vip\]" ||
				lab_fail "gateway: no SA with virtual IP $vip:
$out"
		fi
	fi
}

# lab_assert_suite NAME CONN IKE ESP: the client's SA uses exactly these
# algorithms, as strongSwan names them (e.g. AES_CBC-192/HMAC_SHA1_96/
# PRF_HMAC_SHA1/MODP_1024 and AES_CBC-256/HMAC_SHA1_96).
lab_assert_suite() {
	local n=$1 conn=$2 ike=$3 esp=$4 sas
	sas=$(lab_client_sas "$n")
	echo "$sas" | grep -Fxq "  $ike" || lab_fail "$n/$conn: IKE suite is not $ike:
$sas"
	echo "$sas" | grep -Eq "^  $conn: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL[-a-zA-Z]*, ESP:$esp\$" ||
		lab_fail "$n/$conn: ESP suite is not $esp:
$sas"
}

# ---------------------------------------------------------------------------
# traffic through the tunnel

# Does the gateway under test carry ESP traffic?  Both strongSwan and ravpnd do.
# LAB_DATAPLANE=0|1 overrides both.
LAB_RAVPND_DATAPLANE=1

lab_dataplane() {
	local on
	if [ -n "${LAB_DATAPLANE:-}" ]; then
		on=$LAB_DATAPLANE
	elif [ "$LAB_GW" = ravpnd ]; then
		on=$LAB_RAVPND_DATAPLANE
	else
		on=1
	fi
	[ "$on" = 1 ] && return 0
	lab_log "data-plane checks off for $LAB_GW (LAB_DATAPLANE=1 turns them on)"
	return 1
}

# lab_child_packets NAME CONN: "in out" packet counters of the CHILD_SA
# (for a vpnc client, lab_vpnc_start: of its TUN device; CONN is ignored).
lab_child_packets() {
	if [ -n "${LAB_VPNC_TUN[$1]:-}" ]; then
		lab_vpnc_packets "$1"
		return
	fi
	lab_swanctl "$1" --list-sas --ike "$2" 2>/dev/null | awk '
		$1 == "in"  && $2 ~ /^[0-9a-f]+,?$/ { for (i = 1; i <= NF; i++) if ($i ~ /^packets/) in_p = $(i - 1) }
		$1 == "out" && $2 ~ /^[0-9a-f]+,?$/ { for (i = 1; i <= NF; i++) if ($i ~ /^packets/) out_p = $(i - 1) }
		END { printf "%d %d\n", in_p, out_p }'
}

# lab_ping_through_tunnel NAME CONN [COUNT]: ping the server from the client;
# the CHILD_SA counters must have grown by at least COUNT both ways.
lab_ping_through_tunnel() {
	local n=$1 conn=$2 count=${3:-3} before after bi bo ai ao
	before=$(lab_child_packets "$n" "$conn")
	lab_exec "$n" ping -c "$count" -i 0.2 -W 2 "$LAB_SERVER_ADDR" >"$LAB_DIR/$n/ping.out" 2>&1 ||
		lab_fail "$n: ping $LAB_SERVER_ADDR through the tunnel failed:
$(cat "$LAB_DIR/$n/ping.out")"
	after=$(lab_child_packets "$n" "$conn")
	read -r bi bo <<<"$before"
	read -r ai ao <<<"$after"
	[ $((ao - bo)) -ge "$count" ] && [ $((ai - bi)) -ge "$count" ] ||
		lab_fail "$n: ping answered but the CHILD_SA counters did not move ($before -> $after)"
	grep -E 'packets transmitted' "$LAB_DIR/$n/ping.out"
}

# lab_iperf NAME SECONDS [DEST]: iperf3 TCP from the client to the server.
# Sets LAB_IPERF_MBPS (receiver side) and LAB_IPERF_BYTES.
lab_iperf() {
	local n=$1 secs=${2:-10} dest=${3:-$LAB_SERVER_ADDR} port=$((5201 + $$ % 1000)) i spid
	lab_spawn iperf3-server "$LAB_DIR/iperf3-server.log" \
		ip netns exec "$(lab_ns srv)" iperf3 -s -1 -B "$LAB_SERVER_ADDR" -p "$port"
	spid=$LAB_LAST_PID
	for i in $(seq 50); do
		lab_exec srv ss -ltn 2>/dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	lab_exec "$n" iperf3 -c "$dest" -p "$port" -t "$secs" -J >"$LAB_DIR/$n/iperf3.json" 2>&1 ||
		lab_fail "$n: iperf3 to $dest failed: $(tail -n 20 "$LAB_DIR/$n/iperf3.json")"
	lab_stop_pid "$spid"
	read -r LAB_IPERF_BYTES LAB_IPERF_BPS < <(awk '
		/"sum_received"/ { r = 1 }
		r && /"bytes":/ { gsub(/[^0-9]/, "", $2); b = $2 }
		r && /"bits_per_second":/ { gsub(/[,]/, "", $2); print b, $2; exit }' "$LAB_DIR/$n/iperf3.json")
	[ -n "${LAB_IPERF_BPS:-}" ] || lab_fail "$n: cannot read iperf3 result"
	LAB_IPERF_MBPS=$(awk -v b="$LAB_IPERF_BPS" 'BEGIN { printf "%.0f", b / 1e6 }')
}

# ---------------------------------------------------------------------------
# one EAP connect scenario, shared by the ikev2_eap_* tests

# lab_eap_connect METHOD LABEL LOG-REGEX: user Anu connects to tunnel-group
# ASA-IKEV2 with EAP METHOD (eap-mschapv2|eap-md5|eap-gtc) and the seed's suite
# (IKE AES-192/SHA-1/MODP-1024, ESP AES-256/SHA-1); asserts strongSwan's view
# (ESTABLISHED, INSTALLED, virtual IP from webvpn1), the method charon logged,
# the gateway's session, and a ping through the tunnel.
lab_eap_connect() {
	local method=$1 label=$2 logre=$3 vip
	lab_init
	lab_gw_start eap "$method"
	lab_add_client c1
	lab_client_start c1
	lab_client_conn c1 anu auth="$method" group=ASA-IKEV2 user=Anu password=Anu-lab-pass1 \
		ike=aes192-sha1-modp1024 esp=aes256-sha1
	lab_initiate c1 anu || lab_fail "$label connect failed: $(cat "$LAB_DIR/c1/initiate-anu.out")"
	vip=$(lab_assert_sa_up c1 anu 10.2.2.1 10.2.2.10)
	lab_assert_log c1 "$logre"
	lab_gw_assert_session Anu "$vip"
	if lab_dataplane; then lab_ping_through_tunnel c1 anu 3; fi
	lab_pass "IKEv2 $label: Anu got $vip"
}

# ---------------------------------------------------------------------------
# IKEv1 remote access: vpnc and strongSwan (version = 1) as clients
#
# vpnc (the Cisco VPN Client clone) runs in the foreground in a client
# namespace, tracked by PID like every lab process.  Its config file (group
# secret and XAUTH password included: never on the command line) and a
# vpnc-script of ours live in $LAB_DIR/NAME/.
#
# Why not /usr/share/vpnc-scripts/vpnc-script: `ip netns exec` shares /etc
# with the host (unless /etc/netns/NS exists), and the real script rewrites
# /etc/resolv.conf (or calls resolvconf) on connect: it would change the
# host's DNS.  It also replaces the default route, which in a NATed client
# namespace needs the host route to the gateway first.  Ours records every
# variable vpnc hands over (one file per variable in $LAB_DIR/NAME/vpnc-env/,
# read them with lab_vpnc_env) and does only `ip link/addr/route` on the TUN.

lab_need_vpnc() {
	command -v vpnc >/dev/null 2>&1 || lab_fail "missing tool vpnc (run: sh scripts/deps.sh check)"
}

# lab_vpnc_script NAME: write the vpnc-script of client NAME (see above).
lab_vpnc_script() {
	local d=$LAB_DIR/$1
	mkdir -p "$d/vpnc-env"
	cat >"$d/vpnc-script" <<-EOF
	#!/bin/sh
	# vpnc-script of the ravpn lab (client $1): record, then set up the TUN.
	d=$d
	EOF
	cat >>"$d/vpnc-script" <<-'EOF'
	e=$d/vpnc-env
	echo "$reason" >>"$d/vpnc-reasons"
	if [ "$reason" = connect ]; then
		rm -f "$e"/*
		for v in $(env | sed -n 's/^\(\(reason\|VPNGATEWAY\|VPNPID\|TUNDEV\|INTERNAL_IP[46]_[A-Z0-9_]*\|CISCO_[A-Z0-9_]*\)\)=.*/\1/p' | sort -u); do
			printenv "$v" >"$e/$v"
		done
	fi
	case $reason in
	connect)
		ip link set dev "$TUNDEV" up mtu "${INTERNAL_IP4_MTU:-1412}" || exit 1
		ip addr add "$INTERNAL_IP4_ADDRESS/32" peer "$INTERNAL_IP4_ADDRESS" dev "$TUNDEV" || exit 1
		# keep the gateway outside the tunnel (behind a NAT it is reached
		# through the default route, which 0.0.0.0/1 would shadow)
		via=$(ip route get "$VPNGATEWAY" | sed -n 's/.* via \([0-9.]*\) .*/\1/p')
		[ -z "$via" ] || ip route replace "$VPNGATEWAY/32" via "$via"
		if [ "${CISCO_SPLIT_INC:-0}" -gt 0 ]; then
			i=0
			while [ "$i" -lt "$CISCO_SPLIT_INC" ]; do
				eval "a=\$CISCO_SPLIT_INC_${i}_ADDR l=\$CISCO_SPLIT_INC_${i}_MASKLEN"
				ip route replace "$a/$l" dev "$TUNDEV" || exit 1
				i=$((i + 1))
			done
		else
			ip route replace 0.0.0.0/1 dev "$TUNDEV" || exit 1
			ip route replace 128.0.0.0/1 dev "$TUNDEV" || exit 1
		fi
		echo up >"$d/vpnc-state"
		;;
	disconnect)
		[ -z "$VPNGATEWAY" ] || ip route del "$VPNGATEWAY/32" 2>/dev/null
		echo down >"$d/vpnc-state"
		;;
	esac
	exit 0
	EOF
	chmod 755 "$d/vpnc-script"
}

# lab_vpnc_start NAME key=value...: start vpnc in client namespace NAME.
#   gw=10.0.0.1  group=RA-IKEV1  secret=GROUP-KEY  user=vpnuser1  password=...
#   dh=dh2|dh5|dh14...          (IKE DH group, vpnc default dh2)
#   pfs=server|nopfs|dh2|dh5... (vpnc default server: PFS if the gateway says so)
#   natt=natt|none|force-natt|cisco-udp   (default natt)
#   weak=1                      (--enable-weak-encryption, -weak-authentication
#                                and -1des: needed for a DES/3DES or MD5 answer)
#   weak_enc=1 weak_auth=1 des=1   (each of the above alone)
#   dpd=SECONDS                 (our DPD idle time, 0 = off; vpnc default 300)
#   lport=500                   (local IKE port; 0 = random)
#   udp_port=10000              (cisco-udp local port)
#   debug=1                     (vpnc --debug level: 0 1 2 3 99)
#   ifname=vpnc0                (TUN device name)
# Sets LAB_VPNC_PID[NAME], LAB_VPNC_TUN[NAME]; the log is $LAB_DIR/NAME/vpnc.log.
lab_vpnc_start() {
	local n=$1
	shift
	local gw=$LAB_GW_ADDR group="" secret="" user="" password="" dh="" pfs="" natt=natt \
		weak=0 weak_enc=0 weak_auth=0 des=0 dpd="" lport="" udp_port="" debug=1 ifname=vpnc0 kv
	for kv in "$@"; do
		case $kv in
		gw=* | group=* | secret=* | user=* | password=* | dh=* | pfs=* | natt=* | weak=* | weak_enc=* | \
			weak_auth=* | des=* | dpd=* | lport=* | udp_port=* | debug=* | ifname=*)
			local "${kv%%=*}=${kv#*=}" ;;
		*) lab_fail "lab_vpnc_start: unknown parameter $kv" ;;
		esac
	done
	lab_need_vpnc
	local d=$LAB_DIR/$n conf
	mkdir -p "$d"
	conf=$d/vpnc.conf
	lab_vpnc_script "$n"
	rm -f "$d/vpnc-state" "$d/vpnc-reasons"
	[ "$weak" = 1 ] && { weak_enc=1; weak_auth=1; des=1; }
	(
		umask 077
		{
			echo "IPSec gateway $gw"
			echo "IPSec ID $group"
			echo "IPSec secret $secret"
			[ -z "$user" ] || echo "Xauth username $user"
			[ -z "$password" ] || echo "Xauth password $password"
			[ -z "$dh" ] || echo "IKE DH Group $dh"
			[ -z "$pfs" ] || echo "Perfect Forward Secrecy $pfs"
			echo "NAT Traversal Mode $natt"
			[ "$weak_enc" = 1 ] && echo "Enable weak encryption"
			[ "$weak_auth" = 1 ] && echo "Enable weak authentication"
			[ "$des" = 1 ] && echo "Enable Single DES"
			[ -z "$dpd" ] || echo "DPD idle timeout (our side) $dpd"
			[ -z "$lport" ] || echo "Local Port $lport"
			[ -z "$udp_port" ] || echo "Cisco UDP Encapsulation Port $udp_port"
			echo "Interface name $ifname"
			echo "Interface mode tun"
			echo "Script $d/vpnc-script"
			echo "Noninteractive"
		} >"$conf"
	)
	LAB_VPNC_TUN[$n]=$ifname
	LAB_VPNC_T0=$(date +%s%N)
	lab_log "$n: vpnc to $gw, group $group, user ${user:-none}, dh ${dh:-default}, pfs ${pfs:-default}, natt $natt"
	lab_spawn "vpnc-$n" "$d/vpnc.log" ip netns exec "$(lab_ns "$n")" \
		stdbuf -oL -eL vpnc --no-detach --debug "$debug" --pid-file "$d/vpnc.pid" "$conf"
	LAB_VPNC_PID[$n]=$LAB_LAST_PID
}

# lab_vpnc_wait_up NAME [TIMEOUT]: wait until vpnc has run its connect script
# (address on the TUN, routes in place) and finished Quick Mode (it logs
# "VPNC started in foreground" once the ESP SA is set up).  Fails with vpnc's
# log if vpnc exits or the timeout (default 30 s) passes.  Sets
# LAB_VPNC_CONNECT_MS (vpnc start -> tunnel up) and LAB_VPNC_VIP.
lab_vpnc_wait_up() {
	local n=$1 t=${2:-30} d=$LAB_DIR/$1 i vip tun=${LAB_VPNC_TUN[$1]}
	for i in $(seq $((t * 10))); do
		if ! lab_alive "${LAB_VPNC_PID[$n]}"; then
			wait "${LAB_VPNC_PID[$n]}" 2>/dev/null && i=0 || i=$?
			lab_fail "$n: vpnc exited with status $i before the tunnel was up:
$(tail -n 30 "$d/vpnc.log")"
		fi
		if [ "$(cat "$d/vpnc-state" 2>/dev/null)" = up ] && grep -q 'VPNC started in foreground' "$d/vpnc.log"; then
			vip=$(lab_vpnc_env "$n" INTERNAL_IP4_ADDRESS)
			lab_exec "$n" ip -4 addr show dev "$tun" 2>/dev/null | grep -q "inet $vip" &&
				lab_exec "$n" ip route show dev "$tun" 2>/dev/null | grep -q . && break
		fi
		sleep 0.1
	done
	[ "$(cat "$d/vpnc-state" 2>/dev/null)" = up ] && grep -q 'VPNC started in foreground' "$d/vpnc.log" ||
		lab_fail "$n: vpnc tunnel not up after $t s:
$(tail -n 30 "$d/vpnc.log")"
	LAB_VPNC_CONNECT_MS=$((($(date +%s%N) - LAB_VPNC_T0) / 1000000))
	LAB_VPNC_VIP=$vip
	lab_log "$n: vpnc up in $LAB_VPNC_CONNECT_MS ms: $vip on $tun, routes: $(lab_exec "$n" ip route show dev "$tun" | tr '\n' ';')"
}

# lab_vpnc_wait_exit NAME [TIMEOUT]: wait for vpnc to end by itself (failure
# scenarios); sets LAB_VPNC_STATUS to its exit status.  Fails if it is still
# running after TIMEOUT (default 30 s).
lab_vpnc_wait_exit() {
	local n=$1 t=${2:-30} i pid=${LAB_VPNC_PID[$1]}
	for i in $(seq $((t * 10))); do
		lab_alive "$pid" || break
		sleep 0.1
	done
	lab_alive "$pid" && lab_fail "$n: vpnc still running after $t s:
$(tail -n 30 "$LAB_DIR/$n/vpnc.log")"
	LAB_VPNC_STATUS=0
	wait "$pid" 2>/dev/null || LAB_VPNC_STATUS=$?
	lab_log "$n: vpnc exited with status $LAB_VPNC_STATUS"
}

# lab_vpnc_stop NAME: SIGTERM (vpnc sends an ISAKMP DELETE for its ESP and
# IKE SAs and runs the script with reason=disconnect); sets LAB_VPNC_STATUS.
lab_vpnc_stop() {
	local n=$1
	lab_stop_pid "${LAB_VPNC_PID[$n]}"
	LAB_VPNC_STATUS=$LAB_STOP_STATUS
	lab_log "$n: vpnc stopped (status $LAB_VPNC_STATUS, script reasons: $(tr '\n' ' ' <"$LAB_DIR/$n/vpnc-reasons" 2>/dev/null))"
}

# lab_vpnc_kill NAME: SIGKILL, no DELETE sent (a vanished client for DPD).
lab_vpnc_kill() {
	local pid=${LAB_VPNC_PID[$1]}
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	lab_log "$1: vpnc killed (SIGKILL)"
}

# lab_vpnc_env NAME VAR: a variable vpnc passed to its script on connect
# (INTERNAL_IP4_ADDRESS, INTERNAL_IP4_NETMASK, INTERNAL_IP4_DNS,
# CISCO_DEF_DOMAIN, CISCO_BANNER, CISCO_SPLIT_INC, CISCO_SPLIT_INC_0_ADDR,
# _MASK, _MASKLEN, ...).  Empty output and status 1 when vpnc did not set it.
lab_vpnc_env() {
	local f=$LAB_DIR/$1/vpnc-env/$2
	[ -f "$f" ] || return 1
	cat "$f"
}

# lab_vpnc_expect_env NAME VAR VALUE: the recorded variable equals VALUE.
lab_vpnc_expect_env() {
	local got
	got=$(lab_vpnc_env "$1" "$2") || lab_fail "$1: vpnc got no $2 (recorded: $(ls "$LAB_DIR/$1/vpnc-env" | tr '\n' ' '))"
	[ "$got" = "$3" ] || lab_fail "$1: vpnc got $2='$got', expected '$3'"
	lab_log "$1: $2=$got"
}

# lab_vpnc_packets NAME: "rx tx" packet counters of vpnc's TUN device.
lab_vpnc_packets() {
	local tun=${LAB_VPNC_TUN[$1]} rx tx
	rx=$(lab_exec "$1" cat "/sys/class/net/$tun/statistics/rx_packets" 2>/dev/null || echo 0)
	tx=$(lab_exec "$1" cat "/sys/class/net/$tun/statistics/tx_packets" 2>/dev/null || echo 0)
	echo "$rx $tx"
}

# ---------------------------------------------------------------------------
# strongSwan as an IKEv1 client (XAUTH PSK, the Cisco VPN Client way)

# lab_client_conn_v1 NAME CONN key=value...: write and load one IKEv1 connection.
#   aggressive=yes|no       (default yes: the group name travels in ID_KEY_ID)
#   group=RA-IKEV1 psk=KEY  (group name and group key)
#   idtype=keyid|fqdn|address  (how our phase-1 ID is sent; default keyid
#                            in Aggressive Mode, address in Main Mode)
#   user=vpnuser1 password=SECRET  (XAUTH; xauth=no leaves the round out)
#   ike=aes256-sha1-modp1024  esp=aes256-sha1  remote_ts=0.0.0.0/0  gw=10.0.0.1
#   dpd=0                   (dpd_delay in seconds, 0 = off)
lab_client_conn_v1() {
	local n=$1 conn=$2
	shift 2
	local aggressive=yes group=RA-IKEV1 psk="" idtype="" user="" password="" xauth=yes \
		ike=aes256-sha1-modp1024 esp=aes256-sha1 remote_ts=0.0.0.0/0 gw=$LAB_GW_ADDR dpd=0 kv
	for kv in "$@"; do
		case $kv in
		aggressive=* | group=* | psk=* | idtype=* | user=* | password=* | xauth=* | ike=* | esp=* | \
			remote_ts=* | gw=* | dpd=*)
			local "${kv%%=*}=${kv#*=}" ;;
		*) lab_fail "lab_client_conn_v1: unknown parameter $kv" ;;
		esac
	done
	[ -n "$idtype" ] || { [ "$aggressive" = yes ] && idtype=keyid || idtype=address; }
	local id
	case $idtype in
	keyid) id="keyid:$group" ;;
	fqdn) id="fqdn:$group" ;;
	address) id=${LAB_ADDR[$n]} ;;
	*) lab_fail "lab_client_conn_v1: idtype=$idtype: use keyid, fqdn or address" ;;
	esac
	local d=$LAB_DIR/$n/swanctl xauth_round="" xauth_secret=""
	if [ "$xauth" = yes ]; then
		xauth_round="local-xauth {
				auth = xauth
				xauth_id = $user
			}"
		xauth_secret="xauth-$conn {
			id = $user
			secret = \"$password\"
		}"
	fi
	# the PSK is found by our ID (Aggressive Mode) or by the gateway's
	# address (Main Mode: the ID is only sent encrypted, after the key is used)
	cat >"$d/conf.d/$conn.conf" <<-EOF
	connections {
		$conn {
			version = 1
			aggressive = $aggressive
			remote_addrs = $gw
			vips = 0.0.0.0
			proposals = $ike
			dpd_delay = ${dpd}s
			local {
				auth = psk
				id = "$id"
			}
			$xauth_round
			remote {
				auth = psk
				id = %any
			}
			children {
				$conn {
					remote_ts = $remote_ts
					esp_proposals = $esp
					start_action = none
				}
			}
		}
	}
	secrets {
		ike-$conn {
			id-1 = "$id"
			id-2 = $gw
			secret = "$psk"
		}
		$xauth_secret
	}
	EOF
	lab_swanctl_load "$n"
}

# ---------------------------------------------------------------------------
# the gateway's view of IKEv1 sessions

# lab_gw_assert_v1_session USER VIP PEER [MODE]: the gateway has an active
# IKEv1 SA with PEER (the address it sees) for XAUTH user USER holding VIP.
# MODE is AM (default) or MM.
#   ravpnd:     `show crypto isakmp sa`: "IKE Peer: PEER", "Type : user",
#               "Role : responder", "State : AM_ACTIVE|MM_ACTIVE";
#               `show vpn-sessiondb remote`: Username, Assigned IP, Public IP
#   strongSwan: swanctl --list-sas: ESTABLISHED, IKEv1, remote @ PEER with
#               XAuth: 'USER' [VIP], a CHILD_SA INSTALLED
lab_gw_assert_v1_session() {
	local user=$1 vip=$2 peer=$3 mode=${4:-AM}
	if [ "$LAB_GW" = ravpnd ]; then
		lab_ctl_expect "IKE Peer: *$peer" show crypto isakmp sa
		lab_ctl_expect "Type *: *user" show crypto isakmp sa
		lab_ctl_expect "Role *: *responder" show crypto isakmp sa
		lab_ctl_expect "State *: *${mode}_ACTIVE" show crypto isakmp sa
		lab_ctl_expect "Username *: *$user" show vpn-sessiondb remote
		lab_ctl_expect "Assigned IP *: *$vip" show vpn-sessiondb remote
		lab_ctl_expect "Public IP *: *$peer" show vpn-sessiondb remote
	else
		local out
		out=$(lab_swanctl gw --list-sas 2>&1)
		echo "$out" | grep -Eq "ESTABLISHED, IKEv1" || lab_fail "gateway: no ESTABLISHED IKEv1 SA:
$out"
		echo "$out" | grep -Eq "^  remote .* @ $peer\[[0-9]+\] XAuth: '$user' \[$vip\]" ||
			lab_fail "gateway: no IKEv1 SA of XAUTH user $user at $peer with $vip:
$out"
		echo "$out" | grep -Eq "^  [^ ]+: #[0-9]+, reqid [0-9]+, INSTALLED, TUNNEL" ||
			lab_fail "gateway: no INSTALLED CHILD_SA:
$out"
	fi
	lab_log "gateway: IKEv1 $mode session of $user from $peer with $vip"
}

# lab_gw_v1_sas: the gateway's list of IKEv1 SAs (show crypto isakmp sa, or
# swanctl --list-sas), also kept in $LAB_DIR/gw-sas.out.
lab_gw_v1_sas() {
	if [ "$LAB_GW" = ravpnd ]; then
		lab_ctl show crypto isakmp sa 2>&1
	else
		lab_swanctl gw --list-sas 2>&1
	fi | tee "$LAB_DIR/gw-sas.out"
}

# lab_gw_assert_no_v1_sa [TIMEOUT]: within TIMEOUT seconds (default 0: now)
# the gateway holds no established IKEv1 SA (ravpnd: no "IKE Peer:" entry in
# show crypto isakmp sa; strongSwan: nothing ESTABLISHED).
lab_gw_assert_no_v1_sa() {
	local t=${1:-0} i out re
	[ "$LAB_GW" = ravpnd ] && re="IKE Peer:" || re="ESTABLISHED"
	for i in $(seq 0 "$t"); do
		out=$(lab_gw_v1_sas)
		echo "$out" | grep -Eq "$re" || return 0
		[ "$i" = "$t" ] || sleep 1
	done
	lab_fail "gateway still holds an IKEv1 SA after $t s:
$out"
}

# lab_assert_no_lease_v1 POOL: like lab_assert_no_lease, for IKEv1 sessions
# (ravpnd lists them under `show vpn-sessiondb remote`).
lab_assert_no_lease_v1() {
	if [ "$LAB_GW" = ravpnd ]; then
		local out used
		out=$(lab_ctl show ip local pool "$1" 2>&1) || lab_fail "show ip local pool $1: $out"
		used=$(echo "$out" | awk '$1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ { print $NF; exit }')
		[ "$used" = 0 ] || lab_fail "pool $1: In use = '$used', expected 0:
$out"
		lab_ctl_reject "Username" show vpn-sessiondb remote
	else
		lab_assert_no_lease "$1"
	fi
}

# lab_gw_log: the gateway's log file (ravpnd's, or the gateway charon's).
lab_gw_log() {
	[ "$LAB_GW" = ravpnd ] && echo "$LAB_DIR/ravpnd.log" || echo "$LAB_DIR/gw/charon.log"
}

# lab_gw_log_mark: later lab_gw_wait_log calls only look at lines written
# from now on (until the next mark).
LAB_GW_LOG_MARK=0
lab_gw_log_mark() {
	LAB_GW_LOG_MARK=$(wc -l <"$(lab_gw_log)" 2>/dev/null || echo 0)
}

# lab_gw_wait_log REGEX [TIMEOUT]: the gateway's log gets a line matching
# REGEX (grep -Ei) within TIMEOUT seconds (default 10), after the last
# lab_gw_log_mark; prints the first matches.
lab_gw_wait_log() {
	local re=$1 t=${2:-10} i log
	log=$(lab_gw_log)
	for i in $(seq $((t * 10))); do
		tail -n +$((LAB_GW_LOG_MARK + 1)) "$log" 2>/dev/null | grep -Eiq "$re" && break
		sleep 0.1
	done
	tail -n +$((LAB_GW_LOG_MARK + 1)) "$log" 2>/dev/null | grep -Eiq "$re" ||
		lab_fail "gateway log $(basename "$log") has no line matching /$re/ after $t s"
	tail -n +$((LAB_GW_LOG_MARK + 1)) "$log" | grep -Ei "$re" | head -n 3 | sed 's/^/    gateway: /'
}

# ---------------------------------------------------------------------------
# packet captures (tshark) in a lab namespace

# lab_capture_start NAME IFACE [BPF]: dumpcap (tshark's capture engine, it starts
# much faster than tshark) on IFACE of namespace NAME into
# $LAB_DIR/cap-NAME-IFACE.pcap (tracked by PID); waits until it listens.
# Sets LAB_CAPTURE_PID and LAB_CAPTURE_FILE.
lab_capture_start() {
	local n=$1 ifc=$2 bpf=${3:-} i
	command -v tshark >/dev/null 2>&1 || lab_fail "missing tool tshark (run: sh scripts/deps.sh check)"
	LAB_CAPTURE_FILE=$LAB_DIR/cap-$n-$ifc.pcap
	: >"$LAB_CAPTURE_FILE"
	chmod 666 "$LAB_CAPTURE_FILE"   # dumpcap may drop privileges
	lab_spawn "dumpcap-$n" "$LAB_DIR/cap-$n-$ifc.log" ip netns exec "$(lab_ns "$n")" \
		dumpcap -q -i "$ifc" ${bpf:+-f "$bpf"} -w "$LAB_CAPTURE_FILE"
	LAB_CAPTURE_PID=$LAB_LAST_PID
	for i in $(seq 100); do
		grep -q "Capturing on" "$LAB_DIR/cap-$n-$ifc.log" 2>/dev/null && break
		lab_alive "$LAB_CAPTURE_PID" || lab_fail "dumpcap in $n exited: $(cat "$LAB_DIR/cap-$n-$ifc.log")"
		sleep 0.1
	done
	sleep 0.3
}

# lab_capture_stop: end the capture (SIGTERM; dumpcap flushes the file).
lab_capture_stop() {
	sleep 0.3
	lab_stop_pid "$LAB_CAPTURE_PID"
}

# lab_capture_count FILE DISPLAY-FILTER: number of packets in FILE matching
# the tshark display filter (UDP 4500 is decoded as ESP-in-UDP, RFC 3948).
lab_capture_count() {
	tshark -n -r "$1" -Y "$2" 2>/dev/null | wc -l
}
