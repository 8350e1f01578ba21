#!/bin/bash
# A CHILD_SA rekey started by the strongSwan client in the middle of a
# steady packet stream loses nothing: 400 pings at 10 ms intervals cross
# ravpnd's data plane while `swanctl --rekey --child` runs after ~1 s.
# Passes when every ping is answered, the client's CHILD_SA has a new
# inbound SPI, and the gateway shows exactly one CHILD SA again afterwards
# (the old one deleted, its data-plane SA removed).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start psk
lab_add_client c1
lab_client_start c1
lab_client_conn c1 rk auth=psk group=ASA-PSK psk=Lab-group-key-1 \
	ike=aes256gcm16-prfsha256-x25519 esp=aes256gcm16
lab_initiate c1 rk || lab_fail "PSK client does not connect"
vip=$(lab_assert_sa_up c1 rk 10.2.2.1 10.2.2.10)

spi_in() { lab_swanctl c1 --list-sas --ike rk 2>/dev/null | awk '$1 == "in" { sub(/,/, "", $2); print $2; exit }'; }
old=$(spi_in)
lab_exec c1 ping -c 400 -i 0.01 -W 2 "$LAB_SERVER_ADDR" >"$LAB_DIR/c1/ping-rekey.out" 2>&1 &
ping_pid=$!
sleep 1
lab_swanctl c1 --rekey --child rk >"$LAB_DIR/c1/rekey.out" 2>&1 ||
	lab_fail "swanctl --rekey failed: $(cat "$LAB_DIR/c1/rekey.out")"
wait "$ping_pid" || true
new=$(spi_in)
stats=$(grep -E 'packets transmitted' "$LAB_DIR/c1/ping-rekey.out" || true)
echo "$stats"
echo "$stats" | grep -q '^400 packets transmitted, 400 received' ||
	lab_fail "packets lost across the rekey: $stats"
[ -n "$old" ] && [ -n "$new" ] && [ "$old" != "$new" ] ||
	lab_fail "the CHILD_SA was not rekeyed (inbound SPI $old -> $new)"
sleep 1
out=$(lab_ctl show crypto ikev2 sa)
echo "$out" | grep -q 'CHILD count:1' || lab_fail "gateway does not show one CHILD SA after the rekey: $out"
lab_ping_through_tunnel c1 rk 3
lab_pass "CHILD_SA rekey under traffic ($old -> $new), 400/400 pings answered from $vip"
