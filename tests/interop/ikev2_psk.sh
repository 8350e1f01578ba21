#!/bin/bash
# IKEv2 with a group pre-shared key in both directions (tunnel-group ASA-PSK,
# IDi = keyid:ASA-PSK), two suites one after the other:
#  1. the seed's: IKE AES-192/SHA-1/PRF-SHA1/MODP-1024, ESP AES-256/SHA-1
#  2. modern:     IKE AES-GCM-256/PRF-SHA256/X25519, ESP AES-GCM-256
# Each must be ESTABLISHED/INSTALLED with exactly that suite (strongSwan's own
# view) and a virtual IP from webvpn1.  A wrong key must be refused with
# AUTHENTICATION_FAILED.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_init
lab_gw_start psk
lab_add_client c1
lab_client_start c1

lab_client_conn c1 seed auth=psk group=ASA-PSK psk=Lab-group-key-1 \
	ike=aes192-sha1-modp1024 esp=aes256-sha1
lab_initiate c1 seed || lab_fail "PSK with the seed suite does not connect"
vip=$(lab_assert_sa_up c1 seed 10.2.2.1 10.2.2.10)
lab_assert_suite c1 seed AES_CBC-192/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024 AES_CBC-256/HMAC_SHA1_96
lab_gw_assert_session "" "$vip"
if lab_dataplane; then lab_ping_through_tunnel c1 seed 3; fi
lab_pass "PSK, AES-192/SHA-1/MODP-1024 + ESP AES-256/SHA-1: $vip"
lab_terminate c1 seed

lab_client_conn c1 gcm auth=psk group=ASA-PSK psk=Lab-group-key-1 \
	ike=aes256gcm16-prfsha256-x25519 esp=aes256gcm16
lab_initiate c1 gcm || lab_fail "PSK with AES-GCM-256/X25519 does not connect"
vip=$(lab_assert_sa_up c1 gcm 10.2.2.1 10.2.2.10)
lab_assert_suite c1 gcm AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519 AES_GCM_16-256
lab_gw_assert_session "" "$vip"
if lab_dataplane; then lab_ping_through_tunnel c1 gcm 3; fi
lab_pass "PSK, AES-GCM-256/X25519 + ESP AES-GCM-256: $vip"
lab_terminate c1 gcm
lab_client_forget c1 seed
lab_client_forget c1 gcm

: >"$LAB_DIR/c1/charon.log"
lab_client_conn c1 badkey auth=psk group=ASA-PSK psk=not-the-key \
	ike=aes192-sha1-modp1024 esp=aes256-sha1
if lab_initiate c1 badkey 20; then
	lab_fail "a wrong pre-shared key connected"
fi
lab_assert_notify c1 AUTHENTICATION_FAILED
lab_assert_no_ike c1 badkey
sleep 1
lab_assert_no_lease webvpn1
lab_pass "wrong pre-shared key: AUTHENTICATION_FAILED, no SA, no lease"
