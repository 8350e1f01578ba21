#!/bin/bash
# A pool of one address (webvpn1 = 10.2.2.1-10.2.2.1) and two users on two
# client machines.  user1 gets 10.2.2.1.  user2 must get no CHILD_SA: the
# gateway answers its CP(CFG_REQUEST) with INTERNAL_ADDRESS_FAILURE (RFC 7296
# 3.10.1: "an error assigning an internal address ... no Child SA will be
# created"; FAILED_CP_REQUIRED is for a missing CP, see ikev2_no_cp.sh), and
# user1's tunnel must be untouched.
# When user1 disconnects, the address is freed and user2 gets it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start pool1 eap-mschapv2
lab_add_client c1
lab_add_client c2
lab_client_start c1
lab_client_start c2
lab_client_conn c1 u1 auth=eap-mschapv2 group=ASA-IKEV2 user=user1 password=User1-lab-pass
lab_client_conn c2 u2 auth=eap-mschapv2 group=ASA-IKEV2 user=user2 password=User2-lab-pass

lab_initiate c1 u1 || lab_fail "user1 does not connect"
vip1=$(lab_assert_sa_up c1 u1 10.2.2.1 10.2.2.1)
lab_gw_assert_session user1 "$vip1"
lab_pass "user1 got the only address $vip1"

if lab_initiate c2 u2 20; then
	lab_fail "user2 connected although the pool is exhausted"
fi
lab_assert_log c2 "received INTERNAL_ADDRESS_FAILURE notify, no CHILD_SA built"
lab_assert_no_child c2 u2
lab_assert_sa_up c1 u1 10.2.2.1 10.2.2.1 >/dev/null
lab_gw_assert_session user1 "$vip1"
lab_pass "user2: INTERNAL_ADDRESS_FAILURE, no CHILD_SA; user1 still up"

lab_terminate c2 u2
lab_terminate c1 u1
sleep 1
lab_assert_no_lease webvpn1
: >"$LAB_DIR/c2/charon.log"
lab_initiate c2 u2 || lab_fail "user2 does not connect after user1 left"
vip2=$(lab_assert_sa_up c2 u2 10.2.2.1 10.2.2.1)
lab_gw_assert_session user2 "$vip2"
lab_pass "after user1 left, user2 got $vip2"
