#!/bin/bash
# A client that asks for no internal address (no CP(CFG_REQUEST) in IKE_AUTH,
# TSi = its own outside address) to a remote-access tunnel-group with an
# address pool: the gateway must answer FAILED_CP_REQUIRED (RFC 7296 3.10.1:
# "CP(CFG_REQUEST) was expected but not received"), so no CHILD_SA is built
# and no lease is taken.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-mschapv2
lab_add_client c1
lab_client_start c1
lab_client_conn c1 nocp auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1 vip=no
if lab_initiate c1 nocp 20; then
	lab_fail "a client without CP(CFG_REQUEST) got a CHILD_SA"
fi
lab_assert_log c1 "received FAILED_CP_REQUIRED notify, no CHILD_SA built"
lab_assert_no_child c1 nocp
lab_terminate c1 nocp
sleep 1
lab_assert_no_lease webvpn1
lab_pass "no CP request: FAILED_CP_REQUIRED, no CHILD_SA, no lease"
