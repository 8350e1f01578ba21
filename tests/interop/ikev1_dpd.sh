#!/bin/bash
# Dead peer detection (RFC 3706) on the gateway: tunnel-group RA-IKEV1 has
# "isakmp keepalive threshold 10 retry 2" (strongSwan mirror: dpd_delay 10 s,
# dpd_timeout 20 s).  vpnc connects with its own DPD on (--dpd-idle 10: the
# R-U-THERE / R-U-THERE-ACK exchange is seen working both ways first), then
# is killed with SIGKILL, so no DELETE is sent.  The gateway must notice the
# silence, remove the IKE and IPsec SAs and free the lease within
# threshold + retries + a margin (DPD_LIMIT, default 60 s); the time it took is
# printed.  vpnc's TUN vanishes with the process; nothing is left behind.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

limit=${DPD_LIMIT:-60}
lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=Lab-v1-pass1 dpd=10 debug=2
lab_vpnc_wait_up c1
vip=$LAB_VPNC_VIP
lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
if lab_dataplane; then lab_ping_through_tunnel c1 - 2; fi

# an idle tunnel stays up across the keepalive threshold: R-U-THERE gets its
# ACK (vpnc's idle timer is 10 s too, so either side may ask first; any
# message from the peer resets the other side's timer).  vpnc also sends one
# R-U-THERE right after connecting: only what follows the idle time counts.
sleep 1
lab_gw_log_mark
sleep 14
if [ "$LAB_GW" = strongswan ]; then
	lab_gw_wait_log "INFORMATIONAL_V1 request [0-9]+ \\[ HASH N\\(DPD\\) \\]" 1
	lab_gw_wait_log "INFORMATIONAL_V1 request [0-9]+ \\[ HASH N\\(DPD_ACK\\) \\]" 1
fi
lab_gw_assert_v1_session vpnuser1 "$vip" "${LAB_PUBLIC[c1]}" AM
lab_pass "idle 14 s > keepalive threshold 10 s: DPD answered, session still up"

lab_gw_log_mark
lab_vpnc_kill c1
t0=$(date +%s)
lab_gw_assert_no_v1_sa "$limit"
secs=$(($(date +%s) - t0))
lab_assert_no_lease_v1 v1pool
if [ "$LAB_GW" = ravpnd ]; then
	lab_ctl_expect "There are no IKEv1 SAs|Total IKE SA: *0" show crypto isakmp sa
	lab_ctl_reject "vpnuser1" show vpn-sessiondb remote
else
	lab_gw_wait_log "(giving up after [0-9]+ retransmits|DPD check timed out|deleting IKE_SA RA-IKEV1)" 1
	lab_swanctl gw --list-sas 2>&1 | grep -q "RA-IKEV1" && lab_fail "gateway: SA still listed: $(lab_swanctl gw --list-sas)"
fi
lab_pass "vpnc killed: the gateway removed SA and lease after $secs s (limit $limit s)"
