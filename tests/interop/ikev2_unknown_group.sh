#!/bin/bash
# A client that names a tunnel-group the gateway does not have (IDi =
# keyid:NO-SUCH-GROUP) with valid user credentials: the gateway must refuse
# with AUTHENTICATION_FAILED, strongSwan must have no IKE SA and the gateway
# no lease and no session.  Then the same user with the right group connects.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-mschapv2
lab_add_client c1
lab_client_start c1
lab_client_conn c1 nogroup auth=eap-mschapv2 group=NO-SUCH-GROUP user=Anu password=Anu-lab-pass1
if lab_initiate c1 nogroup 20; then
	lab_fail "a client naming an unknown tunnel-group connected"
fi
lab_assert_notify c1 AUTHENTICATION_FAILED
lab_assert_no_ike c1 nogroup
lab_assert_no_lease webvpn1
lab_pass "unknown tunnel-group: AUTHENTICATION_FAILED, no SA, no lease"

lab_client_conn c1 anu auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1
lab_initiate c1 anu || lab_fail "the right group does not connect"
vip=$(lab_assert_sa_up c1 anu 10.2.2.1 10.2.2.10)
lab_gw_assert_session Anu "$vip"
lab_pass "the known group ASA-IKEV2 connects ($vip)"
