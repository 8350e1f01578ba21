#!/bin/bash
# vpnc with a wrong group key for tunnel-group RA-IKEV1 must fail cleanly.
# In Aggressive Mode the gateway proves the key first (HASH_R in its second
# message): vpnc finds the hash wrong, says so and exits non-zero; the gateway
# never gets a valid third message.  Afterwards: no established SA and no
# lease on the gateway, and the gateway's log names the failure.
#
# Gateway log pattern (grep -Ei, loose on purpose until ravpnd's IKEv1 log
# lines are settled): a line naming the peer's address or the group, or an
# authentication/hash/key failure, or the expiry of the half-open SA:
#   ravpnd:     "(auth|hash|pre-?shared|key).*(fail|mismatch|invalid)" or
#               "(fail|mismatch|invalid).*(auth|hash|key)" or
#               "(half-?open|phase ?1|aggressive|negotiation).*(time[d ]*out|expired|deleted|abandon)"
#   strongSwan: the same; charon's half-open AM SA times out silently
#               after 30 s, so for strongSwan the pattern is only that the
#               SA was set up for the peer ("initiating Aggressive Mode").
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start asa-ikev1
lab_add_client c1
lab_vpnc_start c1 group=RA-IKEV1 secret=not-the-group-key user=vpnuser1 password=Lab-v1-pass1
lab_vpnc_wait_exit c1 30
[ "$LAB_VPNC_STATUS" != 0 ] || lab_fail "vpnc with a wrong group key exited 0"
grep -Eiq "hash comparison failed|check group password" "$LAB_DIR/c1/vpnc.log" ||
	lab_fail "vpnc did not report the wrong group key: $(tail -n 5 "$LAB_DIR/c1/vpnc.log")"
grep -Ei "hash comparison failed|check group password" "$LAB_DIR/c1/vpnc.log" | head -n 2 | sed 's/^/    vpnc: /'
[ -z "$(lab_vpnc_env c1 INTERNAL_IP4_ADDRESS 2>/dev/null)" ] || lab_fail "vpnc got an address with a wrong group key"
if [ "$LAB_GW" = ravpnd ]; then
	lab_gw_wait_log "(auth|hash|pre-?shared|key).*(fail|mismatch|invalid)|(fail|mismatch|invalid).*(auth|hash|key)|(half-?open|phase ?1|aggressive|negotiation).*(time[d ]*out|expired|deleted|abandon)" 40
else
	lab_gw_wait_log "${LAB_PUBLIC[c1]} is initiating a Aggressive Mode IKE_SA" 5
fi
lab_gw_assert_no_v1_sa 0
lab_assert_no_lease_v1 v1pool
lab_pass "wrong group key: vpnc exits $LAB_VPNC_STATUS (hash comparison failed), no SA, no lease"
