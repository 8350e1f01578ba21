#!/bin/bash
# ravpn-connect (IKEv2, group PSK) against a strongSwan gateway that rekeys
# by itself (configs/strongswan/client-rekey.swanctl.conf: CHILD SAs every
# ~20 s, the IKE SA every ~30 s).  The client answers those CREATE_CHILD_SA
# requests as their responder (src/client/ini2_rekey.c).  A ping stream
# through the tunnel, one every 0.2 s for 70 s, crosses at least two CHILD
# rekeys and one IKE rekey and may lose at most one packet; afterwards
# `swanctl --list-sas` on the gateway shows new IKE and ESP SPIs and the
# client is still connected; SIGTERM ends it with exit 0.
# Prints the losses and the rekey counts.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

RAVPN_CONNECT=${RAVPN_CONNECT:-$LAB_TOP/build/src/client/ravpn-connect}
PING_SEC=${PING_SEC:-70}
[ -x "$RAVPN_CONNECT" ] || { echo "SKIP: no $RAVPN_CONNECT (make first)"; exit 77; }
[ -x "$CHARON" ] || { echo "SKIP: no strongSwan charon"; exit 77; }

# gw_sas: the gateway's IKE SPIs and ESP SPIs, one per line (sorted).
gw_sas() {
	lab_swanctl gw --list-sas >"$LAB_DIR/gw/list-sas.$1" 2>&1 || true
	{
		grep -Eo '[0-9a-f]{16}_[ir]' "$LAB_DIR/gw/list-sas.$1" || true
		sed -En 's/^ +(in|out) +([0-9a-f]{8}),.*/esp-\1-\2/p' "$LAB_DIR/gw/list-sas.$1"
	} | sort
}

LAB_GW=strongswan
lab_init
lab_add_client c1
lab_sswan_gw_start client-rekey psk
mkdir -p "$LAB_DIR/c1"
log=$LAB_DIR/c1/rvc.log
lab_spawn rvc "$log" ip netns exec "$(lab_ns c1)" env RAVPN_GROUP_PASSWORD=Lab-group-key-1 \
	"$RAVPN_CONNECT" --gateway "$LAB_GW_ADDR" --group ASA-PSK --auth psk --debug 1
RVC_PID=$LAB_LAST_PID
for i in $(seq 100); do
	grep -q '^connected:' "$log" 2>/dev/null && break
	lab_alive "$RVC_PID" || lab_fail "ravpn-connect exited: $(cat "$log")"
	sleep 0.1
done
grep -q '^connected:' "$log" || lab_fail "ravpn-connect did not connect: $(cat "$log")"
before=$(gw_sas before)
[ -n "$before" ] || lab_fail "no SA on the gateway: $(cat "$LAB_DIR/gw/list-sas.before")"
lab_log "gateway SAs before: $before"

n=$((PING_SEC * 5))
lab_exec c1 ping -c "$n" -i 0.2 -W 1 "$LAB_SERVER_ADDR" >"$LAB_DIR/c1/ping.out" 2>&1 || true
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$LAB_DIR/c1/ping.out")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$LAB_DIR/c1/ping.out")
[ -n "$sent" ] && [ -n "$recv" ] || lab_fail "no ping summary: $(tail -n 5 "$LAB_DIR/c1/ping.out")"
lost=$((sent - recv))

lab_alive "$RVC_PID" || lab_fail "ravpn-connect exited during the rekeys: $(tail -n 30 "$log")"
child=$(grep -c 'CHILD SA rekeyed by the gateway' "$log" || true)
ike=$(grep -c 'IKE SA rekeyed by the gateway' "$log" || true)
after=$(gw_sas after)
lab_log "gateway SAs after: $after"
echo "ping: $sent sent, $recv received, $lost lost; gateway rekeys: CHILD $child, IKE $ike"
[ "$child" -ge 2 ] || lab_fail "only $child CHILD rekeys by the gateway: $(tail -n 40 "$log")"
[ "$ike" -ge 1 ] || lab_fail "no IKE rekey by the gateway: $(tail -n 40 "$log")"
[ "$lost" -le 1 ] || lab_fail "$lost pings lost across the rekeys"
grep -q 'ESTABLISHED' "$LAB_DIR/gw/list-sas.after" || lab_fail "no established IKE SA on the gateway"
grep -q 'INSTALLED' "$LAB_DIR/gw/list-sas.after" || lab_fail "no installed CHILD SA on the gateway"
# every SPI pair the gateway had at the start has been replaced
while read -r l; do
	! grep -qF "$l" <<<"$after" || lab_fail "the gateway still has $l after the rekeys"
done <<<"$before"
cat "$LAB_DIR/gw/list-sas.after"
lab_pass "strongSwan rekeyed CHILD $child x, IKE $ike x; $lost of $sent pings lost; client still connected"

lab_stop_pid "$RVC_PID"
[ "$LAB_STOP_STATUS" = 0 ] || lab_fail "ravpn-connect exited with $LAB_STOP_STATUS: $(tail -n 20 "$log")"
if grep -Eq "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log"; then
	lab_fail "ravpn-connect sanitizer report: $(cat "$log")"
fi
lab_pass "SIGTERM after the rekeys: DELETE on the rekeyed IKE SA, exit 0"
