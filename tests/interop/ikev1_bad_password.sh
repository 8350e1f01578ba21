#!/bin/bash
# vpnc with the right group key but a wrong XAUTH password must fail cleanly:
# phase 1 completes, the gateway asks for user/password, checks them against
# LOCAL and either answers XAUTH status FAIL (0) and deletes the phase-1 SA
# (strongSwan; vpnc: "authentication unsuccessful", exit 2) or, like an ASA,
# asks again (ravpnd; vpnc: "Authentication failed, please try again", then
# "noninteractive can't reuse password", exit 1).  Either way vpnc exits
# non-zero with its error; afterwards: no SA, no lease, and the gateway's log
# names the rejected user.
#
# Gateway log pattern (grep -Ei, loose on purpose): the user name together
# with a rejection, either order:
#   "vpnuser1.*(reject|fail|denied|invalid)|(reject|fail|denied|invalid).*vpnuser1"
# (ASA syslog 113015 reads "AAA user authentication Rejected : reason = ... :
# user = vpnuser1"; charon logs "XAuth authentication of 'vpnuser1' failed").
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_vpnc_start c1 group=RA-IKEV1 secret=Lab-v1-group-key user=vpnuser1 password=not-the-password
lab_vpnc_wait_exit c1 40
[ "$LAB_VPNC_STATUS" != 0 ] || lab_fail "vpnc with a wrong password exited 0"
vre="authentication unsuccessful|Authentication failed|can't reuse password"
grep -Eiq "$vre" "$LAB_DIR/c1/vpnc.log" ||
	lab_fail "vpnc did not report the XAUTH failure: $(tail -n 5 "$LAB_DIR/c1/vpnc.log")"
grep -Ei "$vre" "$LAB_DIR/c1/vpnc.log" | head -n 2 | sed 's/^/    vpnc: /'
[ -z "$(lab_vpnc_env c1 INTERNAL_IP4_ADDRESS 2>/dev/null)" ] || lab_fail "vpnc got an address with a wrong password"
lab_gw_wait_log "vpnuser1.*(reject|fail|denied|invalid)|(reject|fail|denied|invalid).*vpnuser1" 10
lab_gw_assert_no_v1_sa 10
lab_assert_no_lease_v1 v1pool
lab_pass "wrong XAUTH password: vpnc exits $LAB_VPNC_STATUS ($(grep -Eio "$vre" "$LAB_DIR/c1/vpnc.log" | tail -n 1)), no SA, no lease"
