#!/bin/bash
# A wrong password, for each EAP method (MSCHAPv2, MD5, GTC): the gateway must
# answer AUTHENTICATION_FAILED (seen in charon's log), strongSwan must have no
# IKE SA, and the gateway must hold no lease and no session afterwards
# (`show ip local pool webvpn1` In use 0, `show vpn-sessiondb anyconnect` empty).
# Finally the right password still works (nothing was locked or leaked).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start eap eap-mschapv2
lab_add_client c1
lab_client_start c1
for m in mschapv2 md5 gtc; do
	lab_gw_eap "eap-$m"
	lab_client_conn c1 bad$m auth=eap-$m group=ASA-IKEV2 user=Anu password=not-the-password
	if lab_initiate c1 bad$m 20; then
		lab_fail "EAP-$m with a wrong password connected"
	fi
	lab_assert_auth_failed c1
	lab_assert_no_ike c1 bad$m
	lab_assert_no_lease webvpn1
	lab_pass "EAP-$m, wrong password refused, no SA, no lease"
	lab_client_forget c1 bad$m
	: >"$LAB_DIR/c1/charon.log"    # the next method must earn its own notify
done
lab_gw_eap eap-mschapv2
lab_client_conn c1 good auth=eap-mschapv2 group=ASA-IKEV2 user=Anu password=Anu-lab-pass1
lab_initiate c1 good || lab_fail "the right password no longer works"
vip=$(lab_assert_sa_up c1 good 10.2.2.1 10.2.2.10)
lab_gw_assert_session Anu "$vip"
lab_pass "after three failures the right password still connects ($vip)"
